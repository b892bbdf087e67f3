"""通知書を確認する: the notices a persona can read, and their PDF downloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import abort, current_app, render_template
from werkzeug.wrappers import Response

from simulator import sandbox
from simulator.db import get_db
from simulator.nenkin import accounts, bp
from simulator.nenkin.jadate import wareki_date
from simulator.nenkin.notice_pdf import DEFAULT_FONT, render_notice_pdf
from simulator.personas import Notice, Persona

TEIKIBIN = "teikibin"  # 電子版「ねんきん定期便」: the block with the 対象者 list


@dataclass(frozen=True)
class NoticeView:
    notice: Notice
    checked: str  # 最終確認日 as printed


def last_checked(persona_key: str, notice_id: str) -> date | None:
    row = (
        get_db()
        .execute(
            "SELECT checked FROM nenkin_notice_check"
            " WHERE sandbox = ? AND persona = ? AND notice = ?",
            (sandbox.current_sandbox(), persona_key, notice_id),
        )
        .fetchone()
    )
    return None if row is None else date.fromisoformat(row["checked"])


def mark_checked(persona_key: str, notice_id: str, day: date) -> None:
    get_db().execute(
        "INSERT INTO nenkin_notice_check (sandbox, persona, notice, checked) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (sandbox, persona, notice) DO UPDATE SET checked = excluded.checked",
        (sandbox.current_sandbox(), persona_key, notice_id, day.isoformat()),
    )


def notice_view(persona: Persona, notice: Notice) -> NoticeView:
    stored = last_checked(persona.key, notice.id)
    # Until the first download, the date seeded from the personas file shows.
    checked = wareki_date(stored) if stored is not None else notice.checked or "未確認"
    return NoticeView(notice=notice, checked=checked)


def _persona() -> Persona:
    persona = accounts.current_user()
    assert persona is not None  # login_required ran first
    return persona


@bp.get("/notices")
@accounts.login_required
def notices() -> str:
    persona = _persona()
    views = [notice_view(persona, notice) for notice in persona.notices]
    return render_template("nenkin/member/notices.html", views=views, teikibin=TEIKIBIN)


@bp.post("/notices/<notice_id>/download")
@accounts.login_required
def notice_download(notice_id: str) -> Response:
    persona = _persona()
    notice = next((n for n in persona.notices if n.id == notice_id), None)
    if notice is None:
        abort(404)
    moment = sandbox.now()
    font = Path(current_app.config.get("NENKIN_PDF_FONT", DEFAULT_FONT))
    body = render_notice_pdf(persona, notice, created=moment, font_path=font)
    mark_checked(persona.key, notice.id, moment.date())
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="nenkin-{notice.id}.pdf"'
    return response
