"""ねんきんネット field rules: each input and the exact message (None when valid)."""

from __future__ import annotations

from datetime import date

import pytest

from simulator.nenkin import rules
from simulator.nenkin.era import format_wareki, to_gregorian
from simulator.nenkin.romaji import hepburn, romaji_variants

TODAY = date(2026, 11, 24)
PW = "お客様設定パスワード"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12345678901234567", None),
        ("", "アクセスキーを入力してください。"),
        ("1234567890123456", "アクセスキーは半角数字17桁で入力してください。"),
        ("123456789012345678", "アクセスキーは半角数字17桁で入力してください。"),
        ("１２３４５６７８９０１２３４５６７", "アクセスキーは半角数字17桁で入力してください。"),
        ("1234-5678-9012-34567", "アクセスキーは半角数字17桁で入力してください。"),
    ],
)
def test_access_key(value: str, message: str | None) -> None:
    assert rules.access_key_error(value) == message


@pytest.mark.parametrize(
    ("upper", "lower", "message"),
    [
        ("0045", "135784", None),
        ("", "135784", "基礎年金番号を入力してください。"),
        ("0045", "", "基礎年金番号を入力してください。"),
        ("045", "135784", "基礎年金番号は半角数字（上4桁、下6桁）で入力してください。"),
        ("0045", "1357840", "基礎年金番号は半角数字（上4桁、下6桁）で入力してください。"),
        ("００４５", "135784", "基礎年金番号は半角数字（上4桁、下6桁）で入力してください。"),
        ("0045", "13578４", "基礎年金番号は半角数字（上4桁、下6桁）で入力してください。"),
    ],
)
def test_kiso_number(upper: str, lower: str, message: str | None) -> None:
    assert rules.kiso_number_error(upper, lower) == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("年金", None),
        ("鈴木", None),
        ("ＳＭＩＴＨ", None),
        ("あ" * 23, None),
        ("あ" * 24, "氏名（姓）は23文字以内で入力してください。"),
        ("", "氏名（姓）を入力してください。"),
        ("Suzuki", "氏名（姓）は全角文字で入力してください。"),
        ("ｽｽﾞｷ", "氏名（姓）は全角文字で入力してください。"),
        ("鈴木a", "氏名（姓）は全角文字で入力してください。"),
    ],
)
def test_name(value: str, message: str | None) -> None:
    assert rules.name_error(value, "氏名（姓）") == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ネンキン", None),
        ("イチロウ", None),
        ("ヴィーナス", None),
        ("ア" * 23, None),
        ("ア" * 24, "フリガナ（名）は23文字以内で入力してください。"),
        ("", "フリガナ（名）を入力してください。"),
        ("いちろう", "フリガナ（名）は全角カタカナで入力してください。"),
        ("ｲﾁﾛｳ", "フリガナ（名）は全角カタカナで入力してください。"),
        ("一郎", "フリガナ（名）は全角カタカナで入力してください。"),
        ("イチ ロウ", "フリガナ（名）は全角カタカナで入力してください。"),
    ],
)
def test_kana(value: str, message: str | None) -> None:
    assert rules.kana_error(value, "フリガナ（名）") == message


