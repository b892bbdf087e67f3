"""ユーザIDの発行を申し込む (入力): the form's fields, read and validated in one place."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from simulator.nenkin import rules

# Every field of the form, in screen order; the error summary follows this order.
FIELDS = (
    "access_key",
    "kiso_upper",
    "kiso_lower",
    "family_name",
    "given_name",
    "family_kana",
    "given_kana",
    "era",
    "birth_year",
    "birth_month",
    "birth_day",
    "gender",
    "postal_code",
    "prefecture",
    "address",
    "password",
    "password_again",
    "secret_question",
    "secret_answer",
    "email",
    "email_again",
    "notify_mail",
    "phone",
)
KEY_ONLY = frozenset({"access_key"})
NO_KEY_ONLY = frozenset({"postal_code", "prefecture", "address"})
SECRET = frozenset({"password", "password_again"})  # never kept in the session or shown


def fields_for(with_key: bool) -> tuple[str, ...]:
    skip = NO_KEY_ONLY if with_key else KEY_ONLY
    return tuple(name for name in FIELDS if name not in skip)


def read_form(form: Mapping[str, str], with_key: bool) -> dict[str, str]:
    """The submitted values, stripped of surrounding white space (also full-width spaces)."""
    return {name: form.get(name, "").strip() for name in fields_for(with_key)}


def user_id_for(kiso_upper: str, kiso_lower: str) -> str:
    """The user ID this simulator issues: NK and the 基礎年金番号's ten digits."""
    return f"NK{kiso_upper}{kiso_lower}"


def validate(
    values: Mapping[str, str], *, with_key: bool, today: date, taken: Callable[[str], bool]
) -> dict[str, str]:
    """Every field error of one submission, keyed by field name, in screen order."""
    v = values
    found: dict[str, str | None] = {}
    if with_key:
        found["access_key"] = rules.access_key_error(v["access_key"])
    found["kiso_upper"] = rules.kiso_number_error(v["kiso_upper"], v["kiso_lower"])
    found["family_name"] = rules.name_error(v["family_name"], "氏名（姓）")
    found["given_name"] = rules.name_error(v["given_name"], "氏名（名）")
    found["family_kana"] = rules.kana_error(v["family_kana"], "フリガナ（姓）")
    found["given_kana"] = rules.kana_error(v["given_kana"], "フリガナ（名）")
    found["era"] = rules.birth_error(
        v["era"] or None, v["birth_year"], v["birth_month"], v["birth_day"], today=today
    )
    found["gender"] = rules.choice_error(v["gender"], rules.GENDERS, "性別")
    if not with_key:
        found["postal_code"] = rules.postal_code_error(v["postal_code"])
        found["prefecture"] = rules.prefecture_error(v["prefecture"], v["postal_code"])
        found["address"] = rules.address_error(v["address"])
    birth = (
        None
        if found["era"]
        else rules.birth_date(v["era"], v["birth_year"], v["birth_month"], v["birth_day"])
    )
    found["password"] = rules.password_error(
        v["password"],
        name_kana=(v["family_kana"], v["given_kana"]),
        user_id=None if found["kiso_upper"] else user_id_for(v["kiso_upper"], v["kiso_lower"]),
        birth=birth,
        phone=v["phone"],
    )
    found["password_again"] = rules.password_again_error(v["password"], v["password_again"])
    found["secret_question"] = rules.choice_error(
        v["secret_question"], rules.SECRET_QUESTIONS, "秘密の質問"
    )
    found["secret_answer"] = rules.secret_answer_error(v["secret_answer"])
    found.update(rules.email_errors(v["email"], v["email_again"], taken=taken))
    found["notify_mail"] = rules.choice_error(
        v["notify_mail"], rules.NOTIFY_CHOICES, "お知らせメール配信希望"
    )
    found["phone"] = rules.phone_error(v["phone"])
    errors = {name: message for name, message in found.items() if message}
    return {name: errors[name] for name in FIELDS if name in errors}
