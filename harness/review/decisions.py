"""What a reviewer decided, step by step, carried out through the transactional approve.

Each Approve plans from the report's captures exactly as `approve --from` does (stale or
short sets refused) and switches each step whole (store/switch.py), under the baseline lock
(store/lock.py), as `approve` does. Before switching, the files a step replaces are kept in
memory, and after it, the hash of every file it wrote. Undo is compare-and-swap: under the
lock, it puts the old files back only if every step is still exactly what the approval
wrote; if anything changed since (a later `approve`, an edit), it refuses and changes
nothing, so it never destroys a later approval. Reject changes no file: the approved
screenshot stays. Decisions live as long as the server; the baseline itself is the record
of what was approved.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from harness.errors import PlainError
from harness.store.approve import plan_approval
from harness.store.layout import flow_dir
from harness.store.lock import LockProblem, baseline_lock
from harness.store.staging import StagingProblem, read_staged, staged_folders
from harness.store.switch import StepSwitch, SwitchError, apply


class Decision(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ReviewRefused(PlainError):
    """An approval that cannot be carried out: one line naming why (nothing changed)."""


StepKey = tuple[str, str, int]  # (device, flow, number)


@dataclass(frozen=True)
class _Undo:
    """How to undo one step's switch, and what the step must still be for that to be safe."""

    inverse: StepSwitch  # puts back the files the approval replaced
    written: dict[str, str | None]  # each name it touched → sha256 it left, None: absent


@dataclass
class _Approval:
    steps: list[StepKey]
    undo: list[_Undo]  # in the order to apply them


