"""Accepting staged captures as the approved screenshots, as one checked transaction.

Everything is checked before anything is touched: each selected staged flow must be
complete (its manifest lists every step the scenario had, each file with its hash) and
current (the approved images are still the ones it was compared with). Then each step's
three files are switched together (switch.py). Approved steps are removed only when a
whole flow is approved and the scenario no longer has them: never because a set is short.

The staged flows are read as untrusted (staged_read.py). What is written goes to
screenshots/<device>/<flow>/ of those checked folder names, and only there: its regular
files are read, replaced and removed; a link in its place refuses the flow, and a link or
folder inside it is left alone.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from harness.store import nofollow
from harness.store.layout import flow_dir, step_prefix
from harness.store.staged_read import FILE_LIMIT, CheckedFlow, read_staged
from harness.store.staging import StagingProblem
from harness.store.switch import Applied, StepSwitch, apply


@dataclass
class ApprovalPlan:
    switches: list[StepSwitch] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # label → added | replaced | removed
    problems: list[str] = field(default_factory=list)


@contextmanager
def _flow_folder(baseline: Path, device: str, flow: str) -> Iterator[int]:
    """screenshots/<device>/<flow>/, opened without following a link at either level."""
    with (
        nofollow.given(baseline) as root,
        nofollow.folder(device, root) as device_handle,
        nofollow.folder(flow, device_handle) as handle,
    ):
        yield handle


@dataclass(frozen=True)
class _Approved:
    """The regular files of one approved flow folder (links and folders in it left alone)."""

    baseline: Path
    device: str
    flow: str
    names: frozenset[str]

    def step(self, number: int) -> list[str]:
        """Step `number`'s files (any caption): NN-<caption>.{raw.png,png,json}."""
        return sorted(name for name in self.names if name.startswith(step_prefix(number)))

    def read(self, name: str) -> bytes | None:
        if name not in self.names:
            return None
        with _flow_folder(self.baseline, self.device, self.flow) as handle:
            return nofollow.read_regular(handle, name, FILE_LIMIT)

    def sha256(self, name: str) -> str | None:
        data = self.read(name)
        return None if data is None else hashlib.sha256(data).hexdigest()


def _approved(baseline: Path, device: str, flow: str) -> _Approved:
    names: list[str] = []
    try:
        with _flow_folder(baseline, device, flow) as handle:
            names = [name for name, mode in nofollow.entries(handle) if stat.S_ISREG(mode)]
    except FileNotFoundError:
        pass  # a flow or device approved for the first time
    return _Approved(baseline, device, flow, frozenset(names))


def _plan_flow(
    plan: ApprovalPlan, staged: CheckedFlow, baseline: Path, steps: Sequence[int]
) -> None:
    # The destination comes from the baseline's layout and the checked folder names alone.
    target = flow_dir(baseline, staged.device, staged.flow)
    where = f"{staged.device}/{staged.flow}"
    missing = sorted(set(steps) - {s.number for s in staged.steps})
    if missing:
        plan.problems.append(f"{where}: no staged capture for step {missing[0]}")
        return
    try:
        _plan_steps(plan, staged, _approved(baseline, staged.device, staged.flow), target, steps)
    except OSError as exc:
        plan.problems.append(
            f"{target}: {exc.strerror or exc}; approve reads and writes only real folders and "
            "regular files there"
        )


def _plan_steps(
    plan: ApprovalPlan,
    staged: CheckedFlow,
    approved: _Approved,
    target: Path,
    steps: Sequence[int],
) -> None:
    where = f"{staged.device}/{staged.flow}"
    chosen = [s for s in staged.steps if not steps or s.number in steps]
    for step in chosen:
        now = approved.sha256(step.raw_image)
        # Already this capture (an approve interrupted half way) is current, not stale.
        if now not in (step.baseline_raw_sha256, step.sha256[step.raw_image]):
            plan.problems.append(
                f"{where}/{step.image}: the approved screenshot changed since this capture was "
                "staged (approved or edited since); run `guideshot check` again"
            )
            return
    for step in chosen:
        new = {name: staged.files[name] for name in (step.raw_image, step.image, step.record)}
        old = approved.step(step.number)
        if sorted(old) == sorted(new) and all(approved.read(n) == d for n, d in new.items()):
            continue
        label = f"{where}/{step.image}"
        plan.switches.append(StepSwitch(target, tuple(old), new, label))
        plan.kinds[label] = "replaced" if old else "added"
    if steps:
        return
    kept = {name for step in staged.steps for name in (step.raw_image, step.image, step.record)}
    numbers = set(staged.manifest.expected_steps)
    for name in sorted(approved.names - kept):
        if name[:2].isdigit() and int(name[:2]) in numbers and not name.startswith("."):
            continue  # the step's old files: its switch above takes them away
        label = f"{where}/{name}"
        plan.switches.append(StepSwitch(target, (name,), {}, label))
        plan.kinds[label] = "removed"


def plan_approval(
    staged: Sequence[Path],
    baseline: Path,
    steps: Sequence[int],
    chosen: Mapping[tuple[str, str], Sequence[int]] | None = None,
) -> ApprovalPlan:
    """Plan from staged flow folders (`<root>/<device>/<flow>`), each read as untrusted.

    `steps` selects the same step numbers in every folder; `chosen` instead names them per
    (device, flow) — a group of steps across flows — and a folder it does not name is left
    out."""
    plan = ApprovalPlan()
    for folder in staged:
        try:
            checked = read_staged(folder)
        except StagingProblem as problem:
            plan.problems.append(str(problem))
            continue
        wanted = steps
        if chosen is not None:
            numbers = chosen.get((checked.device, checked.flow))
            if not numbers:
                continue
            wanted = numbers
        _plan_flow(plan, checked, baseline, wanted)
    return plan


def carry_out(plan: ApprovalPlan, work: Path, on_done: Callable[[StepSwitch], None]) -> Applied:
    return apply(work, plan.switches, on_done)
