"""GitHub Actions workflow commands: one `::error` per failing step (a `::notice` per step of
rendering noise), shown on the scenario line.

Escaping follows @actions/core (toolkit `command.ts`): data escapes %, CR and LF; property
values additionally escape ':' and ','.
"""

from __future__ import annotations

from harness.drift.verdict import CheckReport, StepVerdict
from harness.report.common import failing, noisy, orphan_failure, step_sentences


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(properties: dict[str, str], message: str, level: str = "error") -> str:
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{level} {joined}::{escape_data(message)}"


def _step_line(step: StepVerdict) -> str:
    title = f"{step.flow} on {step.device}"
    if step.number is not None:
        title += f", step {step.number}"
    properties = {"file": step.scenario_file, "line": str(step.scenario_line), "title": title}
    # Rendering noise passes: a notice, so it is seen without failing the run.
    level = "notice" if noisy(step) else "error"
    return _command(properties, "\n".join(step_sentences(step)), level)


def github_annotations(report: CheckReport) -> list[str]:
    """Lines for stdout when GITHUB_ACTIONS=true; empty when every step matches."""
    lines: list[str] = []
    for flow in report.flows:
        failure = orphan_failure(flow)
        if failure is not None:
            title = f"{flow.flow} on {flow.device}"
            lines.append(_command({"file": flow.scenario_file, "title": title}, failure))
        lines.extend(_step_line(step) for step in flow.steps if failing(step) or noisy(step))
    return lines
