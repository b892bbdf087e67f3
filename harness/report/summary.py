"""summary.md: what a pull request or a CI job summary says about a check, in Markdown.

One line per change first (the steps it touches, their pages, the group id that approves
it), then the sentences of every step that does not match, each with its guide pages, then
the pages to reprint per edition: what a reviewer of a proposed fix needs without opening
the report.
"""

from __future__ import annotations

from harness.drift.groups import group_changes
from harness.drift.verdict import CheckReport
from harness.report.common import STATUS_LABELS, circled, failing, orphan_failure, step_sentences
from harness.report.editions import edition_label
from harness.report.environment_note import environment_notes
from harness.report.reprint import page_label, reprint_lines


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_summary(report: CheckReport) -> str:
    counts = ", ".join(f"{n} {status}" for status, n in report.counts().items() if n)
    lines = [
        "## guideshot check: " + ("drift found" if report.drift_found else "clean"),
        "",
        f"Steps: {counts or 'none'}.",
        "",
    ]
    changes = group_changes(report)
    if changes:
        lines += ["### Changes", ""]
        lines += [
            f"- {_cell(group.kind)}: {_cell(group.sentence(edition_label))} (group `{group.id}`)"
            for group in changes
        ]
        lines += [""]
    rows = []
    for flow in report.flows:
        failure = orphan_failure(flow)
        if failure is not None:
            rows.append(f"| {flow.device} | `{flow.flow}` | – | broken | {_cell(failure)} | |")
        for step in flow.steps:
            if not failing(step):
                continue
            sentences = "<br>".join(_cell(s) for s in step_sentences(step))
            rows.append(
                f"| {step.device} | `{step.flow}` | {circled(step.number)} {_cell(step.caption)} "
                f"| {STATUS_LABELS[step.status]} | {sentences} | {page_label(step)} |"
            )
    if rows:
        lines += ["### Steps", ""] if changes else []
        lines += ["| device | flow | step | verdict | what changed | guide page |"]
        lines += ["| --- | --- | --- | --- | --- | --- |", *rows, ""]
    reprint = reprint_lines(report)
    if reprint:
        lines += ["### Pages to reprint", "", *(f"- {line}" for line in reprint), ""]
    for note in environment_notes(report):
        lines += [f"Note: {note}.", ""]
    return "\n".join(lines)
