"""Line diff of a screen's visible text: what a reader of the guide would notice changed.

Blank lines and trailing spaces are layout noise in `innerText`, so they are dropped before
comparing; line numbers still refer to the original text. Replaced lines are paired with
their most similar counterpart, so a renamed button reads as one change, not a removal and
an addition.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Kind = Literal["added", "removed", "changed"]

# below this similarity two replaced lines are reported as a removal and an addition
PAIRING_CUTOFF = 0.5


@dataclass(frozen=True)
class LineChange:
    kind: Kind
    old: str | None  # the baseline's line (None when added)
    new: str | None  # the current line (None when removed)
    old_line: int | None  # 1-based line number in the baseline text
    new_line: int | None  # 1-based line number in the current text

    def describe(self) -> str:
        """One line for a report, e.g. `changed line 3: 'ログイン' → 'サインイン'`."""
        if self.kind == "added":
            return f"added line {self.new_line}: {self.new!r}"
        if self.kind == "removed":
            return f"removed line {self.old_line}: {self.old!r}"
        return f"changed line {self.new_line}: {self.old!r} → {self.new!r}"


@dataclass(frozen=True)
class _Line:
    number: int
    text: str


def diff_lines(old: str, new: str) -> list[LineChange]:
    """Changes from `old` to `new`, in reading order; empty when the texts agree."""
    a, b = _lines(old), _lines(new)
    matcher = difflib.SequenceMatcher(None, [x.text for x in a], [x.text for x in b], False)
    changes: list[LineChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changes.extend(_pair(a[i1:i2], b[j1:j2]))
    return changes


def _lines(text: str) -> list[_Line]:
    return [
        _Line(n, line.rstrip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()
    ]


def _pair(old: Sequence[_Line], new: Sequence[_Line]) -> list[LineChange]:
    """Pair the most similar old/new lines, then recurse on either side (keeps order)."""
    best = _most_similar(old, new)
    if best is None:
        return [_removed(x) for x in old] + [_added(y) for y in new]
    i, j = best
    changed = LineChange("changed", old[i].text, new[j].text, old[i].number, new[j].number)
    return [*_pair(old[:i], new[:j]), changed, *_pair(old[i + 1 :], new[j + 1 :])]


def _most_similar(old: Sequence[_Line], new: Sequence[_Line]) -> tuple[int, int] | None:
    best, best_ratio = None, PAIRING_CUTOFF
    for i, x in enumerate(old):
        for j, y in enumerate(new):
            matcher = difflib.SequenceMatcher(None, x.text, y.text, False)
            if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
                continue  # cheap upper bounds first, as difflib.Differ does
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = (i, j), ratio
    if best is None and len(old) == len(new) == 1:
        return (0, 0)  # a single line replaced by a single line is one change, however different
    return best


def _removed(x: _Line) -> LineChange:
    return LineChange("removed", x.text, None, x.number, None)


def _added(y: _Line) -> LineChange:
    return LineChange("added", None, y.text, None, y.number)


IGNORED = "…"  # stands in for the part of a line an ignore_text pattern matched


def scrub(text: str, patterns: Sequence[str]) -> str:
    """`text` with what each pattern matches, line by line, replaced by …: the rest of the
    line is still compared ('Queries took [0-9.]+ ?ms' keeps 'Powered by Datasette ·')."""
    if not patterns:
        return text
    compiled = [re.compile(p) for p in patterns]
    lines = []
    for line in text.split("\n"):
        for pattern in compiled:
            line = pattern.sub(IGNORED, line)
        lines.append(line)
    return "\n".join(lines)


def summary(changes: Sequence[LineChange]) -> str:
    """The changes in one phrase, e.g. `1 line changed, 2 added` or `no text changes`."""
    counts = [
        (kind, n)
        for kind in ("changed", "added", "removed")
        if (n := sum(c.kind == kind for c in changes))
    ]
    if not counts:
        return "no text changes"
    (kind, n), *rest = counts
    head = f"{n} {'line' if n == 1 else 'lines'} {kind}"
    return ", ".join([head, *(f"{n} {kind}" for kind, n in rest)])
