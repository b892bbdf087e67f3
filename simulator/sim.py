"""Test hooks under /_sim/: JSON in, JSON out, acting on the caller's own sandbox.

A Playwright context's `context.request` shares the browser's cookies, so a scenario can
reset its sandbox, set the clock, pick whose マイナンバーカード is in hand and tap or
remove the card, without touching any other run.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request, session

from simulator import sandbox
from simulator.config import TOKYO
from simulator.db import get_db
from simulator.myna import login
from simulator.myna.hub import current_hub
from simulator.personas import load_personas

bp = Blueprint("sim", __name__, url_prefix="/_sim")


class HookError(Exception):
    """A bad request to a hook: answered with 400 and this one-line message."""


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.errorhandler(HookError)
def bad_request(error: HookError) -> tuple[Response, int]:
    return jsonify(ok=False, error=str(error)), 400


def _body(*fields: str) -> dict[str, Any]:
    """The JSON object body, which must hold exactly `fields` (each may be null)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise HookError("expected a JSON object body")
    missing = [name for name in fields if name not in body]
    extra = sorted(set(body) - set(fields))
    if missing:
        raise HookError(f"missing field: {', '.join(missing)}")
    if extra:
        raise HookError(f"unknown field: {', '.join(extra)} (expected: {', '.join(fields)})")
    return body


def _parse_moment(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise HookError("at: expected an ISO-8601 date-time string or null")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise HookError(f"at: not an ISO-8601 date-time: {value!r}") from None
    # A time without an offset is Tokyo time, like every screen.
    return moment.replace(tzinfo=TOKYO) if moment.tzinfo is None else moment


@bp.get("/health")
def health() -> Response:
    return jsonify(ok=True)


@bp.post("/reset")
def reset() -> Response:
    """A fresh sandbox from the personas, and a session logged in nowhere."""
    old = session.get("sandbox")
    session.clear()
    if isinstance(old, str):
        get_db().execute("DELETE FROM sandbox WHERE id = ?", (old,))
        current_hub().bump(old)  # release any long poll still waiting on the old sandbox
    return jsonify(ok=True, sandbox=sandbox.current_sandbox())


@bp.post("/clock")
def clock() -> Response:
    sandbox.set_clock(_parse_moment(_body("at")["at"]))
    return jsonify(ok=True, now=sandbox.now().isoformat())


@bp.post("/device")
def device() -> Response:
    value = _body("device")["device"]
    if value not in ("android", "iphone", None):
        raise HookError(f"device: expected 'android', 'iphone' or null, got {value!r}")
    sandbox.set_device(value)
    return jsonify(ok=True, device=value)


@bp.post("/persona")
def persona() -> Response:
    """Whose マイナンバーカード is in hand."""
    key = _body("persona")["persona"]
    known = load_personas()
    if key is not None and key not in known:
        raise HookError(f"persona: unknown key {key!r}; known: {', '.join(known)}")
    sandbox.set_card_persona(key)
    return jsonify(ok=True, persona=key)


@bp.post("/card/tap")
def card_tap() -> Response:
    """Hold the card to the phone; verifies the PIN if a login is waiting for the card."""
    return jsonify(ok=True, outcome=login.tap())


@bp.post("/card/remove")
def card_remove() -> Response:
    return jsonify(ok=True, removed=login.remove())


@bp.get("/outbox")
def outbox() -> Response:
    rows = (
        get_db()
        .execute(
            "SELECT kind, recipient, subject, body, sent_at FROM outbox"
            " WHERE sandbox = ? ORDER BY id",
            (sandbox.current_sandbox(),),
        )
        .fetchall()
    )
    return jsonify([dict(row) for row in rows])
