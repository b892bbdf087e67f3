"""メールアドレスを登録・変更する／ねんきん定期便のペーパーレス化: (入力) → (確認) → (変更).

The draft between (入力) and (確認) lives in the session, tagged with the persona, so
「入力内容を修正する」 can bring the input back and nothing is saved before 登録.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict

from flask import redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from simulator.nenkin import accounts, bp, credentials
from simulator.nenkin.mail_form import (
    FIELDS,
    NOTIFY_LABELS,
    PAPERLESS_LABELS,
    MailDraft,
    check_mail_form,
    state_label,
)
from simulator.personas import Persona

DRAFT_KEY = "nenkin_mail_draft"


def _persona() -> Persona:
    persona = accounts.current_user()
    assert persona is not None  # login_required ran first
    return persona


def _draft(persona_key: str) -> MailDraft | None:
    stored = session.get(DRAFT_KEY)
    if not isinstance(stored, dict) or stored.get("persona") != persona_key:
        return None
    return MailDraft(stored["email"], stored["notify_mail"], stored["paperless"])


def _values_from(draft: MailDraft | None, row: sqlite3.Row) -> dict[str, str]:
    """What the (入力) fields show on arrival: the draft being corrected, else the account."""
    if draft is None:
        values = {"email": row["email"] or "", "email_again": row["email"] or ""}
        for name in ("notify_mail", "paperless"):
            if row[name] is not None:
                values[name] = str(row[name])
        return values
    return {
        "email": draft.email,
        "email_again": draft.email,
        "notify_mail": "1" if draft.notify_mail else "0",
        "paperless": "1" if draft.paperless else "0",
    }


@bp.route("/mail", methods=["GET", "POST"])
@accounts.login_required
def mail_settings() -> Response | str:
    persona = _persona()
    row = accounts.account_row(persona.key)
    assert row is not None
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {name: request.form.get(name, "") for name in FIELDS}
        own = (row["email"] or "").lower()
        # Keeping one's own address is no clash; anyone else's is.
        draft, errors = check_mail_form(
            values, taken=lambda email: email.lower() != own and credentials.email_taken(email)
        )
        if draft is not None:
            session[DRAFT_KEY] = {"persona": persona.key, **asdict(draft)}
            return redirect(url_for("nenkin.mail_confirm"))
    else:
        values = _values_from(_draft(persona.key), row)
    return render_template(
        "nenkin/member/mail_input.html",
        values=values,
        errors=errors,
        paperless_unset=row["paperless"] is None,
        notify_state=state_label(row["notify_mail"], NOTIFY_LABELS),
        paperless_state=state_label(row["paperless"], PAPERLESS_LABELS),
        notify_labels=NOTIFY_LABELS,
        paperless_labels=PAPERLESS_LABELS,
        via_myna=accounts.current_via() == "myna",
    )


@bp.route("/mail/confirm", methods=["GET", "POST"])
@accounts.login_required
def mail_confirm() -> Response | str:
    persona = _persona()
    draft = _draft(persona.key)
    if draft is None:
        return redirect(url_for("nenkin.mail_settings"))
    if request.method == "POST":
        if request.form.get("action") == "fix":
            return redirect(url_for("nenkin.mail_settings"))
        accounts.update_account(
            persona.key,
            email=draft.email,
            notify_mail=int(draft.notify_mail),
            paperless=int(draft.paperless),
        )
        session.pop(DRAFT_KEY, None)
        return redirect(url_for("nenkin.mail_done"))
    return render_template(
        "nenkin/member/mail_confirm.html",
        draft=draft,
        notify_label=NOTIFY_LABELS["1" if draft.notify_mail else "0"],
        paperless_label=PAPERLESS_LABELS["1" if draft.paperless else "0"],
    )


@bp.get("/mail/done")
@accounts.login_required
def mail_done() -> str:
    return render_template("nenkin/member/mail_done.html")


@bp.get("/mail/unlink")
@accounts.login_required
def mail_unlink() -> str:
    return render_template("nenkin/member/mail_unlink.html")
