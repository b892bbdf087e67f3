"""An environment change that altered no pixel is said once per run, not on every step.

A browser patch update changes `browser_version` on every capture; when the steps still
match, repeating that on each of them buries the steps that really changed.
"""

from __future__ import annotations

from harness.drift.verdict import CheckReport, DifferenceKind, StepStatus, StepVerdict


def quiet_environment_note(step: StepVerdict) -> bool:
    """True for a matching step whose only remark is the environment (said once instead)."""
    return step.status is StepStatus.MATCH and bool(step.environment)


def environment_notes(report: CheckReport) -> list[str]:
    """One line per distinct environment change among the steps that still match."""
    counts: dict[str, int] = {}
    for step in report.steps():
        if quiet_environment_note(step):
            what = ", ".join(f"{k} {a} → {b}" for k, (a, b) in sorted(step.environment.items()))
            counts[what] = counts.get(what, 0) + 1
    return [
        f"the rendering environment differs from the approved screenshots' ({what}) on {n} "
        f"step{'s' if n != 1 else ''} that still match; approve on this machine to record it"
        for what, n in counts.items()
    ]


def loud_differences(step: StepVerdict) -> list[str]:
    """The step's sentences for the console, without the once-per-run environment note."""
    return [
        d.sentence
        for d in step.differences
        if not (quiet_environment_note(step) and d.kind is DifferenceKind.ENVIRONMENT_CHANGED)
    ]
