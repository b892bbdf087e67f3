"""A WSGI application served by waitress in a background thread, stopped by `close()`.

The socket is bound before the application is built, and the application is handed the
address it got: a server that must answer only to its own address (`review`) needs the port
a free-port bind chose before it serves a single request.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from waitress.server import create_server

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

# app.extensions key: callables that let requests still waiting (long polls) finish now.
SHUTDOWN_HOOKS = "server_shutdown_hooks"


def _serve(server: Any, stopping: threading.Event) -> None:
    """waitress's loop, one poll at a time, until asked to stop; then close every socket here.

    Closing sockets from another thread while select() waits on them fails in this one with
    EBADF; and stopping must not depend on waitress's wake-up pipe still being open, so the
    flag is checked after every poll (at most `asyncore_loop_timeout`, 1 s, apart).
    """
    timeout = server.adj.asyncore_loop_timeout
    while not stopping.is_set() and server._map:
        server.asyncore.loop(timeout=timeout, map=server._map, count=1)
    for channel in list(server._map.values()):
        channel.close()


@dataclass
class RunningServer:
    """A server started in a background thread; `close()` stops it and waits."""

    url: str  # http://HOST:PORT, no trailing slash
    _server: Any
    _thread: threading.Thread = field(repr=False)
    _stopping: threading.Event = field(repr=False)
    _shutdown_hooks: tuple[Callable[[], None], ...] = ()

    def close(self) -> None:
        """Let waiting requests answer, drain the worker threads, then stop the loop."""
        for hook in self._shutdown_hooks:
            hook()
        self._server.task_dispatcher.shutdown()
        self._stopping.set()
        with contextlib.suppress(OSError):  # a closed wake-up pipe: the next poll ends it
            self._server.trigger.pull_trigger()
        self._thread.join(timeout=10)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def start_server(
    build: Callable[[str], WSGIApplication], host: str = "127.0.0.1", port: int = 0
) -> RunningServer:
    """Bind (port 0 picks a free one; OSError if it cannot), build the application for the
    bound URL, then serve it in a daemon thread."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family)
    try:
        shown_host = f"[{host}]" if ":" in host else host
        url = f"http://{shown_host}:{sock.getsockname()[1]}"
        app = build(url)
        server = create_server(app, sockets=[sock], threads=8, ident="guideshot")
    except BaseException:
        sock.close()
        raise
    stopping = threading.Event()
    thread = threading.Thread(
        target=_serve, args=(server, stopping), name="guideshot-server", daemon=True
    )
    thread.start()
    extensions = getattr(app, "extensions", {})
    return RunningServer(
        url=url,
        _server=server,
        _thread=thread,
        _stopping=stopping,
        _shutdown_hooks=tuple(extensions.get(SHUTDOWN_HOOKS, ())),
    )
