"""A broken step shows the screen as it was when it failed, not only the approved picture,
and a failed flow links its Playwright trace."""

from __future__ import annotations

from pathlib import Path

from harness.capture.results import FlowResult
from harness.drift.verdict import FlowVerdict, StepStatus
from harness.files import write_bytes_atomic


def keep_failure_screen(report_dir: Path, result: FlowResult, verdict: FlowVerdict) -> None:
    if result.trace is not None:
        relative = Path("images") / result.device / result.flow / "trace.zip"
        write_bytes_atomic(report_dir / relative, result.trace)
        verdict.trace = relative.as_posix()
    failure = result.failure
    if failure is None or failure.screenshot is None:
        return
    broken = [step for step in verdict.steps if step.status is StepStatus.BROKEN]
    if not broken:
        return
    # The first broken step is the one that failed (for a silent step, the next pictured one).
    step = broken[0]
    number = f"{step.number:02d}" if step.number is not None else "silent"
    relative = Path("images") / result.device / result.flow / f"{number}-failed.png"
    write_bytes_atomic(report_dir / relative, failure.screenshot)
    step.failed_image = relative.as_posix()
