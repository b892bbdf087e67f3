"""Who is logged in to ねんきんネット, how, and the per-sandbox account rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import wraps
from typing import Literal, ParamSpec, TypeVar

from flask import redirect, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from simulator import sandbox
from simulator.db import get_db
from simulator.personas import Persona, load_personas

Via = Literal["userid", "myna"]
P = ParamSpec("P")
R = TypeVar("R")

# pbkdf2 with a fixed, modest cost: hashed for real, yet quick enough to seed every sandbox.
HASH_METHOD = "pbkdf2:sha256:20000"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=HASH_METHOD)


def password_matches(stored_hash: str | None, password: str) -> bool:
    return stored_hash is not None and check_password_hash(stored_hash, password)


def seed(sandbox_id: str) -> None:
    """Give a new sandbox one account row per persona, as the personas file describes."""
    db = get_db()
    for key, persona in load_personas().items():
        account = persona.account
        db.execute(
            "INSERT INTO nenkin_account (sandbox, persona, user_id, password_hash, email,"
            " notify_mail, paperless, notice_read) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                sandbox_id,
                key,
                account.user_id if account else None,
                hash_password(account.password) if account else None,
                persona.email,
                None if persona.notify_mail is None else int(persona.notify_mail),
                None if persona.paperless is None else int(persona.paperless),
                1 if persona.email else 0,
            ),
        )


def account_row(persona_key: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = (
        get_db()
        .execute(
            "SELECT * FROM nenkin_account WHERE sandbox = ? AND persona = ?",
            (sandbox.current_sandbox(), persona_key),
        )
        .fetchone()
    )
    return row


def update_account(persona_key: str, **fields: object) -> None:
    columns = ", ".join(f"{name} = ?" for name in fields)
    get_db().execute(
        f"UPDATE nenkin_account SET {columns} WHERE sandbox = ? AND persona = ?",
        (*fields.values(), sandbox.current_sandbox(), persona_key),
    )


def login_user(persona_key: str, via: Via) -> None:
    """Start a ねんきんネット session; the previous login time becomes 最新のログイン日時."""
    session["nenkin_user"] = persona_key
    session["nenkin_via"] = via
    update_account(persona_key, last_login=sandbox.now().isoformat(), failed_logins=0)


def logout_user() -> None:
    session.pop("nenkin_user", None)
    session.pop("nenkin_via", None)


def current_user() -> Persona | None:
    key = session.get("nenkin_user")
    if key is None:
        return None
    return load_personas().get(key)


def current_via() -> Via | None:
    via = session.get("nenkin_via")
    return via if via in ("userid", "myna") else None


def login_required(view: Callable[P, R]) -> Callable[P, R | Response]:
    """Member pages send a visitor without a session to the login page."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        if current_user() is None:
            return redirect(url_for("nenkin.login"))
        return view(*args, **kwargs)

    return wrapped
