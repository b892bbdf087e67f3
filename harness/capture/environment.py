"""The fingerprint of what renders a capture: browser build, engine, font, scale, viewport."""

from __future__ import annotations

import shutil
import subprocess
import threading
from functools import cache

from playwright.sync_api import Browser

from harness import __version__
from harness.capture import Environment
from harness.capture.browser import BrowserChoice
from harness.capture.devices import DeviceProfile

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


_remote_fonts: dict[str, str] = {}
_remote_lock = threading.Lock()


def remote_font_fingerprint(browser: Browser, family: str = PAGE_FONT) -> str:
    """The fonts a remote browser renders the page font with, as its own engine reports them.

    The server's machine may have other fonts than this one, so fontconfig here says
    nothing about it: ask the browser (Chromium's DevTools) which platform fonts it used.
    """
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(f"<p style=\"font-family:'{family}'\">年金の記録 Nenkin 0123</p>")
        cdp = context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "p"})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        context.close()
    names = [
        font["familyName"] + (f" ({font['postScriptName']})" if font.get("postScriptName") else "")
        for font in fonts
    ]
    return f"{', '.join(names)} (remote)" if names else f"{family} (remote, not resolved)"


def _font_for(browser: Browser, choice: BrowserChoice) -> str:
    if choice.endpoint is None:
        return font_fingerprint()
    with _remote_lock:  # once per server, not once per flow
        if choice.endpoint not in _remote_fonts:
            _remote_fonts[choice.endpoint] = remote_font_fingerprint(browser)
        return _remote_fonts[choice.endpoint]


def fingerprint(browser: Browser, choice: BrowserChoice, device: DeviceProfile) -> Environment:
    """What renders the captures; with --connect, every field comes from the remote browser."""
    return Environment(
        browser=browser.browser_type.name,
        browser_version=browser.version,
        engine=choice.engine,
        font=_font_for(browser, choice),
        scale=device.scale,
        viewport=device.viewport,
        harness_version=__version__,
    )
