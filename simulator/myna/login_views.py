"""マイナポータル top page and the card login: PIN → hold the card → read → remove."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from simulator import sandbox
from simulator.myna import auth, bp, cards, login
from simulator.myna.hub import current_hub

# How long one long-poll request may block before the page asks again.
DEFAULT_LONGPOLL_SECONDS = 25.0

LOCKED_MESSAGE = (
    "パスワードを3回続けて間違えたため、パスワードがロックされました。"
    "お住まいの市区町村窓口でパスワードの初期化（再設定）を行ってください。"
)
UNREADABLE_MESSAGE = "マイナンバーカードを読み取れませんでした。もう一度お試しください。"


def _failure_message(outcome: cards.Outcome | None, persona: str | None) -> str | None:
    if outcome == "wrong" and persona is not None:
        return f"パスワードが違います。残り{cards.tries_left(persona)}回"
    if outcome == "locked":
        return LOCKED_MESSAGE
    if outcome == "unreadable":
        return UNREADABLE_MESSAGE
    return None


def _page_for(state: login.LoginState) -> str:
    """Where a browser should be for this stage of the login."""
    return {
        "idle": url_for("myna.login"),
        "reading": url_for("myna.read"),
        "read": url_for("myna.read_complete"),
        "failed": url_for("myna.login", after="read"),
        "removed": url_for("myna.finish"),
    }[state.stage]


@bp.get("/")
def top() -> str:
    return render_template("myna/top.html")


# Endpoint "myna.login": the function has another name so the `login` module stays usable.
@bp.route("/login", methods=["GET", "POST"], endpoint="login")
def pin_page() -> str | Response:
    error: str | None = None
    if request.method == "POST":
        pin = request.form.get("pin", "")
        error = cards.pin_error(pin)
        if error is None and cards.is_locked(cards.card_in_hand()):
            error = LOCKED_MESSAGE
        if error is None:
            login.begin_reading(pin)
            return redirect(url_for("myna.read"))
    elif request.args.get("after") == "read":
        state = login.state()
        if state.stage == "failed":
            error = _failure_message(state.outcome, state.persona)
    return render_template("myna/pin.html", error=error)


@bp.get("/login/read")
def read() -> str | Response:
    state = login.state()
    if state.stage != "reading":
        return redirect(_page_for(state))
    return render_template("myna/read.html", wait_stage="reading")


@bp.get("/login/read/complete")
def read_complete() -> str | Response:
    state = login.state()
    if state.stage not in ("read", "removed"):
        return redirect(_page_for(state))
    return render_template("myna/read_complete.html", wait_stage="read")


@bp.get("/login/wait")
def wait() -> Response:
    """Long poll: answer as soon as the login leaves the stage the page shows."""
    shown = request.args.get("stage", "")
    sandbox_id = sandbox.existing_sandbox()
    if sandbox_id is None:
        # Reset while this poll was on its way (it carries the old cookie): the page starts
        # over, and the session is not moved to yet another sandbox.
        return jsonify(stage="idle", next=url_for("myna.login"))
    since = current_hub().version(sandbox_id)  # note the counter before looking at the state
    state = login.state()
    if state.stage == shown:
        timeout = float(current_app.config.get("MYNA_LONGPOLL_SECONDS", DEFAULT_LONGPOLL_SECONDS))
        current_hub().wait_change(sandbox_id, since, timeout)
        # By id, not via the session: after a reset this must not start another sandbox.
        state = login.state_of(sandbox_id)
    following = None if state.stage == shown else _page_for(state)
    return jsonify(stage=state.stage, next=following)


@bp.get("/login/finish")
def finish() -> Response:
    persona = login.finish()
    if persona is None:
        return redirect(url_for("myna.login"))
    auth.log_in(persona)
    return redirect(url_for("myna.home"))
