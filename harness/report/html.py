"""index.html: one self-contained page (CSS and JS inline, images by relative path).

It opens from disk and offline. Failing steps come first and open with their images;
matching steps are listed collapsed without images, so a large clean run stays light.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from harness.drift.verdict import CheckReport, FlowVerdict, StepStatus, StepVerdict
from harness.report.common import STATUS_LABELS, circled, failing, orphan_failure, step_sentences
from harness.report.environment_note import environment_notes
from harness.report.reprint import page_label, reprint_lines, same_step_pages
from harness.templating import environment

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates" / "report"


@dataclass(frozen=True)
class Section:
    """One flow on one device, as the page shows it."""

    anchor: str
    flow: FlowVerdict
    status: StepStatus
    failure: str | None  # a run failure no broken step reports
    failing_steps: list[StepVerdict]
    matching_steps: list[StepVerdict]


@dataclass(frozen=True)
class Overview:
    flows: list[tuple[str, str]]  # (flow id, title) in report order
    devices: list[str]
    cells: dict[tuple[str, str], Section]  # (flow id, device) → section


def anchor(*parts: str) -> str:
    # Ids stay ASCII-safe for URLs; different flows never collide because parts are joined by "--".
    return "--".join(re.sub(r"[^A-Za-z0-9_.-]+", "-", part) for part in parts)


def step_anchor(step: StepVerdict) -> str:
    # An unnumbered step is told apart by its scenario line.
    number = str(step.number) if step.number is not None else f"line{step.scenario_line}"
    return anchor(step.flow, step.device, number)


def sections(report: CheckReport) -> list[Section]:
    return [
        Section(
            anchor=anchor(flow.flow, flow.device),
            flow=flow,
            status=flow.status,
            failure=orphan_failure(flow),
            failing_steps=[step for step in flow.steps if failing(step)],
            matching_steps=[step for step in flow.steps if not failing(step)],
        )
        for flow in report.flows
    ]


def overview(all_sections: list[Section]) -> Overview:
    flows: dict[str, str] = {}
    devices: dict[str, None] = {}
    cells: dict[tuple[str, str], Section] = {}
    for section in all_sections:
        flows.setdefault(section.flow.flow, section.flow.title)
        devices.setdefault(section.flow.device, None)
        cells[(section.flow.flow, section.flow.device)] = section
    return Overview(list(flows.items()), list(devices), cells)


def percent(ratio: float) -> str:
    return f"{ratio * 100:.2f} %"


def image_url(path: str) -> str:
    """A relative path as a URL: spaces, '#', '?' and non-ASCII names still load from disk."""
    return urllib.parse.quote(path.replace("\\", "/"))


def _asset(name: str) -> Markup:
    # Our own CSS/JS, inlined verbatim; it must never contain "</" + "style"/"script".
    return Markup((TEMPLATE_DIR / name).read_text(encoding="utf-8"))


def _environment() -> Environment:
    env = environment(TEMPLATE_DIR)
    env.filters["circled"] = circled  # the report's own: a silent step shows "–"
    env.filters["status_label"] = lambda status: STATUS_LABELS[status]
    env.filters["percent"] = percent
    env.filters["url"] = image_url
    env.filters["thousands"] = "{:,}".format
    env.globals["sentences"] = step_sentences
    env.globals["step_anchor"] = step_anchor
    env.globals["page_label"] = page_label
    env.globals["same_step_pages"] = same_step_pages
    env.globals["reprint_lines"] = reprint_lines
    return env


def render_html(report: CheckReport) -> str:
    all_sections = sections(report)
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report,
        counts=report.counts(),
        statuses=list(StepStatus),
        sections=all_sections,
        overview=overview(all_sections),
        environment_notes=environment_notes(report),
        css=_asset("report.css"),
        js=_asset("report.js"),
    )
