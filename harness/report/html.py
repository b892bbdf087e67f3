"""index.html: one self-contained page (CSS and JS inline, images by relative path).

It opens from disk and offline. The changes come first, one line each with a link to every
step it was found on; then each flow, its failing steps open with their images; matching
steps are listed collapsed without images, so a large clean run stays light.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from harness.drift.groups import ChangeGroup, group_changes, groups_of
from harness.drift.verdict import CheckReport, FlowVerdict, StepStatus, StepVerdict
from harness.report.common import (
    STATUS_LABELS,
    circled,
    failing,
    noisy,
    orphan_failure,
    step_sentences,
)
from harness.report.editions import edition_label
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
class StepLink:
    label: str  # Android login-userid ④
    anchor: str


@dataclass(frozen=True)
class Change:
    """One change as the page lists it: its sentence and a link to each of its steps."""

    id: str
    kind: str
    sentence: str
    links: list[StepLink]

    @property
    def anchor(self) -> str:
        return f"change-{self.id}"


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
            # Rendering noise passes, but is shown open with its areas, like a difference.
            failing_steps=[step for step in flow.steps if failing(step) or noisy(step)],
            matching_steps=[step for step in flow.steps if step.status is StepStatus.MATCH],
        )
        for flow in report.flows
    ]


def changes(groups: list[ChangeGroup]) -> list[Change]:
    return [
        Change(
            group.id,
            group.kind,
            group.sentence(edition_label),
            [
                StepLink(
                    f"{edition_label(step.device)} {step.flow} {circled(step.number)}",
                    step_anchor(step),
                )
                for step in group.steps
            ],
        )
        for group in groups
    ]


def step_changes(groups: list[ChangeGroup]) -> Callable[[StepVerdict], list[Change]]:
    """A step's changes that other steps share too (its own are in its section already)."""
    listed = dict(zip((g.id for g in groups), changes(groups), strict=True))

    def of(step: StepVerdict) -> list[Change]:
        return [listed[g.id] for g in groups_of(step, groups) if len(g.steps) > 1]

    return of


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
    groups = group_changes(report)
    env = _environment()
    env.globals["step_changes"] = step_changes(groups)
    template = env.get_template("report.html.j2")
    return template.render(
        changes=changes(groups),
        report=report,
        counts=report.counts(),
        statuses=list(StepStatus),
        sections=all_sections,
        overview=overview(all_sections),
        environment_notes=environment_notes(report),
        css=_asset("report.css"),
        js=_asset("report.js"),
    )
