"""マイナンバーカード: the 4-digit 利用者証明用電子証明書のパスワード, wrong tries and lockout."""

from __future__ import annotations

import re
from typing import Literal

from simulator import sandbox
from simulator.db import get_db
from simulator.personas import load_personas

DEFAULT_CARD = "hanako"  # whose card is "in hand" until /_sim/persona says otherwise
MAX_TRIES = 3
Outcome = Literal["read", "wrong", "locked", "unreadable"]

_HALF_WIDTH_PIN = re.compile(r"[0-9]{4}")
_FULL_WIDTH_DIGITS = re.compile(r"[０-９]+")


def seed(sandbox_id: str) -> None:
    """Every persona with a card starts with no wrong tries and an unlocked PIN."""
    db = get_db()
    for key, persona in load_personas().items():
        if persona.card is not None:
            db.execute("INSERT INTO myna_card (sandbox, persona) VALUES (?, ?)", (sandbox_id, key))


def pin_error(value: str) -> str | None:
    """The message shown beside the PIN field, or None when the format is right."""
    if value == "":
        return "パスワードを入力してください。"
    if _FULL_WIDTH_DIGITS.fullmatch(value):
        return "パスワードは半角数字で入力してください。"
    if not _HALF_WIDTH_PIN.fullmatch(value):
        return "パスワードは数字4桁で入力してください。"
    return None


def card_in_hand() -> str:
    return sandbox.card_persona() or DEFAULT_CARD


def is_locked(persona_key: str) -> bool:
    row = (
        get_db()
        .execute(
            "SELECT locked FROM myna_card WHERE sandbox = ? AND persona = ?",
            (sandbox.current_sandbox(), persona_key),
        )
        .fetchone()
    )
    return row is not None and bool(row["locked"])


def tries_left(persona_key: str) -> int:
    row = (
        get_db()
        .execute(
            "SELECT pin_failures FROM myna_card WHERE sandbox = ? AND persona = ?",
            (sandbox.current_sandbox(), persona_key),
        )
        .fetchone()
    )
    return MAX_TRIES - (row["pin_failures"] if row is not None else 0)


def check_pin(persona_key: str, pin: str) -> Outcome:
    """Verify `pin` against the card, counting wrong tries; the 3rd one locks the PIN."""
    persona = load_personas().get(persona_key)
    if persona is None or persona.card is None:
        return "unreadable"
    if is_locked(persona_key):
        return "locked"
    db = get_db()
    where = (sandbox.current_sandbox(), persona_key)
    if pin == persona.card.pin:
        db.execute("UPDATE myna_card SET pin_failures = 0 WHERE sandbox = ? AND persona = ?", where)
        return "read"
    db.execute(
        "UPDATE myna_card SET pin_failures = pin_failures + 1,"
        f" locked = (pin_failures + 1 >= {MAX_TRIES}) WHERE sandbox = ? AND persona = ?",
        where,
    )
    return "locked" if is_locked(persona_key) else "wrong"
