"""One line per change: the steps of a check whose differences are the same, grouped.

Renaming a site's header changes every step on both phones; a reader wants to hear that
once, with the steps it touched, and to approve it with one decision. Pure: a CheckReport in,
groups out, in report order, each with a stable id (a digest of what changed, so the same
change has the same id in the console, every report format and `approve --group`).

Grouping is per difference, not per step: a step whose header was renamed and whose button
moved joins the header's group and has its own line for the button. What counts as the same:

- a text change: the same old → new line (or the same line added, or gone); each line of
  a step's text diff is its own difference. Lines no other step shares stay together as the
  step's own line, so a page rewritten throughout is one line, not one per line;
- a moved or resized element, a changed label, a broken step, an unreadable baseline, a
  changed environment: the same sentence once the step's own number is taken out of it (it
  names the element and its old and new box, the old and new label, the fields);
- pixels: the same count in the same areas. Pixels that differ on a step with any other
  difference are what that difference drew, so they join no group of their own;
- a failing step without any difference (a new step): the same status.

Approving a group approves its steps whole, so a step in two groups is approved by either.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from harness.drift.verdict import (
    CheckReport,
    Difference,
    DifferenceKind,
    StepStatus,
    StepVerdict,
    TextChange,
)
from harness.errors import PlainError
from harness.numbering import circled
from harness.store.names import is_device_name, is_flow_id, shown

# A step that passes (the same screen, or rendering noise a second capture did not repeat)
# holds no change to approve.
PASSING = frozenset({"match", "noise"})
ID_LENGTH = 10  # hex digits of the signature's sha256: short to type, no clash in practice
SHOWN_OWN_CHANGES = 2  # a step's own text changes named in its line before "and N more"

# "step ④: …", "step ④ was not reached: …", "step ④ 「…」 is approved but …"
_STEP_PREFIX = re.compile(r"^step \S+?(?::\s+|\s+)")

# The status of a failing step that has no difference to tell (a new step, say).
_BARE = {
    StepStatus.NEW: "no approved screenshot yet",
    StepStatus.DRIFT: "the screen differs from the approved screenshot",
    StepStatus.BROKEN: "the step could not be performed",
    StepStatus.REMOVED: "the scenario no longer produces this approved step",
    StepStatus.UNREADABLE: "the approved screenshot cannot be read",
    StepStatus.ENVIRONMENT: "the rendering environment differs from the approved one",
}

_TEXT = DifferenceKind.TEXT_CHANGED.value
# Differences that change pixels themselves: pixels on a step with one of these are its doing.
_DRAWING = frozenset(
    {DifferenceKind.TEXT_CHANGED, DifferenceKind.ELEMENT_MOVED, DifferenceKind.LABEL_CHANGED}
)
EditionLabel = Callable[[str], str]  # device → how the printed edition is named ("Android")


@dataclass(frozen=True)
class ChangeGroup:
    """One change and every step it was found on, in report order."""

    id: str
    kind: str  # a DifferenceKind's value, or a bare status ("new")
    what: str  # the change itself: 「X」 is now 「Y」
    steps: tuple[StepVerdict, ...]

    def sentence(self, edition: EditionLabel) -> str:
        """「X」 is now 「Y」 on 24 steps: Android p.3 ①–p.5 ④, iPhone p.3 ①–p.5 ④"""
        count = len(self.steps)
        return f"{self.what} on {count} step{'s' if count != 1 else ''}: " + where(
            self.steps, edition
        )

    def members(self) -> list[tuple[str, str, int]]:
        """(device, flow, number) of each numbered step."""
        return [(s.device, s.flow, s.number) for s in self.steps if s.number is not None]


@dataclass(frozen=True)
class _Unit:
    """One difference of one step: its grouping signature and how it reads."""

    signature: tuple[str, ...]
    kind: str
    what: str


def without_step(sentence: str) -> str:
    """A difference's sentence without the step it was said of (the same on every step)."""
    return _STEP_PREFIX.sub("", sentence, count=1)


