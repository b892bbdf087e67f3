"""Pydantic's validation errors in plain words, one Problem each, at the right line.

Pydantic's error locations mix data keys with union tags ('steps', 3, 'step', 'tap',
'target'); walking the model's types alongside tells which is which, which model owns
an unknown key, and which options a Literal offered.
"""

from __future__ import annotations

import difflib
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, Discriminator, Tag, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from harness.scenario.errors import KeyPath, Problem, key_text
from harness.scenario.yaml_doc import YamlDoc


def problems_from(
    error: ValidationError, root: type[BaseModel], doc: YamlDoc, file: str
) -> list[Problem]:
    problems = []
    for detail in error.errors():
        path, owner, leaf = _walk(root, detail["loc"])
        extra_key, message = _message(detail, owner, leaf)
        path = (*path, *extra_key)
        problems.append(Problem(file, doc.line_of(path), key_text(path), message))
    return problems


def _message(detail: ErrorDetails, owner: type[BaseModel] | None, leaf: Any) -> tuple[KeyPath, str]:
    kind, value, ctx = detail["type"], detail["input"], detail.get("ctx", {})
    if kind == "missing":
        return (), "required key missing"
    if kind == "extra_forbidden":
        allowed = ", ".join(owner.model_fields) if owner else "none"
        return (), f"unknown key '{detail['loc'][-1]}' (allowed: {allowed})"
    if kind == "union_tag_invalid":  # only the action union is tagged by a field
        tags = [t.strip("'") for t in ctx["expected_tags"].split(", ")]
        expected = ", ".join(tags)
        return ("action",), f"unknown action '{ctx['tag']}' (expected one of: {expected})"
    if kind == "union_tag_not_found":
        return ("action",), "required key missing (every step needs an action or an include)"
    if kind == "literal_error":
        return (), _not_one_of(value, list(get_args(leaf)))
    if kind == "value_error":
        return (), str(ctx["error"])
    if kind == "greater_than_equal":
        return (), f"must be at least {_number(ctx['ge'])}, got {value}"
    if kind == "less_than_equal":
        return (), f"must be at most {_number(ctx['le'])}, got {value}"
    if kind == "too_short":
        return (), "must not be empty"
    if kind in _EXPECTED:
        hint = " (put it in quotes)" if kind == "string_type" and _is_scalar(value) else ""
        return (), f"expected {_EXPECTED[kind]}, got {_kind(value)}{hint}"
    return (), f"{detail['msg']}, got {_kind(value)}"  # our custom union errors and the rest


_EXPECTED = {
    "string_type": "a string",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)",
}


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, int | float | bool)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"'{value}'"
    return "a list" if isinstance(value, list) else "a mapping"


def _not_one_of(value: Any, options: list[Any]) -> str:
    if len(options) <= 12:
        return f"expected one of: {', '.join(map(str, options))}; got {_kind(value)}"
    close = difflib.get_close_matches(str(value), [str(o) for o in options], n=1)
    hint = f"did you mean '{close[0]}'?" if close else "see docs/scenarios.md"
    return f"unknown value {_kind(value)} ({hint})"


def _walk(
    root: type[BaseModel], loc: tuple[str | int, ...]
) -> tuple[KeyPath, type[BaseModel] | None, Any]:
    """Split `loc` into the data path, the model owning its last key, and the leaf type."""
    path: list[str | int] = []
    owner: type[BaseModel] | None = None
    tp: Any = root
    for part in loc:
        tp = _unwrap(tp)
        members = _tagged(tp)
        if members is not None and part in members:
            tp = members[part]
            continue
        path.append(part)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            owner, field = tp, tp.model_fields.get(str(part))
            tp = field.rebuild_annotation() if field else Any
        else:
            owner = None
            origin, args = get_origin(tp), get_args(tp)
            tp = args[-1] if origin in (list, tuple, dict) and args else Any
    return tuple(path), owner, _unwrap(tp)


def _unwrap(tp: Any) -> Any:
    """Drop `| None` and plain Annotated constraints; keep tagged unions recognisable."""
    while True:
        origin, args = get_origin(tp), get_args(tp)
        if origin in (Union, types.UnionType) and type(None) in args:
            rest = [a for a in args if a is not type(None)]
            tp = rest[0] if len(rest) == 1 else Union[tuple(rest)]  # noqa: UP007
        elif origin is Annotated and _tagged(tp) is None:
            tp = args[0]
        else:
            return tp


def _tagged(tp: Any) -> dict[str | int, Any] | None:
    """A tagged union's members by tag, or None if `tp` is not one."""
    if get_origin(tp) is not Annotated:
        return None
    base, *meta = get_args(tp)
    field_name = next((m.discriminator for m in meta if isinstance(m, FieldInfo)), None)
    if field_name is None and not any(isinstance(m, Discriminator) for m in meta):
        return None
    members: dict[str | int, Any] = {}
    for member in get_args(base):
        tags = [m.tag for m in get_args(member)[1:] if isinstance(m, Tag)]
        if tags:
            members[tags[0]] = member
        elif isinstance(field_name, str):
            literal = member.model_fields[field_name].annotation
            members[get_args(literal)[0]] = member
    return members
