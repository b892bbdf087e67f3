"""The review page and its three actions (approve, reject, undo) as a Flask application.

Each action takes a step, a flow on a device, or a change (`{"group": ID}`: every step of
one of the report's changes, at once; one Undo puts all of it back).

Every request passes guard.py first (its own Host; Origin and the page's token on every
action); every action is also a JSON POST, which a cross-origin page cannot send without a
preflight this server never grants. Pictures are read only from the report's own files,
never through a link (pictures.py); so is a failed flow's Playwright trace, only where
`check` writes it (traces.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, jsonify, request, send_file
from markupsafe import Markup

from harness.drift.groups import ChangeGroup, group_changes
from harness.drift.verdict import CheckReport
from harness.report.common import STATUS_LABELS, circled, step_sentences
from harness.report.html import TEMPLATE_DIR as REPORT_TEMPLATES
from harness.report.html import changes, image_url, sections, step_anchor, step_changes
from harness.report.reprint import page_label, reprint_lines
from harness.review.decisions import Review, ReviewRefused, state, step_key
from harness.review.guard import Guard, guard_app, picture_parts
from harness.review.pictures import open_inside
from harness.review.traces import Trace, report_traces
from harness.templating import TEMPLATES, environment

REVIEW_TEMPLATES = TEMPLATES / "review"
MAX_ACTION_BYTES = 64 * 1024  # an action is a few ids; anything longer is not one


def _asset(folder: Path, name: str) -> Markup:
    return Markup((folder / name).read_text(encoding="utf-8"))


def _page(report: CheckReport, review: Review, guard: Guard, traces: dict[str, Trace]) -> str:
    env = environment(REVIEW_TEMPLATES)
    env.filters["circled"] = circled
    env.filters["status_label"] = lambda status: STATUS_LABELS[status]
    env.filters["url"] = image_url
    groups = group_changes(report)
    env.globals.update(
        step_changes=step_changes(groups),
        sentences=step_sentences,
        page_label=page_label,
        step_anchor=step_anchor,
        step_key=step_key,
        approvable=review.approvable,
    )
    return env.get_template("review.html.j2").render(
        report=report,
        changes=[
            (change, [step_key(*key) for key in group.members() if key in review.decisions])
            for change, group in zip(changes(groups), groups, strict=True)
        ],
        sections=[s for s in sections(report) if s.failing_steps or s.failure],
        traces=traces,
        reprint=reprint_lines(report),
        css=_asset(REPORT_TEMPLATES, "report.css") + _asset(REVIEW_TEMPLATES, "review.css"),
        js=_asset(REVIEW_TEMPLATES, "review.js"),
        token=guard.token,
        nonce=guard.nonce,
    )


def _body() -> dict[str, Any]:
    if not request.is_json:
        abort(415)
    body: Any = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    return body


def _group(groups: dict[str, ChangeGroup]) -> ChangeGroup | None:
    """The change a request names by its id (`{"group": ID}`), else None (a flow or step)."""
    wanted = _body().get("group")
    if wanted is None:
        return None
    if not isinstance(wanted, str):
        abort(400)
    group = groups.get(wanted)
    if group is None:
        abort(404)
    return group


def _target() -> tuple[str, str, int | None]:
    body = _body()
    device, flow, step = body.get("device"), body.get("flow"), body.get("step")
    if not isinstance(device, str) or not isinstance(flow, str):
        abort(400)
    if step is not None and not isinstance(step, int):
        abort(400)
    return device, flow, step


def _refused(exc: ReviewRefused, review: Review) -> tuple[Response, int]:
    return jsonify(error=str(exc), **state(review)), 409


def _not_found() -> Response:
    return Response("not found\n", 404, mimetype="text/plain")


def _trace(report_dir: Path, trace: Trace) -> Response:
    opened = open_inside(report_dir, trace.parts)
    if opened is None:  # replaced by a link or removed since the page was made
        return _not_found()
    return send_file(
        opened,
        mimetype="application/zip",
        as_attachment=True,
        download_name=trace.download_name,
        etag=False,
        max_age=0,
    )


def create_review_app(report_dir: Path, report: CheckReport, review: Review, origin: str) -> Flask:
    """The review of `report` for a server at `origin` (http://127.0.0.1:PORT)."""
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = MAX_ACTION_BYTES
    app.url_map.merge_slashes = False  # "//" is refused as it is, not redirected
    app.register_error_handler(404, lambda _error: _not_found())
    guard = Guard(origin)
    guard_app(app, guard)
    # The changes are the report's, computed here: a request names one only by its id.
    groups = {group.id: group for group in group_changes(report)}
    traces = report_traces(report_dir, report)  # shown as given: `show-trace report/…`
    page = _page(report, review, guard, traces)
    report_dir = report_dir.resolve()

    @app.get("/")
    def index() -> Response:
        response = Response(page, mimetype="text/html")
        response.headers["Content-Security-Policy"] = guard.page_policy()
        return response

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)  # none, rather than a 404 in every browser console

    @app.get("/report/<path:name>")
    def report_file(name: str) -> Response:
        trace = traces.get(name)  # the request only picks one of the report's traces
        if trace is not None:
            return _trace(report_dir, trace)
        parts = picture_parts(name)
        picture = open_inside(report_dir, parts) if parts else None
        if picture is None:
            return _not_found()
        return send_file(picture, mimetype="image/png", etag=False, max_age=0)

    @app.get("/api/state")
    def current() -> Response:
        return jsonify(state(review))

    @app.post("/api/approve")
    def approve() -> Response | tuple[Response, int]:
        if not request.is_json:
            abort(415)
        group = _group(groups)
        try:
            if group is not None:
                labels = review.approve_steps(group.members())
            else:
                labels = review.approve(*_target())
        except ReviewRefused as exc:
            return _refused(exc, review)
        return jsonify(approved=labels, **state(review))

    @app.post("/api/reject")
    def reject() -> Response | tuple[Response, int]:
        group = _group(groups)
        try:
            if group is not None:
                review.reject_steps(group.members())
            else:
                review.reject(*_target())
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