def describe_text(change: TextChange) -> str:
    if change.kind == "added":
        return f"new line 「{change.new}」"
    if change.kind == "removed":
        return f"「{change.old}」 is gone"
    return f"「{change.old}」 is now 「{change.new}」"


def _text_signature(change: TextChange) -> tuple[str, ...]:
    return (DifferenceKind.TEXT_CHANGED.value, change.kind, change.old or "", change.new or "")


def _step_id(step: StepVerdict) -> str:
    return f"{step.device}/{step.flow}/{step.number}/{step.scenario_line}"


def _other_units(step: StepVerdict) -> list[_Unit]:
    """Every difference but the text lines; pixels only when nothing else explains them."""
    explained = any(d.kind in _DRAWING for d in step.differences)
    units = []
    for difference in step.differences:
        if difference.kind is DifferenceKind.TEXT_CHANGED and step.text_changes:
            continue  # grouped line by line
        if difference.kind is DifferenceKind.PIXELS_CHANGED and explained:
            continue
        what = without_step(difference.sentence)
        units.append(_Unit((difference.kind.value, what), difference.kind.value, what))
    if not step.differences:
        what = _BARE.get(step.status, step.status.value)
        units.append(_Unit((step.status.value, what), step.status.value, what))
    return units


def _own_text(changes: Sequence[TextChange]) -> _Unit:
    """The text changes no other step shares, as the step's one own line (a single one keeps
    the signature it has when shared, so its id does not depend on the other steps)."""
    if len(changes) == 1:
        return _Unit(_text_signature(changes[0]), _TEXT, describe_text(changes[0]))
    shown = "; ".join(describe_text(c) for c in changes[:SHOWN_OWN_CHANGES])
    rest = len(changes) - SHOWN_OWN_CHANGES
    what = f"{shown} and {rest} more line{'s' if rest != 1 else ''}" if rest > 0 else shown
    signature = (_TEXT, "lines", *(part for c in changes for part in _text_signature(c)[1:]))
    return _Unit(signature, _TEXT, what)


def group_id(signature: tuple[str, ...]) -> str:
    text = json.dumps(signature, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:ID_LENGTH]


def group_changes(report: CheckReport) -> list[ChangeGroup]:
    """The changes of every step that does not match, one group per change, in the order
    they first appear in the report."""
    failing = [step for step in report.steps() if step.status.value not in PASSING]
    # Which text lines more than one step shares: those are grouped line by line.
    sharing: dict[tuple[str, ...], set[str]] = {}
    for step in failing:
        for change in step.text_changes:
            sharing.setdefault(_text_signature(change), set()).add(_step_id(step))
    order: dict[tuple[str, ...], _Unit] = {}
    members: dict[tuple[str, ...], list[StepVerdict]] = {}
    for step in failing:
        units = _other_units(step)
        shared = [c for c in step.text_changes if len(sharing[_text_signature(c)]) > 1]
        own = [c for c in step.text_changes if len(sharing[_text_signature(c)]) == 1]
        text_units = [
            _Unit(_text_signature(c), DifferenceKind.TEXT_CHANGED.value, describe_text(c))
            for c in shared
        ]
        if own:
            text_units.append(_own_text(own))
        for unit in [*text_units, *units]:
            order.setdefault(unit.signature, unit)
            steps = members.setdefault(unit.signature, [])
            if not steps or steps[-1] is not step:  # a line changed twice on one screen
                steps.append(step)
    return [
        ChangeGroup(group_id(signature), unit.kind, unit.what, tuple(members[signature]))
        for signature, unit in order.items()
    ]


def unshared_sentences(step: StepVerdict, groups: Sequence[ChangeGroup]) -> list[str]:
    """The step's own sentences for what no change of several steps already says: a text
    difference whose every line is shared is said, and so are pixels when everything that
    drew them is said. For a console that says each shared change once. A step that passes
    has none (its environment note is said once per run)."""
    if step.status.value in PASSING:
        return []
    shared = {g.id for g in groups_of(step, groups) if len(g.steps) > 1}

    def said(difference: Difference) -> bool:
        if difference.kind is DifferenceKind.TEXT_CHANGED and step.text_changes:
            return all(group_id(_text_signature(c)) in shared for c in step.text_changes)
        if difference.kind is DifferenceKind.PIXELS_CHANGED:
            drawers = [d for d in step.differences if d.kind in _DRAWING]
            return bool(drawers) and all(said(d) for d in drawers)
        return group_id((difference.kind.value, without_step(difference.sentence))) in shared

    return [d.sentence for d in step.differences if not said(d)]


