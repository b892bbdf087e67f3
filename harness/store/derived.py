"""Approved annotated pictures follow their record and the current scenario.

An approved step's `.png` is derived data: the approved `.raw.png`, the record beside it
and the drawing code determine it, and the record's annotation fields (masks, highlights,
ignores, swipe arrow, caption) follow the scenario as it is now, taken from the latest
capture of a screen judged the same. A picture whose record's stamp does not name exactly
these inputs is stale: it is drawn again from the approved raw capture and switched in with
its record (written aside, renamed: switch.py) under the baseline lock. The raw capture and
the record's screen fields (text, boxes, raw_sha256) stay as approved: re-deriving is not
approving.

Staleness costs one digest of the record and one SHA-256 of the picture per step; only a
stale step is decoded and drawn.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

from harness.annotate.png import annotation_inputs, draw_png
from harness.capture import AnnotationStamp, Box, CaptureRecord
from harness.store.captures import read_record, record_json
from harness.store.layout import flow_dir, work_root
from harness.store.lock import LockProblem, baseline_lock
from harness.store.switch import StepSwitch, SwitchError, apply

# The record's fields the scenario decides rather than the screen.
SCENARIO_FIELDS = ("masks", "highlights", "swipe", "ignores", "ignore_text", "caption")
# Those drawn in the picture, as a person calls them in the line saying it was re-drawn.
DRAWN = {"masks": "masks", "highlights": "highlights", "swipe": "swipe arrow"}
_BOXES = ("masks", "highlights", "ignores")
_SAME_WITHIN_PX = 1.0  # CSS px


@dataclass(frozen=True)
class Redraw:
    """What re-deriving one flow × device did: the pictures whose pixels changed, why, and
    the steps whose stale picture could not be re-drawn (one line each, naming the step)."""

    device: str
    flow: str
    pictures: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    def line(self) -> str | None:
        """One line for the console, or None when nothing was re-drawn."""
        if not self.pictures:
            return None
        count = len(self.pictures)
        noun = "picture" if count == 1 else "pictures"
        why = (
            f"for the scenario's {', '.join(self.reasons)}"
            if self.reasons
            else "to match their records and the drawing code"
        )
        return f"{self.device} {self.flow}: {count} {noun} re-drawn {why}"


def _moved(boxes: tuple[Box, ...], dx: float, dy: float) -> tuple[Box, ...]:
    if not (dx or dy):
        return boxes
    return tuple(b.model_copy(update={"x": b.x + dx, "y": b.y + dy}) for b in boxes)


def following(approved: CaptureRecord, current: CaptureRecord | None) -> CaptureRecord:
    """The approved record with the scenario's fields of `current` (a capture of the same
    screen under the scenario as it is now), boxes moved into the approved viewport when the
    two were scrolled differently; unstamped, ready to draw."""
    record = approved.model_copy(update={"annotation": None})
    if current is None:
        return record
    update: dict[str, object] = {name: getattr(current, name) for name in SCENARIO_FIELDS}
    dx = dy = 0.0
    if approved.scroll is not None and current.scroll is not None:
        dx = current.scroll[0] - approved.scroll[0]
        dy = current.scroll[1] - approved.scroll[1]
    for name in _BOXES:
        boxes = _moved(getattr(current, name), dx, dy)
        kept: tuple[Box, ...] = getattr(approved, name)
        # A box a fraction of a pixel off on a screen judged the same is the same box:
        # keeping it keeps the picture from being re-drawn on every run.
        update[name] = kept if _same_boxes(kept, boxes) else boxes
    return record.model_copy(update=update)


def _same_boxes(old: tuple[Box, ...], new: tuple[Box, ...]) -> bool:
    if len(old) != len(new):
        return False
    for a, b in zip(old, new, strict=True):
        edges = zip((a.x, a.y, a.width, a.height), (b.x, b.y, b.width, b.height), strict=True)
        if any(abs(p - q) > _SAME_WITHIN_PX for p, q in edges):
            return False
    return True


def _is_fresh(folder: Path, approved: CaptureRecord, target: CaptureRecord) -> bool:
    stamp = approved.annotation
    if stamp is None or stamp.inputs != annotation_inputs(target):
        return False
    try:
        return sha256((folder / approved.image).read_bytes()).hexdigest() == stamp.image_sha256
    except OSError:
        return False


def _where(record: CaptureRecord, folder: Path) -> str:
    return (
        f"{record.scenario_file}:{record.scenario_line}: step {record.number} "
        f"「{record.caption}」 ({folder / record.image})"
    )


def _records_in(folder: Path) -> dict[int, CaptureRecord]:
    """The readable approved records by step number (a damaged one is judge's and lint's
    to name: it is left as it is here)."""
    found: dict[int, CaptureRecord] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        record = read_record(path)
        if record is not None and record.image == f"{path.stem}.png":
            found[record.number] = record
    return found


def stale_steps(
    folder: Path, current: Mapping[int, CaptureRecord], steps: Collection[int] | None = None
) -> list[tuple[CaptureRecord, CaptureRecord]]:
    """(approved, to draw) for each approved step (of `steps`, when given) whose picture
    is stale."""
    stale = []
    for number, approved in _records_in(folder).items():
        if steps is not None and number not in steps:
            continue
        target = following(approved, current.get(number))
        if not _is_fresh(folder, approved, target):
            stale.append((approved, target))
    return stale


@dataclass(frozen=True)
class _Planned:
    switch: StepSwitch | None  # None: nothing on disk differs (only the stamp was missing)
    redrawn: bool  # the picture's pixels changed
    reasons: tuple[str, ...]


def _plan(folder: Path, approved: CaptureRecord, target: CaptureRecord) -> _Planned | str:
    """The files that make this step's picture follow `target`, or why it cannot be drawn."""
    try:
        raw = (folder / approved.raw_image).read_bytes()
    except OSError as exc:
        return f"{_where(approved, folder)}: its raw capture {approved.raw_image} {exc.strerror}"
    if sha256(raw).hexdigest() != approved.raw_sha256:
        return (
            f"{_where(approved, folder)}: its raw capture {approved.raw_image} is not the one "
            "its record names; restore it from git or approve the step again"
        )
    try:
        png = draw_png(raw, target)
    except (OSError, ValueError) as exc:
        return f"{_where(approved, folder)}: its raw capture cannot be drawn on ({exc})"
    stamp = AnnotationStamp(inputs=annotation_inputs(target), image_sha256=sha256(png).hexdigest())
    record = target.model_copy(update={"annotation": stamp})
    json_name = f"{Path(approved.image).stem}.json"
    wanted = {approved.image: png, json_name: record_json(record).encode("utf-8")}
    files = {}
    for name, data in wanted.items():
        try:
            same = (folder / name).read_bytes() == data
        except OSError:
            same = False
        if not same:
            files[name] = data
    reasons = tuple(
        said for name, said in DRAWN.items() if getattr(approved, name) != getattr(target, name)
    )
    where = f"{folder.parent.name}/{folder.name}/{approved.image}"
    switch = StepSwitch(folder, tuple(files), files, where) if files else None
    return _Planned(switch, approved.image in files, reasons)


