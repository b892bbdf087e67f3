"""Acceptance on a second site: Datasette, a web application from PyPI, not written here.

Its footer prints how long the queries took on every request and its SQL box is a
CodeMirror editor. The scenarios in tests/harness/datasette_flows/ leave the footer out
(flow-level `ignore`, a step `mask`, `ignore_text`), replace and add to the SQL with
`fill` and `type`, and are driven on both phones through the CLI (`run`, then `check`
twice on the unchanged site) and through the pytest plugin with pytest-playwright's
`--base-url`. A rewriting proxy relabels 「Run SQL」 and widens it, in a controlled way.
"""

from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.cli import main
from harness.drift.verdict import CheckReport, DifferenceKind, StepStatus
from harness.report import load_json
from harness.store import read_record
from tests.harness.drift_proxy import rewriting_proxy

pytestmark = pytest.mark.browser

FLOWS = Path(__file__).parent / "datasette_flows"
STEPS = {"sql-query": 4, "browse-table": 3}
DEVICES = ("android", "iphone")
RUN_SQL = 'value="Run SQL"'
RELABELLED = (
    "step ③: 「Run SQL」 is now labelled 「Execute query」; the caption quotes the old label"
)
START_TIMEOUT = 60.0  # seconds for Datasette to answer on a machine shared with other jobs


