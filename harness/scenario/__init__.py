"""Scenario files: the typed model, loading with file:line problems, lint and JSON Schema.

`from harness.scenario import Flow, Step, load_all, ScenarioError` is the public face;
the modules inside each do one job:

- `model`: the loaded, runnable `Flow` and `Step` (and targets, actions, tolerances)
- `file`: the shapes written in YAML files, and their JSON Schema for editors
- `yaml_doc`: YAML to plain data, remembering the line of every key
- `messages`: pydantic's validation errors in plain words
- `errors`: `Problem` (one line: file, line, key, message) and `ScenarioError`
- `load`: files to flows (fragments spliced in, steps numbered, flow settings applied)
- `lint`: checking files and folders without running them
"""

from harness.scenario.errors import Problem, ScenarioError
from harness.scenario.load import load_all, load_flow
from harness.scenario.model import (
    ACTIONS,
    SLUG,
    STRATEGIES,
    Action,
    AriaRole,
    Capture,
    CheckAction,
    ExpectAction,
    Expectation,
    FillAction,
    Flow,
    GotoAction,
    HookAction,
    HookName,
    PressAction,
    ScrollAction,
    SelectAction,
    Source,
    Step,
    StrictModel,
    TapAction,
    Target,
    Tolerance,
    WaitForAction,
    check_path,
    target_of,
)

__all__ = [
    "ACTIONS",
    "SLUG",
    "STRATEGIES",
    "Action",
    "AriaRole",
    "Capture",
    "CheckAction",
    "ExpectAction",
    "Expectation",
    "FillAction",
    "Flow",
    "GotoAction",
    "HookAction",
    "HookName",
    "PressAction",
    "Problem",
    "ScenarioError",
    "ScrollAction",
    "SelectAction",
    "Source",
    "Step",
    "StrictModel",
    "TapAction",
    "Target",
    "Tolerance",
    "WaitForAction",
    "check_path",
    "load_all",
    "load_flow",
    "target_of",
]
