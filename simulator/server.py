"""Serve the simulator with a production WSGI server (waitress) on loopback."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from waitress.server import create_server

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication


# app.extensions key: callables that let requests still waiting (long polls) finish now.
SHUTDOWN_HOOKS = "server_shutdown_hooks"


@dataclass
class RunningServer:
    """A server started in a background thread; `close()` stops it and waits."""

    url: str
    _server: Any
    _thread: threading.Thread = field(repr=False)
    _shutdown_hooks: tuple[Callable[[], None], ...] = ()

    def close(self) -> None:
        """Let waiting requests answer, drain the worker threads, then close every socket."""
        server = self._server
        for hook in self._shutdown_hooks:
            hook()
        server.task_dispatcher.shutdown()

        def close_everything() -> None:
            # Runs in the server's own loop thread, between two polls: closing a socket from
            # another thread while select() waits on it fails there with EBADF.
            for channel in list(server._map.values()):
                channel.close()

        server.trigger.pull_trigger(close_everything)
        self._thread.join(timeout=10)  # the loop ends once its map is empty

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
    extensions = getattr(app, "extensions", {})
    return RunningServer(
        url=f"http://{shown_host}:{actual_port}",
        _server=server,
        _thread=thread,
        _shutdown_hooks=tuple(extensions.get(SHUTDOWN_HOOKS, ())),
    )