@dataclass(frozen=True)
class Datasette:
    url: str
    log: Path  # its access log: every path a run asked for


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_answering(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, OSError):
            if process.poll() is not None:
                pytest.fail(f"datasette exited ({process.returncode}): {log.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"datasette did not answer at {url} within {START_TIMEOUT:.0f} s")
            time.sleep(0.1)  # the server is still binding its port: ask again shortly


@pytest.fixture(scope="module")
def datasette(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Datasette]:
    """Datasette serving a small database on a free loopback port, stopped at the end."""
    folder = tmp_path_factory.mktemp("datasette")
    database = folder / "fixtures.db"
    with sqlite3.connect(database) as db:
        db.execute("create table trees (id integer primary key, name text, height real)")
        db.executemany(
            "insert into trees (name, height) values (?, ?)",
            [("oak", 21.5), ("beech", 30.0), ("birch", 18.2)],
        )
    db.close()
    # Served immutable with counts taken beforehand: on a mutable database Datasette counts
    # each table per request within 10 ms and leaves the count out when a loaded machine
    # misses that, so the home page said 「3 rows in 1 table」 or 「1 table」 by chance.
    counts = folder / "inspect.json"
    inspect = [sys.executable, "-m", "datasette", "inspect", str(database)]
    subprocess.run([*inspect, "--inspect-file", str(counts)], check=True, capture_output=True)
    port = free_port()
    log = folder / "datasette.log"
    command = [
        *(sys.executable, "-m", "datasette", "serve"),
        *("-i", str(database), "--inspect-file", str(counts)),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "-h", "127.0.0.1", "-p", str(port)], stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(url, process, log)
        yield Datasette(url, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def approved(datasette: Datasette, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`guideshot run` on both phones: the approved screenshots every check compares with."""
    root = tmp_path_factory.mktemp("approved")
    shots = root / "shots"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        status = main(
            [
                *("run", "--scenarios", str(FLOWS), "--base-url", datasette.url),
                *("--out", str(shots)),
            ]
        )
    assert status == 0
    for device in DEVICES:
        for flow, steps in STEPS.items():
            assert len(list((shots / device / flow).glob("*.raw.png"))) == steps, (device, flow)
    return shots


def check(url: str, baseline: Path, report: Path, *devices: str) -> tuple[int, CheckReport]:
    chosen = [arg for device in devices for arg in ("--device", device)]
    status = main(
        [
            *("check", "--scenarios", str(FLOWS), "--base-url", url, *chosen),
            *("--baseline", str(baseline), "--report", str(report)),
        ]
    )
    return status, load_json((report / "report.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_two_checks_of_the_unchanged_site_are_clean(
    datasette: Datasette, approved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for attempt in (1, 2):
        status, report = check(datasette.url, approved, tmp_path / f"report{attempt}")
        assert status == 0, [d.sentence for s in report.steps() for d in s.differences]
        assert len(report.steps()) == 14
        assert {s.status for s in report.steps()} == {StepStatus.MATCH}
    # the footer's timing really changed between the captures, and was left out
    records = [read_record(path) for path in sorted(approved.glob("*/*/*.json"))]
    texts = [record.visible_text for record in records if record is not None]
    footers = {line for text in texts for line in text.splitlines() if "Queries took" in line}
    assert len(footers) > 1, footers
    # nothing in the run asked a path of the simulator's: it needed no hooks
    requests = datasette.log.read_text("utf-8")
    assert "GET /fixtures" in requests and "/_sim/" not in requests


@pytest.mark.slow
def test_a_relabelled_button_is_named_with_both_labels_then_the_site_is_clean_again(
    datasette: Datasette, approved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with rewriting_proxy(datasette.url, [(RUN_SQL, 'value="Execute query"')]) as proxy:
        status, report = check(proxy.url, approved, tmp_path / "relabelled")
    assert proxy.hits[RUN_SQL] > 0
    assert status == 1
    for device in DEVICES:
        (flow,) = [f for f in report.flows if (f.flow, f.device) == ("sql-query", device)]
        third = next(s for s in flow.steps if s.number == 3)
        assert third.status is StepStatus.BROKEN
        assert [(d.kind, d.sentence) for d in third.differences] == [
            (DifferenceKind.LABEL_CHANGED, RELABELLED)
        ]
    # the wider button shows in other pictures too: drift there, but nothing broken
    others = [s for f in report.flows if f.flow == "browse-table" for s in f.steps]
    assert {s.status for s in others} <= {StepStatus.MATCH, StepStatus.DRIFT}
    status, _ = check(datasette.url, approved, tmp_path / "restored")
    assert status == 0


@pytest.mark.slow
def test_a_button_that_only_grew_is_said_to_have_grown(
    datasette: Datasette, approved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    wider = "form.sql input[type=submit] { padding-right: 60px; }"
    with rewriting_proxy(datasette.url, style=wider) as proxy:
        status, report = check(proxy.url, approved, tmp_path / "wider", "android")
    assert proxy.hits["<style>"] > 0
    assert status == 1
    (flow,) = [f for f in report.flows if f.flow == "sql-query"]
    third = next(s for s in flow.steps if s.number == 3)
    (grew,) = [d.sentence for d in third.differences if d.kind is DifferenceKind.ELEMENT_MOVED]
    assert grew.startswith("step ③: 「Run SQL」 grew from ") and grew.endswith(" CSS px")
    assert " to (" not in grew  # it stands where it stood: no positions


def pytest_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_pytest_checks_the_site_named_by_base_url(
    datasette: Datasette, approved: Path, tmp_path: Path
) -> None:
    shutil.copytree(FLOWS, tmp_path / "scenarios")  # the plugin collects scenarios/*.yaml
    baseline = ("--guideshot-baseline", str(approved))
    clean = pytest_in(tmp_path, "scenarios", "--base-url", datasette.url, *baseline)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert f"guideshot: scenarios are checked against {datasette.url}" in clean.stdout
    assert "4 passed" in clean.stdout
    with rewriting_proxy(datasette.url, [(RUN_SQL, 'value="Execute query"')]) as proxy:
        ini = tmp_path / "pytest.ini"
        ini.write_text(f"[pytest]\nbase_url = {proxy.url}\n", "utf-8")  # the ini setting too
        drifted = pytest_in(tmp_path, "scenarios", "-k", "sql", *baseline)
    assert drifted.returncode == 1, drifted.stdout + drifted.stderr
    assert f"checked against {proxy.url}" in drifted.stdout
    # Once per phone in the failures section (pytest repeats them in its summary when CI=true).
    failures = drifted.stdout.split("short test summary info")[0]
    assert failures.count(RELABELLED) == 2, drifted.stdout  # android and iphone
    assert "2 failed" in drifted.stdout
