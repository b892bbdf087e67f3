"""ねんきんネット member pages: arrival from マイナポータル, top page, お知らせ, records, 電子申請.

The helpers at the top are shared by the other test_nenkin_member_*.py files.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from simulator.db import connect
from simulator.personas import load_personas
from tests.simulator.conftest import csrf_token, text_of

# --- helpers -----------------------------------------------------------------------------


class _Text(HTMLParser):
    """Visible text of a page, plus the cells of its tables."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.rows: list[list[str]] = []
        self._skip = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title"):
            self._skip += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self._skip -= 1
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.parts.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(response: TestResponse) -> _Text:
    parser = _Text()
    parser.feed(text_of(response))
    return parser


def norm(text: str) -> str:
    """Compare the way a reader does: full/half width alike, spacing ignored."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def page_text(response: TestResponse) -> str:
    return norm("".join(parse(response).parts))


def assert_shows(response: TestResponse, *texts: str) -> None:
    shown = page_text(response)
    missing = [text for text in texts if norm(text) not in shown]
    assert not missing, f"not on the page: {missing}"


def open_sandbox(client: FlaskClient) -> None:
    client.get("/nenkin/")


def login_userid(client: FlaskClient, persona: str) -> None:
    """A session as the public login leaves it after a user-ID login."""
    open_sandbox(client)
    with client.session_transaction() as session:
        session["nenkin_user"] = persona
        session["nenkin_via"] = "userid"


def arrive_from_myna(client: FlaskClient, persona: str) -> TestResponse:
    """What つながっているウェブサイト → ねんきんネット does: hand over, then open the entry."""
    open_sandbox(client)
    with client.session_transaction() as session:
        session["myna_user"] = persona
    return client.get("/nenkin/myna-entry")


@pytest.fixture
def link_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every persona counts as linked in マイナポータル (hanako is not, when seeded)."""
    monkeypatch.setattr("simulator.myna.is_linked", lambda _key: True)


def account(app: Flask, client: FlaskClient, persona: str) -> sqlite3.Row:
    with client.session_transaction() as session:
        sandbox_id = session["sandbox"]
    conn = connect(app.config["DATABASE"])
    try:
        row: sqlite3.Row = conn.execute(
            "SELECT * FROM nenkin_account WHERE sandbox = ? AND persona = ?",
            (sandbox_id, persona),
        ).fetchone()
    finally:
        conn.close()
    return row


def post_form(
    client: FlaskClient, page_url: str, action: str, data: dict[str, str]
) -> TestResponse:
    return client.post(action, data={**data, "csrf_token": csrf_token(client, page_url)})


