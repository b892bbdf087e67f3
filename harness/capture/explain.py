"""Why a target did not resolve to one visible element, and what to write instead.

Read from the page at the moment of failure (never from Playwright's message, which cuts
lists short): how many elements the target matches and whether they are visible, every
candidate a person may have meant, and proposals verified to match exactly one visible
element.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from harness.capture.candidates import Candidate, read_candidates, relevant
from harness.capture.locate import to_locator, wanted_words
from harness.capture.proposals import best_proposal, target_yaml
from harness.scenario import Target

MAX_LISTED = 10
MAX_PROPOSALS = 3


@dataclass(frozen=True)
class Explanation:
    verdict: str | None  # None: the target resolves to one visible element; the failure is not
    lines: tuple[str, ...]  # the candidates and the proposals, indented for the message
    proposals: tuple[Target, ...]


def explain(page: Page, target: Target) -> Explanation | None:
    """None when the page cannot be read (gone, navigating, the browser closed)."""
    every_match = target.model_copy(update={"nth": None})
    try:
        candidates = read_candidates(to_locator(page, every_match))
    except PlaywrightError:
        return None
    matches = sorted((c for c in candidates if c.match >= 0), key=lambda c: c.match)
    verdict = _verdict(target, matches)
    if verdict is None:
        return Explanation(None, (), ())
    wanted = wanted_words(target)
    listed = relevant(candidates, wanted, target.role)
    ambiguous = target.nth is None and sum(c.visible for c in matches) > 1
    # A <label> is named by its control's words but is not what a step acts on: its
    # control is a candidate of its own.
    pool = [c for c in (matches if ambiguous else listed) if c.visible and c.role != "label"]
    proposals: list[tuple[Candidate, Target]] = []
    for c in pool:
        if len(proposals) == MAX_PROPOSALS:
            break
        found = best_proposal(page, c, wanted, target.strategy)
        if found is not None:
            proposals.append((c, found))
    return Explanation(verdict, _lines(target, listed, proposals), tuple(t for _, t in proposals))


def _verdict(target: Target, matches: list[Candidate]) -> str | None:
    total, shown = len(matches), sum(c.visible for c in matches)
    hidden = total - shown
    if total == 0:
        return "nothing on the page matches it"
    if target.nth is not None:
        if target.nth >= total:
            return f"nth={target.nth} asks for match {target.nth + 1}, but only {total} match"
        if not matches[target.nth].visible:
            return f"the element nth={target.nth} picks is hidden ({shown} of {total} visible)"
        return None
    if total > 1:
        return f"{total} elements match ({_counts(shown, hidden)}); a step needs exactly one"
    return None if shown else "its only match is hidden"


def _counts(shown: int, hidden: int) -> str:
    parts = (f"{shown} visible" if shown else "", f"{hidden} hidden" if hidden else "")
    return ", ".join(p for p in parts if p)


def _lines(
    target: Target, listed: list[Candidate], proposals: list[tuple[Candidate, Target]]
) -> tuple[str, ...]:
    if not listed:
        lines = [f"  nothing on the page looks like 「{wanted_words(target)}」"]
    else:
        lines = ["  on the page:"]
        for c in listed[:MAX_LISTED]:
            lines.append(f"    {c.describe()}{_matching(target, c)}")
        if len(listed) > MAX_LISTED:
            lines.append(f"    and {len(listed) - MAX_LISTED} more")
    if not proposals:
        lines.append(
            "  no target for a single visible element could be found; see "
            "`guideshot locate URL TEXT`"
        )
    for n, (c, proposal) in enumerate(proposals):
        lead = "  try: " if n == 0 else "  or:  "
        lines.append(f"{lead}{target_yaml(proposal)}{_for(c, len(proposals))}")
    return tuple(lines)


def _matching(target: Target, c: Candidate) -> str:
    if c.match < 0:
        return ""
    if target.nth is not None and c.match == target.nth:
        return f" — matches, picked by nth={target.nth}"
    return " — matches"


def _for(c: Candidate, many: int) -> str:
    """Which candidate a proposal points at, when there are several to choose from."""
    return f"  # {c.role} 「{c.name}」" if many > 1 and c.name else ""
