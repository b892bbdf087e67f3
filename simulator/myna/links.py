"""外部サイトとの連携: the sites a マイナポータル user can connect to, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from simulator import sandbox
from simulator.db import get_db
from simulator.personas import load_personas

NENKIN = "nenkin"
NENKIN_ENTRY = "/nenkin/myna-entry"  # ねんきんネット's endpoint for users handed over from here

# The guide's words on when a first link can be made.
WINDOW_NOTE = (
    "※マイナポータルから利用登録する場合、初回利用登録が可能な時間帯は、平日8時から23時までと"
    "なっており、時間帯によっては連携するまでに時間がかかる場合があります。"
)
_OPENS = time(8, 0)
_CLOSES = time(23, 0)


@dataclass(frozen=True)
class Site:
    key: str
    name: str
    summary: str
    available: bool  # the simulator has screens behind it


SITES: tuple[Site, ...] = (
    Site(
        "etax", "e-Tax（国税電子申告・納税システム）", "確定申告の書類を作成・提出できます。", False
    ),
    Site(NENKIN, "ねんきんネット", "年金記録や将来の年金見込額を確認できます。", True),
    Site("jichitai", "自治体の電子申請", "お住まいの市区町村への申請ができます。", False),
    Site("hellowork", "ハローワークインターネットサービス", "求職の申込みなどができます。", False),
    Site("kenpo", "健康保険組合のサービス", "医療費の通知などを確認できます。", False),
)


def site(key: str) -> Site | None:
    return next((s for s in SITES if s.key == key), None)


def window_open(moment: datetime) -> bool:
    """A first link is possible on weekdays from 8:00 up to (not including) 23:00."""
    return moment.weekday() < 5 and _OPENS <= moment.time() < _CLOSES


def seed(sandbox_id: str) -> None:
    """Personas whose card says `linked` start connected to ねんきんネット."""
    db = get_db()
    for key, persona in load_personas().items():
        if persona.card is not None and persona.card.linked:
            db.execute(
                "INSERT INTO myna_link (sandbox, persona, site) VALUES (?, ?, ?)",
                (sandbox_id, key, NENKIN),
            )


def linked_sites(persona_key: str) -> set[str]:
    rows = (
        get_db()
        .execute(
            "SELECT site FROM myna_link WHERE sandbox = ? AND persona = ?",
            (sandbox.current_sandbox(), persona_key),
        )
        .fetchall()
    )
    return {row["site"] for row in rows}


def link(persona_key: str, site_key: str) -> None:
    get_db().execute(
        "INSERT OR IGNORE INTO myna_link (sandbox, persona, site, linked_at) VALUES (?, ?, ?, ?)",
        (sandbox.current_sandbox(), persona_key, site_key, sandbox.now().isoformat()),
    )
