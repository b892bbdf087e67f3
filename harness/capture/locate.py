"""Targets to Playwright locators, found the way a user sees the screen, and near misses.

Role and accessible name first, then label, visible text, placeholder, alt text, title;
CSS only as a last resort. When a target is not found, `closest_candidates` names what is
on the screen instead, so the failure message says what to fix.
"""

from __future__ import annotations

import difflib
from typing import Any

from playwright.sync_api import Locator, Page

from harness.capture import Box
from harness.capture.results import ScreenElement
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


def screen_elements(page: Page) -> list[ScreenElement]:
    try:
        found: list[tuple[str, str, float, float, float, float]] = page.evaluate(_NAMES_JS)
    except Exception:  # the page may be gone (navigation, crash): nothing to name then
        return []
    return [
        ScreenElement(role, name, Box(x=x, y=y, width=w, height=h))
        for role, name, x, y, w, h in found
    ]


def closest(elements: list[ScreenElement], target: Target, limit: int = 3) -> list[str]:
    """The names on the screen most like the words the target looks for."""
    wanted = wanted_words(target)

    def similarity(element: ScreenElement) -> float:
        return difflib.SequenceMatcher(None, wanted, element.name).ratio()

    ranked = sorted(elements, key=similarity, reverse=True)
    return [e.describe() for e in ranked[:limit] if similarity(e) > 0.2]


def closest_candidates(page: Page, target: Target, limit: int = 3) -> list[str]:
    return closest(screen_elements(page), target, limit)
