"""`guideshot locate`: the targets a person could write for the elements showing some words,
on the emulated phone, each verified to match exactly one visible element."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import sync_playwright

from harness.capture.browser import choose_browser, launch
from harness.capture.candidates import Candidate, read_candidates, resembles
from harness.capture.devices import DEFAULT_LOCALE, resolve_device
from harness.capture.perform import NAVIGATION_TIMEOUT_MS
from harness.capture.proposals import proposals_for
from harness.scenario import Target

_ORDER = ("role", "label", "placeholder", "text", "alt", "title", "css")


@dataclass(frozen=True)
class Found:
    element: Candidate
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class Located:
    found: list[Found]
    language: str  # the page's own (<html lang>), "" when it does not say
    asked: str  # the language the phone asks pages for (its locale)


def locate_text(
    url: str, text: str, device: str, browser_path: str | None, locale: str = DEFAULT_LOCALE
) -> Located:
    """Every visible element whose name, label, placeholder or text contains `text`, and
    the page's language: a site that translates itself answers the phone's, not the
    author's (Trac with Babel shows 「概要」 where a desktop browser shows "Summary")."""
    with sync_playwright() as playwright:
        profile = resolve_device(playwright, device, locale)
        choice = choose_browser(playwright, profile.preferred_engine, browser_path)
        browser = launch(playwright, choice)
        try:
            settings = profile.context_args()
            page = browser.new_context(**settings).new_page()
            page.goto(url, timeout=NAVIGATION_TIMEOUT_MS)
            # The smallest elements holding the words are candidates too, whatever their tag.
            elements = read_candidates(page.get_by_text(text))
            found = []
            for c in elements:
                if c.visible and c.role != "label" and resembles(c, text) == 1.0:
                    # The first (shortest) of each strategy: role, label, placeholder, text.
                    by_strategy = {
                        t.strategy: t for t in reversed(proposals_for(page, c, text, "role"))
                    }
                    targets = sorted(by_strategy.values(), key=lambda t: _ORDER.index(t.strategy))
                    if targets:
                        found.append(Found(c, tuple(targets)))
            language = str(page.evaluate("() => document.documentElement.lang || ''"))
            return Located(found, language, str(settings.get("locale", "")))
        finally:
            browser.close()
