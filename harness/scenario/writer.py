"""A recorded flow as a scenario file: readable, commented, and loaded before it is written.

The file is checked by `load_flow` in a scratch folder first, so what lands in scenarios/
is a flow `lint` and `run` accept; an existing file is never replaced unless asked.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import yaml

from harness.scenario.draft import DraftFlow, DraftStep, Sensitivity
from harness.scenario.load import load_flow
from harness.scenario.model import Target

_KEYS = ("role", "name", "label", "text", "placeholder", "alt", "title", "css", "exact", "nth")
_WHY: dict[Sensitivity, str] = {
    "password": "a password field",
    "personal": "personal data",
    "": "",
}
# Scenario files have no secret references (yet): the value a password needs is in the file.
PASSWORD_NOTE = "a password, written as typed; the field is masked in every picture"


class Exists(FileExistsError):
    """The scenario file is there already and --force was not given."""


def scalar(value: object) -> str:
    """Plain when YAML reads it back as the same string (inside `{…}` too), else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    try:
        if text == text.strip() and yaml.safe_load("{k: " + text + "}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def as_written(text: str) -> str:
    """Typed or shown text with its braces doubled: `{device}` and `{run}` are placeholders."""
    return text.replace("{", "{{").replace("}", "}}")


def target_yaml(target: Target) -> str:
    parts = [
        f"{key}: {scalar(getattr(target, key))}"
        for key in _KEYS
        if getattr(target, key) is not None and getattr(target, key) is not False
    ]
    if target.within is not None:
        parts.append(f"within: {target_yaml(target.within)}")
    return "{" + ", ".join(parts) + "}"


# A page a step opened whose path holds a number (/ticket/7, /group/3/change/) is often the
# record the flow just made: another run makes another number.
_ID_IN_PATH = re.compile(r"/\d+(?=[/?#]|$)")
ID_NOTE = "a number in this URL may be a new record's id: write * for it if it changes per run"


def _step_lines(step: DraftStep) -> list[str]:
    lines = [f"  - caption: {scalar(step.caption)}", f"    action: {step.action}"]
    for note in step.notes:
        lines.append(f"    # {note}")
    if step.target is not None:
        lines.append(f"    target: {target_yaml(step.target)}")
    if step.value is not None:
        if step.sensitive == "password":
            lines.append(f"    # {PASSWORD_NOTE}")
        lines.append(f"    value: {scalar(as_written(step.value))}")
    if step.key is not None:
        lines.append(f"    key: {scalar(step.key)}")
    if step.by is not None:
        lines += [f"    by: {step.by}", f"    direction: {step.direction}"]
    if step.url is not None:
        lines.append(f"    url: {scalar(step.url)}")
    if step.expect:
        if _ID_IN_PATH.search(str(step.expect.get("url", ""))):
            lines.append(f"    # {ID_NOTE}")
        pairs = ", ".join(
            f"{k}: {scalar(v if k == 'url' else as_written(v))}" for k, v in step.expect.items()
        )
        lines.append(f"    expect: {{{pairs}}}")
    return lines


def render(flow: DraftFlow) -> str:
    lines = [
        "# yaml-language-server: $schema=scenario.schema.json",
        f"# Recorded by `guideshot record` from {flow.origin}.",
        "# Check the captions, set the guide's section and title, and add `expect:` where a",
        "# step's result matters.",
        f"id: {flow.id}",
        f"section: {scalar(flow.id)}  # the guide's section label",
        f"title: {scalar(flow.title)}  # the heading printed above the steps",
        f"devices: [{', '.join(scalar(d) for d in flow.devices)}]",
        f"start: {scalar(flow.start)}",
    ]
    masks = flow.masks()
    if masks:
        lines.append("mask:  # hidden in every picture, left out of every comparison")
        lines += [f"  - {target_yaml(t)}  # {_WHY[why]}" for t, why in masks]
    lines.append("steps:")
    for index, step in enumerate(flow.steps):
        if index:
            lines.append("")
        lines += _step_lines(step)
    return "\n".join(lines) + "\n"


def write(flow: DraftFlow, out: Path, *, force: bool) -> None:
    """Write `out` only once the text loads as a flow; raises ScenarioError if it does not
    (a recorder's bug, never the author's), Exists when `out` is there and not `force`."""
    text = render(flow)
    with tempfile.TemporaryDirectory(prefix="guideshot-record-") as scratch:
        trial = Path(scratch) / out.name
        trial.write_text(text, "utf-8")
        load_flow(trial)
    out.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(out, flags, 0o644)
    except FileExistsError:
        raise Exists(str(out)) from None
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)
