"""Write every report file into one folder, each atomically."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harness.drift.verdict import CheckReport
from harness.files import write_text_atomic
from harness.report.html import render_html
from harness.report.json_report import render_json
from harness.report.junit import render_junit
from harness.report.summary import render_summary


@dataclass(frozen=True)
class ReportPaths:
    html: Path
    junit: Path
    json: Path
    summary: Path
    # Image paths the verdicts name but the folder lacks: the page shows their alt text instead.
    missing_images: tuple[str, ...] = ()


def missing_images(report: CheckReport, exists: Callable[[str], bool]) -> tuple[str, ...]:
    """Referenced images for which `exists` (relative path → bool) says no, in report order."""
    named = (
        path
        for step in report.steps()
        for path in (step.approved_image, step.current_image, step.diff_image)
        if path is not None
    )
    return tuple(dict.fromkeys(path for path in named if not exists(path)))


def write_reports(report: CheckReport, folder: Path) -> ReportPaths:
    """folder/index.html, junit.xml, report.json and summary.md; images are already there."""
    html, junit, json = folder / "index.html", folder / "junit.xml", folder / "report.json"
    summary = folder / "summary.md"
    # Render everything first so a template error leaves no half-updated set of files.
    contents = {
        html: render_html(report),
        junit: render_junit(report),
        json: render_json(report),
        summary: render_summary(report),
    }
    for path, text in contents.items():
        write_text_atomic(path, text)
    missing = missing_images(report, lambda relative: (folder / relative).is_file())
    return ReportPaths(html=html, junit=junit, json=json, summary=summary, missing_images=missing)
