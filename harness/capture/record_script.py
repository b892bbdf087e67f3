"""`guideshot record --script FILE`: the person's part played by real Playwright input.

A script is a YAML list of one-key actions, each finding its element with a scenario target
(a string is visible text, exact):

    - tap: Log in                         # or {role: button, name: Log in, exact: true}
    - fill: {label: Name, value: Gardeners}
    - select: {label: Country, value: Japan}
    - check: {label: Active}
    - scroll: 400                         # CSS px; negative goes back
    - press: Enter

Taps are touches, fields are typed key by key and scrolls are wheel turns, so recorder.js
sees the same trusted events a person's hand gives, and the recorder writes what it saw.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from pydantic import ValidationError

from harness.capture.editing import EditFailed, fill
from harness.capture.explain import explain
from harness.capture.locate import to_locator
from harness.capture.recorder import SENT_JS
from harness.scenario import Target

T = TypeVar("T")
VERBS = ("tap", "fill", "select", "check", "scroll", "press")
TIMEOUT_MS = 10_000
# Reports sent since the action began, and every one answered (no click still held).
_SETTLED_JS = (
    "n => Number(sessionStorage.getItem('guideshot-recorder-reports') || 0) > n"
    " && (!window.__guideshotRecorder || window.__guideshotRecorder.idle())"
)


class ScriptError(ValueError):
    """A script that cannot be played: one line naming the file and the action."""


@dataclass(frozen=True)
class ScriptAction:
    verb: str
    argument: Any
    where: str  # FILE: action N, for messages


def load_script(path: Path) -> list[ScriptAction]:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ScriptError(f"{path}: cannot read the script: {error}") from None
    if not isinstance(data, list):
        raise ScriptError(f"{path}: a script is a list of actions (- tap: Save)")
    actions = []
    for number, entry in enumerate(data, 1):
        where = f"{path}: action {number}"
        if not isinstance(entry, dict) or len(entry) != 1 or next(iter(entry)) not in VERBS:
            raise ScriptError(f"{where}: expected one of {', '.join(VERBS)} as its only key")
        verb, argument = next(iter(entry.items()))
        actions.append(ScriptAction(verb, argument, where))
    return actions


def _target(action: ScriptAction) -> tuple[Target, str]:
    argument = action.argument
    if isinstance(argument, str):
        return Target(text=argument, exact=True), ""
    if not isinstance(argument, dict):
        raise ScriptError(f"{action.where}: {action.verb} needs words or a target mapping")
    fields = dict(argument)
    value = fields.pop("value", "")
    try:
        return Target.model_validate(fields), str(value)
    except ValidationError as error:
        problem = error.errors()[0]["msg"]
        raise ScriptError(f"{action.where}: not a target: {problem}") from None


def _across_navigation(page: Page, call: Callable[[], T]) -> T:
    """`call`, again once the page a tap or Enter was opening is there."""
    for _ in range(5):  # each retry follows one navigation that was under way
        try:
            return call()
        except PlaywrightError as error:
            if "context was destroyed" not in str(error):
                raise
            page.wait_for_load_state()
    return call()


def _not_played(
    page: Page, action: ScriptAction, target: Target, error: PlaywrightError
) -> ScriptError:
    """Why the action's target could not be acted on, as `run` says it: every candidate on
    the page and a target to write instead; else Playwright's first line."""
    doing = f"{action.where}: {action.verb} {target.describe()}"
    why = explain(page, target)
    if why is None or why.verdict is None:
        return ScriptError(f"{doing}: {str(error).splitlines()[0]}")
    return ScriptError("\n".join([f"{doing}: {why.verdict}", *why.lines]))


def play(page: Page, action: ScriptAction) -> None:
    """Do the action as a hand would, then wait until the recorder has reported it."""
    reported = _across_navigation(page, lambda: int(page.evaluate(SENT_JS)))
    if action.verb == "scroll":
        if not isinstance(action.argument, int):
            raise ScriptError(f"{action.where}: scroll needs CSS pixels, e.g. 400")
        page.mouse.wheel(0, action.argument)
    elif action.verb == "press":
        page.keyboard.press(str(action.argument))
    else:
        target, value = _target(action)
        locator = to_locator(page, target)
        try:
            if action.verb == "fill":
                fill(page, locator, value, touch=True, timeout=TIMEOUT_MS)
            elif action.verb == "select":
                locator.select_option(label=value, timeout=TIMEOUT_MS)
            else:  # tap and check alike: a touch, which the recorder sees tick a box
                locator.tap(timeout=TIMEOUT_MS)
        except PlaywrightError as error:
            raise _not_played(page, action, target, error) from None
        except EditFailed as error:  # the page changed the field under the keys
            raise ScriptError(
                f"{action.where}: {action.verb} {target.describe()}: {error}"
            ) from None
    try:
        _across_navigation(
            page, lambda: page.wait_for_function(_SETTLED_JS, arg=reported, timeout=TIMEOUT_MS)
        )
    except PlaywrightTimeoutError:
        raise ScriptError(
            f"{action.where}: the {action.verb} gave the page nothing to record "
            f"within {TIMEOUT_MS // 1000} s (did it scroll, type or press anything?)"
        ) from None
