"""Targets a person could write for one element, each checked against the page.

A proposal is offered only when, run as a scenario would run it, it resolves to exactly
one element, that element is the candidate it was made for, and it is visible.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from pydantic import ValidationError

from harness.capture.candidates import Candidate
from harness.capture.locate import to_locator
from harness.scenario import Target
from harness.scripts import read_script

_IDENTIFY_JS = read_script("identify.js")
# Roles a person could not find by name: not in ARIA, or too vague to point at one thing.
_UNNAMEABLE_ROLES = {"generic", "label", "summary", "presentation", "none"}
# Enough tries per element for every strategy with and without exact and within.
_MAX_TRIES = 16
NO_NAME_NOTE = "it has no accessible name"
# `nth` among at most this many alike elements: past that, the place is no longer telling.
_MAX_ALIKE = 4


def _target(**fields: Any) -> Target | None:
    try:
        return Target.model_validate({k: v for k, v in fields.items() if v not in (None, False)})
    except ValidationError:  # e.g. a role the scenario model does not know
        return None


def _words(wanted: str, full: str) -> list[str]:
    """The author's own words when they are part of the element's, then its full words."""
    shorter = [wanted] if wanted and wanted.lower() in full.lower() and wanted != full else []
    return [*shorter, full]


def _only_in(wanted: str, words: str, other: str) -> bool:
    want = wanted.lower()
    return bool(want) and want in words.lower() and want not in other.lower()


def _options(c: Candidate, wanted: str, strategy: str) -> Iterator[Target | None]:
    container = _target(role=c.container[0], name=c.container[1]) if c.container else None
    by: dict[str, list[tuple[str, str]]] = {
        "role": [(c.role, w) for w in _words(wanted, c.name)]
        if c.name and c.role not in _UNNAMEABLE_ROLES
        else [],
        "label": [("label", w) for w in _words(wanted, c.label)] if c.label else [],
        "placeholder": [("placeholder", w) for w in _words(wanted, c.placeholder)]
        if c.placeholder
        else [],
        "text": [("text", w) for w in _words(wanted, c.text)] if c.text and not c.label else [],
        "title": [("title", w) for w in _words(wanted, c.title)] if c.title else [],
    }
    # The tooltip's words come first when they are the author's and the name's are not
    # (an icon link named 「➕」, titled "Create a new calendar"); otherwise last: a phone
    # shows no tooltip.
    tooltip = ["title"] if _only_in(wanted, c.title, c.name) else []
    order = [strategy, *tooltip, "role", "label", "placeholder", "text", "title"]
    for key in dict.fromkeys(s for s in order if s in by):
        for first, words in by[key]:
            fields = {"role": first, "name": words} if key == "role" else {first: words}
            for exact in (False, True):
                yield _target(**fields, exact=exact)
                if container is not None:
                    yield _target(**fields, exact=exact, within=container)
    if not c.name and c.css:
        yield _target(css=c.css)


def _nth_options(page: Page, c: Candidate, wanted: str, strategy: str) -> Iterator[Target]:
    """When no target finds only `c`: the natural ones (exact) that find it among a few
    alike, with `nth`, its place among them (a second 「Search」 button below the first)."""
    for tries, option in enumerate(_options(c, wanted, strategy)):
        if tries >= _MAX_TRIES:
            break
        if option is None or not option.exact:
            continue
        try:
            found: list[list[Any]] = to_locator(page, option).evaluate_all(_IDENTIFY_JS)
        except PlaywrightError:
            continue
        places = [place for place, (index, _) in enumerate(found) if index == c.index]
        if places and len(found) <= _MAX_ALIKE:
            yield option.model_copy(update={"nth": places[0]})


def resolves_to(page: Page, target: Target, candidate: Candidate) -> bool:
    """Exactly one match, visible, and it is this candidate."""
    try:
        found: list[list[Any]] = to_locator(page, target).evaluate_all(_IDENTIFY_JS)
    except PlaywrightError:
        return False
    return len(found) == 1 and found[0][0] == candidate.index and bool(found[0][1])


def proposals_for(page: Page, c: Candidate, wanted: str, strategy: str) -> list[Target]:
    """Every verified target for `c`, the most natural first; with `nth` only when no
    target finds `c` alone."""
    out: list[Target] = []
    for tries, option in enumerate(_options(c, wanted, strategy)):
        if tries >= _MAX_TRIES:
            break
        if option is not None and option not in out and resolves_to(page, option, c):
            out.append(option)
    if not out:
        for option in _nth_options(page, c, wanted, strategy):
            if option not in out and resolves_to(page, option, c):
                out.append(option)
    return out


def best_proposal(
    page: Page, c: Candidate, wanted: str, strategy: str, *, alike: bool = True
) -> Target | None:
    """The first target that finds `c` alone, visible; with `alike`, else one that picks it
    by `nth` among at most a few alike."""
    for tries, option in enumerate(_options(c, wanted, strategy)):
        if tries >= _MAX_TRIES:
            break
        if option is not None and resolves_to(page, option, c):
            return option
    if not alike:
        return None
    alike_options = _nth_options(page, c, wanted, strategy)
    return next((option for option in alike_options if resolves_to(page, option, c)), None)


_ORDER = ("role", "name", "label", "text", "placeholder", "alt", "title", "css", "exact", "nth")


def target_yaml(target: Target) -> str:
    """The target as a one-line YAML mapping, ready to paste: `{role: listbox, name: …}`."""
    parts = [f"{key}: {_scalar(getattr(target, key))}" for key in _ORDER if _set(target, key)]
    if target.within is not None:
        parts.append(f"within: {target_yaml(target.within)}")
    line = "{" + ", ".join(parts) + "}"
    if not target.name and target.css is not None:
        line += f"  # {NO_NAME_NOTE}"
    return line


def _set(target: Target, key: str) -> bool:
    value = getattr(target, key)
    return value is not None and value is not False


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    try:  # plain when YAML reads it back as the same string inside a flow mapping
        if yaml.safe_load("{k: " + text + "}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
