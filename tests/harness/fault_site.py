"""A tiny site on 127.0.0.1 that misbehaves on request, and scenarios that visit it.

/ok answers a page with one button; /error answers 500; /hang holds the request until the
test ends (at most a minute), telling the test when a browser is waiting on it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGE = (
    "<!doctype html><html lang=ja><meta charset=utf-8>"
    "<meta name=viewport content='width=device-width'>"
    "<title>練習</title><body style='font-family:sans-serif'>"
    "<h1>練習ページ</h1><button type=button>次へ</button></body></html>"
).encode()
HANG_LIMIT_S = 60.0

FLOW = """id: {id}
section: test
title: {id}
devices: [android]
start: {start}
steps:
  - caption: 「次へ」を押す
    action: tap
    target: {{role: button, name: 次へ}}
"""


@dataclass
class FaultSite:
    url: str
    hanging: threading.Event = field(default_factory=threading.Event)  # a /hang request waits
    release: threading.Event = field(default_factory=threading.Event)


@contextmanager
def fault_site() -> Iterator[FaultSite]:
    state = FaultSite(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.startswith("/hang"):
                state.hanging.set()
                state.release.wait(HANG_LIMIT_S)
            status = 500 if self.path.startswith("/error") else 200
            body = b"Internal Server Error" if status == 500 else PAGE
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)  # (the browser that asked may have been killed)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def write_scenarios(folder: Path, flows: dict[str, str]) -> Path:
    """One scenario per flow id → start path; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for flow_id, start in flows.items():
        (folder / f"{flow_id}.yaml").write_text(FLOW.format(id=flow_id, start=start), "utf-8")
    return folder
