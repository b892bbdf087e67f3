"""ねんきんネット public pages via the test client: top, register, login, user-ID application."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from markupsafe import escape
from werkzeug.test import TestResponse

from simulator.nenkin import identity, rules
from simulator.nenkin.public import LOCKED, LOGIN_FAILED
from simulator.nenkin.userid import TERMS_REFUSED
from tests.simulator.conftest import submit, text_of

QUESTION = rules.SECRET_QUESTIONS[0]
JIRO: dict[str, str] = {
    "access_key": "12345678901234567",
    "kiso_upper": "3333",
    "kiso_lower": "444555",
    "family_name": "鈴木",
    "given_name": "次郎",
    "family_kana": "スズキ",
    "given_kana": "ジロウ",
    "era": "昭和",
    "birth_year": "40",
    "birth_month": "10",
    "birth_day": "2",
    "gender": "男性",
    "password": "Renshu2026ab",
    "password_again": "Renshu2026ab",
    "secret_question": QUESTION,
    "secret_answer": "ネンキン",
    "email": "jiro@example.jp",
    "email_again": "jiro@example.jp",
    "notify_mail": "希望する",
    "phone": "090-0000-3333",
}
YOSHIKO: dict[str, str] = {
    "kiso_upper": "4444",
    "kiso_lower": "555666",
    "family_name": "高橋",
    "given_name": "良子",
    "family_kana": "タカハシ",
    "given_kana": "ヨシコ",
    "era": "昭和",
    "birth_year": "42",
    "birth_month": "7",
    "birth_day": "7",
    "gender": "女性",
    "postal_code": "180-0004",
    "prefecture": "東京都",
    "address": "武蔵野市吉祥寺本町Ｘ－Ｘ－Ｘ",
    "password": "Kichijoji2026",
    "password_again": "Kichijoji2026",
    "secret_question": QUESTION,
    "secret_answer": "ABC123",
    "email": "yoshiko@example.jp",
    "email_again": "yoshiko@example.jp",
    "notify_mail": "希望しない",
    "phone": "",
}
GORO: dict[str, str] = {
    **JIRO,
    "access_key": "76543210987654321",
    "kiso_upper": "6666",
    "kiso_lower": "777888",
    "family_name": "渡辺",
    "given_name": "五郎",
    "family_kana": "ワタナベ",
    "given_kana": "ゴロウ",
    "birth_year": "33",
    "birth_month": "3",
    "birth_day": "3",
    "email": "goro@example.jp",
    "email_again": "goro@example.jp",
}


def apply_url(kind: str) -> str:
    return f"/nenkin/userid/apply?key={kind}"


def agree(client: FlaskClient, kind: str) -> None:
    response = submit(client, f"/nenkin/userid/terms?key={kind}", {"agree": "on"})
    assert response.status_code == 302
    assert response.headers["Location"] == apply_url(kind)


def apply(client: FlaskClient, kind: str, data: dict[str, str]) -> TestResponse:
    agree(client, kind)
    return submit(client, apply_url(kind), data)


def error_beside(field: str, message: str) -> str:
    return f'<p class="nk-error" id="{field}-error">{escape(message)}</p>'


def outbox(client: FlaskClient) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.get("/_sim/outbox").get_json()
    return items


def login(client: FlaskClient, user_id: str, password: str) -> TestResponse:
    return submit(client, "/nenkin/login", {"user_id": user_id, "password": password})


# --- top, 新規登録, ログイン pages -------------------------------------------------------


def test_top_offers_register_and_login(client: FlaskClient) -> None:
    page = text_of(client.get("/nenkin/"))
    assert 'href="/nenkin/register">新規登録</a>' in page
    assert 'href="/nenkin/login">ログイン</a>' in page


def test_top_sends_a_logged_in_user_home(client: FlaskClient) -> None:
    assert login(client, "NK5555666777", "Renshu2026pw").headers["Location"] == "/nenkin/home"
    response = client.get("/nenkin/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/nenkin/home"


def test_register_band_holds_the_choices_in_order(client: FlaskClient) -> None:
    page = text_of(client.get("/nenkin/register"))
    band = page.index('<details class="nk-band">')
    summary = page.index(
        "<summary>はじめて「ねんきんネット」をご利用になる方（新規登録）</summary>"
    )
    myna = page.index('<a class="nk-bigbutton" href="/myna/">マイナンバーカードあり</a>')
    with_key = page.index('href="/nenkin/userid/terms?key=yes">アクセスキーをお持ちの方</a>')
    without = page.index('href="/nenkin/userid/terms?key=no">アクセスキーをお持ちでない方</a>')
    assert band < summary < myna < with_key < without
    assert page.index("ユーザIDの取得") < with_key


def test_login_page_band_is_closed_until_pressed(client: FlaskClient) -> None:
    page = text_of(client.get("/nenkin/login"))
    assert '<details class="nk-band">' in page
    assert "<summary>ログイン</summary>" in page
    assert page.index('href="/myna/">マイナポータルからログイン</a>') < page.index(
        '<label for="user_id">ユーザID</label>'
    )
    assert '<label for="password">パスワード</label>' in page
    assert '<button class="nk-bigbutton" type="submit">ログイン</button>' in page


# --- login and lockout ---------------------------------------------------------------------


def test_login_with_user_id_and_password(client: FlaskClient) -> None:
    response = login(client, "NK5555666777", "Renshu2026pw")
    assert response.status_code == 302
    assert response.headers["Location"] == "/nenkin/home"
    with client.session_transaction() as session:
        assert session["nenkin_user"] == "kazuko"
        assert session["nenkin_via"] == "userid"


@pytest.mark.parametrize(
    ("user_id", "password"),
    [("NK5555666777", "Wrong2026pw"), ("NK0000000000", "Renshu2026pw"), ("nk5555666777", "x")],
)
def test_login_refuses_wrong_credentials(client: FlaskClient, user_id: str, password: str) -> None:
    response = login(client, user_id, password)
    page = text_of(response)
    assert response.status_code == 200
    assert LOGIN_FAILED in page
    assert '<details class="nk-band" open>' in page  # re-rendered with the form showing
    assert f'value="{user_id}"' in page


def test_login_requires_both_fields(client: FlaskClient) -> None:
    page = text_of(login(client, "", ""))
    assert error_beside("user_id", "ユーザIDを入力してください。") in page
    assert error_beside("password", "パスワードを入力してください。") in page


def test_five_wrong_passwords_lock_the_account(client: FlaskClient) -> None:
    for _ in range(4):
        assert LOGIN_FAILED in text_of(login(client, "NK5555666777", "Wrong2026pw"))
    fifth = text_of(login(client, "NK5555666777", "Wrong2026pw"))
    assert LOCKED in fifth
    assert "5回続けて間違えたため" in fifth
    right = login(client, "NK5555666777", "Renshu2026pw")
    assert right.status_code == 200
    assert LOCKED in text_of(right)
    with client.session_transaction() as session:
        assert "nenkin_user" not in session


def test_a_successful_login_resets_the_failure_count(client: FlaskClient) -> None:
    for _ in range(4):
        login(client, "NK5555666777", "Wrong2026pw")
    assert login(client, "NK5555666777", "Renshu2026pw").status_code == 302
    client.post("/_sim/reset")  # not a new sandbox: reset drops it, so log out instead
    for _ in range(4):
        assert LOGIN_FAILED in text_of(login(client, "NK5555666777", "Wrong2026pw"))


def test_logout_ends_the_session(client: FlaskClient) -> None:
    login(client, "NK5555666777", "Renshu2026pw")
    token = re.search(r'name="csrf_token" value="([^"]+)"', text_of(client.get("/nenkin/login")))
    assert token
    response = client.post("/nenkin/logout", data={"csrf_token": token.group(1)})
    assert response.headers["Location"] == "/nenkin/"
    assert client.get("/nenkin/").status_code == 200


# --- 利用規約 ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["yes", "no"])
def test_terms_refused_without_the_checkbox(client: FlaskClient, kind: str) -> None:
    url = f"/nenkin/userid/terms?key={kind}"
    page = text_of(client.get(url))
    assert '<label for="agree">同意する</label>' in page
    assert '<button class="nk-bigbutton" type="submit">ご利用登録を続ける</button>' in page
    response = submit(client, url, {})
    assert response.status_code == 200
    assert TERMS_REFUSED in text_of(response)
    assert client.get(apply_url(kind)).headers["Location"] == url  # no way round the terms


def test_unknown_application_kind_is_not_found(client: FlaskClient) -> None:
    assert client.get("/nenkin/userid/terms?key=maybe").status_code == 404


def test_input_page_opens_with_the_notice_dialog(client: FlaskClient) -> None:
    agree(client, "yes")
    page = text_of(client.get(apply_url("yes")))
    assert '<dialog open class="nk-dialog" aria-labelledby="notice-title">' in page
    assert '<form method="dialog">' in page
    assert ">閉じる</button>" in page
    assert page.index("<dialog") < page.index("<h1>ユーザIDの発行を申し込む（入力）</h1>")


@pytest.mark.parametrize(
    ("kind", "sections"),
    [
        (
            "yes",
            [
                "アクセスキー入力",
                "基礎年金番号入力",
                "氏名入力",
                "生年月日入力",
                "性別選択",
                "お客様設定パスワード入力",
                "秘密の質問と答えの設定",
                "メールアドレス入力",
                "お知らせメール希望",
                "電話番号入力",
            ],
        ),
        (
            "no",
            [
                "基礎年金番号入力",
                "氏名入力",
                "生年月日入力",
                "性別選択",
                "郵便番号と住所入力",
                "お客様設定パスワード入力",
                "秘密の質問と答えの設定",
                "メールアドレス入力",
                "お知らせメール希望",
                "電話番号入力",
            ],
        ),
    ],
)
def test_input_page_numbers_its_sections(
    client: FlaskClient, kind: str, sections: list[str]
) -> None:
    agree(client, kind)
    page = text_of(client.get(apply_url(kind)))
    found = re.findall(r'<span class="nk-section-no">(\d+)</span> ([^<]+)</h2>', page)
    assert found == [(str(n), title) for n, title in enumerate(sections, start=1)]
    for text in (
        "半角数字（上4桁、下6桁）で入力してください。",
        "全角文字（姓・名それぞれ23文字以内）で入力してください。",
        "全角カタカナ（姓・名それぞれ23文字以内）で入力してください。",
        "以下の元号を必ず選択の上、年月日は半角数字で入力してください。",
        "半角英数字混在（8～20桁）で入力してください。記号は使用できません。",
        "半角英数字または半角記号（255文字以内）で入力してください。",
        '<option value="">お選びください</option>',
        "次に進む（入力内容を確認する）",
        "ねんきんネット（申請用トップページ）へ戻る",
    ):
        assert text in page
    assert ("日本国外にお住まいの方は、888-8888と入力してください。" in page) is (kind == "no")


# --- (入力) validation through the form ------------------------------------------------------

BIRTH_RANGE = "の期間外の日付です。"


@pytest.mark.parametrize(
    ("kind", "changes", "field", "message"),
    [
        ("yes", {"access_key": ""}, "access_key", "アクセスキーを入力してください。"),
        ("yes", {"access_key": "１２３４５６７８９０１２３４５６７"}, "access_key",
         "アクセスキーは半角数字17桁で入力してください。"),
        ("yes", {"access_key": "11111111111111111"}, "access_key", identity.KEY_UNKNOWN),
        ("yes", {"kiso_lower": "44455"}, "kiso_upper",
         "基礎年金番号は半角数字（上4桁、下6桁）で入力してください。"),
        ("yes", {"family_name": "Suzuki"}, "family_name",
         "氏名（姓）は全角文字で入力してください。"),
        ("yes", {"given_name": "次" * 24}, "given_name",
         "氏名（名）は23文字以内で入力してください。"),
        ("yes", {"family_kana": "すずき"}, "family_kana",
         "フリガナ（姓）は全角カタカナで入力してください。"),
        ("yes", {"given_kana": "ｼﾞﾛｳ"}, "given_kana",
         "フリガナ（名）は全角カタカナで入力してください。"),
        ("yes", {"era": ""}, "era", "生年月日の元号を選択してください。"),
        ("yes", {"era": "平成", "birth_year": "31", "birth_month": "5", "birth_day": "1"}, "era",
         "平成の期間外の日付です。平成元年1月8日～平成31年4月30日の日付を入力してください。"),
        ("yes", {"birth_year": "64", "birth_month": "1", "birth_day": "8"}, "era",
         "昭和の期間外の日付です。昭和元年12月25日～昭和64年1月7日の日付を入力してください。"),
        ("yes", {"birth_month": "2", "birth_day": "30"}, "era",
         "生年月日に存在しない日付が入力されています。"),
        ("yes", {"gender": ""}, "gender", "性別を選択してください。"),
        ("yes", {"password": "Pw19651002", "password_again": "Pw19651002"}, "password",
         "お客様設定パスワードに生年月日を使用することはできません。"),
        ("yes", {"password": "Pw09000003333", "password_again": "Pw09000003333"}, "password",
         "お客様設定パスワードに電話番号を使用することはできません。"),
        ("yes", {"password": "Jirou2026x", "password_again": "Jirou2026x"}, "password",
         "お客様設定パスワードにお名前を使用することはできません。"),
        ("yes", {"password": "NK3333444555", "password_again": "NK3333444555"}, "password",
         "お客様設定パスワードにユーザIDを使用することはできません。"),
        ("yes", {"password": "Renshu-2026", "password_again": "Renshu-2026"}, "password",
         "お客様設定パスワードは半角英数字で入力してください。記号は使用できません。"),
        ("yes", {"password_again": "Renshu2026aB"}, "password_again",
         "お客様設定パスワードと再入力の内容が一致しません。"),
        ("yes", {"secret_question": ""}, "secret_question", "秘密の質問を選択してください。"),
        ("yes", {"secret_answer": "abc"}, "secret_answer",
         "秘密の答えは全角、半角英数大文字、半角の「.」「,」「-」「'」で入力してください。"),
        ("yes", {"email": "kazuko.tanaka@example.jp", "email_again": "kazuko.tanaka@example.jp"},
         "email", "このメールアドレスはすでに「ねんきんネット」に登録されているため、登録"
         "できません。"),
        ("yes", {"email": "a" * 250 + "@example.jp", "email_again": "a" * 250 + "@example.jp"},
         "email", "メールアドレスは255文字以内で入力してください。"),
        ("yes", {"email_again": "jiro@example.com"}, "email_again",
         "メールアドレスと再入力の内容が一致しません。"),
        ("yes", {"notify_mail": ""}, "notify_mail", "お知らせメール配信希望を選択してください。"),
        ("yes", {"phone": "０９０-0000-3333"}, "phone",
         "電話番号は半角数字とハイフン（-）で入力してください。"),
        ("no", {"postal_code": "1800004"}, "postal_code",
         "郵便番号は半角数字で「123-4567」の形式で入力してください。"),
        ("no", {"postal_code": "888-8888"}, "prefecture",
         "郵便番号が888-8888の場合は、都道府県に「海外」を選択してください。"),
        ("no", {"prefecture": ""}, "prefecture", "都道府県を選択してください。"),
        ("no", {"address": "musashino"}, "address",
         "住所は全角、半角英数大文字、半角の「.」「,」「-」「'」で入力してください。"),
    ],
)  # fmt: skip
def test_input_field_messages(
    client: FlaskClient, kind: str, changes: dict[str, str], field: str, message: str
) -> None:
    base = JIRO if kind == "yes" else YOSHIKO
    response = apply(client, kind, {**base, **changes})
    page = text_of(response)
    assert response.status_code == 200
    assert error_beside(field, message) in page
    assert f">{escape(message)}</a></li>" in page  # also in the summary


def test_expired_access_key_has_its_own_message(client: FlaskClient) -> None:
    page = text_of(apply(client, "yes", GORO))
    expired = (
        "入力されたアクセスキーは有効期限（令和6年3月31日）が切れています。"
        "アクセスキーをお持ちでない方の申込みからユーザIDを取得してください。"
    )
    assert error_beside("access_key", expired) in page


def test_access_key_expires_after_its_last_day(client: FlaskClient) -> None:
    client.post("/_sim/clock", json={"at": "2027-03-31T23:00:00"})
    assert apply(client, "yes", JIRO).status_code == 302
    client.post("/_sim/clock", json={"at": "2027-04-01T09:00:00"})
    page = text_of(submit(client, apply_url("yes"), JIRO))
    assert "有効期限（令和9年3月31日）が切れています。" in page


@pytest.mark.parametrize(
    ("kind", "changes", "message"),
    [
        ("yes", {"given_name": "二郎"}, identity.KEY_MISMATCH),
        ("yes", {"kiso_lower": "444556"}, identity.KEY_MISMATCH),
        ("yes", {"birth_day": "3"}, identity.KEY_MISMATCH),
        ("no", {"family_kana": "タカバシ"}, identity.NOBODY),
        ("no", {**{k: v for k, v in JIRO.items() if k != "access_key"}}, None),
    ],
)
def test_identity_must_match_a_persona(
    client: FlaskClient, kind: str, changes: dict[str, str], message: str | None
) -> None:
    base = JIRO if kind == "yes" else YOSHIKO
    response = apply(client, kind, {**base, **changes})
    if message is None:  # jiro may also apply without his key: he has no user ID yet
        assert response.status_code == 302
        return
    assert message in text_of(response)


def test_a_person_with_a_user_id_cannot_apply_again(client: FlaskClient) -> None:
    kazuko = {
        **YOSHIKO,
        "kiso_upper": "5555",
        "kiso_lower": "666777",
        "family_name": "田中",
        "given_name": "和子",
        "family_kana": "タナカ",
        "given_kana": "カズコ",
        "birth_year": "35",
        "birth_month": "1",
        "birth_day": "15",
    }
    assert identity.ALREADY_ISSUED in text_of(apply(client, "no", kazuko))


def test_all_errors_at_once_with_input_kept(client: FlaskClient) -> None:
    data = {
        **YOSHIKO,
        "family_name": "Takahashi",
        "given_kana": "よしこ",
        "birth_month": "13",
        "postal_code": "180",
        "password": "short",
        "password_again": "other",
        "email": "yoshiko@@example.jp",
        "phone": "0422-00-444444",
    }
    page = text_of(apply(client, "no", data))
    expected = {
        "family_name": "氏名（姓）は全角文字で入力してください。",
        "given_kana": "フリガナ（名）は全角カタカナで入力してください。",
        "era": "生年月日に存在しない日付が入力されています。",
        "postal_code": "郵便番号は半角数字で「123-4567」の形式で入力してください。",
        "password": "お客様設定パスワードは8桁以上20桁以内で入力してください。",
        "password_again": "お客様設定パスワードと再入力の内容が一致しません。",
        "email": "メールアドレスの形式が正しくありません。（例：riyou-toroku@example.go.jp）",
        "email_again": "メールアドレスと再入力の内容が一致しません。",
        "phone": "電話番号は10桁または11桁の数字で入力してください。",
    }
    for field, message in expected.items():
        assert error_beside(field, message) in page
    summary = re.findall(r'<li><a href="#([\w-]+)">([^<]+)</a></li>', page)
    assert [message for _, message in summary] == list(expected.values())
    for field in ("family_name", "given_kana", "postal_code", "email", "phone", "address"):
        assert f'value="{data[field]}"' in page
    assert 'value="13"' in page
    assert '<option value="東京都" selected>' in page
    assert '<input type="radio" name="gender" value="女性" checked>' in page
    assert 'value="short"' not in page  # passwords are never sent back
    assert "<dialog" not in page


# --- the happy paths ---------------------------------------------------------------------


def test_with_access_key_end_to_end(client: FlaskClient) -> None:
    response = apply(client, "yes", JIRO)
    assert response.headers["Location"] == "/nenkin/userid/review"
    review = text_of(client.get("/nenkin/userid/review"))
    for shown in (
        "12345678901234567",
        "3333-444555",
        "鈴木　次郎",
        "スズキ　ジロウ",
        "昭和40年10月2日",
    ):
        assert shown in review
    assert "Renshu2026ab" not in review
    assert "●●●●●●●●" in review
    assert ">申し込む</button>" in review and "入力内容を修正する</a>" in review

    done = submit(client, "/nenkin/userid/review", {})
    assert done.headers["Location"] == "/nenkin/userid/complete"
    complete = text_of(client.get("/nenkin/userid/complete"))
    assert (
        "ユーザID確認用メールが登録したメールアドレス宛に送付されますので、"
        "ユーザIDを確認してログインしてください"
    ) in complete

    (mail,) = outbox(client)
    assert mail["kind"] == "email"
    assert mail["recipient"] == "jiro@example.jp"
    url = re.search(r"ユーザID確認用URL: http://localhost(/nenkin/userid/check/\w+)", mail["body"])
    assert url
    assert "<strong>NK3333444555</strong>" in text_of(client.get(url.group(1)))

    assert login(client, "NK3333444555", "Renshu2026ab").headers["Location"] == "/nenkin/home"
    # The address is registered now: nobody else may apply with it.
    again = apply(client, "yes", JIRO)
    assert "すでに「ねんきんネット」に登録されているため" in text_of(again)


def test_without_access_key_end_to_end(client: FlaskClient) -> None:
    assert apply(client, "no", YOSHIKO).headers["Location"] == "/nenkin/userid/review"
    review = text_of(client.get("/nenkin/userid/review"))
    assert "180-0004" in review and "武蔵野市吉祥寺本町Ｘ－Ｘ－Ｘ" in review
    submit(client, "/nenkin/userid/review", {})
    complete = text_of(client.get("/nenkin/userid/complete"))
    assert "後日ユーザIDが郵送されます" in complete
    assert "郵送されるまで5営業日程度かかります。" in complete

    (letter,) = outbox(client)
    assert letter["kind"] == "letter"
    assert letter["subject"] == "ユーザIDのお知らせ"
    assert letter["recipient"] == "〒180-0004 東京都武蔵野市吉祥寺本町Ｘ－Ｘ－Ｘ 高橋　良子 様"
    user_id = re.search(r"ユーザID: (NK\d{10})", letter["body"])
    assert user_id and user_id.group(1) == "NK4444555666"
    assert login(client, "NK4444555666", "Kichijoji2026").headers["Location"] == "/nenkin/home"


def test_overseas_applicant_gets_the_letter_abroad(client: FlaskClient) -> None:
    goro = {k: v for k, v in GORO.items() if k != "access_key"}
    address = "XXXX CHULA VISTA, CA 91913 USA GORO WATANABE 杉並区高井戸西Ｘ－Ｘ－Ｘ"
    data = {**goro, "postal_code": "888-8888", "prefecture": "海外", "address": address}
    assert apply(client, "no", data).status_code == 302
    submit(client, "/nenkin/userid/review", {})
    (letter,) = outbox(client)
    assert letter["recipient"] == f"〒888-8888 {address} 渡辺　五郎 様"


def test_correcting_the_input_keeps_the_values(client: FlaskClient) -> None:
    apply(client, "no", YOSHIKO)
    page = text_of(client.get(apply_url("no") + "&edit=1"))
    assert 'value="武蔵野市吉祥寺本町Ｘ－Ｘ－Ｘ"' in page
    assert '<input type="radio" name="notify_mail" value="希望しない" checked>' in page
    assert "<dialog" not in page
    assert 'value="Kichijoji2026"' not in page


def test_review_and_complete_need_an_application(client: FlaskClient) -> None:
    assert client.get("/nenkin/userid/review").headers["Location"] == "/nenkin/register"
    assert client.get("/nenkin/userid/complete").headers["Location"] == "/nenkin/register"
    assert client.get("/nenkin/userid/check/unknown").status_code == 404
