"""Wake long-poll requests when a sandbox's card reader changes, without polling timers.

One condition variable guards a change counter per sandbox. A waiter notes the counter,
checks the state, then waits for the counter to move. A newer waiter for the same sandbox
evicts the older one, so a page left behind never keeps a server thread busy for long.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import Flask, current_app

from simulator.server import SHUTDOWN_HOOKS

EXTENSION = "myna_reader_hub"


@dataclass
class ChangeHub:
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _versions: dict[str, int] = field(default_factory=dict)
    _waiters: dict[str, int] = field(default_factory=dict)
    _closing: bool = False

    def version(self, key: str) -> int:
        with self._cond:
            return self._versions.get(key, 0)

    def bump(self, key: str) -> None:
        """Something changed for `key`: wake everyone waiting on it."""
        with self._cond:
            self._versions[key] = self._versions.get(key, 0) + 1
            self._cond.notify_all()

    def wait_change(self, key: str, since: int, timeout: float) -> bool:
        """Block until `key` moves past `since` (True), or timeout or eviction (False)."""
        with self._cond:
            ticket = self._waiters.get(key, 0) + 1
            self._waiters[key] = ticket
            self._cond.notify_all()  # evict an older waiter of the same key
            changed = self._cond.wait_for(
                lambda: (
                    self._closing
                    or self._versions.get(key, 0) != since
                    or self._waiters[key] != ticket
                ),
                timeout=timeout,
            )
            return bool(changed) and self._versions.get(key, 0) != since

    def release_all(self) -> None:
        """The server is stopping: answer every waiting long poll now."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()


def init_app(app: Flask) -> None:
    hub = ChangeHub()
    app.extensions[EXTENSION] = hub
    app.extensions.setdefault(SHUTDOWN_HOOKS, []).append(hub.release_all)


def current_hub() -> ChangeHub:
    found: ChangeHub = current_app.extensions[EXTENSION]
    return found
