"""Issuing a user ID: the account, the application row, and the e-mail or letter about it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from flask import url_for

from simulator import sandbox
from simulator.db import get_db
from simulator.nenkin import credentials
from simulator.nenkin.application import user_id_for
from simulator.personas import load_personas

MAIL_SUBJECT = "【ねんきんネット】ユーザIDご確認用URLのお知らせ"
LETTER_SUBJECT = "ユーザIDのお知らせ"


def confirmation_token(persona_key: str, issued_at: str) -> str:
    """Derived from who and when, not random: the same run shows the same URL every time."""
    return hashlib.sha256(f"{persona_key}|{issued_at}".encode()).hexdigest()[:32]


def issue(
    persona_key: str, values: Mapping[str, str], password_hash: str, *, with_key: bool
) -> str:
    """Create the account and send its notice; returns the new user ID."""
    user_id = user_id_for(values["kiso_upper"], values["kiso_lower"])
    credentials.issue_account(
        persona_key,
        user_id=user_id,
        password_hash=password_hash,
        email=values["email"],
        notify_mail=values["notify_mail"] == "希望する",
    )
    issued_at = sandbox.now().isoformat()
    token = confirmation_token(persona_key, issued_at)
    get_db().execute(
        "INSERT INTO nenkin_application (sandbox, persona, with_access_key, token, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (sandbox.current_sandbox(), persona_key, int(with_key), token, issued_at),
    )
    if with_key:
        _send_mail(persona_key, values["email"], token)
    else:
        _send_letter(persona_key, values, user_id)
    return user_id


def user_id_for_token(token: str) -> str | None:
    """The user ID behind an ユーザID確認用URL of this sandbox."""
    row = (
        get_db()
        .execute(
            "SELECT a.user_id FROM nenkin_application p JOIN nenkin_account a"
            " ON a.sandbox = p.sandbox AND a.persona = p.persona"
            " WHERE p.sandbox = ? AND p.token = ?",
            (sandbox.current_sandbox(), token),
        )
        .fetchone()
    )
    return None if row is None else row["user_id"]


def _send_mail(persona_key: str, email: str, token: str) -> None:
    persona = load_personas()[persona_key]
    url = url_for("nenkin.userid_check", token=token, _external=True)
    body = (
        f"{persona.full_name} 様\n\n"
        "「ねんきんネット」のユーザIDの発行をお申し込みいただき、ありがとうございます。\n"
        "以下のユーザID確認用URLにアクセスし、ユーザIDを確認してください。\n\n"
        f"ユーザID確認用URL: {url}\n\n"
        "日本年金機構（練習用シミュレーター）\n"
    )
    sandbox.send("email", email, MAIL_SUBJECT, body)


def _send_letter(persona_key: str, values: Mapping[str, str], user_id: str) -> None:
    persona = load_personas()[persona_key]
    prefecture = "" if values["prefecture"] == "海外" else values["prefecture"]
    recipient = f"〒{values['postal_code']} {prefecture}{values['address']} {persona.full_name} 様"
    body = (
        f"{persona.full_name} 様\n\n"
        "「ねんきんネット」のユーザIDをお知らせします。\n\n"
        f"ユーザID: {user_id}\n\n"
        "このユーザIDと、お申し込みの際に設定したお客様設定パスワードでログインしてください。\n"
        "日本年金機構（練習用シミュレーター）\n"
    )
    sandbox.send("letter", recipient, LETTER_SUBJECT, body)
