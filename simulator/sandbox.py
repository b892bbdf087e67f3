"""Per-browser-session state: which sandbox a request belongs to, its clock and device.

Each browser session gets its own sandbox id in the (signed) session cookie, and every
row a site stores carries it. Two runs in parallel, or the same flow run twice, start
from the same seeded personas and never see each other's changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Literal

from flask import Flask, current_app, request, session

from simulator.config import TOKYO
from simulator.db import get_db

Device = Literal["android", "iphone"]
Seeder = Callable[[str], None]  # called with a new sandbox id, inside a request


def init_app(app: Flask) -> None:
    app.extensions["sandbox_seeders"] = []


def register_seeder(app: Flask, seeder: Seeder) -> None:
    """Sites call this so a new sandbox starts with their seeded data."""
    app.extensions["sandbox_seeders"].append(seeder)


def existing_sandbox() -> str | None:
    """This session's sandbox if it still exists; unlike current_sandbox, never makes one."""
    sandbox_id = session.get("sandbox")
    if sandbox_id is None:
        return None
    row = get_db().execute("SELECT 1 FROM sandbox WHERE id = ?", (sandbox_id,)).fetchone()
    return str(sandbox_id) if row is not None else None


def current_sandbox() -> str:
    """The sandbox of this browser session, created and seeded on first use."""
    sandbox_id = session.get("sandbox")
    db = get_db()
    if sandbox_id is not None:
        row = db.execute("SELECT 1 FROM sandbox WHERE id = ?", (sandbox_id,)).fetchone()
        if row is not None:
            return str(sandbox_id)
    sandbox_id = uuid.uuid4().hex
    db.execute("INSERT INTO sandbox (id) VALUES (?)", (sandbox_id,))
    for seeder in current_app.extensions["sandbox_seeders"]:
        seeder(sandbox_id)
    session["sandbox"] = sandbox_id
    return sandbox_id


def reset_sandbox() -> str:
    """Drop this session's sandbox and start a fresh one from the personas."""
    old = session.pop("sandbox", None)
    if old is not None:
        get_db().execute("DELETE FROM sandbox WHERE id = ?", (old,))
    return current_sandbox()


def now() -> datetime:
    """The simulator's clock for this session: fixed, and settable through /_sim/clock."""
    row = (
        get_db().execute("SELECT clock FROM sandbox WHERE id = ?", (current_sandbox(),)).fetchone()
    )
    if row is not None and row["clock"]:
        return datetime.fromisoformat(row["clock"]).astimezone(TOKYO)
    clock: datetime = current_app.config["SIM_CLOCK"]
    return clock


def set_clock(moment: datetime | None) -> None:
    value = moment.isoformat() if moment is not None else None
    get_db().execute("UPDATE sandbox SET clock = ? WHERE id = ?", (value, current_sandbox()))


def device() -> Device:
    """Android or iPhone: set explicitly (?device= or /_sim/device), else from the user agent."""
    override = request.args.get("device")
    if override in ("android", "iphone"):
        get_db().execute(
            "UPDATE sandbox SET device = ? WHERE id = ?", (override, current_sandbox())
        )
        return override  # type: ignore[return-value]
    row = (
        get_db().execute("SELECT device FROM sandbox WHERE id = ?", (current_sandbox(),)).fetchone()
    )
    if row is not None and row["device"] in ("android", "iphone"):
        return row["device"]  # type: ignore[no-any-return]
    agent = request.headers.get("User-Agent", "")
    return "iphone" if ("iPhone" in agent or "iPad" in agent) else "android"


def set_device(value: Device | None) -> None:
    get_db().execute("UPDATE sandbox SET device = ? WHERE id = ?", (value, current_sandbox()))


def card_persona() -> str | None:
    row = (
        get_db()
        .execute("SELECT card_persona FROM sandbox WHERE id = ?", (current_sandbox(),))
        .fetchone()
    )
    return None if row is None else row["card_persona"]


def set_card_persona(persona: str | None) -> None:
    get_db().execute(
        "UPDATE sandbox SET card_persona = ? WHERE id = ?", (persona, current_sandbox())
    )


def send(kind: Literal["email", "letter"], recipient: str, subject: str, body: str) -> None:
    """Put an e-mail or a letter in the outbox; /_sim/outbox shows it, nothing leaves."""
    get_db().execute(
        "INSERT INTO outbox (sandbox, kind, recipient, subject, body, sent_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (current_sandbox(), kind, recipient, subject, body, now().isoformat()),
    )
