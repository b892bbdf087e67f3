"""The committed JSON Schema for editors is the model's own, so it never goes stale."""

from __future__ import annotations

import json
from pathlib import Path

from harness.guide.config import json_schema as guide_json_schema
from harness.scenario.file import json_schema

COMMITTED = Path(__file__).resolve().parents[2] / "scenarios" / "scenario.schema.json"


def test_committed_schema_matches_the_model() -> None:
    assert json.loads(COMMITTED.read_text("utf-8")) == json_schema(), (
        "scenarios/scenario.schema.json is stale: run `guideshot schema > "
        "scenarios/scenario.schema.json`"
    )


def test_committed_guide_schema_matches_the_model() -> None:
    committed = COMMITTED.parents[1] / "guide.schema.json"
    assert json.loads(committed.read_text("utf-8")) == guide_json_schema(), (
        "guide.schema.json is stale: run `guideshot schema --guide > guide.schema.json`"
    )
