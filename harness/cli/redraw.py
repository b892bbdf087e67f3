"""Where `run`, `check` and `guide` make the approved pictures follow the scenario.

One judgement decides whether a screen is the same as its approved one: drift's, as `check`
gives it (harness/drift/flow.py). `run` asks it before it writes, `check` reads it from its
report, and both hand the captures of same screens to store/derived.py, which re-draws the
approved pictures. `guide` has no capture: it re-draws what no longer matches its record or
the drawing code, and refuses to print a picture it could not re-draw, or one whose step
masks more than its capture found (a mask written since: only check or run can place it).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console

from harness.capture.results import FlowResult
from harness.console import err
from harness.drift.flow import ReportImages, judge_flow
from harness.drift.verdict import PASSING, CheckReport
from harness.scenario import Flow
from harness.store import read_record
from harness.store.derived import Redraw, rederive_flow, staged_records
from harness.store.layout import flow_dir, staging_root, step_prefix


def same_screens(
    flow: Flow, result: FlowResult, baseline: Path, again: Callable[[], FlowResult | None]
) -> set[int]:
    """The step numbers whose current capture `check` would pass (a match, or rendering
    noise measured with a second capture, `again`, as check takes it)."""
    with tempfile.TemporaryDirectory(prefix="guideshot-judge-") as scratch:
        verdict = judge_flow(flow, result, baseline, ReportImages(Path(scratch)), again=again)
    return {s.number for s in verdict.steps if s.status in PASSING and s.number}


def say(redraw: Redraw, console: Console = err) -> None:
    """One line for a flow whose pictures were re-drawn; one per step that could not be."""
    line = redraw.line()
    if line is not None:
        console.print(line, markup=False)
    for problem in redraw.problems:
        console.print(problem, markup=False)


def redraw_after_check(report: CheckReport, baseline: Path) -> None:
    """Re-draw the approved pictures of the steps `check` passed, for the scenario
    as it captured them (the staged captures), and say so per flow; a step that drifted
    keeps its picture until it is approved."""
    for verdict in report.flows:
        matched = {s.number for s in verdict.steps if s.status in PASSING and s.number}
        staged = staged_records(staging_root(baseline), verdict.device, verdict.flow)
        redraw = rederive_flow(
            baseline, verdict.device, verdict.flow, staged, action="check", steps=matched
        )
        say(redraw)


def masks_not_captured(screenshots: Path, flow: Flow, device: str) -> list[str]:
    """A line per step whose scenario masks more than its approved record found: the mask
    was written after the capture, and only a browser can find where it goes. (Every step
    mask is on its screen, one box at least, so a record captured since has as many.)"""
    lines = []
    folder = flow_dir(screenshots, device, flow.id)
    for step in flow.numbered:
        paths = sorted(folder.glob(f"{step_prefix(step.number or 0)}*.json"))
        record = read_record(paths[0]) if len(paths) == 1 else None
        if record is None or len(record.masks) >= len(step.mask):
            continue
        lines.append(
            f"{step.source}: step {step.number} 「{step.caption}」: the scenario masks "
            f"{len(step.mask)} thing(s) but {folder / record.image} was captured with "
            f"{len(record.masks)}: run `guideshot check --flow {flow.id} --device {device}` "
            "(it re-draws the picture for the scenario's masks), then `guideshot guide`"
        )
    return lines


def redraw_for_guide(screenshots: Path, flows: Sequence[Flow], devices: Sequence[str]) -> bool:
    """Re-draw the stale pictures the editions for `devices` print; False (each step named)
    when one could not be re-drawn, so nothing is built from it."""
    problems = 0
    for device in devices:
        for flow in flows:
            redraw = rederive_flow(screenshots, device, flow.id, action="guide")
            say(redraw)
            unmasked = masks_not_captured(screenshots, flow, device)
            for line in unmasked:
                err.print(line, markup=False)
            problems += len(redraw.problems) + len(unmasked)
    if problems:
        err.print(
            f"{problems} picture(s) could not be re-drawn for the scenario; nothing was built",
            markup=False,
        )
    return not problems
