"""A tap right after its step's capture skips Playwright's own checks only when the capture's
reading says a tap reaches the target: through the CLI, against a real HTTP server whose
link is covered by a banner when it is captured, the tap must wait for the banner to go
(as Playwright's checks make it) instead of landing on the banner.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from simulator.server import start_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BANNER_MS = 1500
START = f"""<!doctype html><html lang=ja><meta charset=utf-8>
<meta name=viewport content='width=device-width'><title>練習</title>
<body style='margin:0;font-family:sans-serif'><h1>練習ページ</h1>
<a href=/next style='display:block;font-size:24px;padding:20px'>次へ</a>
<div id=banner style='position:fixed;inset:0;background:rgba(0,0,0,.4)'>お知らせ</div>
<script>setTimeout(() => document.getElementById('banner').remove(), {BANNER_MS})</script>
</body></html>"""
NEXT = "<!doctype html><html lang=ja><meta charset=utf-8><title>次</title><h1>次のページ</h1>"
FLOW = """id: covered
section: test
title: covered
devices: [android]
start: /start
steps:
  - caption: 「次へ」を押す
    action: tap
    target: {role: link, name: 次へ}
    expect: {heading: 次のページ}
"""


def two_pages(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """The WSGI site: /start with the covered link, anything else the next page."""
    body = (START if environ.get("PATH_INFO", "").startswith("/start") else NEXT).encode()
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [body]


@pytest.fixture
def site() -> Iterator[str]:
    with start_server(two_pages) as server:
        yield server.url


def test_a_target_covered_when_captured_is_tapped_once_it_is_free(
    tmp_path: Path, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "covered.yaml").write_text(FLOW, "utf-8")
    monkeypatch.chdir(tmp_path)
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = main(["run", "--base-url", site, "--scenarios", "scenarios", "--out", "shots"])
    assert status == 0, stderr.getvalue()
    # The capture came while the banner covered the link (its words are in the record), and
    # the tap still reached the link: the next page's heading was found.
    record = json.loads(
        next((tmp_path / "shots" / "android" / "covered").glob("01-*.json")).read_text()
    )
    assert "お知らせ" in record["visible_text"]
