"""マイナポータル through the test client: PIN rules, card reads, lockout, linking."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

import simulator.myna as myna
from simulator.config import TOKYO
from simulator.myna import links
from tests.simulator.conftest import csrf_token, submit, text_of

PIN_HELP = "利用者証明用電子証明書のパスワード（数字4桁）を入力してください"
LOCKED = "パスワードがロックされました"
WINDOW_NOTE = "初回利用登録が可能な時間帯は、平日8時から23時まで"
LINKED = '<h2 id="linked-title">つながっているウェブサイト</h2>'


def hook(client: FlaskClient, path: str, body: object = None) -> dict[str, object]:
    response = client.post(f"/_sim/{path}", json=body if body is not None else {})
    assert response.status_code == 200, text_of(response)
    data = response.get_json()
    assert isinstance(data, dict)
    return data


def enter_pin(client: FlaskClient, pin: str) -> TestResponse:
    return submit(client, "/myna/login", {"pin": pin})


def wait_next(client: FlaskClient, stage: str) -> object:
    data = client.get("/myna/login/wait", query_string={"stage": stage}).get_json()
    assert isinstance(data, dict)
    return data["next"]


def log_in(client: FlaskClient, persona: str = "hanako", pin: str = "1234") -> None:
    """The whole card login: PIN, tap, read, remove, finish."""
    hook(client, "persona", {"persona": persona})
    assert enter_pin(client, pin).headers["Location"] == "/myna/login/read"
    assert hook(client, "card/tap")["outcome"] == "read"
    assert hook(client, "card/remove")["removed"] is True
    assert client.get("/myna/login/finish").headers["Location"] == "/myna/home"


def link_nenkin(client: FlaskClient) -> TestResponse:
    return submit(client, "/myna/links/nenkin/terms", {"agree": "1"})


@pytest.fixture
def quick_app(app: Flask) -> Flask:
    # A long poll with nothing to report answers quickly instead of after 25 s.
    app.config["MYNA_LONGPOLL_SECONDS"] = 0.05
    return app


def test_top_page_has_login_button(client: FlaskClient) -> None:
    page = text_of(client.get("/myna/"))
    assert '<a class="mp-btn" href="/myna/login">ログイン</a>' in page
    assert "マイナポータル" in page


def test_pin_page_asks_for_four_digits(client: FlaskClient) -> None:
    page = text_of(client.get("/myna/login"))
    assert PIN_HELP in page
    assert 'type="password" inputmode="numeric" maxlength="4"' in page
    assert ">次へ</button>" in page


@pytest.mark.parametrize(
    ("pin", "message"),
    [
        ("", "パスワードを入力してください。"),
        ("123", "パスワードは数字4桁で入力してください。"),
        ("12345", "パスワードは数字4桁で入力してください。"),
        ("12a4", "パスワードは数字4桁で入力してください。"),
        (" 123", "パスワードは数字4桁で入力してください。"),
        ("1234 ", "パスワードは数字4桁で入力してください。"),
        ("１２３４", "パスワードは半角数字で入力してください。"),
        ("١٢٣٤", "パスワードは数字4桁で入力してください。"),  # other scripts' digits too
    ],
)
def test_pin_format_messages(client: FlaskClient, pin: str, message: str) -> None:
    response = enter_pin(client, pin)
    assert response.status_code == 200
    page = text_of(response)
    assert f'<p id="pin-error" class="mp-error" role="alert">{message}</p>' in page
    assert 'aria-invalid="true"' in page
    # A bad format never reaches the card: no try is counted.
    assert client.get("/myna/login/read").headers["Location"] == "/myna/login"


def test_reading_page_says_hold_the_card(client: FlaskClient) -> None:
    enter_pin(client, "1234")
    page = text_of(client.get("/myna/login/read"))
    assert "マイナンバーカードを後ろにかざす" in page
    assert 'data-wait-url="/myna/login/wait?stage=reading"' in page
    assert "setInterval" not in page and "setTimeout" not in page


def test_correct_pin_read_then_remove_logs_in(quick_app: Flask) -> None:
    client = quick_app.test_client()
    enter_pin(client, "1234")
    assert wait_next(client, "reading") is None  # nothing happened: the poll times out
    assert hook(client, "card/tap") == {"ok": True, "outcome": "read"}
    assert wait_next(client, "reading") == "/myna/login/read/complete"
    page = text_of(client.get("/myna/login/read/complete"))
    assert "読み取りが完了しました" in page
    assert "外してください" in page
    assert wait_next(client, "read") is None
    assert hook(client, "card/remove") == {"ok": True, "removed": True}
    assert wait_next(client, "read") == "/myna/login/finish"
    assert client.get("/myna/login/finish").headers["Location"] == "/myna/home"
    home = text_of(client.get("/myna/home"))
    assert "山田　花子" in home
    # Finished once: the same read cannot log in again.
    assert client.get("/myna/login/finish").headers["Location"] == "/myna/login"


def test_home_has_menu_button_top_left_and_menu_items(client: FlaskClient) -> None:
    log_in(client)
    home = text_of(client.get("/myna/home"))
    header = home[home.index('<header class="mp-header">') : home.index("</header>")]
    assert header.index('aria-label="メニュー"') < header.index("mp-logo")  # ≡ comes first
    assert '<span aria-hidden="true">≡</span>' in header
    assert '<nav id="mp-menu" class="mp-menu" aria-label="メニュー" hidden>' in home
    assert '<a href="/myna/links">外部サイトとの連携</a>' in home


def test_portal_pages_need_a_card_login(client: FlaskClient) -> None:
    for url in ("/myna/home", "/myna/links", "/myna/links/nenkin/terms"):
        assert client.get(url).headers["Location"] == "/myna/", url


def test_wrong_pin_counts_down_then_locks(client: FlaskClient) -> None:
    for left in (2, 1):
        enter_pin(client, "9999")
        assert hook(client, "card/tap")["outcome"] == "wrong"
        assert wait_next(client, "reading") == "/myna/login?after=read"
        page = text_of(client.get("/myna/login?after=read"))
        assert f"パスワードが違います。残り{left}回" in page
    enter_pin(client, "9999")
    assert hook(client, "card/tap")["outcome"] == "locked"
    page = text_of(client.get("/myna/login?after=read"))
    assert LOCKED in page and "市区町村窓口" in page
    # Even the right PIN is refused now, before any card read.
    refused = enter_pin(client, "1234")
    assert refused.status_code == 200
    assert LOCKED in text_of(refused)


def test_correct_pin_resets_the_count(client: FlaskClient) -> None:
    for pin in ("0000", "0000", "1234", "0000"):
        enter_pin(client, pin)
        hook(client, "card/tap")
    assert "残り2回" in text_of(client.get("/myna/login?after=read"))


def test_lock_is_per_card(client: FlaskClient) -> None:
    for _ in range(3):
        enter_pin(client, "0000")
        hook(client, "card/tap")
    log_in(client, "ichiro", "5678")
    assert "佐藤　一郎" in text_of(client.get("/myna/home"))


def test_pin_is_checked_against_card_in_hand_at_the_tap(client: FlaskClient) -> None:
    enter_pin(client, "5678")  # ichiro's PIN, typed while hanako's card is the default
    hook(client, "persona", {"persona": "ichiro"})
    assert hook(client, "card/tap")["outcome"] == "read"


def test_person_without_card_cannot_be_read(client: FlaskClient) -> None:
    hook(client, "persona", {"persona": "jiro"})
    enter_pin(client, "1234")
    assert hook(client, "card/tap")["outcome"] == "unreadable"
    assert "読み取れませんでした" in text_of(client.get("/myna/login?after=read"))


def test_message_only_after_a_failed_read(client: FlaskClient) -> None:
    enter_pin(client, "0000")
    hook(client, "card/tap")
    assert "パスワードが違います" not in text_of(client.get("/myna/login"))


def test_remove_without_read_does_nothing(client: FlaskClient) -> None:
    enter_pin(client, "1234")
    assert hook(client, "card/remove")["removed"] is False
    assert client.get("/myna/login/read").status_code == 200


def test_links_page_explains_first_then_lists_sites(client: FlaskClient) -> None:
    log_in(client)
    page = text_of(client.get("/myna/links"))
    explain, sites = (
        page.index('class="mp-explain"'),
        page.index("つながることができるウェブサイト"),
    )
    assert explain < sites
    assert page.count(">つながる</button>") == len(links.SITES) >= 3
    assert LINKED not in page
    assert WINDOW_NOTE in page


def test_linking_nenkin_net_hands_over_to_nenkin(client: FlaskClient) -> None:
    log_in(client)
    terms = text_of(client.get("/myna/links/nenkin/terms"))
    assert '<label for="agree">同意する</label>' in terms
    response = link_nenkin(client)
    assert response.headers["Location"] == "/myna/links/nenkin/done"
    done = text_of(client.get("/myna/links/nenkin/done"))
    assert ">閉じる</button>" in done and 'action="/myna/links"' in done
    page = text_of(client.get("/myna/links"))
    assert LINKED in page
    assert '<a class="mp-linked-site" href="/myna/links/nenkin/open">ねんきんネット</a>' in page
    assert page.count(">つながる</button>") == len(links.SITES) - 1
    with client:
        opened = client.get("/myna/links/nenkin/open")
        assert opened.status_code == 302
        assert opened.headers["Location"] == "/nenkin/myna-entry"
        assert myna.current_myna_user() == "hanako"
        assert myna.is_linked("hanako")
        assert not myna.is_linked("kazuko")


def test_terms_need_the_checkbox(client: FlaskClient) -> None:
    log_in(client)
    response = submit(client, "/myna/links/nenkin/terms", {})
    assert response.status_code == 200
    page = text_of(response)
    assert "「同意する」にチェックを入れてください。" in page
    assert 'id="agree-error"' in page
    assert client.get("/myna/links/nenkin/open").headers["Location"] == "/myna/links"


def test_only_linked_sites_open(client: FlaskClient) -> None:
    log_in(client)
    with client:
        assert client.get("/myna/links/nenkin/open").headers["Location"] == "/myna/links"
        assert myna.current_myna_user() is None


def test_linked_persona_starts_linked(client: FlaskClient) -> None:
    log_in(client, "ichiro", "5678")
    page = text_of(client.get("/myna/links"))
    assert LINKED in page
    assert client.get("/myna/links/nenkin/open").headers["Location"] == "/nenkin/myna-entry"


def test_other_sites_are_not_simulated(client: FlaskClient) -> None:
    log_in(client)
    page = text_of(client.get("/myna/links/etax/terms"))
    assert "画面は用意していません" in page
    assert client.get("/myna/links/nowhere/terms").status_code == 404


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (datetime(2026, 11, 24, 7, 59, tzinfo=TOKYO), False),  # Tuesday
        (datetime(2026, 11, 24, 8, 0, tzinfo=TOKYO), True),
        (datetime(2026, 11, 24, 22, 59, 59, tzinfo=TOKYO), True),
        (datetime(2026, 11, 24, 23, 0, tzinfo=TOKYO), False),
        (datetime(2026, 11, 27, 12, 0, tzinfo=TOKYO), True),  # Friday
        (datetime(2026, 11, 28, 12, 0, tzinfo=TOKYO), False),  # Saturday
        (datetime(2026, 11, 29, 12, 0, tzinfo=TOKYO), False),  # Sunday
    ],
)
def test_link_window(moment: datetime, is_open: bool) -> None:
    assert links.window_open(moment) is is_open


@pytest.mark.parametrize(
    "at", ["2026-11-28T10:00:00+09:00", "2026-11-24T07:59", "2026-11-24T23:00"]
)
def test_first_link_outside_window_shows_the_guides_note(client: FlaskClient, at: str) -> None:
    log_in(client)
    # Open the terms inside the window, then let the clock move out of it before 次へ.
    assert "同意する" in text_of(client.get("/myna/links/nenkin/terms"))
    token = csrf_token(client, "/myna/home")
    hook(client, "clock", {"at": at})
    page = text_of(client.get("/myna/links/nenkin/terms"))
    assert WINDOW_NOTE in page and "同意する" not in page
    response = client.post("/myna/links/nenkin/terms", data={"agree": "1", "csrf_token": token})
    assert WINDOW_NOTE in text_of(response)
    assert LINKED not in text_of(client.get("/myna/links"))


def test_first_link_at_eight_works(client: FlaskClient) -> None:
    log_in(client)
    hook(client, "clock", {"at": "2026-11-24T08:00:00+09:00"})
    assert link_nenkin(client).headers["Location"] == "/myna/links/nenkin/done"


def test_opening_an_existing_link_works_on_saturday(client: FlaskClient) -> None:
    hook(client, "clock", {"at": "2026-11-28T10:00:00+09:00"})
    log_in(client, "ichiro", "5678")
    assert client.get("/myna/links/nenkin/open").headers["Location"] == "/nenkin/myna-entry"


def test_sandboxes_are_isolated(app: Flask) -> None:
    first, second = app.test_client(), app.test_client()
    log_in(first)
    log_in(second)
    link_nenkin(first)
    for _ in range(3):  # lock hanako's card in the second sandbox only
        enter_pin(second, "0000")
        hook(second, "card/tap")
    assert LINKED in text_of(first.get("/myna/links"))
    assert LINKED not in text_of(second.get("/myna/links"))
    log_in(first)  # hanako's card still works here


def test_logout_ends_the_portal_session(client: FlaskClient) -> None:
    log_in(client)
    response = submit(client, "/myna/home", {}, action="/myna/logout")
    assert response.headers["Location"] == "/myna/"
    assert client.get("/myna/home").headers["Location"] == "/myna/"
