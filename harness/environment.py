"""The fingerprint of what renders a capture: browser build, engine, font, scale, viewport."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

from playwright.sync_api import Browser

from harness import __version__
from harness.browser import BrowserChoice
from harness.capture import Environment
from harness.devices import DeviceProfile

PAGE_FONT = "Noto Sans CJK JP"


@cache
def font_fingerprint(family: str = PAGE_FONT) -> str:
    """The font file and version fontconfig resolves the page font to (or 'unknown')."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return f"{family} (fontconfig unavailable)"
    result = subprocess.run(
        [fc_match, "-f", "%{family[0]}|%{fontversion}|%{file}", family],
        capture_output=True,
        text=True,
        check=False,
    )
    parts = result.stdout.split("|")
    if result.returncode != 0 or len(parts) != 3:
        return f"{family} (not resolved)"
    name, version, path = parts
    return f"{name} {int(version) / 65536:.3f} ({path.rsplit('/', 1)[-1]})"


def fingerprint(browser: Browser, choice: BrowserChoice, device: DeviceProfile) -> Environment:
    return Environment(
        browser=browser.browser_type.name,
        browser_version=browser.version,
        engine=choice.engine,
        font=font_fingerprint(),
        scale=device.scale,
        viewport=device.viewport,
        harness_version=__version__,
    )
