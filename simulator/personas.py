"""The fictitious people every sandbox starts with, loaded once from data/personas.yaml."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Birth(_Strict):
    era: Literal["令和", "平成", "昭和", "大正", "明治"]
    year: int
    month: int
    day: int


class Card(_Strict):
    pin: str
    linked: bool


class AccessKey(_Strict):
    key: str
    expires: str  # ISO date, the last valid day


class Account(_Strict):
    user_id: str
    password: str


class Record(_Strict):
    fiscal_year: str
    age: int
    employer: str
    months: int
    premium: int | None
    estimate: int | None
    attention: str | None = None


class Notice(_Strict):
    id: str
    title: str
    issued: str
    checked: str | None


class Persona(_Strict):
    key: str = ""
    role: str
    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    birth: Birth
    gender: Literal["男性", "女性"]
    kiso_number: str
    postal_code: str
    prefecture: str
    address: str
    phone: str | None = None
    email: str | None = None
    notify_mail: bool | None = None
    paperless: bool | None = None
    card: Card | None = None
    access_key: AccessKey | None = None
    account: Account | None = None
    records: tuple[Record, ...] = ()
    notices: tuple[Notice, ...] = ()
    pension_recipient: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.family_name}　{self.given_name}"


@cache
def load_personas() -> dict[str, Persona]:
    text = resources.files("simulator").joinpath("data/personas.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)["personas"]
    return {key: Persona(key=key, **fields) for key, fields in raw.items()}