@pytest.mark.parametrize(
    ("era", "year", "month", "day", "message"),
    [
        ("昭和", "40", "10", "2", None),
        ("昭和", "1", "12", "25", None),
        ("昭和", "64", "1", "7", None),
        ("平成", "1", "1", "8", None),
        ("平成", "31", "4", "30", None),
        ("令和", "1", "5", "1", None),
        ("令和", "8", "11", "24", None),
        ("大正", "15", "12", "24", None),
        ("明治", "45", "7", "29", None),
        (None, "40", "10", "2", "生年月日の元号を選択してください。"),
        ("西暦", "1965", "10", "2", "生年月日の元号を選択してください。"),
        ("昭和", "", "10", "2", "生年月日（年月日）を入力してください。"),
        ("昭和", "40", "", "2", "生年月日（年月日）を入力してください。"),
        ("昭和", "４０", "10", "2", "生年月日の年月日は半角数字で入力してください。"),
        ("昭和", "40", "10", "2日", "生年月日の年月日は半角数字で入力してください。"),
        ("昭和", "40", "2", "30", "生年月日に存在しない日付が入力されています。"),
        ("昭和", "40", "13", "1", "生年月日に存在しない日付が入力されています。"),
        ("昭和", "0", "1", "1", "生年月日に存在しない日付が入力されています。"),
        (
            "平成",
            "31",
            "5",
            "1",
            "平成の期間外の日付です。平成元年1月8日～平成31年4月30日の日付を入力してください。",
        ),
        (
            "昭和",
            "64",
            "1",
            "8",
            "昭和の期間外の日付です。昭和元年12月25日～昭和64年1月7日の日付を入力してください。",
        ),
        (
            "昭和",
            "1",
            "12",
            "24",
            "昭和の期間外の日付です。昭和元年12月25日～昭和64年1月7日の日付を入力してください。",
        ),
        (
            "令和",
            "1",
            "4",
            "30",
            "令和の期間外の日付です。令和元年5月1日以降の日付を入力してください。",
        ),
        (
            "大正",
            "16",
            "1",
            "1",
            "大正の期間外の日付です。大正元年7月30日～大正15年12月24日の日付を入力してください。",
        ),
        ("令和", "8", "11", "25", "生年月日に未来の日付は入力できません。"),
    ],
)
def test_birth(era: str | None, year: str, month: str, day: str, message: str | None) -> None:
    assert rules.birth_error(era, year, month, day, today=TODAY) == message


def test_birth_date_and_eras() -> None:
    assert rules.birth_date("昭和", "40", "10", "2") == date(1965, 10, 2)
    assert rules.birth_date("昭和", "４０", "10", "2") is None
    assert to_gregorian("平成", 31, 2, 29) is None
    assert format_wareki("平成", date(1989, 1, 8)) == "平成元年1月8日"


@pytest.mark.parametrize(
    ("value", "allowed", "label", "message"),
    [
        ("男性", rules.GENDERS, "性別", None),
        ("", rules.GENDERS, "性別", "性別を選択してください。"),
        (None, rules.GENDERS, "性別", "性別を選択してください。"),
        ("その他", rules.GENDERS, "性別", "性別を選択してください。"),
        ("希望しない", rules.NOTIFY_CHOICES, "お知らせメール配信希望", None),
        (
            None,
            rules.NOTIFY_CHOICES,
            "お知らせメール配信希望",
            "お知らせメール配信希望を選択してください。",
        ),
        (rules.SECRET_QUESTIONS[0], rules.SECRET_QUESTIONS, "秘密の質問", None),
        ("", rules.SECRET_QUESTIONS, "秘密の質問", "秘密の質問を選択してください。"),
    ],
)
def test_choice(
    value: str | None, allowed: tuple[str, ...], label: str, message: str | None
) -> None:
    assert rules.choice_error(value, allowed, label) == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("181-0001", None),
        ("888-8888", None),
        ("", "郵便番号を入力してください。"),
        ("1810001", "郵便番号は半角数字で「123-4567」の形式で入力してください。"),
        ("１８１-０００１", "郵便番号は半角数字で「123-4567」の形式で入力してください。"),
        ("181ー0001", "郵便番号は半角数字で「123-4567」の形式で入力してください。"),
        ("18-10001", "郵便番号は半角数字で「123-4567」の形式で入力してください。"),
    ],
)
def test_postal_code(value: str, message: str | None) -> None:
    assert rules.postal_code_error(value) == message


@pytest.mark.parametrize(
    ("prefecture", "postal", "message"),
    [
        ("東京都", "181-0001", None),
        ("海外", "888-8888", None),
        ("", "181-0001", "都道府県を選択してください。"),
        ("東京", "181-0001", "都道府県を選択してください。"),
        (
            "東京都",
            "888-8888",
            "郵便番号が888-8888の場合は、都道府県に「海外」を選択してください。",
        ),
        ("海外", "181-0001", "日本国外にお住まいの方は、郵便番号に888-8888と入力してください。"),
        ("海外", "", None),  # the postal code's own message covers it
    ],
)
def test_prefecture(prefecture: str, postal: str, message: str | None) -> None:
    assert rules.prefecture_error(prefecture, postal) == message


