"""`--shard i/n`: the flow × device plan split evenly by expected cost across CI jobs.

Depends only on the scenarios and the devices, so every shard computes the same split.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness.capture.cost import expected_cost, job_key, longest_first
from harness.capture.pipeline import Job
from harness.capture.selection import SelectionError

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as written: --shard 2/3
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`i/n` with 1 ≤ i ≤ n; anything else is a one-line usage error."""
        match = _SPEC.match(text)
        if match is None:
            raise SelectionError(
                f"--shard {text}: write it as i/n, e.g. --shard 1/3 for the first of three"
            )
        index, count = int(match.group(1)), int(match.group(2))
        if count < 1 or not 1 <= index <= count:
            raise SelectionError(
                f"--shard {text}: the shard number must be between 1 and {max(count, 1)} "
                f"(e.g. --shard 1/{max(count, 1)})"
            )
        return cls(index, count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def select(self, jobs: Sequence[Job]) -> list[Job]:
        """This shard's jobs, in plan order.

        Longest expected cost first, each job to the shard with the least cost so far (ties
        to the lower shard): every shard's total is within one job of the others'.
        """
        totals = [0] * self.count
        mine: set[tuple[str, str]] = set()
        for job in longest_first(jobs):
            lightest = min(range(self.count), key=lambda n: (totals[n], n))
            totals[lightest] += expected_cost(job)
            if lightest == self.index - 1:
                mine.add(job_key(job))
        return [job for job in jobs if job_key(job) in mine]


@dataclass
class Narrowing:
    """--shard and --changed applied to the planned jobs; remembers the whole plan, which a
    shard's partial result carries so `merge` can restore the unsharded order."""

    shard: Shard | None = None
    changed_since_approved: Path | None = None  # --changed: the approved screenshots folder
    planned: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, jobs: list[Job]) -> list[Job]:
        from harness.capture.changed import changed_jobs

        self.planned = [job_key(job) for job in jobs]
        if self.shard is not None:
            jobs = self.shard.select(jobs)
        if self.changed_since_approved is not None:
            jobs = changed_jobs(jobs, self.changed_since_approved)
        return jobs
