"""The JSON Schema for editors, and the examples in docs/scenarios.md, against the loader."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.scenario.file import json_schema
from harness.scenario.load import load_flow

DOCS = Path(__file__).parents[2] / "docs" / "scenarios.md"


def docs_examples() -> tuple[str, str]:
    """The full flow example and the fragment example from the docs."""
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS.read_text("utf-8"), re.S)
    flow = next(b for b in blocks if b.startswith("id: login-userid"))
    fragment = next(b for b in blocks if b.startswith("id: mynaportal-card-login"))
    return flow, fragment


def errors(schema: dict[str, Any], value: Any, node: dict[str, Any] | None = None) -> list[str]:
    """A small validator for the keywords pydantic emits (jsonschema is not a dependency)."""
    node = schema if node is None else node
    if "$ref" in node:
        return errors(schema, value, schema["$defs"][node["$ref"].split("/")[-1]])
    for union in ("oneOf", "anyOf"):
        if union in node:
            fits = [not errors(schema, value, option) for option in node[union]]
            ok = fits.count(True) == 1 if union == "oneOf" else any(fits)
            return [] if ok else [f"{union} {fits.count(True)} of {len(fits)}: {value!r}"]
    kinds = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}
    kind = node.get("type")
    if kind in ("integer", "number"):
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if not numeric or (kind == "integer" and not isinstance(value, int)):
            return [f"not {kind}: {value!r}"]
        if value < node.get("minimum", value) or value > node.get("maximum", value):
            return [f"out of range: {value!r}"]
    elif kind is not None and not isinstance(value, kinds[kind]):
        return [f"not {kind}: {value!r}"]
    if value != node.get("const", value) or value not in node.get("enum", [value]):
        return [f"not allowed: {value!r}"]
    found: list[str] = []
    if isinstance(value, dict):
        properties = node.get("properties", {})
        found += [f"missing {k}" for k in node.get("required", []) if k not in value]
        for key, item in value.items():
            if key in properties:
                found += errors(schema, item, properties[key])
            elif node.get("additionalProperties") is False:
                found.append(f"unknown {key}")
            elif isinstance(node.get("additionalProperties"), dict):
                found += errors(schema, item, node["additionalProperties"])
    if isinstance(value, list):
        if len(value) < node.get("minItems", 0):
            found.append("too few items")
        for item in value:
            found += errors(schema, item, node.get("items", {}))
    return found


def test_docs_examples_load(tmp_path: Path) -> None:
    flow_text, fragment_text = docs_examples()
    (tmp_path / "fragments").mkdir()
    (tmp_path / "fragments" / "mynaportal-card-login.yaml").write_text(fragment_text, "utf-8")
    (tmp_path / "login-userid.yaml").write_text(flow_text, "utf-8")
    flow = load_flow(tmp_path / "login-userid.yaml")
    assert [s.number for s in flow.steps] == [1, 2, 3, 4, 5, 6, None, 7]
    captures = [s.capture for s in flow.numbered]
    assert captures == ["before", "after", "before", "after", "before", "before", "after"]
    assert flow.numbered[5].caption == "ユーザIDとパスワードを入力しログインを押す"
    assert [t.describe() for t in flow.numbered[5].mask] == ["label=「ユーザID」"]
    assert flow.numbered[6].highlight == ()  # an expect step boxes nothing


def test_schema_accepts_the_docs_examples() -> None:
    flow_text, fragment_text = docs_examples()
    assert errors(json_schema(), yaml.safe_load(flow_text)) == []
    assert errors(json_schema("fragment"), yaml.safe_load(fragment_text)) == []


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda d: d["steps"][0].update(action="tapp"), "oneOf 0 of 2"),
        (lambda d: d["steps"][0].update(colour="red"), "oneOf 0 of 2"),
        (lambda d: d.pop("title"), "missing title"),
        (lambda d: d.update(devices=[]), "too few items"),
        (
            lambda d: d["tolerance"].update(pixel_threshold=2),
            "anyOf 0 of 2: {'pixel_threshold': 2}",
        ),
    ],
)
def test_schema_rejects_what_the_loader_rejects(change: Any, error: str) -> None:
    data = yaml.safe_load(docs_examples()[0])
    change(data)
    assert error in " ".join(errors(json_schema(), data))


def test_schema_structure_for_editors() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["id", "section", "title", "devices", "start", "steps"]
    assert all("description" in p for p in schema["properties"].values())
    tagged = schema["properties"]["steps"]["items"]["oneOf"][0]
    assert tagged["discriminator"]["propertyName"] == "action"
    assert sorted(tagged["discriminator"]["mapping"]) == sorted(
        [
            *("tap", "fill", "type", "select", "check", "scroll", "press"),
            *("wait_for", "expect", "goto", "hook"),
        ]
    )
    for key in ("mask", "ignore", "ignore_text"):  # flow level, and every step kind
        assert key in schema["properties"]
        assert key in schema["$defs"]["TapStep"]["properties"]
    target = schema["$defs"]["Target"]["properties"]
    assert "button" in target["role"]["anyOf"][0]["enum"]
    assert target["name"]["description"] == "Accessible name; only together with role."
    assert json_schema("fragment")["required"] == ["id", "description", "steps"]