def rederive_flow(
    root: Path,
    device: str,
    flow: str,
    current: Mapping[int, CaptureRecord] | None = None,
    *,
    action: str,
    steps: Collection[int] | None = None,
) -> Redraw:
    """Re-draw the approved pictures of `flow` on `device` that are stale for their record,
    the drawing code and `current` (by step number: captures of the same screens under the
    scenario as it is now); only those of `steps` when given (a screen that changed waits
    for approve). The lock is taken only when something is stale."""
    folder = flow_dir(root, device, flow)
    wanted = current or {}
    if not stale_steps(folder, wanted, steps):
        return Redraw(device, flow)
    try:
        with baseline_lock(root, action):
            # Read again under the lock: another writer may have changed the step meanwhile.
            planned: list[_Planned] = []
            problems: list[str] = []
            for approved, target in stale_steps(folder, wanted, steps):
                plan = _plan(folder, approved, target)
                if isinstance(plan, str):
                    problems.append(plan)
                else:
                    planned.append(plan)
            switches = [p.switch for p in planned if p.switch is not None]
            apply(work_root(root), switches)
    except LockProblem as exc:
        stale = stale_steps(folder, wanted, steps)
        lines = tuple(f"{_where(a, folder)}: not re-drawn: {exc}" for a, _ in stale)
        return Redraw(device, flow, problems=lines)
    except SwitchError as exc:
        return Redraw(device, flow, problems=(f"{folder}: pictures not re-drawn: {exc}",))
    redrawn = [p for p in planned if p.redrawn and p.switch is not None]
    reasons = dict.fromkeys(r for p in redrawn for r in p.reasons)
    return Redraw(
        device,
        flow,
        pictures=tuple(p.switch.label for p in redrawn if p.switch is not None),
        reasons=tuple(reasons),
        problems=tuple(problems),
    )


def staged_records(staging: Path, device: str, flow: str) -> dict[int, CaptureRecord]:
    """The latest captures' records of a flow × device (`.guideshot/current/`), by number."""
    return _records_in(flow_dir(staging, device, flow))
