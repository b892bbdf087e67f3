"""The card login in progress for a sandbox: PIN typed → card tapped → read → removed.

The state lives in the database (myna_login), so the /_sim hooks and the browser's own
requests see the same thing; every change bumps the reader hub to wake the long poll.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from simulator import sandbox
from simulator.db import get_db
from simulator.myna import cards
from simulator.myna.hub import current_hub

Stage = Literal["idle", "reading", "read", "failed", "removed"]


@dataclass(frozen=True)
class LoginState:
    stage: Stage
    persona: str | None
    outcome: cards.Outcome | None


def state() -> LoginState:
    return state_of(sandbox.current_sandbox())


def state_of(sandbox_id: str) -> LoginState:
    """The login of a given sandbox; idle if it has none (or was reset meanwhile)."""
    row = (
        get_db()
        .execute("SELECT stage, persona, outcome FROM myna_login WHERE sandbox = ?", (sandbox_id,))
        .fetchone()
    )
    if row is None:
        return LoginState("idle", None, None)
    return LoginState(row["stage"], row["persona"], row["outcome"])


def _save(stage: Stage, pin: str | None, persona: str | None, outcome: str | None) -> None:
    sandbox_id = sandbox.current_sandbox()
    get_db().execute(
        "INSERT INTO myna_login (sandbox, stage, pin, persona, outcome) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (sandbox) DO UPDATE SET stage = excluded.stage, pin = excluded.pin,"
        " persona = excluded.persona, outcome = excluded.outcome",
        (sandbox_id, stage, pin, persona, outcome),
    )
    current_hub().bump(sandbox_id)


def begin_reading(pin: str) -> None:
    """The PIN passed the format check: wait for the card to be held to the phone."""
    _save("reading", pin, None, None)


def tap() -> cards.Outcome | None:
    """The card touches the phone. Verifies the typed PIN if a login is waiting for it."""
    row = (
        get_db()
        .execute(
            "SELECT stage, pin FROM myna_login WHERE sandbox = ?", (sandbox.current_sandbox(),)
        )
        .fetchone()
    )
    if row is None or row["stage"] != "reading":
        return None
    persona = cards.card_in_hand()
    outcome = cards.check_pin(persona, row["pin"] or "")
    _save("read" if outcome == "read" else "failed", None, persona, outcome)
    return outcome


def remove() -> bool:
    """The card leaves the phone; after a successful read that lets the login finish."""
    current = state()
    if current.stage != "read":
        return False
    _save("removed", None, current.persona, current.outcome)
    return True


def finish() -> str | None:
    """Consume a completed read: the persona now logged in, or None if none is ready."""
    current = state()
    if current.stage != "removed":
        return None
    _save("idle", None, None, None)
    return current.persona


def cancel() -> None:
    _save("idle", None, None, None)
