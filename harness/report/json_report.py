"""report.json: the CheckReport exactly as the models dump it, plus a summary CI can read."""

from __future__ import annotations

import json
from typing import Any

from harness.drift.groups import group_changes
from harness.drift.verdict import CheckReport
from harness.report.editions import edition_label
from harness.report.environment_note import environment_notes
from harness.report.reprint import reprint

FORMAT = "guideshot-check/1"


def render_json(report: CheckReport) -> str:
    # The report sits under its own key so loading it back needs no knowledge of the summary.
    document: dict[str, Any] = {
        "format": FORMAT,
        "drift_found": report.drift_found,
        "counts": report.counts(),
        "flows": [
            {"flow": flow.flow, "device": flow.device, "status": flow.status.value}
            for flow in report.flows
        ],
        "reprint": reprint(report),  # edition (device) → pages whose steps went stale
        "environment_notes": environment_notes(report),
        "groups": [  # one per change; `approve --from --group ID` recomputes them from report
            {
                "id": group.id,
                "kind": group.kind,
                "sentence": group.sentence(edition_label),
                "steps": [
                    {"device": device, "flow": flow, "number": number}
                    for device, flow, number in group.members()
                ],
            }
            for group in group_changes(report)
        ],
        "report": report.model_dump(mode="json"),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def load_json(text: str) -> CheckReport:
    """The CheckReport back from report.json text (e.g. to re-render an old run)."""
    document = json.loads(text)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} document")
    return CheckReport.model_validate(document["report"])