# --- login and arrival ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/nenkin/home", "/nenkin/records", "/nenkin/records/list", "/nenkin/notices",
     "/nenkin/e-apply", "/nenkin/mail", "/nenkin/mail/confirm"],
)  # fmt: skip
def test_member_pages_send_visitors_to_login(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"] == "/nenkin/login"


def test_myna_entry_of_a_linked_user_with_email_opens_the_top_page(
    app: Flask, client: FlaskClient
) -> None:
    response = arrive_from_myna(client, "ichiro")  # linked in the seed, e-mail registered
    assert response.status_code == 302
    assert response.headers["Location"] == "/nenkin/home"
    with client.session_transaction() as session:
        assert session["nenkin_user"] == "ichiro"
        assert session["nenkin_via"] == "myna"
    assert account(app, client, "ichiro")["last_login"] == "2026-11-24T10:31:00+09:00"


def test_myna_entry_without_email_asks_for_one_first(client: FlaskClient, link_all: None) -> None:
    response = arrive_from_myna(client, "hanako")
    assert response.status_code == 302
    assert response.headers["Location"] == "/nenkin/mail"


def test_myna_entry_refuses_a_user_not_linked(client: FlaskClient) -> None:
    response = arrive_from_myna(client, "hanako")  # has a card, not linked yet
    assert response.status_code == 403
    assert_shows(response, "マイナポータルからログインできません")
    with client.session_transaction() as session:
        assert "nenkin_user" not in session


def test_myna_entry_refuses_without_a_handover(client: FlaskClient, link_all: None) -> None:
    open_sandbox(client)
    response = client.get("/nenkin/myna-entry")
    assert response.status_code == 403
    with client.session_transaction() as session:
        assert "nenkin_user" not in session


# --- top page ------------------------------------------------------------------------------


def test_top_page_shows_the_user_as_the_guide_does(client: FlaskClient) -> None:
    arrive_from_myna(client, "ichiro")
    response = client.get("/nenkin/home")
    assert response.status_code == 200
    assert_shows(
        response,
        "ログアウト",
        "最新のログイン日時",
        "令和8年11月24日 10時31分",
        "電子版「ねんきん定期便」が作成されました。詳しくは「通知書を確認する」をご覧ください。",
        "日本年金機構からのお知らせ",
        "ユーザーID・パスワードの管理について",
        "利用者情報",
        "氏名",
        "佐藤　一郎　様",
        "基礎年金番号",
        "2222-333444",
        "郵便番号・住所・性別・生年月日",
        "表示",
        "マイナンバー（個人番号）収録状況",
        "収録済",
        "のボタンを押すと住所が表示されますが、その住所がお住まいの住所と異なっている場合には"
        "「ねんきん定期便・ねんきんネット専用番号」またはお近くの「年金事務所」にご連絡ください。",
        "* マイナンバーについては、「年金Q&A」をご覧ください。",
    )
    assert norm("高井戸西Ｘ－Ｘ－Ｘ") not in page_text(response)  # the address waits behind 表示
    assert 'role="dialog"' not in text_of(response)  # seeded with an e-mail: お知らせ read


def test_the_show_button_reveals_address_gender_and_birth(client: FlaskClient) -> None:
    arrive_from_myna(client, "ichiro")
    response = client.get("/nenkin/home?show=1")
    assert_shows(
        response, "〒168-0071", "東京都杉並区高井戸西Ｘ－Ｘ－Ｘ", "男性", "昭和36年2月24日"
    )


def test_top_page_menu_lists_the_large_buttons_in_order(client: FlaskClient) -> None:
    login_userid(client, "kazuko")
    html = text_of(client.get("/nenkin/home"))
    menu = html[html.index('aria-label="メニュー"') :]
    labels = [
        ("年金記録を確認する", 'href="/nenkin/records"'),
        ("見込額を試算する", 'aria-disabled="true"'),
        ("通知書を確認する", 'href="/nenkin/notices"'),
        ("届書を電子申請する", 'href="/nenkin/e-apply"'),
        ("メールアドレスを登録・変更する／ねんきん定期便のペーパーレス化", 'href="/nenkin/mail"'),
    ]
    positions = [menu.index(label) for label, _ in labels]
    assert positions == sorted(positions)
    for label, target in labels:
        start = menu.rindex("<", 0, menu.index(label))
        assert target in menu[start : menu.index(label)], label
    assert "パソコンのみ" in menu


def test_notice_dialog_shows_until_closed(app: Flask, client: FlaskClient, link_all: None) -> None:
    arrive_from_myna(client, "hanako")  # no e-mail yet: notice_read starts at 0
    first = client.get("/nenkin/home")
    html = text_of(first)
    assert 'role="dialog"' in html and 'aria-modal="true"' in html
    assert 'class="nk-m-home" inert aria-hidden="true"' in html
    assert_shows(
        first,
        "日本年金機構からのお知らせ",
        "マイナンバーカードでマイナポータルにログインすれば、「ねんきんネット」のユーザーID、"
        "パスワードを入力することなく「ねんきんネット」にログインできます。"
        "マイナポータルの詳細は「デジタル庁マイナポータルページ」をご覧ください。",
        "以下の通知書をe-Taxでの確定申告等に利用できる電子データとして、"
        "マイナポータルで受け取れるようになりました。",
        "・ 社会保険料 (国民年金保険料) 控除証明書",
        "・ 公的年金等の源泉徴収票",
        "詳細は「日本年金機構ホームページ」をご覧ください。",
        "平成31年4月から国民年金保険料の産前産後期間の免除制度が始まりました。"
        "制度の詳細は「産前産後期間の免除制度」をご覧ください。",
        "閉じる",
    )
    closed = post_form(client, "/nenkin/home", "/nenkin/home/notice/close", {})
    assert closed.status_code == 302
    assert closed.headers["Location"] == "/nenkin/home"
    assert account(app, client, "hanako")["notice_read"] == 1
    assert 'role="dialog"' not in text_of(client.get("/nenkin/home"))


def test_closing_the_notice_needs_the_form_token(client: FlaskClient, link_all: None) -> None:
    arrive_from_myna(client, "hanako")
    assert client.post("/nenkin/home/notice/close").status_code == 400


# --- 年金記録 ---------------------------------------------------------------------------------


def test_records_menu_offers_list_and_monthly(client: FlaskClient) -> None:
    login_userid(client, "kazuko")
    html = text_of(client.get("/nenkin/records"))
    assert 'href="/nenkin/records/list">一覧で年金記録を確認する</a>' in html
    assert 'href="/nenkin/records/monthly">月別の年金記録を確認する</a>' in html


def test_records_list_has_one_row_per_record(client: FlaskClient) -> None:
    login_userid(client, "kazuko")
    page = parse(client.get("/nenkin/records/list"))
    header, *rows = page.rows
    assert header == [
        "年度（年齢）",
        "お勤め先の名称等",
        "加入月数",
        "1年間の保険料納付額",
        "年金見込額（年額）",
    ]
    assert len(rows) == len(load_personas()["kazuko"].records)
    assert rows[0] == ["平成20年度（45歳）", "国年 第3号被保険者", "12月", "-", "-"]
    assert rows[2] == ["平成22年度（47歳）", "練習商事株式会社", "12月", "412,800円", "18,600円"]
    assert rows[4] == ["!平成24年度（49歳）", "国年 第1号被保険者", "12月", "0円", "0円"]


@pytest.mark.parametrize(("persona", "expected"), [("kazuko", 1), ("ichiro", 2)])
def test_records_that_need_checking_carry_the_attention_icon(
    client: FlaskClient, persona: str, expected: int
) -> None:
    login_userid(client, persona)
    response = client.get("/nenkin/records/list")
    html = text_of(response)
    assert html.count('class="nk-m-attention" role="img"') == expected
    for record in load_personas()[persona].records:
        if record.attention:
            assert f'aria-label="要確認：{record.attention}"' in html
    assert_shows(response, "特にご確認いただきたい年金記録がある年度を示しています。")


def test_monthly_records_mark_the_months_covered(client: FlaskClient) -> None:
    login_userid(client, "ichiro")
    response = client.get("/nenkin/records/monthly")
    assert response.status_code == 200
    html = text_of(response)
    # 昭和61年度 at 練習電機 covers April to December (9 months), not January to March.
    section = html[html.index("練習電機株式会社</p>", html.index("昭和61年度")) :]
    section = section[: section.index("</ul>")]
    assert section.count("nk-m-month-on") == 9
    assert "12月：加入" in section and "1月：-" in section


# --- 届書を電子申請する -----------------------------------------------------------------------

USERID_ONLY = (
    "※届出の電子申請には、マイナポータルからのログインが必要です。"
    "ユーザIDを用いてねんきんネットからログインしている方は利用することが出来ません。"
)


def test_e_application_is_explained_but_closed_to_user_id_sessions(client: FlaskClient) -> None:
    login_userid(client, "kazuko")
    response = client.get("/nenkin/e-apply")
    assert_shows(response, "届書を電子申請する", USERID_ONLY)
    assert "作成する届書を選択する" not in page_text(response)
    for url in ("/nenkin/e-apply/forms", "/nenkin/e-apply/forms/fuyou"):
        blocked = client.get(url)
        assert blocked.status_code == 302
        assert blocked.headers["Location"] == "/nenkin/e-apply"


def test_e_application_walks_to_the_first_screen_for_myna_sessions(client: FlaskClient) -> None:
    arrive_from_myna(client, "ichiro")
    start = client.get("/nenkin/e-apply")
    assert 'href="/nenkin/e-apply/forms">作成する届書を選択する</a>' in text_of(start)
    assert norm(USERID_ONLY) not in page_text(start)
    forms = client.get("/nenkin/e-apply/forms")
    assert_shows(forms, "公的年金等の受給者の扶養親族等申告書")
    assert 'href="/nenkin/e-apply/forms/fuyou">作成する</a>' in text_of(forms)
    first = client.get("/nenkin/e-apply/forms/fuyou")
    assert first.status_code == 200
    assert_shows(
        first,
        "公的年金等の受給者の扶養親族等申告書（入力）",
        "令和9年分",
        "佐藤　一郎",
        "源泉控除対象配偶者の有無",
    )
    main = text_of(first).split('<main class="nk-main">')[1]
    assert "<form" not in main  # nothing on this screen is ever sent (ログアウト is above)
