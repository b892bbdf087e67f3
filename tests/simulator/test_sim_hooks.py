"""The /_sim/ test hooks, and the card reader's long poll through a real server."""

from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from simulator import SimulatorConfig, create_app, sandbox
from simulator.myna.hub import ChangeHub
from simulator.server import RunningServer, start_server
from tests.simulator.conftest import ANDROID_UA, csrf_token, submit, text_of


def post(client: FlaskClient, path: str, body: object) -> tuple[int, Any]:
    response = client.post(f"/_sim/{path}", json=body)
    return response.status_code, response.get_json()


def test_health(client: FlaskClient) -> None:
    assert client.get("/_sim/health").get_json() == {"ok": True}


def test_hooks_can_be_switched_off(tmp_path: Path) -> None:
    app = create_app(SimulatorConfig(database=tmp_path / "s.sqlite3", hooks=False))
    assert app.test_client().get("/_sim/health").status_code == 404


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ({"at": "2026-11-28T10:00:00+09:00"}, "2026-11-28T10:00:00+09:00"),
        ({"at": "2026-11-28T10:00"}, "2026-11-28T10:00:00+09:00"),  # no offset: Tokyo time
        ({"at": "2026-11-28T01:00:00+00:00"}, "2026-11-28T10:00:00+09:00"),
        ({"at": None}, "2026-11-24T10:31:00+09:00"),  # back to the instance's clock
    ],
)
def test_clock(client: FlaskClient, body: object, shown: str) -> None:
    assert post(client, "clock", body) == (200, {"ok": True, "now": shown})


def test_clock_moves_the_screens(client: FlaskClient) -> None:
    post(client, "clock", {"at": "2026-12-05T09:00"})
    assert "12月5日(土)" in text_of(client.get("/phone/?device=android"))


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("clock", None, "expected a JSON object body"),
        ("clock", [1], "expected a JSON object body"),
        ("clock", {}, "missing field: at"),
        ("clock", {"at": None, "tz": 9}, "unknown field: tz (expected: at)"),
        ("clock", {"at": "tomorrow"}, "at: not an ISO-8601 date-time: 'tomorrow'"),
        ("clock", {"at": 5}, "at: expected an ISO-8601 date-time string or null"),
        (
            "device",
            {"device": "nokia"},
            "device: expected 'android', 'iphone' or null, got 'nokia'",
        ),
        ("persona", {}, "missing field: persona"),
    ],
)
def test_bad_requests_get_one_line(
    client: FlaskClient, path: str, body: object, message: str
) -> None:
    if body is None:
        response = client.post(f"/_sim/{path}", data="not json", content_type="application/json")
    else:
        response = client.post(f"/_sim/{path}", json=body)
    assert response.status_code == 400
    assert response.get_json() == {"ok": False, "error": message}


def test_unknown_persona_lists_known_keys(client: FlaskClient) -> None:
    status, data = post(client, "persona", {"persona": "taro"})
    assert status == 400
    assert data["error"].startswith("persona: unknown key 'taro'; known: hanako, ichiro")
    assert "\n" not in data["error"]


def test_persona_sets_card_in_hand(app: Flask) -> None:
    client = app.test_client()
    with client:
        assert post(client, "persona", {"persona": "ichiro"}) == (
            200,
            {"ok": True, "persona": "ichiro"},
        )
        assert sandbox.card_persona() == "ichiro"
        post(client, "persona", {"persona": None})
        assert sandbox.card_persona() is None


def test_device_hook(client: FlaskClient) -> None:
    headers = {"User-Agent": ANDROID_UA}
    assert post(client, "device", {"device": "iphone"}) == (200, {"ok": True, "device": "iphone"})
    assert "Safari" in text_of(client.get("/phone/", headers=headers))
    post(client, "device", {"device": None})
    assert "Chrome" in text_of(client.get("/phone/", headers=headers))


def test_tap_and_remove_without_a_login(client: FlaskClient) -> None:
    assert post(client, "card/tap", {}) == (200, {"ok": True, "outcome": None})
    assert post(client, "card/remove", {}) == (200, {"ok": True, "removed": False})


def test_outbox_lists_this_sandbox_only(app: Flask) -> None:
    first, second = app.test_client(), app.test_client()
    assert first.get("/_sim/outbox").get_json() == []
    with first:
        first.get("/_sim/health")
        sandbox.send("email", "hanako@example.jp", "件名", "本文")
    assert first.get("/_sim/outbox").get_json() == [
        {
            "kind": "email",
            "recipient": "hanako@example.jp",
            "subject": "件名",
            "body": "本文",
            "sent_at": "2026-11-24T10:31:00+09:00",
        }
    ]
    assert second.get("/_sim/outbox").get_json() == []


def test_reset_starts_from_the_personas(client: FlaskClient) -> None:
    post(client, "persona", {"persona": "ichiro"})
    submit(client, "/myna/login", {"pin": "5678"})
    post(client, "card/tap", {})
    post(client, "card/remove", {})
    client.get("/myna/login/finish")
    post(client, "clock", {"at": "2027-01-01T00:00"})
    assert client.get("/myna/home").status_code == 200
    with client.session_transaction() as session:
        old = session["sandbox"]
    status, data = post(client, "reset", {})
    assert status == 200 and data["ok"] is True and data["sandbox"] != old
    assert client.get("/myna/home").headers["Location"] == "/myna/"  # logged out
    assert post(client, "clock", {"at": None})[1]["now"] == "2026-11-24T10:31:00+09:00"
    assert post(client, "card/tap", {})[1]["outcome"] is None


