"""Device names a scenario may list: the guide's two phones, or any Playwright descriptor.

A flow runs on a device profile whose name or platform it lists (pipeline.plan_jobs), so a
name that is neither would make the flow run nowhere, silently. `android` and `iphone` are
known without asking; any other name is looked up in Playwright's descriptors, which starts
Playwright's driver once per process (no browser), and only when a scenario needs it.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor

PHONES = ("android", "iphone")  # the aliases, also the platforms any descriptor runs as


@functools.cache
def descriptor_names() -> frozenset[str] | None:
    """Playwright's device descriptor names, asked of its driver (no browser is launched);
    None when the driver cannot start (then names are checked when a run resolves them)."""

    # Imported here, not at the top: loading scenarios needs no Playwright otherwise.
    from playwright.sync_api import sync_playwright

    def read() -> frozenset[str]:
        with sync_playwright() as playwright:
            return frozenset(playwright.devices)

    # A thread of its own: the sync API refuses to start inside a running asyncio loop
    # (a pytest plugin collecting scenarios may be in one).
    with ThreadPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(read).result()
        except Exception:  # any failure of the driver means "cannot tell"
            return None


def nearest(name: str, known: Collection[str]) -> str | None:
    """The known name closest to a mistyped one, ignoring case; None if none is close."""
    by_folded = {candidate.casefold(): candidate for candidate in known}
    close = difflib.get_close_matches(name.casefold(), list(by_folded), n=1, cutoff=0.6)
    return by_folded[close[0]] if close else None


def unknown_device(
    name: str, descriptors: Callable[[], Collection[str] | None] = descriptor_names
) -> str | None:
    """Why `name` names no device, in words for the scenario's author; None when it does
    (or when Playwright's list cannot be had: a run then resolves the name and says so)."""
    if name in PHONES:
        return None
    found = descriptors()
    if found is None or name in found:
        return None
    guess = nearest(name, [*PHONES, *sorted(found)])
    hint = f"; did you mean '{guess}'?" if guess else ""
    return (
        f"unknown device '{name}'{hint} (known: android, iphone, or a Playwright device "
        "descriptor such as 'Pixel 5')"
    )
