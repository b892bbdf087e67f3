"""The expected cost of a flow × device job, and the order to start jobs in.

Depends only on the scenario (never on timing), so every machine computes the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.capture.pipeline import Job

# Relative costs measured by benchmarks/profile_run.py: a capture (settle, screenshot,
# annotate) costs about three silent steps, a fresh context with its set-up about two.
CAPTURE_COST = 3
SILENT_STEP_COST = 1
JOB_COST = 2


def expected_cost(job: Job) -> int:
    steps: Sequence[Any] = job.flow.steps
    captures = sum(1 for step in steps if step.number is not None)
    return JOB_COST + CAPTURE_COST * captures + SILENT_STEP_COST * (len(steps) - captures)


def job_key(job: Job) -> tuple[str, str]:
    return (job.flow.id, job.device.name)


def longest_first(jobs: Sequence[Job]) -> list[Job]:
    """The order to start jobs in: a long flow started last would finish alone."""
    return sorted(jobs, key=lambda job: (-expected_cost(job), *job_key(job)))
