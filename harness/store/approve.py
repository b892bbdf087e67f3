"""Accepting staged captures as the approved screenshots, as one checked transaction.

Everything is checked before anything is touched: each selected staged flow must be
complete (its manifest lists every step the scenario had, each file with its hash) and
current (the approved images are still the ones it was compared with). Then each step's
three files are switched together (switch.py). Approved steps are removed only when a
whole flow is approved and the scenario no longer has them: never because a set is short.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness.store.layout import flow_dir, step_prefix
from harness.store.staging import StagedFlow, StagingProblem, read_staged, sha256_of
from harness.store.switch import Applied, StepSwitch, apply


@dataclass
class ApprovalPlan:
    switches: list[StepSwitch] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # label → added | replaced | removed
    problems: list[str] = field(default_factory=list)


def _step_files(folder: Path, number: int) -> list[str]:
    """The approved files of step `number` (any caption): NN-<caption>.{raw.png,png,json}."""
    if not folder.is_dir():
        return []
    prefix = step_prefix(number)
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.name.startswith(prefix))


def _plan_flow(
    plan: ApprovalPlan, staged_dir: Path, manifest: StagedFlow, baseline: Path, steps: Sequence[int]
) -> None:
    target = flow_dir(baseline, manifest.device, manifest.flow)
    where = f"{manifest.device}/{manifest.flow}"
    chosen = [s for s in manifest.steps if not steps or s.number in steps]
    missing = sorted(set(steps) - {s.number for s in manifest.steps})
    if missing:
        plan.problems.append(f"{where}: no staged capture for step {missing[0]}")
        return
    for step in chosen:
        now = sha256_of(target / step.raw_image)
        # Already this capture (an approve interrupted half way) is current, not stale.
        if now not in (step.baseline_raw_sha256, step.sha256[step.raw_image]):
            plan.problems.append(
                f"{where}/{step.image}: the approved screenshot changed since this capture was "
                "staged (approved or edited since); run `guideshot check` again"
            )
            return
    for step in chosen:
        names = (step.raw_image, step.image, step.record)
        new = {name: (staged_dir / name).read_bytes() for name in names}
        old = _step_files(target, step.number)
        if sorted(old) == sorted(names) and all(
            (target / name).read_bytes() == data for name, data in new.items()
        ):
            continue
        label = f"{where}/{step.image}"
        plan.switches.append(StepSwitch(target, tuple(old), new, label))
        plan.kinds[label] = "replaced" if old else "added"
    if steps:
        return
    kept = {name for step in manifest.steps for name in (step.raw_image, step.image, step.record)}
    if target.is_dir():
        stale = sorted(p.name for p in target.iterdir() if p.is_file() and p.name not in kept)
        numbers = set(manifest.expected_steps)
        for name in stale:
            if name[:2].isdigit() and int(name[:2]) in numbers and not name.startswith("."):
                continue  # the step's old files: its switch above takes them away
            label = f"{where}/{name}"
            plan.switches.append(StepSwitch(target, (name,), {}, label))
            plan.kinds[label] = "removed"


def plan_approval(staged: Sequence[Path], baseline: Path, steps: Sequence[int]) -> ApprovalPlan:
    plan = ApprovalPlan()
    for folder in staged:
        try:
            manifest = read_staged(folder)
        except StagingProblem as problem:
            plan.problems.append(str(problem))
            continue
        _plan_flow(plan, folder, manifest, baseline, steps)
    return plan


def carry_out(plan: ApprovalPlan, work: Path, on_done: Callable[[StepSwitch], None]) -> Applied:
    return apply(work, plan.switches, on_done)
