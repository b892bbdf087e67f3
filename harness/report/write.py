"""Write every report file into one folder, each atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.files import write_text_atomic
from harness.report.html import render_html
from harness.report.json_report import render_json
from harness.report.junit import render_junit
from harness.verdict import CheckReport


@dataclass(frozen=True)
class ReportPaths:
    html: Path
    junit: Path
    json: Path


def write_reports(report: CheckReport, folder: Path) -> ReportPaths:
    """folder/index.html, junit.xml and report.json; images are already in the folder."""
    paths = ReportPaths(
        html=folder / "index.html", junit=folder / "junit.xml", json=folder / "report.json"
    )
    # Render everything first so a template error leaves no half-updated set of files.
    contents = {
        paths.html: render_html(report),
        paths.junit: render_junit(report),
        paths.json: render_json(report),
    }
    for path, text in contents.items():
        write_text_atomic(path, text)
    return paths