@dataclass
class Review:
    captures: Path  # the report's captures/ folder
    baseline: Path
    work: Path  # .guideshot/ beside the baseline (transaction folders)
    decisions: dict[StepKey, Decision] = field(default_factory=dict)
    _history: list[_Approval] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        # Only what the checked reader accepts can be approved (open_report refused a report
        # holding anything else): a request naming any other device or flow is refused.
        try:
            folders = staged_folders(self.captures, (), ())
        except StagingProblem:
            return
        for folder in folders:
            try:
                staged = read_staged(folder)
            except StagingProblem:
                continue
            for step in staged.steps:
                self.decisions[(staged.device, staged.flow, step.number)] = Decision.PENDING

    def approvable(self, device: str, flow: str) -> list[int]:
        return sorted(n for (d, f, n) in self.decisions if (d, f) == (device, flow))

    @property
    def can_undo(self) -> bool:
        return bool(self._history)

    def _chosen(self, device: str, flow: str, step: int | None) -> list[StepKey]:
        numbers = self.approvable(device, flow)
        if step is not None:
            if step not in numbers:
                raise ReviewRefused(f"{device}/{flow}: the report has no capture of step {step}")
            numbers = [step]
        if not numbers:
            raise ReviewRefused(f"{device}/{flow}: the report carries no captures to approve")
        return [(device, flow, number) for number in numbers]

    def approve(self, device: str, flow: str, step: int | None) -> list[str]:
        """Switch the chosen steps in; the labels of the files replaced or added."""
        with self._lock:
            chosen = self._chosen(device, flow, step)
            folders = [flow_dir(self.captures, device, flow)]
            return self._approve(chosen, folders, [step] if step is not None else [], None)

    def approve_steps(self, keys: Sequence[StepKey]) -> list[str]:
        """Switch in the steps of one change, across flows and devices, as one approval (one
        Undo puts all of them back); the labels of the files replaced or added."""
        with self._lock:
            chosen = self._carried(keys)
            by_flow: dict[tuple[str, str], list[int]] = {}
            for device, flow, number in chosen:
                by_flow.setdefault((device, flow), []).append(number)
            # Folder names from the checked captures (the decisions' keys), never the request.
            folders = [flow_dir(self.captures, device, flow) for device, flow in by_flow]
            return self._approve(chosen, folders, [], by_flow)

    def _carried(self, keys: Sequence[StepKey]) -> list[StepKey]:
        chosen = [key for key in keys if key in self.decisions]
        if not chosen:
            raise ReviewRefused("the report carries no captures of this change's steps")
        return chosen

    def _approve(
        self,
        chosen: list[StepKey],
        folders: list[Path],
        steps: list[int],
        by_flow: dict[tuple[str, str], list[int]] | None,
    ) -> list[str]:
        with self._baseline_locked():  # the staleness check and the switch, as one
            plan = plan_approval(folders, self.baseline, steps, by_flow)
            if plan.problems:
                raise ReviewRefused(plan.problems[0])
            inverses = [_inverse(switch) for switch in plan.switches]
            try:
                applied = apply(self.work, plan.switches)
            except SwitchError as exc:
                raise ReviewRefused(f"{exc}; nothing was approved") from exc
        # apply switches in order: what it did is the plan's first len(done) steps.
        done = list(zip(applied.done, inverses, strict=False))
        if done:
            undo = [_Undo(inverse, _written(switch)) for switch, inverse in reversed(done)]
            self._history.append(_Approval(chosen, undo))
        for key in chosen:
            self.decisions[key] = Decision.APPROVED
        return [switch.label for switch in applied.done]

    def reject(self, device: str, flow: str, step: int | None) -> list[StepKey]:
        with self._lock:
            return self._reject(self._chosen(device, flow, step))

    def reject_steps(self, keys: Sequence[StepKey]) -> list[StepKey]:
        with self._lock:
            return self._reject(self._carried(keys))

    def _reject(self, chosen: list[StepKey]) -> list[StepKey]:
        for key in chosen:
            if self.decisions[key] is not Decision.APPROVED:  # undo reverts an approval
                self.decisions[key] = Decision.REJECTED
        return chosen

    def undo(self) -> list[str]:
        """Put back what the last approval replaced, if nothing changed it since; the labels
        restored. All of its steps or none."""
        with self._lock:
            if not self._history:
                raise ReviewRefused("nothing to undo: no approval was made in this review")
            last = self._history[-1]
            with self._baseline_locked():  # the comparison and the swap, as one
                for entry in last.undo:
                    change = _later_change(entry)
                    if change is not None:
                        raise ReviewRefused(
                            f"{entry.inverse.label} changed since this review approved it "
                            f"({change}); nothing was undone"
                        )
                try:
                    apply(self.work, [entry.inverse for entry in last.undo])
                except SwitchError as exc:
                    raise ReviewRefused(f"{exc}; the approval stays") from exc
            self._history.pop()
            for key in last.steps:
                self.decisions[key] = Decision.PENDING
            return [entry.inverse.label for entry in last.undo]

    @contextmanager
    def _baseline_locked(self) -> Iterator[None]:
        """The baseline lock, as `approve` takes it; busy is a refusal, not an error."""
        try:
            with baseline_lock(self.baseline, "review"):
                yield
        except LockProblem as exc:
            raise ReviewRefused(str(exc)) from exc


def _inverse(switch: StepSwitch) -> StepSwitch:
    """The switch that puts back what `switch` replaces (read now, before it runs)."""
    old = {
        name: (switch.folder / name).read_bytes()
        for name in switch.remove
        if (switch.folder / name).is_file()
    }
    return StepSwitch(switch.folder, tuple(switch.add), old, switch.label)


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _written(switch: StepSwitch) -> dict[str, str | None]:
    """What `switch` left in its folder: every name it took away absent, every file it
    added with its hash."""
    written: dict[str, str | None] = dict.fromkeys(switch.remove)
    written.update({name: hashlib.sha256(data).hexdigest() for name, data in switch.add.items()})
    return written


def _later_change(entry: _Undo) -> str | None:
    """How the step differs now from what the approval left, or None if it does not."""
    folder = entry.inverse.folder
    for name, expected in entry.written.items():
        now = _sha256(folder / name)
        if now == expected:
            continue
        if expected is None:
            return f"{name} was added"
        return f"{name} was removed" if now is None else f"{name} was replaced"
    return None


def step_key(device: str, flow: str, number: int) -> str:
    return f"{device}/{flow}/{number}"


def state(review: Review, keys: Sequence[StepKey] | None = None) -> dict[str, object]:
    """What the page shows: every step's decision and whether Undo has anything to do."""
    chosen = keys if keys is not None else list(review.decisions)
    return {
        "decisions": {step_key(*key): review.decisions[key].value for key in chosen},
        "can_undo": review.can_undo,
    }
