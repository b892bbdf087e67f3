"""メールアドレスを登録・変更する／ねんきん定期便のペーパーレス化: (入力) → (確認) → (変更)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.simulator.conftest import submit, text_of
from tests.simulator.test_nenkin_member import (
    account,
    arrive_from_myna,
    assert_shows,
    link_all,  # noqa: F401  (fixture)
    login_userid,
    page_text,
    post_form,
)

GOOD = {
    "email": "jiroukeitainokawari@yahoo.co.jp",
    "email_again": "jiroukeitainokawari@yahoo.co.jp",
    "notify_mail": "1",
    "paperless": "1",
}


@pytest.mark.usefixtures("link_all")
def test_input_page_shows_the_guides_texts_for_a_first_registration(client: FlaskClient) -> None:
    arrive_from_myna(client, "hanako")
    response = client.get("/nenkin/mail")
    assert response.status_code == 200
    assert_shows(
        response,
        "ねんきんネット",
        "メールアドレスを登録・変更する／ねんきん定期便のペーパーレス化 (入力)",
        "ねんきん定期便のペーパーレス化の希望が登録されていません。"
        "あなたのペーパーレス化の希望を登録してください。",
        "メールアドレスの登録",
        "「ねんきんネット」を利用する際、メールアドレスの登録が必要となります。"
        "メールアドレスをお持ちの方には、画面下部の【登録／変更内容を確認】ボタンを押してください。"
        "メールアドレスをお持ちでない、またはお忘れの方は画面上部の【ログアウト】ボタンを押して"
        "一度ログアウトし、メールアドレスを取得または確認後に再度ログインしてください。"
        "メールアドレスを取得する予定のない方は、画面下部の【マイナポータルとの連携を解除する】"
        "ボタンを押してください。",
        "※ マイナポータルとの連携を解除した場合、「ねんきんネット」が利用できなくなります。",
        "メールアドレスについての説明",
        "登録メールアドレスを入力してください 必須",
        "半角英数字または半角記号（255文字以内）で入力してください。",
        "(例: riyuu-toroku@xxxxxxxxx.go.jp)",
        "登録メールアドレスを再入力してください 必須",
        "日本年金機構からのお知らせメールの配信希望",
        "お知らせメール配信希望についての説明",
        "現在のお知らせメールの配信希望状態 未登録",
        "お知らせメールの配信希望",
        "ねんきん定期便（日本年金機構発行分のみ）のペーパーレス化",
        "「電子版」ねんきん定期便をご利用ください",
        "郵送よりも早い！",
        "紙よりも1〜2か月程度早く内容を確認できます",
        "管理が簡単！",
        "電子ファイルだから保存や管理が簡単です",
        "ECO！",
        "紙資源の節約など環境にやさしくなります",
        "※ マイナポータルのアカウント設定でメール通知の希望を行っていたと、通知書・証明書が"
        "マイナポータルの「お知らせ」に届き次第、マイナポータルからメールでお知らせいたします。",
        "ねんきん定期便のペーパーレス化についての説明",
        "「ねんきん定期便」のペーパーレス化の希望",
        "ペーパーレス化しない",
        "ペーパーレス化する",
        "登録／変更内容を確認する",
        "マイナポータルとの連携を解除する",
    )
    html = text_of(response)
    for name, value, label in [
        ("notify_mail", "1", "希望する"),
        ("notify_mail", "0", "希望しない"),
        ("paperless", "0", "ペーパーレス化しない"),
        ("paperless", "1", "ペーパーレス化する"),
    ]:
        assert f'<input type="radio" name="{name}" value="{value}"> {label}</label>' in html
    assert 'id="email" name="email" type="text"' in html and 'value=""' in html


def test_user_id_sessions_see_their_state_and_no_unlink_button(client: FlaskClient) -> None:
    login_userid(client, "kazuko")  # e-mail registered, お知らせメール 希望しない, paperless unset
    response = client.get("/nenkin/mail")
    assert_shows(response, "現在のお知らせメールの配信希望状態 希望しない")
    html = text_of(response)
    assert 'value="kazuko.tanaka@example.jp"' in html
    assert 'name="notify_mail" value="0" checked' in html
    assert "マイナポータルとの連携を解除する】ボタン" in html  # the paragraph stays
    assert "/nenkin/mail/unlink" not in html


def _error_beside(html: str, field: str) -> str | None:
    match = re.search(rf'<p class="nk-m-field-error" id="{field}-error">([^<]*)</p>', html)
    return None if match is None else match.group(1)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "", "email_again": ""}, "email", "メールアドレスを入力してください。"),
        (
            {"email": "a" * 245 + "@example.jp", "email_again": "a" * 245 + "@example.jp"},
            "email",
            "メールアドレスは255文字以内で入力してください。",
        ),
        (
            {"email": "ｔａｒｏ@example.jp", "email_again": "ｔａｒｏ@example.jp"},
            "email",
            "メールアドレスは半角英数字または半角記号で入力してください。",
        ),
        (
            {"email": "taro.example.jp", "email_again": "taro.example.jp"},
            "email",
            "メールアドレスの形式が正しくありません。（例：riyou-toroku@example.go.jp）",
        ),
        (
            {"email": "Kazuko.Tanaka@example.jp", "email_again": "Kazuko.Tanaka@example.jp"},
            "email",
            "このメールアドレスはすでに「ねんきんネット」に登録されているため、登録できません。",
        ),
        ({"email_again": ""}, "email_again", "メールアドレス（再入力）を入力してください。"),
        (
            {"email_again": "jiroukeitainokawari@yahoo.co.jq"},
            "email_again",
            "メールアドレスと再入力の内容が一致しません。",
        ),
        ({"notify_mail": ""}, "notify_mail", "お知らせメールの配信希望を選択してください。"),
        ({"notify_mail": "2"}, "notify_mail", "お知らせメールの配信希望を選択してください。"),
        (
            {"paperless": ""},
            "paperless",
            "「ねんきん定期便」のペーパーレス化の希望を選択してください。",
        ),
    ],
    ids=[
        "email-empty",
        "email-over-255",
        "email-full-width",
        "email-no-at",
        "email-of-another-persona",
        "again-empty",
        "again-differs",
        "notify-missing",
        "notify-unknown-value",
        "paperless-missing",
    ],
)
@pytest.mark.usefixtures("link_all")
def test_input_rules(
    app: Flask,
    client: FlaskClient,
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    arrive_from_myna(client, "hanako")
    response = submit(client, "/nenkin/mail", {**GOOD, **changes})
    assert response.status_code == 200  # the (入力) page again, not a redirect
    html = text_of(response)
    assert _error_beside(html, field) == message
    assert f'aria-describedby="{field}-error"' in html
    for other in GOOD.keys() - changes.keys():
        assert _error_beside(html, other) is None, other  # fields left right stay quiet
    if field.startswith("email"):
        assert f'value="{changes[field]}"' in html  # what was typed stays in the field
    assert account(app, client, "hanako")["email"] is None


@pytest.mark.usefixtures("link_all")
def test_every_error_shows_at_once(client: FlaskClient) -> None:
    arrive_from_myna(client, "hanako")
    html = text_of(submit(client, "/nenkin/mail", {"email": "x", "email_again": "y"}))
    assert {f for f in GOOD if _error_beside(html, f)} == set(GOOD)
    assert 'value="x"' in html and 'value="y"' in html
    assert "入力内容に誤りがあります。" in html


def test_keeping_ones_own_address_is_allowed(client: FlaskClient) -> None:
    arrive_from_myna(client, "ichiro")
    own = "ichiro.sato@example.jp"
    data = {"email": own, "email_again": own, "notify_mail": "0", "paperless": "1"}
    response = submit(client, "/nenkin/mail", data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/nenkin/mail/confirm"


@pytest.mark.usefixtures("link_all")
def test_input_confirm_register_and_back_to_the_top_page(app: Flask, client: FlaskClient) -> None:
    entry = arrive_from_myna(client, "hanako")
    assert entry.headers["Location"] == "/nenkin/mail"
    to_confirm = submit(client, "/nenkin/mail", GOOD)
    assert to_confirm.status_code == 302
    assert to_confirm.headers["Location"] == "/nenkin/mail/confirm"

    confirm = client.get("/nenkin/mail/confirm")
    assert_shows(
        confirm,
        "メールアドレスを登録・変更する／ねんきん定期便のペーパーレス化 (確認)",
        "登録するメールアドレス jiroukeitainokawari@yahoo.co.jp",
        "日本年金機構からのお知らせメールの配信希望 希望する",
        "「ねんきん定期便」(日本年金機構発行分のみ) ペーパーレス化する",
        "入力内容を登録する",
        "入力内容を修正する",
        "個人情報保護",
        "利用規約 PDF",
    )
    assert account(app, client, "hanako")["email"] is None  # nothing saved before 登録

    fix = post_form(client, "/nenkin/mail/confirm", "/nenkin/mail/confirm", {"action": "fix"})
    assert fix.headers["Location"] == "/nenkin/mail"
    again = text_of(client.get("/nenkin/mail"))  # the draft comes back for correcting
    assert 'value="jiroukeitainokawari@yahoo.co.jp"' in again
    assert 'name="notify_mail" value="1" checked' in again
    assert 'name="paperless" value="1" checked' in again

    submit(client, "/nenkin/mail", GOOD)
    done = post_form(client, "/nenkin/mail/confirm", "/nenkin/mail/confirm", {"action": "register"})
    assert done.status_code == 302
    assert done.headers["Location"] == "/nenkin/mail/done"
    row = account(app, client, "hanako")
    assert (row["email"], row["notify_mail"], row["paperless"]) == (GOOD["email"], 1, 1)

    changed = client.get("/nenkin/mail/done")
    assert_shows(
        changed,
        "メールアドレスを登録・変更する／ねんきん定期便のペーパーレス化 (変更)",
        "メールアドレスおよびねんきん定期便のペーパーレス化について変更しました。",
        "ねんきんネット (トップページ) へ戻る",
    )
    assert 'href="/nenkin/home"' in text_of(changed)
    home = client.get("/nenkin/home")  # steps 22–24: the お知らせ dialog comes first
    assert 'role="dialog"' in text_of(home)
    assert client.get("/nenkin/mail/confirm").headers["Location"] == "/nenkin/mail"


def test_confirm_without_input_goes_back_to_input(client: FlaskClient) -> None:
    login_userid(client, "kazuko")
    response = client.get("/nenkin/mail/confirm")
    assert response.status_code == 302
    assert response.headers["Location"] == "/nenkin/mail"


@pytest.mark.usefixtures("link_all")
def test_a_draft_is_not_carried_over_to_another_login(client: FlaskClient) -> None:
    arrive_from_myna(client, "hanako")
    submit(client, "/nenkin/mail", GOOD)
    login_userid(client, "kazuko")
    assert client.get("/nenkin/mail/confirm").headers["Location"] == "/nenkin/mail"
    assert "jiroukeitainokawari" not in page_text(client.get("/nenkin/mail"))


def test_unlink_page_explains_and_leads_back(client: FlaskClient) -> None:
    arrive_from_myna(client, "ichiro")
    response = client.get("/nenkin/mail/unlink")
    assert_shows(
        response,
        "※ マイナポータルとの連携を解除した場合、「ねんきんネット」が利用できなくなります。",
    )
    assert 'href="/nenkin/mail"' in text_of(response)
