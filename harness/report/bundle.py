"""The report carries what `approve --from` needs: the captures of every step that differs.

`report/captures/<device>/<flow>/` is a staged flow (staging.py) cut down to the steps that
did not match, with its manifest: the same hashes, the same approved raw image each capture
was compared with. So approving from a report is planned exactly as from `.guideshot/current`
(stale and short sets refused), on any machine, from the one folder a CI uploads.
"""

from __future__ import annotations

from pathlib import Path

from harness.drift.verdict import FlowVerdict, StepStatus
from harness.files import write_bytes_atomic, write_text_atomic
from harness.store.layout import flow_dir
from harness.store.manifest import MANIFEST, StagingProblem
from harness.store.staged_read import read_staged

CAPTURES = "captures"

# Steps whose current capture can be accepted; a REMOVED step is approved by its absence.
APPROVABLE = frozenset(
    {StepStatus.DRIFT, StepStatus.NEW, StepStatus.ENVIRONMENT, StepStatus.UNREADABLE}
)


def captures_root(report_dir: Path) -> Path:
    return report_dir / CAPTURES


def bundle_flow(report_dir: Path, staged: Path, verdict: FlowVerdict) -> Path | None:
    """Copy the staged captures of the steps that differ into the report; None when the flow
    has nothing to approve (every step matches, or the run did not complete)."""
    numbers = {s.number for s in verdict.steps if s.status in APPROVABLE and s.number is not None}
    removed = any(s.status is StepStatus.REMOVED for s in verdict.steps)
    if not numbers and not removed:
        return None
    try:
        checked = read_staged(staged)  # complete, and each file the bytes its hash names
    except StagingProblem:
        return None
    steps = [step for step in checked.steps if step.number in numbers]
    target = flow_dir(captures_root(report_dir), verdict.device, verdict.flow)
    target.mkdir(parents=True, exist_ok=True)
    for step in steps:
        for name in step.sha256:
            write_bytes_atomic(target / name, checked.files[name])
    cut = checked.manifest.model_copy(update={"steps": steps})
    # The manifest last: a folder without one is never taken for an approvable flow.
    write_text_atomic(target / MANIFEST, cut.model_dump_json(indent=2) + "\n")
    return target