# ---- the long poll, through a real server with a browser-like cookie jar ----


class Browser:
    """urllib with cookies: what a page and its context.request share."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return str(response.read().decode("utf-8"))

    def get_json(self, path: str) -> Any:
        return json.loads(self.get(path))

    def post_json(self, path: str, body: object) -> Any:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with self.opener.open(request, timeout=60) as response:
            return json.loads(response.read())

    def sandbox_id(self, app: Flask) -> str:
        """The sandbox in this browser's (signed) session cookie."""
        cookie = next(c for c in self.jar if c.name == app.config["SESSION_COOKIE_NAME"])
        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        return str(serializer.loads(cookie.value)["sandbox"])

    def enter_pin(self, pin: str) -> str:
        page = self.get("/myna/login")
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        data = urllib.parse.urlencode({"pin": pin, "csrf_token": token}).encode()
        with self.opener.open(self.base + "/myna/login", data=data, timeout=60) as response:
            return str(response.geturl())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Flask, RunningServer]]:
    app = create_app(SimulatorConfig(database=tmp_path / "live.sqlite3"))
    app.config["MYNA_LONGPOLL_SECONDS"] = 20.0
    running = start_server(app)
    try:
        yield app, running
    finally:
        running.close()


def _in_thread(target: Any) -> tuple[threading.Thread, list[Any]]:
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(target()), daemon=True)
    thread.start()
    return thread, result


def test_long_poll_wakes_on_tap_and_remove(server: tuple[Flask, RunningServer]) -> None:
    _, running = server
    browser = Browser(running.url)
    assert browser.enter_pin("1234").endswith("/myna/login/read")
    poll, answer = _in_thread(lambda: browser.get_json("/myna/login/wait?stage=reading"))
    assert browser.post_json("/_sim/card/tap", {})["outcome"] == "read"
    poll.join(timeout=30)
    assert answer == [{"stage": "read", "next": "/myna/login/read/complete"}]
    poll, answer = _in_thread(lambda: browser.get_json("/myna/login/wait?stage=read"))
    assert browser.post_json("/_sim/card/remove", {})["removed"] is True
    poll.join(timeout=30)
    assert answer == [{"stage": "removed", "next": "/myna/login/finish"}]
    assert "山田　花子" in browser.get("/myna/login/finish")


def test_long_poll_is_not_woken_by_another_sandbox(server: tuple[Flask, RunningServer]) -> None:
    app, running = server
    app.config["MYNA_LONGPOLL_SECONDS"] = 0.5
    waiting, other = Browser(running.url), Browser(running.url)
    waiting.enter_pin("1234")
    other.enter_pin("1234")
    poll, answer = _in_thread(lambda: waiting.get_json("/myna/login/wait?stage=reading"))
    assert other.post_json("/_sim/card/tap", {})["outcome"] == "read"
    poll.join(timeout=30)
    assert answer == [{"stage": "reading", "next": None}]  # ran out; the page asks again


def test_hub_wakes_waiter_and_never_loses_a_change() -> None:
    hub = ChangeHub()
    since = hub.version("a")
    waiter, result = _in_thread(lambda: hub.wait_change("a", since, timeout=30))
    hub.bump("b")  # another sandbox: not this waiter's business
    hub.bump("a")
    waiter.join(timeout=30)
    assert result == [True]
    assert hub.wait_change("a", since, timeout=30) is True  # already moved: no wait at all


def test_hub_times_out_without_change() -> None:
    assert ChangeHub().wait_change("a", 0, timeout=0.01) is False


def test_newer_waiter_evicts_older_one() -> None:
    hub = ChangeHub()
    results: list[bool] = []
    done = threading.Condition()

    def wait() -> None:
        outcome = hub.wait_change("a", 0, timeout=30)
        with done:
            results.append(outcome)
            done.notify_all()

    threads = [threading.Thread(target=wait, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    with done:
        assert done.wait_for(lambda: len(results) == 1, timeout=30)  # one was evicted
    hub.bump("a")
    for thread in threads:
        thread.join(timeout=30)
    assert results == [False, True]


def test_csrf_token_helper_still_applies_to_myna_forms(client: FlaskClient) -> None:
    # The hooks are exempt; the sites' forms are not.
    assert client.post("/myna/login", data={"pin": "1234"}).status_code == 400
    assert csrf_token(client, "/myna/login")


def test_reset_releases_a_waiting_page_without_a_new_sandbox(
    server: tuple[Flask, RunningServer],
) -> None:
    app, running = server
    browser = Browser(running.url)
    browser.enter_pin("1234")
    poll, answer = _in_thread(lambda: browser.get_json("/myna/login/wait?stage=reading"))
    fresh = browser.post_json("/_sim/reset", {})["sandbox"]
    poll.join(timeout=30)
    # Whether the poll was waiting or came after the reset, the page starts over.
    assert answer == [{"stage": "idle", "next": "/myna/login"}]
    # ...and its answer did not move the session to yet another sandbox.
    assert browser.sandbox_id(app) == fresh
