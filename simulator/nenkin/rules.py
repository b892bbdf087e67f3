"""Field rules of ねんきんネット's forms: each returns a Japanese message, or None if valid.

Pure functions, shared by the public pages (ユーザIDの発行を申し込む) and the member pages
(メールアドレスを登録・変更する). The quoted help texts are what the guide's screens print
beside each field; the messages say what to fix in the same words.
Callers strip surrounding white space; the rules see the value as it will be stored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection
from datetime import date

from simulator.nenkin.era import ERA_NAMES, era_named, format_wareki, in_era, to_gregorian
from simulator.nenkin.romaji import romaji_variants

NAME_MAX = 23  # 「全角文字（姓・名それぞれ23文字以内）で入力してください。」
EMAIL_MAX = 255  # 「半角英数字または半角記号（255文字以内）で入力してください。」
PASSWORD_MIN, PASSWORD_MAX = 8, 20  # 「半角英数字混在（8～20桁）で入力してください。」
OVERSEAS_POSTAL_CODE = "888-8888"  # 「日本国外にお住まいの方は、888-8888と入力してください。」
OVERSEAS = "海外"

GENDERS = ("男性", "女性")
NOTIFY_CHOICES = ("希望する", "希望しない")
PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県",
    "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県",
    "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
    "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
    "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県",
    "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県",
    "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県", OVERSEAS,
)  # fmt: skip
SECRET_QUESTIONS = (
    "母親の旧姓は？",
    "最初に飼ったペットの名前は？",
    "卒業した小学校の名前は？",
    "子どもの頃のあだ名は？",
    "好きな食べ物は？",
)

_DIGITS = re.compile(r"[0-9]+")  # ASCII only: Python's \d also matches full-width digits
_ACCESS_KEY = re.compile(r"[0-9]{17}")
_KISO_UPPER, _KISO_LOWER = re.compile(r"[0-9]{4}"), re.compile(r"[0-9]{6}")
_KATAKANA = re.compile(r"[ァ-ヶー]+")
_POSTAL = re.compile(r"[0-9]{3}-[0-9]{4}")
_PASSWORD_CHARS = re.compile(r"[A-Za-z0-9]+")
_PHONE = re.compile(r"[0-9]+(-[0-9]+)*")
# A practical address shape: local part of the usual atext characters and dots, a domain of
# at least two labels. The real screen's rule is not printed; this refuses obvious typos.
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
# 「全角」「半角英数大文字」「半角の“.”（ピリオド）、“,”（カンマ）、
# “-”（ハイフン）、“'”（アポストロフィ）」
_FREE_TEXT_HALF = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,-'")
FREE_TEXT_HINT = "全角、半角英数大文字、半角の「.」「,」「-」「'」"


def is_full_width(text: str) -> bool:
    """Every character is 全角 (East Asian Wide or Fullwidth); half-width kana is not."""
    return all(unicodedata.east_asian_width(char) in ("F", "W") for char in text)


def _free_text_ok(text: str, *, allow_space: bool) -> bool:
    return all(
        char in _FREE_TEXT_HALF
        or (allow_space and char == " ")
        or unicodedata.east_asian_width(char) in ("F", "W")
        for char in text
    )


def choice_error(value: str | None, allowed: Collection[str], label: str) -> str | None:
    """A required radio button or select: 「お選びください」 (the empty option) is no choice."""
    if not value or value not in allowed:
        return f"{label}を選択してください。"
    return None


def access_key_error(key: str) -> str | None:
    """アクセスキー: 「ユーザIDの取得に必要な17桁の番号です。」 (printed on ねんきん定期便)."""
    if not key:
        return "アクセスキーを入力してください。"
    if not _ACCESS_KEY.fullmatch(key):
        return "アクセスキーは半角数字17桁で入力してください。"
    return None


def kiso_number_error(upper: str, lower: str) -> str | None:
    """基礎年金番号: 「半角数字（上4桁、下6桁）で入力してください。（例：0045-135784）」"""
    if not upper or not lower:
        return "基礎年金番号を入力してください。"
    if not (_KISO_UPPER.fullmatch(upper) and _KISO_LOWER.fullmatch(lower)):
        return "基礎年金番号は半角数字（上4桁、下6桁）で入力してください。"
    return None


def name_error(value: str, label: str) -> str | None:
    """氏名 (姓 or 名): 「全角文字（姓・名それぞれ23文字以内）で入力してください。」"""
    if not value:
        return f"{label}を入力してください。"
    if not is_full_width(value):
        return f"{label}は全角文字で入力してください。"
    if len(value) > NAME_MAX:
        return f"{label}は{NAME_MAX}文字以内で入力してください。"
    return None


def kana_error(value: str, label: str) -> str | None:
    """氏名（フリガナ）: 「全角カタカナ（姓・名それぞれ23文字以内）で入力してください。」"""
    if not value:
        return f"{label}を入力してください。"
    if not _KATAKANA.fullmatch(value):
        return f"{label}は全角カタカナで入力してください。"
    if len(value) > NAME_MAX:
        return f"{label}は{NAME_MAX}文字以内で入力してください。"
    return None


def birth_error(era: str | None, year: str, month: str, day: str, *, today: date) -> str | None:
    """生年月日: 「以下の元号を必ず選択の上、年月日は半角数字で入力してください。
    ※元号をよくご確認ください。」 The date must exist, lie within its era and not be
    after `today` (平成31年5月1日 is 令和元年; 昭和64年1月8日 is 平成元年)."""
    if era is None or era not in ERA_NAMES:
        return "生年月日の元号を選択してください。"
    if not (year and month and day):
        return "生年月日（年月日）を入力してください。"
    if not all(_DIGITS.fullmatch(part) for part in (year, month, day)):
        return "生年月日の年月日は半角数字で入力してください。"
    moment = to_gregorian(era, int(year), int(month), int(day))
    if moment is None:
        return "生年月日に存在しない日付が入力されています。"
    if not in_era(era, moment):
        return f"{era}の期間外の日付です。{era_span(era)}の日付を入力してください。"
    if moment > today:
        return "生年月日に未来の日付は入力できません。"
    return None


def era_span(era_name: str) -> str:
    """E.g. 平成元年1月8日～平成31年4月30日, for messages about dates outside an era."""
    era = era_named(era_name)
    if era is None:
        return era_name
    first = format_wareki(era.name, era.first)
    return f"{first}以降" if era.last is None else f"{first}～{format_wareki(era.name, era.last)}"


def birth_date(era: str, year: str, month: str, day: str) -> date | None:
    """The Gregorian date of a 生年月日 that passed birth_error."""
    if not all(_DIGITS.fullmatch(part) for part in (year, month, day)):
        return None
    return to_gregorian(era, int(year), int(month), int(day))


def postal_code_error(value: str) -> str | None:
    """郵便番号: 「半角数字で入力してください。（例：181-XXXX）」 888-8888 for abroad."""
    if not value:
        return "郵便番号を入力してください。"
    if not _POSTAL.fullmatch(value):
        return "郵便番号は半角数字で「123-4567」の形式で入力してください。"
    return None


def prefecture_error(prefecture: str | None, postal_code: str) -> str | None:
    """都道府県 (select, 「お選びください」 first); 海外 goes with 888-8888 and only with it."""
    missing = choice_error(prefecture, PREFECTURES, "都道府県")
    if missing:
        return missing
    overseas_code = postal_code == OVERSEAS_POSTAL_CODE
    if overseas_code and prefecture != OVERSEAS:
        return "郵便番号が888-8888の場合は、都道府県に「海外」を選択してください。"
    if prefecture == OVERSEAS and _POSTAL.fullmatch(postal_code) and not overseas_code:
        return "日本国外にお住まいの方は、郵便番号に888-8888と入力してください。"
    return None


def address_error(value: str) -> str | None:
    """住所: 「次の文字で入力してください。※全角 ※半角英数大文字 ※半角の“.”“,”“-”“'”」;
    abroad: 「海外住所、国名および氏名をアルファベット大文字で」 (words need half-width spaces)."""
    if not value:
        return "住所を入力してください。"
    if not _free_text_ok(value, allow_space=True):
        return f"住所は{FREE_TEXT_HINT}で入力してください。"
    return None


def password_error(
    password: str,
    *,
    name_kana: Collection[str],
    user_id: str | None,
    birth: date | None,
    phone: str,
) -> str | None:
    """お客様設定パスワード: 「半角英数字混在（8～20桁）で入力してください。記号は使用できません。」
    and 「他者から推測されやすい、お名前やユーザID、生年月日、電話番号等を使用したパスワード
    は避けてください。」 — those are refused here, so the simulator teaches the same habit."""
    label = "お客様設定パスワード"
    if not password:
        return f"{label}を入力してください。"
    if not _PASSWORD_CHARS.fullmatch(password):
        return f"{label}は半角英数字で入力してください。記号は使用できません。"
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        return f"{label}は{PASSWORD_MIN}桁以上{PASSWORD_MAX}桁以内で入力してください。"
    if password.isdigit() or password.isalpha():
        return f"{label}は英字と数字を混在させて入力してください。"
    lowered = password.lower()
    # Three letters or more: shorter spellings (e.g. "ko") occur in ordinary words.
    names = {v for kana in name_kana for v in romaji_variants(kana) if len(v) >= 3}
    if any(name in lowered for name in names):
        return f"{label}にお名前を使用することはできません。"
    if user_id and user_id.lower() in lowered:
        return f"{label}にユーザIDを使用することはできません。"
    if birth is not None and any(form in password for form in _birth_forms(birth)):
        return f"{label}に生年月日を使用することはできません。"
    if any(form in password for form in _phone_forms(phone)):
        return f"{label}に電話番号を使用することはできません。"
    return None


def _birth_forms(birth: date) -> tuple[str, ...]:
    """How birth dates are usually written in digits: 19651002, 651002, 1002."""
    return (birth.strftime("%Y%m%d"), birth.strftime("%y%m%d"), birth.strftime("%m%d"))


def _phone_forms(phone: str) -> tuple[str, ...]:
    """The whole number without hyphens, and each group of four digits or more."""
    digits = phone.replace("-", "")
    if not _DIGITS.fullmatch(digits):
        return ()
    groups = tuple(group for group in phone.split("-") if len(group) >= 4)
    return (digits, *groups)


def password_again_error(password: str, again: str) -> str | None:
    """お客様設定パスワード（再入力）: the same password typed twice."""
    if not again:
        return "お客様設定パスワード（再入力）を入力してください。"
    if password != again:
        return "お客様設定パスワードと再入力の内容が一致しません。"
    return None


def secret_answer_error(value: str) -> str | None:
    """秘密の答え: 「次の文字で入力してください。※全角（例：年金）※半角英数大文字（例：
    ABC123）※半角の“.”（ピリオド）、“,”（カンマ）、“-”（ハイフン）、“'”（アポストロフィ）」"""
    if not value:
        return "秘密の答えを入力してください。"
    if not _free_text_ok(value, allow_space=False):
        return f"秘密の答えは{FREE_TEXT_HINT}で入力してください。"
    return None


