"""summary.md: what a pull request or a CI job summary says about a check, in Markdown.

The sentences of every step that does not match, each with its guide pages, then the pages
to reprint per edition: what a reviewer of a proposed fix needs without opening the report.
"""

from __future__ import annotations

from harness.drift.verdict import CheckReport
from harness.report.common import STATUS_LABELS, circled, failing, orphan_failure, step_sentences
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
        lines += ["| device | flow | step | verdict | what changed | guide page |"]
        lines += ["| --- | --- | --- | --- | --- | --- |", *rows, ""]
    reprint = reprint_lines(report)
    if reprint:
        lines += ["### Pages to reprint", "", *(f"- {line}" for line in reprint), ""]
    for note in environment_notes(report):
        lines += [f"Note: {note}.", ""]
    return "\n".join(lines)
