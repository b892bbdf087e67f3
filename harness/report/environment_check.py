"""Captures made in another rendering environment than the approved screenshots.

Approving them would make every later local check an environment mismatch, so `approve
--from` refuses them unless told (`--accept-environment`), naming what differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from harness.capture import CaptureRecord, Environment
from harness.drift import environment_changes
from harness.store import read_record
from harness.store.layout import flow_dir, step_prefix
from harness.store.staged_read import read_staged
from harness.store.staging import StagingProblem


def _approved_environment(
    baseline: Path, device: str, flow: str, number: int
) -> Environment | None:
    """The approved step's environment; else any approved capture's of that device."""
    same_step = sorted(flow_dir(baseline, device, flow).glob(f"{step_prefix(number)}*.json"))
    for path in [*same_step, *sorted((baseline / device).glob("*/*.json"))]:
        record = read_record(path)
        if record is not None:
            return record.environment
    return None


def foreign_environments(folders: Sequence[Path], baseline: Path) -> list[str]:
    """One line per device and difference: which captures, and what differs."""
    found: dict[tuple[str, str], list[str]] = {}  # (device, what differs) → flows
    for folder in folders:
        try:
            staged = read_staged(folder)  # checked names, regular files, hashes
        except StagingProblem:
            continue  # plan_approval names it
        for step in staged.steps:
            try:
                record = CaptureRecord.model_validate_json(staged.files[step.record])
            except ValidationError:
                continue
            approved = _approved_environment(baseline, staged.device, staged.flow, step.number)
            if approved is None:
                continue
            changes = environment_changes(approved, record.environment)
            if changes:
                what = ", ".join(f"{k} {a} → {b}" for k, (a, b) in changes.items())
                flows = found.setdefault((staged.device, what), [])
                if staged.flow not in flows:
                    flows.append(staged.flow)
    return [
        f"{device} ({', '.join(flows)}): captured in another environment than the approved "
        f"screenshots ({what}); pass --accept-environment to approve them anyway"
        for (device, what), flows in found.items()
    ]
