"""The review page and its three actions (approve, reject, undo) as a Flask application.

Loopback only, and every action is a JSON POST: a page on another site cannot send one
(a cross-origin JSON request needs a preflight this server never grants).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, jsonify, request, send_from_directory
from markupsafe import Markup

from harness.drift.verdict import CheckReport
from harness.report.common import STATUS_LABELS, circled, step_sentences
from harness.report.html import TEMPLATE_DIR as REPORT_TEMPLATES
from harness.report.html import image_url, sections
from harness.report.reprint import page_label, reprint_lines
from harness.review.decisions import Review, ReviewRefused, state, step_key
from harness.templating import TEMPLATES, environment

REVIEW_TEMPLATES = TEMPLATES / "review"


def _asset(folder: Path, name: str) -> Markup:
    return Markup((folder / name).read_text(encoding="utf-8"))


def _page(report: CheckReport, review: Review) -> str:
    env = environment(REVIEW_TEMPLATES)
    env.filters["circled"] = circled
    env.filters["status_label"] = lambda status: STATUS_LABELS[status]
    env.filters["url"] = image_url
    env.globals.update(
        sentences=step_sentences,
        page_label=page_label,
        step_key=step_key,
        approvable=review.approvable,
    )
    return env.get_template("review.html.j2").render(
        report=report,
        sections=[s for s in sections(report) if s.failing_steps or s.failure],
        reprint=reprint_lines(report),
        css=_asset(REPORT_TEMPLATES, "report.css") + _asset(REVIEW_TEMPLATES, "review.css"),
        js=_asset(REVIEW_TEMPLATES, "review.js"),
    )


def _target() -> tuple[str, str, int | None]:
    if not request.is_json:
        abort(415)
    body: Any = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    device, flow, step = body.get("device"), body.get("flow"), body.get("step")
    if not isinstance(device, str) or not isinstance(flow, str):
        abort(400)
    if step is not None and not isinstance(step, int):
        abort(400)
    return device, flow, step


def _refused(exc: ReviewRefused, review: Review) -> tuple[Response, int]:
    return jsonify(error=str(exc), **state(review)), 409


def create_review_app(report_dir: Path, report: CheckReport, review: Review) -> Flask:
    app = Flask(__name__)
    page = _page(report, review)
    # Flask resolves a relative folder against its package, not the working directory.
    report_dir = report_dir.resolve()

    @app.get("/")
    def index() -> str:
        return page

    @app.get("/report/<path:name>")
    def report_file(name: str) -> Response:
        return send_from_directory(report_dir, name)

    @app.get("/api/state")
    def current() -> Response:
        return jsonify(state(review))

    @app.post("/api/approve")
    def approve() -> Response | tuple[Response, int]:
        if not request.is_json:
            abort(415)
        device, flow, step = _target()
        try:
            labels = review.approve(device, flow, step)
        except ReviewRefused as exc:
            return _refused(exc, review)
        return jsonify(approved=labels, **state(review))

    @app.post("/api/reject")
    def reject() -> Response | tuple[Response, int]:
        device, flow, step = _target()
        try:
            review.reject(device, flow, step)
        except ReviewRefused as exc:
            return _refused(exc, review)
        return jsonify(state(review))

    @app.post("/api/undo")
    def undo() -> Response | tuple[Response, int]:
        if not request.is_json:
            abort(415)
        try:
            labels = review.undo()
        except ReviewRefused as exc:
            return _refused(exc, review)
        return jsonify(restored=labels, **state(review))

    return app
