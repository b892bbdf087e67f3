"""Reports of a `guideshot check`: HTML for people, JUnit and JSON for CI, GitHub annotations.

Every format renders a `harness.drift.verdict.CheckReport` as it is and recomputes nothing.
"""

from harness.report.github import github_annotations
from harness.report.html import render_html
from harness.report.json_report import load_json, render_json
from harness.report.junit import render_junit
from harness.report.write import ReportPaths, missing_images, write_reports

__all__ = [
    "ReportPaths",
    "github_annotations",
    "load_json",
    "missing_images",
    "render_html",
    "render_json",
    "render_junit",
    "write_reports",
]
