"""Every selected flow × device gets a verdict, whatever breaks: through the CLI, a real
Chromium and a real HTTP server that answers 500, hangs, or loses its browser.

Faults that need privileges in real life are injected in-process: a writer that raises
ENOSPC, an exception in one stage, a browser process killed by pid.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from harness import files
from harness.capture import pipeline, runner
from harness.cli import main
from harness.store import staging, switch
from tests.harness.fault_site import FaultSite, fault_site, write_scenarios

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site() -> Iterator[FaultSite]:
    with fault_site() as running:
        yield running


def guideshot(cwd: Path, *args: str) -> tuple[int, str]:
    stderr = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(stderr):
        patch.chdir(cwd)
        status = main(list(args))
    return status, stderr.getvalue()


class Project:
    def __init__(self, root: Path, site: FaultSite, flows: dict[str, str]) -> None:
        self.root, self.site = root, site
        self.scenarios = write_scenarios(root / "scenarios", flows)
        self.shots = root / "shots"
        self.report = root / "report"

    def run(self, *extra: str) -> tuple[int, str]:
        return guideshot(
            self.root,
            "run",
            "--base-url",
            self.site.url,
            "--scenarios",
            str(self.scenarios),
            "--out",
            str(self.shots),
            *extra,
        )

    def check(self, *extra: str) -> tuple[int, str]:
        return guideshot(
            self.root,
            "check",
            "--base-url",
            self.site.url,
            "--scenarios",
            str(self.scenarios),
            "--baseline",
            str(self.shots),
            "--report",
            str(self.report),
            *extra,
        )

    def report_flows(self) -> dict[str, dict[str, Any]]:
        document = json.loads((self.report / "report.json").read_text("utf-8"))
        return {flow["flow"]: flow for flow in document["report"]["flows"]}

    def junit_failures(self) -> dict[str, str]:
        root = ET.parse(self.report / "junit.xml").getroot()
        return {
            case.get("classname", ""): failure.get("message", "")
            for case in root.iter("testcase")
            for failure in case.iter("failure")
        }


def complete_sets(folder: Path) -> bool:
    """Every step in the folder has all three files, or none."""
    stems: dict[str, set[str]] = {}
    for path in folder.rglob("*"):
        if path.is_file():
            stem = path.name.split(".")[0]
            stems.setdefault(f"{path.parent}/{stem}", set()).add(path.name[len(stem) :])
    return all(kinds == {".raw.png", ".png", ".json"} for kinds in stems.values())


def test_server_errors_and_hangs_are_named_and_the_rest_still_runs(
    tmp_path: Path, site: FaultSite
) -> None:
    project = Project(tmp_path, site, {"a-error": "/error", "b-hang": "/hang", "c-ok": "/ok"})
    status, stderr = project.run("--flow-timeout", "8")
    assert status == 1, stderr
    assert "opening the flow: the server answered 500 for /error" in stderr, stderr
    assert "timed out: the flow took longer than 8 s (--flow-timeout)" in stderr
    # The browser killed for the hang was replaced: the last flow ran and was written.
    assert len(list((project.shots / "android" / "c-ok").glob("*.raw.png"))) == 1
    assert "2 of 3 flows failed" in stderr

    status, stderr = project.check("--flow-timeout", "8")
    assert status == 1
    flows = project.report_flows()
    assert sorted(flows) == ["a-error", "b-hang", "c-ok"]  # never a missing row
    assert "the server answered 500 for /error" in json.dumps(flows["a-error"], ensure_ascii=False)
    assert "timed out" in json.dumps(flows["b-hang"])
    assert [s["status"] for s in flows["c-ok"]["steps"]] == ["match"]
    failures = project.junit_failures()
    assert set(failures) == {"android.a-error", "android.b-hang"}
    # The console says it too, not only the report.
    assert "android a-error" in stderr and "android b-hang" in stderr


def _raiser(error: BaseException) -> Callable[..., Any]:
    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise error

    return fail


def _only_for_first_flow(real: Callable[..., Any], error: BaseException) -> Callable[..., Any]:
    """Raise for the flow 'a-faulty' only; the other flow goes through untouched."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        text = repr(args) + repr(kwargs)
        if "a-faulty" in text:
            raise error
        return real(*args, **kwargs)

    return wrapper


ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/full/disk/file.png")