def groups_of(step: StepVerdict, groups: Sequence[ChangeGroup]) -> list[ChangeGroup]:
    """The groups a step belongs to, in their order."""
    return [group for group in groups if any(s is step for s in group.steps)]


def where(steps: Sequence[StepVerdict], edition: EditionLabel) -> str:
    """The steps as a reader finds them: per edition, its pages and step numbers with runs
    compressed (Android p.3 ①–p.5 ④); a step on no page by its flow (login-userid ④)."""
    devices: dict[str, list[StepVerdict]] = {}
    for step in steps:
        devices.setdefault(step.device, []).append(step)
    parts = []
    for device, on_device in devices.items():
        paged = sorted(
            (s for s in on_device if device in s.guide_page),
            key=lambda s: s.guide_page[device],  # stable: report order within a page
        )
        unpaged = [s for s in on_device if device not in s.guide_page]
        runs = [*_runs(paged, device), *_runs(unpaged, device)]
        parts.append(f"{edition(device)} {', '.join(runs)}")
    return ", ".join(parts)


def _label(step: StepVerdict, device: str) -> tuple[str, str]:
    """(where the step is: 'p.3' or its flow, its number: '④')."""
    mark = circled(step.number) if step.number is not None else "–"
    page = step.guide_page.get(device)
    return (f"p.{page}" if page is not None else step.flow, mark)


def _runs(steps: Sequence[StepVerdict], device: str) -> list[str]:
    """Consecutive steps of one flow as one range: p.3 ①–p.5 ④, p.3 ①–③, login-userid ①–④."""
    runs: list[list[StepVerdict]] = []
    for step in steps:
        last = runs[-1][-1] if runs else None
        follows = (
            last is not None
            and last.flow == step.flow
            and last.number is not None
            and step.number == last.number + 1
        )
        if follows:
            runs[-1].append(step)
        else:
            runs.append([step])
    said = []
    for run in runs:
        (place, first), (end_place, last_mark) = _label(run[0], device), _label(run[-1], device)
        if len(run) == 1:
            said.append(f"{place} {first}")
        elif place == end_place:
            said.append(f"{place} {first}–{last_mark}")
        else:
            said.append(f"{place} {first}–{end_place} {last_mark}")
    return said


class GroupProblem(PlainError):
    """A group id the report does not have, or a group whose steps cannot be approved."""


def find_group(groups: Sequence[ChangeGroup], wanted: str) -> ChangeGroup:
    """The group with id `wanted`; else one line listing the ids there are."""
    for group in groups:
        if group.id == wanted:
            return group
    known = ", ".join(f"{g.id} ({g.kind}, {len(g.steps)} steps)" for g in groups)
    raise GroupProblem(
        f"no change has the group id {shown(wanted)}; "
        + (f"its changes: {known}" if known else "it found no change")
    )


def steps_by_flow(group: ChangeGroup) -> dict[tuple[str, str], list[int]]:
    """(device, flow) → the group's step numbers there, every name checked as a name the
    store writes: a report is untrusted, and these select folders under screenshots/."""
    chosen: dict[tuple[str, str], list[int]] = {}
    for device, flow, number in group.members():
        if not is_device_name(device) or not is_flow_id(flow):
            raise GroupProblem(
                f"group {group.id} names the step {shown(device)}/{shown(flow)}, which is no "
                "device and flow guideshot writes"
            )
        numbers = chosen.setdefault((device, flow), [])
        if number not in numbers:
            numbers.append(number)
    if not chosen:
        raise GroupProblem(f"group {group.id} has no numbered step to approve")
    return chosen
