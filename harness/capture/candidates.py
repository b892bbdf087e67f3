"""What on the page a target could mean: every candidate, read in one evaluation.

A failure message lists these (role, accessible name and where it comes from, visible or
hidden, position) instead of quoting Playwright, and proposals are made from them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Locator, Page

from harness.capture import Box
from harness.scripts import read_script

_CANDIDATES_JS = read_script("candidates.js")


@dataclass(frozen=True)
class Candidate:
    index: int  # place in document order, to tell elements apart across evaluations
    match: int  # its place among the failing locator's matches; -1 when not matched
    role: str
    name: str
    source: str  # where the name comes from: aria-label, label element, content, …
    visible: bool
    box: Box
    label: str  # a form field's <label> text
    placeholder: str
    title: str  # its title attribute (a tooltip), often an icon's only words
    text: str  # its visible text, when short
    css: str  # a unique selector, only for elements without a name
    container: tuple[str, str] | None  # nearest named container: (role, name)
    before: str  # for a field nothing names: the words just before it on the page

    def describe(self) -> str:
        what = (
            f"{self.role} 「{self.name}」 (name from {self.source})"
            if self.name
            else f"{self.role}, no accessible name"
        )
        if self.title and self.title != self.name:
            what += f", title 「{self.title}」"
        if self.before:
            what += f", after the words 「{self.before}」"
        b = self.box
        state = "visible" if self.visible else "hidden"
        return f"{what}, {state} at {b.x:.0f},{b.y:.0f} {b.width:.0f}×{b.height:.0f}"


def read_candidates(scope: Page | Locator) -> list[Candidate]:
    """Every nameable element (and whatever `scope` matches, when it is a locator)."""
    if isinstance(scope, Locator):
        raw: list[dict[str, Any]] = scope.evaluate_all(_CANDIDATES_JS)
    else:
        raw = scope.evaluate(_CANDIDATES_JS, [])
    return [_candidate(item) for item in raw]


def _candidate(item: dict[str, Any]) -> Candidate:
    container = item["container"]
    return Candidate(
        index=int(item["index"]),
        match=int(item["match"]),
        role=str(item["role"]),
        name=str(item["name"]),
        source=str(item["source"]),
        visible=bool(item["visible"]),
        box=Box(x=item["x"], y=item["y"], width=item["width"], height=item["height"]),
        label=str(item["label"]),
        placeholder=str(item["placeholder"]),
        title=str(item["title"]),
        text=str(item["text"]),
        css=str(item["css"]),
        container=(str(container[0]), str(container[1])) if container else None,
        before=str(item["before"]),
    )


def words_of(candidate: Candidate) -> tuple[str, ...]:
    return tuple(
        w
        for w in (
            candidate.name,
            candidate.label,
            candidate.placeholder,
            candidate.title,
            candidate.text,
            candidate.before,
        )
        if w
    )


def resembles(candidate: Candidate, wanted: str) -> float:
    """How much the candidate's words look like the wanted ones: 1 when they contain them."""
    want = " ".join(wanted.lower().split())
    if not want:
        return 0.0
    best = 0.0
    for words in words_of(candidate):
        have = words.lower()
        if want in have:
            return 1.0
        best = max(best, difflib.SequenceMatcher(None, want, have).ratio())
    return best


def relevant(candidates: list[Candidate], wanted: str, role: str | None) -> list[Candidate]:
    """The candidates a person may have meant: the locator's matches first, then those whose
    words contain or resemble the wanted ones, then unnamed elements of the wanted role (an
    icon button has no words to resemble)."""
    matched = sorted((c for c in candidates if c.match >= 0), key=lambda c: c.match)
    rest = [c for c in candidates if c.match < 0]
    scored = sorted(((resembles(c, wanted), c) for c in rest), key=lambda pair: -pair[0])
    alike = [c for score, c in scored if score >= 0.6]
    unnamed = [c for c in rest if role is not None and c.role == role and not c.name]
    seen: set[int] = set()
    out = []
    for c in (*matched, *alike, *unnamed):
        if c.index not in seen:
            seen.add(c.index)
            out.append(c)
    return out
