"""Placeholders in scenario values: `{device}` and `{run}`, with `{{` and `}}` for braces.

`{device}` is the device's name (`android`, `iphone`, `Pixel 5`): the same on every run, so
it may appear in pictures, and it keeps two phones running at once from creating the same
record. `{run}` is a short id, new for every `run` or `check` (the same for all its flows):
it changes every picture it appears in, so it is only for what is never pictured (setup,
cleanup, silent steps), and a captioned step using it is a lint error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

NAMES = ("device", "run")
# A doubled brace, a placeholder, or a brace left alone (an error).
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def check_placeholders(value: str) -> str:
    """A pydantic validator: only known placeholders, and braces doubled when meant as text."""
    for match in _TOKEN.finditer(value):
        token, name = match.group(0), match.group(1)
        if token in ("{{", "}}"):
            continue
        if name is None:
            raise ValueError(f"a lone '{token}' in '{value}': write '{token * 2}' for the brace")
        if name not in NAMES:
            known = ", ".join(f"{{{n}}}" for n in NAMES)
            raise ValueError(
                f"unknown placeholder '{{{name}}}' in '{value}' (known: {known}; "
                "write '{{' and '}}' for braces)"
            )
    return value


def fill(value: str, values: Mapping[str, str]) -> str:
    """The value with its placeholders replaced and doubled braces made single."""

    def one(match: re.Match[str]) -> str:
        token, name = match.group(0), match.group(1)
        if name is not None:
            return values[name]
        return token[0] if token in ("{{", "}}") else token

    return _TOKEN.sub(one, value)


def uses(value: str, name: str) -> bool:
    return any(m.group(1) == name for m in _TOKEN.finditer(value))


# The fields whose strings may hold placeholders (see TemplatedText in the model): what the
# runner fills. Captions, patterns and hook parameters are never filled.
FILLED = frozenset(
    {"value", "name", "label", "text", "placeholder", "alt", "title", "css", "heading"}
    | {"absent_text"}
)


def fill_model(model: Any, values: Mapping[str, str]) -> Any:
    """A copy of a step, action, target or expectation with every templated field filled."""
    if isinstance(model, tuple):
        return tuple(fill_model(item, values) for item in model)
    if not isinstance(model, BaseModel):
        return model
    update: dict[str, Any] = {}
    for key in type(model).model_fields:
        current = getattr(model, key)
        if isinstance(current, str):
            if key in FILLED:
                update[key] = fill(current, values)
        elif isinstance(current, BaseModel | tuple):
            update[key] = fill_model(current, values)
    return model.model_copy(update=update)


def strings_using(model: Any, name: str) -> list[str]:
    """The templated strings inside a step (or part of one) that use placeholder `name`."""
    if isinstance(model, tuple | list):
        return [s for item in model for s in strings_using(item, name)]
    if not isinstance(model, BaseModel):
        return []
    found = []
    for key in type(model).model_fields:
        current = getattr(model, key)
        if isinstance(current, str) and key in FILLED and uses(current, name):
            found.append(current)
        elif isinstance(current, BaseModel | tuple | list):
            found += strings_using(current, name)
    return found
