"""Targets to Playwright locators, found the way a user sees the screen, and near misses.

Role and accessible name first, then label, visible text, placeholder, alt text, title;
CSS only as a last resort. When a target is not found, `closest_candidates` names what is
on the screen instead, so the failure message says what to fix.
"""

from __future__ import annotations

import difflib
from typing import Any

from playwright.sync_api import Locator, Page

from harness.scenario import Target
from harness.scripts import read_script


def to_locator(page: Page, target: Target) -> Locator:
    scope: Page | Locator = page
    if target.within is not None:
        scope = to_locator(page, target.within)
    exact = target.exact
    locator: Locator
    if target.role is not None:
        kwargs: dict[str, Any] = {}
        if target.name is not None:
            kwargs = {"name": target.name, "exact": exact}
        locator = scope.get_by_role(target.role, **kwargs)
    elif target.label is not None:
        locator = scope.get_by_label(target.label, exact=exact)
    elif target.text is not None:
        locator = scope.get_by_text(target.text, exact=exact)
    elif target.placeholder is not None:
        locator = scope.get_by_placeholder(target.placeholder, exact=exact)
    elif target.alt is not None:
        locator = scope.get_by_alt_text(target.alt, exact=exact)
    elif target.title is not None:
        locator = scope.get_by_title(target.title, exact=exact)
    elif target.css is not None:
        locator = scope.locator(target.css)
    else:  # the scenario model guarantees one strategy; keep mypy and readers sure
        raise ValueError(f"target has no strategy: {target.describe()}")
    if target.nth is not None:
        locator = locator.nth(target.nth)
    return locator


def wanted_words(target: Target) -> str:
    """The words a person would look for on the screen."""
    for value in (target.name, target.label, target.text, target.placeholder, target.alt):
        if value:
            return value
    return target.title or target.css or target.role or ""


_NAMES_JS = read_script("screen_names.js")


def closest_candidates(page: Page, target: Target, limit: int = 3) -> list[str]:
    try:
        names: list[str] = page.evaluate(_NAMES_JS)
    except Exception:  # the page may be gone (navigation, crash): no candidates then
        return []
    wanted = wanted_words(target)

    def similarity(entry: str) -> float:
        shown = entry.split("「", 1)[-1].rstrip("」")
        return difflib.SequenceMatcher(None, wanted, shown).ratio()

    ranked = sorted(names, key=similarity, reverse=True)
    return [entry for entry in ranked[:limit] if similarity(entry) > 0.2]
