"""年金記録を確認する: the menu, the list (一覧) and the monthly view (月別)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template

from simulator.nenkin import accounts, bp
from simulator.personas import Record

# The fiscal year (年度) runs April to March; 月別 lists months in that order.
FISCAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


def yen(amount: int | None) -> str:
    """412800 → 412,800円; no amount is printed as "-", as on the real list."""
    return "-" if amount is None else f"{amount:,}円"


@dataclass(frozen=True)
class RecordRow:
    year_age: str
    employer: str
    months: str
    premium: str
    estimate: str
    attention: str | None


def record_row(record: Record) -> RecordRow:
    return RecordRow(
        year_age=f"{record.fiscal_year}（{record.age}歳）",
        employer=record.employer,
        months=f"{record.months}月",
        premium=yen(record.premium),
        estimate=yen(record.estimate),
        attention=record.attention,
    )


def _records() -> tuple[Record, ...]:
    persona = accounts.current_user()
    assert persona is not None  # login_required ran first
    return persona.records


@bp.get("/records")
@accounts.login_required
def records() -> str:
    return render_template("nenkin/member/records.html")


@bp.get("/records/list")
@accounts.login_required
def records_list() -> str:
    rows = [record_row(record) for record in _records()]
    return render_template(
        "nenkin/member/records_list.html",
        rows=rows,
        any_attention=any(row.attention for row in rows),
    )


@bp.get("/records/monthly")
@accounts.login_required
def records_monthly() -> str:
    # A record covers its first `months` months of the fiscal year; the rest stay blank.
    years = [
        (record, [(month, index < record.months) for index, month in enumerate(FISCAL_MONTHS)])
        for record in _records()
    ]
    return render_template("nenkin/member/records_monthly.html", years=years)