ADDRESS_HINT = "全角、半角英数大文字、半角の「.」「,」「-」「'」"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("武蔵野市中町Ｘ－Ｘ－Ｘ", None),
        ("武蔵野市中町X-X-X", None),
        ("XXXX CHULA VISTA, CA 91913 USA HANAKO NENKIN 杉並区高井戸西X-X-X", None),
        ("O'HARA ST. 1", None),
        ("", "住所を入力してください。"),
        ("武蔵野市中町x-x-x", f"住所は{ADDRESS_HINT}で入力してください。"),
        ("ﾑｻｼﾉｼ", f"住所は{ADDRESS_HINT}で入力してください。"),
        ("武蔵野市#1", f"住所は{ADDRESS_HINT}で入力してください。"),
    ],
)
def test_address(value: str, message: str | None) -> None:
    assert rules.address_error(value) == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ネンキン", None),
        ("ABC123", None),
        ("O'NEIL-JR.,A", None),
        ("年金　太郎", None),
        ("", "秘密の答えを入力してください。"),
        ("abc123", f"秘密の答えは{ADDRESS_HINT}で入力してください。"),
        ("ABC 123", f"秘密の答えは{ADDRESS_HINT}で入力してください。"),
        ("ﾈﾝｷﾝ", f"秘密の答えは{ADDRESS_HINT}で入力してください。"),
        ("ABC!", f"秘密の答えは{ADDRESS_HINT}で入力してください。"),
    ],
)
def test_secret_answer(value: str, message: str | None) -> None:
    assert rules.secret_answer_error(value) == message


JIRO_BIRTH = date(1965, 10, 2)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Renshu2026pw", None),
        ("abcd1234", None),
        ("A1b2C3d4E5f6G7h8I9j0", None),
        ("", f"{PW}を入力してください。"),
        ("Renshu-2026", f"{PW}は半角英数字で入力してください。記号は使用できません。"),
        ("Ｒｅｎｓｈｕ２０２６", f"{PW}は半角英数字で入力してください。記号は使用できません。"),
        ("Renshu 2026", f"{PW}は半角英数字で入力してください。記号は使用できません。"),
        ("abc1234", f"{PW}は8桁以上20桁以内で入力してください。"),
        ("A1b2C3d4E5f6G7h8I9j0k", f"{PW}は8桁以上20桁以内で入力してください。"),
        ("abcdefgh", f"{PW}は英字と数字を混在させて入力してください。"),
        ("12345678", f"{PW}は英字と数字を混在させて入力してください。"),
        ("Suzuki2026", f"{PW}にお名前を使用することはできません。"),
        ("jiro2026xx", f"{PW}にお名前を使用することはできません。"),
        ("x9JIROUx", f"{PW}にお名前を使用することはできません。"),
        ("NK3333444555a", f"{PW}にユーザIDを使用することはできません。"),
        ("nk3333444555", f"{PW}にユーザIDを使用することはできません。"),
        ("pw19651002", f"{PW}に生年月日を使用することはできません。"),
        ("pass651002", f"{PW}に生年月日を使用することはできません。"),
        ("renshu1002", f"{PW}に生年月日を使用することはできません。"),
        ("renshu09000003333", f"{PW}に電話番号を使用することはできません。"),
        ("renshu3333", f"{PW}に電話番号を使用することはできません。"),
    ],
)
def test_password(password: str, message: str | None) -> None:
    error = rules.password_error(
        password,
        name_kana=("スズキ", "ジロウ"),
        user_id="NK3333444555",
        birth=JIRO_BIRTH,
        phone="090-0000-3333",
    )
    assert error == message


def test_password_without_user_id_birth_or_phone() -> None:
    assert (
        rules.password_error("x3333x1002", name_kana=(), user_id=None, birth=None, phone="") is None
    )


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("Renshu2026pw", "Renshu2026pw", None),
        ("Renshu2026pw", "", "お客様設定パスワード（再入力）を入力してください。"),
        ("Renshu2026pw", "renshu2026pw", "お客様設定パスワードと再入力の内容が一致しません。"),
    ],
)
def test_password_again(password: str, again: str, message: str | None) -> None:
    assert rules.password_again_error(password, again) == message


