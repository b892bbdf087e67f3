"""Doing one scenario action on the page, as a person would, and checking what must hold."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from harness.capture import Swipe, editing
from harness.capture.explain import explain
from harness.capture.locate import to_locator
from harness.capture.navigation import browser_gone
from harness.capture.screen import relative_url, view_of
from harness.capture.stillness import wait_for_fonts
from harness.capture.target import Hooks, Servers
from harness.scenario import Target
from harness.scripts import read_script

# How long one action may wait for its element or condition, in milliseconds.
ACTION_TIMEOUT_MS = 8000
# A page load may take longer than an action, but never forever.
NAVIGATION_TIMEOUT_MS = 30000
# Actions a page may answer a moment later (a preview, a search): the step waits for it.
ENTRIES = ("fill", "type", "select", "check")
HOOK_PATHS = {
    "card_tap": "/_sim/card/tap",
    "card_remove": "/_sim/card/remove",
    "persona": "/_sim/persona",
    "clock": "/_sim/clock",
    "reset": "/_sim/reset",
}


def uses_hooks(flow: Any) -> bool:
    """The flow needs the simulator's hooks: a persona to set up, or a hook step."""
    actions = (a for step in flow.steps for a in (*step.before, step.action))
    return flow.persona is not None or any(a.action == "hook" for a in actions)


def hooks_known(run: RunContext) -> bool | None:
    """Whether the site has hooks, if known without asking it."""
    return run.has_hooks if isinstance(run.has_hooks, bool) else run.has_hooks.known


