"""`--connect ws://…`: a flow driven through a Playwright browser server started here.

The server is Playwright's own (`python -m playwright run-server --unsafe`, as a team would
run it on a browser pool) on a free loopback port; guideshot asks it for this machine's
Chromium with guideshot's launch flags. The captures must be the approved pixels, and the
environment fingerprint must come from the remote browser.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from harness.capture import CaptureRecord
from harness.capture.browser import find_chromium
from harness.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
LISTENING = re.compile(r"Listening on (ws://\S+)")


@pytest.fixture(scope="module")
def browser_server() -> Iterator[str]:
    """The server's ws:// address, read from its first line of output."""
    command = [sys.executable, "-m", "playwright", "run-server", "--port", "0"]
    server = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--unsafe"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: the driver and browsers go with it
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        found = LISTENING.search(line)
        assert found is not None, f"browser server did not start: {line!r}"
        yield found.group(1)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


def test_a_flow_runs_in_the_remote_browser(tmp_path: Path, browser_server: str) -> None:
    with sync_playwright() as playwright:
        chromium = find_chromium(playwright).executable
    out = tmp_path / "screenshots"
    stderr = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(stderr):
        patch.chdir(tmp_path)
        args = ["run", "--flow", "login-userid", "--device", "android", "--out", str(out)]
        args += ["--scenarios", str(ROOT / "scenarios"), "--connect", browser_server]
        status = main([*args, *(["--browser-path", chromium] if chromium else [])])
    assert status == 0, stderr.getvalue()

    approved = ROOT / "screenshots" / "android" / "login-userid"
    records = sorted((out / "android" / "login-userid").glob("*.json"))
    assert len(records) == 4
    for path in records:
        record = CaptureRecord.model_validate_json(path.read_bytes())
        assert record.environment.font.endswith("(remote)")
        assert record.environment.engine == "chromium"
        # Same Chromium and flags on the server's side: the approved pixels, byte for byte.
        raw = (path.parent / record.raw_image).read_bytes()
        assert raw == (approved / record.raw_image).read_bytes()
