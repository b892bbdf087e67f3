"""Who is applying for a user ID: the アクセスキー's owner, or a person found by their data."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from simulator.nenkin.era import ERAS, format_wareki, in_era
from simulator.personas import Persona, load_personas

KEY_UNKNOWN = (
    "入力されたアクセスキーは登録されていません。"
    "「ねんきん定期便」などに記載されている17桁のアクセスキーをご確認ください。"
)
KEY_MISMATCH = (
    "入力された基礎年金番号・氏名・生年月日が、アクセスキーのお客様の情報と一致しません。"
    "入力内容をご確認ください。"
)
NOBODY = (
    "入力された基礎年金番号・氏名・生年月日に一致するお客様が見つかりません。"
    "入力内容をご確認ください。"
)
ALREADY_ISSUED = (
    "このお客様には、すでにユーザIDが発行されています。ユーザIDとパスワードでログインしてください。"
)


def wareki(moment: date) -> str:
    era = next(era for era in ERAS if in_era(era.name, moment))
    return format_wareki(era.name, moment)


def key_owner(key: str) -> Persona | None:
    return next(
        (p for p in load_personas().values() if p.access_key and p.access_key.key == key), None
    )


def access_key_problem(key: str, today: date) -> str | None:
    """A known key, still valid on `today` (its expiry is the last valid day)."""
    owner = key_owner(key)
    if owner is None or owner.access_key is None:
        return KEY_UNKNOWN
    expires = date.fromisoformat(owner.access_key.expires)
    if today > expires:
        return (
            f"入力されたアクセスキーは有効期限（{wareki(expires)}）が切れています。"
            "アクセスキーをお持ちでない方の申込みからユーザIDを取得してください。"
        )
    return None


def matches(persona: Persona, values: Mapping[str, str]) -> bool:
    """基礎年金番号, 氏名 (kanji and フリガナ) and 生年月日 as the persona's records hold them."""
    birth = persona.birth
    return (
        persona.kiso_number == f"{values['kiso_upper']}-{values['kiso_lower']}"
        and (persona.family_name, persona.given_name)
        == (values["family_name"], values["given_name"])
        and (persona.family_kana, persona.given_kana)
        == (values["family_kana"], values["given_kana"])
        and (birth.era, birth.year, birth.month, birth.day)
        == (
            values["era"],
            int(values["birth_year"]),
            int(values["birth_month"]),
            int(values["birth_day"]),
        )
    )


def find_applicant(
    values: Mapping[str, str], *, with_key: bool, has_user_id: Callable[[str], bool]
) -> tuple[str | None, str | None]:
    """(persona key, None) for a match, or (None, message) why there is none.
    Call only with field-valid values."""
    if with_key:
        owner = key_owner(values["access_key"])
        if owner is None or not matches(owner, values):
            return None, KEY_MISMATCH
        if has_user_id(owner.key):
            return None, ALREADY_ISSUED
        return owner.key, None
    found = [p for p in load_personas().values() if matches(p, values)]
    if not found:
        return None, NOBODY
    if has_user_id(found[0].key):
        return None, ALREADY_ISSUED
    return found[0].key, None
