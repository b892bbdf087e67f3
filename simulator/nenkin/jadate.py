"""Dates as ねんきんネット prints them: 和暦 (令和8年11月24日), times as 10時31分."""

from __future__ import annotations

from datetime import date, datetime

from simulator.nenkin.era import ERAS, format_wareki, in_era


def wareki_date(moment: date) -> str:
    """E.g. 令和元年11月5日; the era is the one the day falls in."""
    for era in ERAS:
        if in_era(era.name, moment):
            return format_wareki(era.name, moment)
    raise ValueError(f"{moment.isoformat()} is before 明治")


def wareki_datetime(moment: datetime) -> str:
    """E.g. 令和8年11月24日 10時31分 (最新のログイン日時)."""
    return f"{wareki_date(moment.date())} {moment.hour}時{moment.minute:02d}分"


def wareki_iso(value: str | None) -> str | None:
    """A stored ISO date or date-time, printed in 和暦; None stays None."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return wareki_datetime(parsed) if "T" in value else wareki_date(parsed.date())
