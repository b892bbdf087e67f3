"""The WSGI server's lifecycle: it stops cleanly, whatever is still connected or waiting."""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator import SimulatorConfig, create_app
from simulator.server import RunningServer, start_server


@pytest.fixture
def thread_errors() -> Iterator[list[BaseException]]:
    """Exceptions raised in any thread while the test runs (the server's included)."""
    errors: list[BaseException] = []
    previous = threading.excepthook

    def record(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            errors.append(args.exc_value)

    threading.excepthook = record
    yield errors
    threading.excepthook = previous


def server_for(tmp_path: Path) -> RunningServer:
    return start_server(create_app(SimulatorConfig(database=tmp_path / "sim.sqlite3")))


def test_close_ends_the_loop_with_a_kept_alive_connection_open(
    tmp_path: Path, thread_errors: list[BaseException], caplog: pytest.LogCaptureFixture
) -> None:
    server = server_for(tmp_path)
    port = int(server.url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/_sim/health")
    assert json.loads(connection.getresponse().read()) == {"ok": True}
    server.close()  # the connection is still open (HTTP/1.1 keep-alive)
    assert not server._thread.is_alive()
    connection.close()
    assert thread_errors == []
    assert not [
        r for r in caplog.records if r.name.startswith("waitress") and r.levelname == "ERROR"
    ]


def test_close_answers_a_waiting_long_poll(
    tmp_path: Path, thread_errors: list[BaseException]
) -> None:
    server = server_for(tmp_path)  # the long poll's own limit is 25 s
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    current = json.loads(opener.open(f"{server.url}/myna/login/wait?stage=?", timeout=10).read())
    ended: list[str] = []

    def wait_for_the_card() -> None:
        url = f"{server.url}/myna/login/wait?stage={current['stage']}"
        try:
            opener.open(url, timeout=60).read()
            ended.append("answered")
        except OSError:  # a request still open when the server goes may be cut off
            ended.append("cut off")

    waiting = threading.Thread(target=wait_for_the_card)
    waiting.start()
    server.close()
    waiting.join(timeout=10)  # far below the poll's 25 s: close released it
    assert not waiting.is_alive()
    assert len(ended) == 1
    assert not server._thread.is_alive()
    assert thread_errors == []


def test_many_servers_start_and_stop_cleanly(
    tmp_path: Path, thread_errors: list[BaseException]
) -> None:
    app = create_app(SimulatorConfig(database=tmp_path / "sim.sqlite3"))
    for _ in range(30):
        server = start_server(app)
        with server, urllib.request.urlopen(f"{server.url}/_sim/health", timeout=10) as answer:
            assert answer.status == 200
        assert not server._thread.is_alive()
    assert thread_errors == []
