"""The account rows the public pages read and change: user IDs, lockout, e-mail, issuing."""

from __future__ import annotations

import sqlite3

from simulator import sandbox
from simulator.db import get_db
from simulator.nenkin.accounts import update_account

MAX_FAILED_LOGINS = 5  # the fifth wrong password in a row locks the account


def account_by_user_id(user_id: str) -> sqlite3.Row | None:
    """The row whose user ID is `user_id` in this sandbox (IDs are compared as typed)."""
    row: sqlite3.Row | None = (
        get_db()
        .execute(
            "SELECT * FROM nenkin_account WHERE sandbox = ? AND user_id = ?",
            (sandbox.current_sandbox(), user_id),
        )
        .fetchone()
    )
    return row


def record_failed_login(row: sqlite3.Row) -> bool:
    """Count one more wrong password; lock at the limit. True if the account is now locked."""
    failures = int(row["failed_logins"]) + 1
    locked = failures >= MAX_FAILED_LOGINS
    update_account(row["persona"], failed_logins=failures, locked=int(locked or row["locked"]))
    return locked


def email_taken(email: str) -> bool:
    """Whether any account in this sandbox registered `email` (case-insensitive)."""
    row = (
        get_db()
        .execute(
            "SELECT 1 FROM nenkin_account WHERE sandbox = ? AND lower(email) = lower(?)",
            (sandbox.current_sandbox(), email),
        )
        .fetchone()
    )
    return row is not None


def has_user_id(persona_key: str) -> bool:
    row = (
        get_db()
        .execute(
            "SELECT user_id FROM nenkin_account WHERE sandbox = ? AND persona = ?",
            (sandbox.current_sandbox(), persona_key),
        )
        .fetchone()
    )
    return row is not None and row["user_id"] is not None


def issue_account(
    persona_key: str, *, user_id: str, password_hash: str, email: str, notify_mail: bool
) -> None:
    """Give the persona its user ID and password; a new issue also lifts an old lock."""
    update_account(
        persona_key,
        user_id=user_id,
        password_hash=password_hash,
        email=email,
        notify_mail=int(notify_mail),
        failed_logins=0,
        locked=0,
    )
