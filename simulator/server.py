"""Serve the simulator with a production WSGI server (waitress) on loopback."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from waitress.server import create_server

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication


@dataclass
class RunningServer:
    """A server started in a background thread; `close()` stops it and waits."""

    url: str
    _server: Any
    _thread: threading.Thread = field(repr=False)

    def close(self) -> None:
        self._server.close()
        self._server.task_dispatcher.shutdown()
        self._thread.join(timeout=10)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def start_server(app: WSGIApplication, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Bind first (port 0 picks a free one), then serve in a daemon thread."""
    server = create_server(app, host=host, port=port, threads=8, ident="guideshot-sim")
    actual_port = server.effective_port  # type: ignore[union-attr]
    thread = threading.Thread(target=server.run, name="guideshot-sim", daemon=True)
    thread.start()
    shown_host = f"[{host}]" if ":" in host else host
    return RunningServer(url=f"http://{shown_host}:{actual_port}", _server=server, _thread=thread)