@pytest.mark.parametrize(
    ("target", "attribute", "error", "named"),
    [
        pytest.param(
            pipeline, "run_flow", RuntimeError("injected"), "could not run the flow", id="capture"
        ),
        pytest.param(
            "harness.cli.check",
            "annotate_captures",
            ValueError("injected"),
            "annotating: ValueError: injected",
            id="annotation",
        ),
        pytest.param(
            staging,
            "write_bytes_atomic",
            ENOSPC,
            "staging the captures: /full/disk/file.png: No space left on device",
            id="writing",
        ),
        pytest.param(
            "harness.cli.check",
            "judge_flow",
            RuntimeError("injected"),
            "judging: RuntimeError: injected",
            id="judging",
        ),
        pytest.param(
            "harness.drift.flow",
            "approved_captures",
            PermissionError(errno.EACCES, "Permission denied", "shots/android/a-faulty"),
            "judging: shots/android/a-faulty: Permission denied",
            id="reading-the-baseline",
        ),
    ],
)
def test_an_exception_in_any_stage_is_that_flows_named_failure(
    tmp_path: Path,
    site: FaultSite,
    monkeypatch: pytest.MonkeyPatch,
    target: Any,
    attribute: str,
    error: BaseException,
    named: str,
) -> None:
    project = Project(tmp_path, site, {"a-faulty": "/ok", "b-fine": "/ok"})
    assert project.run()[0] == 0
    module = __import__(target, fromlist=["_"]) if isinstance(target, str) else target
    real = getattr(module, attribute)
    monkeypatch.setattr(module, attribute, _only_for_first_flow(real, error))

    status, stderr = project.check()

    assert status == 1, stderr
    assert named in stderr
    flows = project.report_flows()
    assert sorted(flows) == ["a-faulty", "b-fine"]
    assert named in json.dumps(flows["a-faulty"], ensure_ascii=False)
    assert [s["status"] for s in flows["b-fine"]["steps"]] == ["match"]
    assert list(project.junit_failures()) == ["android.a-faulty"]
    assert "a-faulty" in stderr.split("guideshot check")[-1]  # a row in the closing table


def test_a_full_disk_during_run_fails_the_flow_and_leaves_no_partial_step(
    tmp_path: Path, site: FaultSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(tmp_path, site, {"a-faulty": "/ok", "b-fine": "/ok"})
    # The disk fills up while a-faulty's captures are written (thread-local: the other
    # flow's writer may run at the same time and must not be touched).
    writing_faulty = threading.local()
    real_write, real_apply = files.write_bytes_atomic, switch.apply

    def full_after_first_file(path: Path, data: bytes) -> None:
        if getattr(writing_faulty, "count", None) is not None:
            writing_faulty.count += 1
            if writing_faulty.count > 1:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real_write(path, data)

    def apply(work: Path, steps: Any, on_done: Any = None) -> Any:
        if any("a-faulty" in str(step.folder) for step in steps):
            writing_faulty.count = 0
        try:
            return real_apply(work, steps, on_done)
        finally:
            writing_faulty.count = None

    monkeypatch.setattr(switch, "write_bytes_atomic", full_after_first_file)
    monkeypatch.setattr("harness.store.captures.apply", apply)
    status, stderr = project.run()
    assert status == 1
    assert "No space left on device" in stderr
    assert "1 of 2 flows failed" in stderr
    assert not (project.shots / "android" / "a-faulty").exists()
    assert complete_sets(project.shots)
    assert not [p for p in project.shots.rglob("*") if p.name.endswith(".tmp")]


def test_a_damaged_baseline_is_a_finding_with_exit_1(tmp_path: Path, site: FaultSite) -> None:
    project = Project(tmp_path, site, {"a-ok": "/ok"})
    assert project.run()[0] == 0
    raw = next((project.shots / "android" / "a-ok").glob("*.raw.png"))
    raw.write_bytes(raw.read_bytes()[:200])  # truncated
    status, stderr = project.check()
    assert status == 1
    assert "baseline unreadable" in stderr
    assert f"{raw} does not match its record's raw_sha256" in stderr
    flows = project.report_flows()
    assert [s["status"] for s in flows["a-ok"]["steps"]] == ["unreadable"]
    assert "android.a-ok" in project.junit_failures()


def _browser_pids() -> list[psutil.Process]:
    children = psutil.Process(os.getpid()).children(recursive=True)
    return [p for p in children if "chrom" in p.name().lower()]


def test_a_browser_killed_by_pid_fails_that_flow_and_the_next_gets_a_new_browser(
    tmp_path: Path, site: FaultSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(tmp_path, site, {"a-faulty": "/ok", "b-fine": "/ok"})
    assert project.run()[0] == 0
    real = runner.run_flow
    killed: list[int] = []

    def kill_browser_first(browser: Any, flow: Any, *args: Any, **kwargs: Any) -> Any:
        if flow.id == "a-faulty":
            victims = _browser_pids()
            for process in victims:
                process.kill()
            psutil.wait_procs(victims, timeout=10)
            killed.extend(p.pid for p in victims)
        return real(browser, flow, *args, **kwargs)

    monkeypatch.setattr("harness.capture.pipeline.run_flow", kill_browser_first)
    status, stderr = project.check()
    assert killed
    assert status == 1
    assert "the browser closed unexpectedly" in stderr
    flows = project.report_flows()
    assert [s["status"] for s in flows["b-fine"]["steps"]] == ["match"]
    assert not set(killed) & {p.pid for p in _browser_pids()}


def test_check_clears_a_stale_report_and_refuses_a_foreign_folder(
    tmp_path: Path, site: FaultSite
) -> None:
    project = Project(tmp_path, site, {"a-ok": "/ok"})
    assert project.run()[0] == 0
    project.report.mkdir()
    (project.report / "report.json").write_text("{}")
    stale = project.report / "images" / "android" / "old-flow" / "01-current.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"from an earlier run")
    assert project.check()[0] == 0
    assert not stale.exists()

    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    status, stderr = guideshot(
        tmp_path,
        "check",
        "--base-url",
        site.url,
        "--scenarios",
        str(project.scenarios),
        "--baseline",
        str(project.shots),
        "--report",
        str(foreign),
    )
    assert status == 2
    assert "not a guideshot report" in stderr
    assert (foreign / "notes.txt").read_text() == "keep me"
