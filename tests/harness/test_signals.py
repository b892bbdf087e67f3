"""Ctrl-C and SIGTERM, sent to the real CLI process while a browser is inside a flow: the
exit status is 130 or 143 (never a crash), the browsers and their driver are gone, and no
report or baseline is left half written."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from tests.harness.fault_site import fault_site, write_scenarios

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["int", "term"]
)
@pytest.mark.parametrize("verb", ["run", "check"])
def test_a_signal_mid_flow_exits_cleanly_and_leaves_no_process(
    tmp_path: Path, verb: str, signum: int, status: int
) -> None:
    scenarios = write_scenarios(tmp_path / "scenarios", {"a-hang": "/hang", "b-ok": "/ok"})
    shots, report = tmp_path / "shots", tmp_path / "report"
    where = ["--out", str(shots)] if verb == "run" else ["--baseline", str(shots)]
    extra = ["--report", str(report)] if verb == "check" else []
    with fault_site() as site:
        command = [sys.executable, "-m", "harness", verb, "--base-url", site.url]
        process = subprocess.Popen(
            [*command, "--scenarios", str(scenarios), *where, *extra],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert site.hanging.wait(120), "the browser never reached the hanging page"
            below = psutil.Process(process.pid).children(recursive=True)
            assert any("chrom" in p.name().lower() for p in below)
            process.send_signal(signum)
            _out, stderr = process.communicate(timeout=90)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == status, stderr
    assert "Traceback" not in stderr
    assert "interrupted: 0 of 2 flow runs" in stderr
    _gone, alive = psutil.wait_procs(below, timeout=15)
    assert alive == []
    assert not (report / "report.json").exists()
    assert not (shots / "android" / "b-ok").exists()  # the flow after the signal never ran