def email_errors(email: str, again: str, *, taken: Callable[[str], bool]) -> dict[str, str]:
    """メールアドレス and its 再入力, keys "email" and "email_again":
    「半角英数字または半角記号（255文字以内）で入力してください。」 and 「すでに「ねんきんネット」
    に登録されているメールアドレスは登録することができません。」"""
    errors: dict[str, str] = {}
    if not email:
        errors["email"] = "メールアドレスを入力してください。"
    elif len(email) > EMAIL_MAX:
        errors["email"] = f"メールアドレスは{EMAIL_MAX}文字以内で入力してください。"
    elif not email.isascii() or not email.isprintable():
        errors["email"] = "メールアドレスは半角英数字または半角記号で入力してください。"
    elif not _EMAIL.fullmatch(email):
        errors["email"] = (
            "メールアドレスの形式が正しくありません。（例：riyou-toroku@example.go.jp）"
        )
    elif taken(email):
        errors["email"] = (
            "このメールアドレスはすでに「ねんきんネット」に登録されているため、登録できません。"
        )
    if not again:
        errors["email_again"] = "メールアドレス（再入力）を入力してください。"
    elif again != email:
        errors["email_again"] = "メールアドレスと再入力の内容が一致しません。"
    return errors


def phone_error(value: str) -> str | None:
    """電話番号 (optional): 「半角数字で入力してください。（例：00-1111-2222）
    （例：090-1234-5678）」 Hyphens may separate the groups."""
    if not value:
        return None
    if not _PHONE.fullmatch(value):
        return "電話番号は半角数字とハイフン（-）で入力してください。"
    if not 10 <= len(value.replace("-", "")) <= 11:
        return "電話番号は10桁または11桁の数字で入力してください。"
    return None
