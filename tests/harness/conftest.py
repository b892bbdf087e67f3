"""The harness's own Chromium (its flags, fonts and colour profile) for browser tests that
read or capture a page directly; one per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from harness.capture.browser import find_chromium, launch


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch(playwright, find_chromium(playwright))
        yield browser
        browser.close()
