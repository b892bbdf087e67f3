"""A run against the embedded simulator removes its temporary files (the simulator's
database) when it ends: after a normal run, and after Ctrl-C or SIGTERM. Each run is a real
CLI process with a private TMPDIR, so whatever it leaves there can be counted."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The simulator's own start page; the second step waits for what never comes (8 s), so a
# signal can arrive while the flow runs.
FLOW = """id: {id}
section: test
title: {id}
devices: [android]
start: /
steps:
  - caption: 画面が表示される
    action: expect
    expect: {{heading: 練習用シミュレーター}}
{more}"""
NEVER = "  - action: wait_for\n    target: {text: 決して現れない文字}\n"


@pytest.fixture
def tmp() -> Iterator[Path]:
    """A private temporary folder with a short path: Chromium puts a Unix socket in its
    profile folder there, and a socket's path must stay under 108 bytes."""
    folder = Path(tempfile.mkdtemp(prefix="gst-", dir="/tmp"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def project(root: Path, tmp: Path, *, hang: bool) -> dict[str, str]:
    scenarios = root / "scenarios"
    scenarios.mkdir(parents=True)
    text = FLOW.format(id="home", more=NEVER if hang else "")
    (scenarios / "home.yaml").write_text(text, "utf-8")
    return {**os.environ, "TMPDIR": str(tmp)}


def ours(tmp: Path) -> list[str]:
    return sorted(name for name in os.listdir(tmp) if "guideshot" in name)


def test_a_run_leaves_no_temporary_files(tmp_path: Path, tmp: Path) -> None:
    env = project(tmp_path, tmp, hang=False)
    done = subprocess.run(
        [sys.executable, "-m", "harness", "run", "--out", "shots"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "(embedded simulator)" in done.stderr
    assert ours(tmp) == []


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["int", "term"]
)
def test_a_stopped_run_leaves_no_temporary_files(
    tmp_path: Path, tmp: Path, signum: int, status: int
) -> None:
    env = project(tmp_path, tmp, hang=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "harness", "run", "--out", "shots"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stderr is not None
        # The simulator is up (its database made) once the run names its target.
        for line in process.stderr:
            if "(embedded simulator)" in line:
                break
        else:
            pytest.fail("the run never started the embedded simulator")
        assert [name for name in ours(tmp) if name.startswith("guideshot-sim-")] != []
        process.send_signal(signum)
        _out, stderr = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == status, stderr
    assert "Traceback" not in stderr
    assert ours(tmp) == []