class StepFailed(Exception):
    """An action or expectation could not be carried out; `looked_for` says what was sought."""

    def __init__(
        self, message: str, looked_for: Any = None, explanation: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.looked_for = looked_for
        self.explanation = explanation  # the candidates on the page and what to write instead


@dataclass(frozen=True)
class RunContext:
    """Where the run is pointed and how the phone is touched."""

    base_url: str
    has_hooks: bool | Hooks  # the simulator's /_sim/ test hooks answer at base_url
    touch: bool  # the device has a touch screen: taps, not clicks
    servers: Servers | None = None  # the guide's sites on several servers

    def url(self, path: str) -> str:
        """Where a scenario path is asked: its site's server."""
        if self.servers is not None:
            return self.servers.urls.absolute(path)
        return self.base_url.rstrip("/") + path

    def relative(self, url: str) -> str:
        """A page's address as the scenarios write it, whichever server it is on."""
        if self.servers is not None:
            return self.servers.urls.relative(url)
        return relative_url(url, self.base_url)

    def servers_from(self, start: str) -> list[tuple[str, bool | Hooks]]:
        """Every server with its hooks, the one `start` is on last."""
        first = self.hooks_for(start)
        if self.servers is None:
            return [first]
        others = [(url, self.servers.hooks[url]) for url in self.servers.urls.servers]
        return [pair for pair in others if pair[0] != first[0]] + [first]

    def hooks_for(self, where: str) -> tuple[str, bool | Hooks]:
        """The server of a scenario path or page URL, and whether its hooks answer."""
        if self.servers is not None:
            return self.servers.hooks_for(where)
        return self.base_url.rstrip("/"), self.has_hooks


def _swipe_for(page: Page, direction: str) -> Swipe:
    """The finger's path for a scroll, drawn in the middle of the screen."""
    size = page.viewport_size or {"width": 390, "height": 664}
    x = size["width"] * 0.5
    low, high = size["height"] * 0.72, size["height"] * 0.32
    if direction == "up":
        return Swipe(direction="up", start=(x, low), end=(x, high))
    return Swipe(direction="down", start=(x, high), end=(x, low))


def scroll(page: Page, action: Any) -> Swipe:
    # Where a scroll lands is computed from the layout: once the fonts are in, or a page
    # still laid out in a fallback font lands elsewhere (CI-found on a loaded machine: a
    # scroll to a heading went 49 px further than in the approved picture).
    wait_for_fonts(page)
    if action.to is not None:
        locator = to_locator(page, action.to)
        try:
            locator.wait_for(state="attached", timeout=ACTION_TIMEOUT_MS)
            # A fifth of the way down, as a person's swipe leaves it: not glued to an edge,
            # with what leads up to it still in view. A fifth of what the screen shows, in
            # layout px: the visual viewport's height (innerHeight is the layout viewport's,
            # larger on a pinch-zoomed page; the same at scale 1 and zoomed out to fit).
            locator.evaluate("el => el.scrollIntoView({block: 'start', inline: 'nearest'})")
            page.evaluate(
                "() => window.scrollBy(0, "
                "-Math.round((window.visualViewport?.height ?? window.innerHeight) * 0.2))"
            )
        except PlaywrightError as exc:
            doing = f"could not scroll to {action.to.describe()}"
            raise target_failed(page, action.to, doing, doing) from exc
    else:
        # `by` is what the finger moves on the screen; a page zoomed out to fit (no meta
        # viewport) moves 1/scale layout px for each (screen.View).
        amount = action.by if action.direction == "up" else -action.by
        page.evaluate(f"() => window.scrollBy(0, {view_of(page).layout_length(int(amount))})")
    return _swipe_for(page, action.direction)


def call_hook(page: Page, run: RunContext, name: str, params: dict[str, str]) -> None:
    # Asked of the server the page is on: a card tap answers the login waiting there.
    server, hooks = run.hooks_for(page.url)
    if not hooks:
        raise StepFailed(
            f"hook '{name}' needs the simulator's test hooks (/_sim/), "
            f"which {server} does not have",
            name,
        )
    path = HOOK_PATHS[name]
    body: dict[str, Any] = dict(params)
    if name == "clock":
        body = {"at": params.get("at")}
    response = page.context.request.post(server + path, data=body)
    if not response.ok:
        raise StepFailed(f"hook '{name}' answered {response.status}: {response.text()[:200]}")


def perform(
    page: Page, action: Any, run: RunContext, *, proven_pressable: bool = False
) -> Swipe | None:
    """Carry out one action; a scroll returns the swipe to draw.

    `proven_pressable`: the capture just before this tap proved the screen still and read
    its target as the only match, enabled and reachable at its tap point, so Playwright's
    own checks (visible, enabled, stable over two animation frames, not covered) would only
    repeat that proof; the tap goes to the same point without them."""
    kind = action.action
    entry = kind in ENTRIES
    try:
        if entry:
            editing.watch_reaction(page)
        if kind == "tap":
            locator = to_locator(page, action.target)
            if run.touch:
                locator.tap(timeout=ACTION_TIMEOUT_MS, force=proven_pressable)
            else:
                locator.click(timeout=ACTION_TIMEOUT_MS, force=proven_pressable)
        elif kind in ("fill", "type"):
            edit = editing.fill if kind == "fill" else editing.type_text
            locator = to_locator(page, action.target)
            edit(page, locator, action.value, touch=run.touch, timeout=ACTION_TIMEOUT_MS)
        elif kind == "select":
            to_locator(page, action.target).select_option(
                label=action.value, timeout=ACTION_TIMEOUT_MS
            )
        elif kind == "check":
            to_locator(page, action.target).check(timeout=ACTION_TIMEOUT_MS)
        elif kind == "scroll":
            return scroll(page, action)
        elif kind == "press":
            page.keyboard.press(action.key)
        elif kind == "wait_for":
            to_locator(page, action.target).wait_for(state="visible", timeout=ACTION_TIMEOUT_MS)
        elif kind == "goto":
            page.goto(run.url(action.url))
        elif kind == "hook":
            call_hook(page, run, action.name, dict(action.params))
        elif kind == "expect":
            pass  # only the step's `expect` is checked
        else:
            raise StepFailed(f"unsupported action {kind!r}")
        if entry:
            editing.await_reaction(page)
    except editing.EditFailed as exc:
        raise StepFailed(f"{kind} {action.target.describe()}: {exc}", action.target) from exc
    except PlaywrightError as exc:
        raise _failed(page, kind, getattr(action, "target", None), exc) from exc
    return None


def _failed(page: Page, kind: str, target: Target | None, exc: PlaywrightError) -> StepFailed:
    """The step's failure in words. When the target is at fault (nothing, several or only
    hidden elements match), the page says why, never Playwright's message: it cuts its list
    of matches short and cannot say what to write instead."""
    text = str(exc).strip()
    first_line = text.splitlines()[0] if text else type(exc).__name__
    if target is None:
        return StepFailed(f"{kind} {kind}: {first_line}")
    doing = f"{kind} {target.describe()}"
    return target_failed(page, target, doing, f"{doing}: {first_line}")


def target_failed(page: Page, target: Target, doing: str, otherwise: str) -> StepFailed:
    """`doing: why` with the candidates and proposals when the target does not resolve to one
    visible element; `otherwise` when it does (the action failed for another reason) or the
    page cannot be read."""
    why = None if browser_gone(otherwise) else explain(page, target)
    if why is None or why.verdict is None:
        return StepFailed(otherwise, target)
    return StepFailed(f"{doing}: {why.verdict}", target, why.lines)


def _url_pattern(run: RunContext, path: str) -> re.Pattern[str]:
    full = run.url(path)  # on whichever server the path's site is
    return re.compile(fnmatch.translate(full) if "*" in path else re.escape(full) + r"(\?.*)?$")


def check_expectations(page: Page, expectation: Any, run: RunContext, action: Any = None) -> None:
    """The step's `expect`: heading, text, URL, absent text — each awaited, not polled by hand.

    The first part that does not hold fails the step, naming that part and what the
    screen shows instead (the URL reached, the headings in view); after a `fill`, also
    that the field was typed into and what it holds, so the page is seen not to react."""
    if expectation is None:
        return
    timeout = ACTION_TIMEOUT_MS
    part = ""
    try:
        if expectation.url is not None:
            part = f"url 「{expectation.url}」"
            page.wait_for_url(_url_pattern(run, expectation.url), timeout=timeout)
        if expectation.heading is not None:
            part = f"heading 「{expectation.heading}」"
            heading = page.get_by_role("heading", name=expectation.heading).first
            expect(heading).to_be_visible(timeout=timeout)
        if expectation.text is not None:
            part = f"text 「{expectation.text}」"
            expect(page.get_by_text(expectation.text).first).to_be_visible(timeout=timeout)
        if expectation.absent_text is not None:
            part = f"absent_text 「{expectation.absent_text}」"
            expect(page.get_by_text(expectation.absent_text)).to_have_count(0, timeout=timeout)
    except (AssertionError, PlaywrightError) as exc:
        wanted = {
            k: v
            for k, v in (
                ("heading", expectation.heading),
                ("text", expectation.text),
                ("url", expectation.url),
                ("absent_text", expectation.absent_text),
            )
            if v is not None
        }
        instead = _instead(page, run) + _after_fill(page, action)
        raise StepFailed(f"expected {part} after the step, but {instead}", wanted) from exc


def _after_fill(page: Page, action: Any) -> str:
    """After a `fill`: the field got the keys, so it is the page that did not react."""
    if action is None or action.action != "fill":
        return ""
    field = action.target.describe()
    try:
        held = editing.holds(page, to_locator(page, action.target))
    except (PlaywrightError, editing.EditFailed):
        return f"; {field} was filled and can no longer be read"
    if held.split() != action.value.split():
        return f"; {field} was filled but now holds 「{held[:80]}」"
    return f"; {field} was filled and holds 「{held[:80]}」, but the page did not react as expected"


def _instead(page: Page, run: RunContext) -> str:
    """What the screen shows: where it is and its headings, for a failed expectation."""
    try:
        where = run.relative(page.url)
        headings = page.evaluate(_HEADINGS_JS)
    except PlaywrightError:
        return "the page could not be read"
    shown = ", ".join(f"heading 「{h}」" for h in headings[:4]) if headings else "no heading"
    return f"the screen shows {shown} at {where}{_page_says(page)}"


_PAGE_ERRORS_JS = read_script("page_errors.js")


def _page_says(page: Page) -> str:
    """The page's own error or alert text, often the real reason (「… already exists」)."""
    try:
        said: list[str] = page.evaluate(_PAGE_ERRORS_JS, 3)
    except PlaywrightError:
        return ""
    return "; the page says: " + ", ".join(f"「{text}」" for text in said) if said else ""


# Headings a person sees: rendered, with text; the heading role includes h1-h6.
_HEADINGS_JS = """() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6,[role=heading]'))
  .filter(h => h.checkVisibility({visibilityProperty: true}))
  .map(h => h.innerText.replace(/\\s+/g, ' ').trim()).filter(Boolean)"""