TAKEN = "kazuko.tanaka@example.jp"


def _taken(email: str) -> bool:
    return email.lower() == TAKEN


LONG_EMAIL = "a" * 244 + "@example.jp"  # 255 characters
TOO_LONG_EMAIL = "a" * 245 + "@example.jp"


@pytest.mark.parametrize(
    ("email", "again", "errors"),
    [
        ("jiro@example.jp", "jiro@example.jp", {}),
        ("riyou-toroku@xxxxxxxxx.go.jp", "riyou-toroku@xxxxxxxxx.go.jp", {}),
        (LONG_EMAIL, LONG_EMAIL, {}),
        (
            "",
            "",
            {
                "email": "メールアドレスを入力してください。",
                "email_again": "メールアドレス（再入力）を入力してください。",
            },
        ),
        (
            TOO_LONG_EMAIL,
            TOO_LONG_EMAIL,
            {"email": "メールアドレスは255文字以内で入力してください。"},
        ),
        (
            "ｊｉｒｏ＠example.jp",
            "ｊｉｒｏ＠example.jp",
            {"email": "メールアドレスは半角英数字または半角記号で入力してください。"},
        ),
        (
            "jiro@example",
            "jiro@example",
            {"email": "メールアドレスの形式が正しくありません。（例：riyou-toroku@example.go.jp）"},
        ),
        (
            "jiro@@example.jp",
            "jiro@@example.jp",
            {"email": "メールアドレスの形式が正しくありません。（例：riyou-toroku@example.go.jp）"},
        ),
        (
            "jiro example@example.jp",
            "jiro example@example.jp",
            {"email": "メールアドレスの形式が正しくありません。（例：riyou-toroku@example.go.jp）"},
        ),
        (
            "Kazuko.Tanaka@example.jp",
            "Kazuko.Tanaka@example.jp",
            {
                "email": "このメールアドレスはすでに「ねんきんネット」に登録されているため、"
                "登録できません。"
            },
        ),
        (
            "jiro@example.jp",
            "jiro@example.co.jp",
            {"email_again": "メールアドレスと再入力の内容が一致しません。"},
        ),
        ("jiro@example.jp", "", {"email_again": "メールアドレス（再入力）を入力してください。"}),
    ],
)
def test_email(email: str, again: str, errors: dict[str, str]) -> None:
    assert rules.email_errors(email, again, taken=_taken) == errors


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", None),
        ("090-1234-5678", None),
        ("00-1111-2222", None),
        ("09012345678", None),
        ("０９０-1234-5678", "電話番号は半角数字とハイフン（-）で入力してください。"),
        ("090ー1234ー5678", "電話番号は半角数字とハイフン（-）で入力してください。"),
        ("090--1234-5678", "電話番号は半角数字とハイフン（-）で入力してください。"),
        ("(090)1234-5678", "電話番号は半角数字とハイフン（-）で入力してください。"),
        ("090-123-456", "電話番号は10桁または11桁の数字で入力してください。"),
        ("090-1234-56789", "電話番号は10桁または11桁の数字で入力してください。"),
    ],
)
def test_phone(value: str, message: str | None) -> None:
    assert rules.phone_error(value) == message


@pytest.mark.parametrize(
    ("kana", "spellings"),
    [
        ("ジロウ", {"jirou", "jiro", "jiroh", "jirow"}),
        ("ショウタ", {"shouta", "shota", "shohta", "showta"}),
        ("キョウコ", {"kyouko", "kyoko", "kyohko", "kyowko"}),
        ("ユウコ", {"yuuko", "yuko"}),
        ("ハットリ", {"hattori"}),
    ],
)
def test_romaji(kana: str, spellings: set[str]) -> None:
    assert romaji_variants(kana) == spellings


def test_hepburn_digraphs() -> None:
    assert [hepburn(k) for k in ("シャ", "チュ", "ジョ", "ヒャ", "マッチャ", "ラーメン")] == [
        "sha",
        "chu",
        "jo",
        "hya",
        "matcha",
        "raamen",
    ]
