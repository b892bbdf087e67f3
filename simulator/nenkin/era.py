"""Japanese eras (元号): converting 和暦 dates to the Gregorian calendar and back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Era:
    name: str
    first: date  # the first day of the era
    last: date | None  # the last day; None for the current era


# The screen offers these five, newest first. 明治 is counted from 1868-01-01 (its first
# year was backdated to the start of that year); nobody that old applies online.
ERAS: tuple[Era, ...] = (
    Era("令和", date(2019, 5, 1), None),
    Era("平成", date(1989, 1, 8), date(2019, 4, 30)),
    Era("昭和", date(1926, 12, 25), date(1989, 1, 7)),
    Era("大正", date(1912, 7, 30), date(1926, 12, 24)),
    Era("明治", date(1868, 1, 1), date(1912, 7, 29)),
)
ERA_NAMES: tuple[str, ...] = tuple(era.name for era in ERAS)
_BY_NAME = {era.name: era for era in ERAS}


def era_named(name: str) -> Era | None:
    return _BY_NAME.get(name)


def to_gregorian(era_name: str, year: int, month: int, day: int) -> date | None:
    """The Gregorian date of 和暦 `era_name` `year`年`month`月`day`日, or None if there is no
    such calendar day. Whether it falls inside the era is a separate question (in_era)."""
    era = _BY_NAME.get(era_name)
    if era is None or year < 1:
        return None
    try:
        return date(era.first.year + year - 1, month, day)
    except ValueError:
        return None


def in_era(era_name: str, moment: date) -> bool:
    era = _BY_NAME[era_name]
    return era.first <= moment and (era.last is None or moment <= era.last)


def wareki_year(year: int) -> str:
    """1 is written 元年 on Japanese forms."""
    return "元" if year == 1 else str(year)


def format_wareki(era_name: str, moment: date) -> str:
    """E.g. 平成元年1月8日 for 1989-01-08 in 平成."""
    era = _BY_NAME[era_name]
    year = moment.year - era.first.year + 1
    return f"{era.name}{wareki_year(year)}年{moment.month}月{moment.day}日"
