"""The site a run drives: the embedded simulator (started and stopped here) or a base URL."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from simulator import SimulatorConfig, create_app
from simulator.config import DEFAULT_CLOCK
from simulator.server import RunningServer, start_server

# The browser page's own clock (Date.now()), fixed like the simulator's so every run shows
# the same dates. This module is the one part of the harness that knows the simulator.
PAGE_CLOCK = DEFAULT_CLOCK


def probe_hooks(base_url: str, timeout: float = 5.0) -> bool:
    """True when the simulator's hooks answer at `base_url` (any other site: False)."""
    try:
        with urllib.request.urlopen(base_url.rstrip("/") + "/_sim/health", timeout=timeout) as r:
            return bool(json.loads(r.read().decode("utf-8")).get("ok"))
    except (urllib.error.URLError, OSError, ValueError, AttributeError):
        return False


class Hooks:
    """Whether the simulator's /_sim/ test hooks answer at a site, asked on first need.

    A site given by --base-url is usually not the simulator: it is asked (GET /_sim/health,
    once per run) only when a flow needs hooks (a persona or a hook step), so a foreign
    site never sees a request for a path it does not have. Truthiness asks.
    """

    def __init__(self, base_url: str, known: bool | None = None) -> None:
        self.base_url = base_url
        self._answer = known
        self._lock = threading.Lock()

    @property
    def known(self) -> bool | None:
        """The answer if it is already known; never asks."""
        return self._answer

    def __bool__(self) -> bool:
        with self._lock:
            if self._answer is None:
                self._answer = probe_hooks(self.base_url)
            return self._answer


@dataclass(frozen=True)
class SiteTarget:
    base_url: str
    embedded: bool  # the simulator this process started
    has_hooks: Hooks  # /_sim/ test hooks answer (the simulator, embedded or not)

    def describe(self) -> str:
        return self.base_url + (" (embedded simulator)" if self.embedded else "")


class TargetUnreachable(RuntimeError):
    pass


def check_reachable(base_url: str, timeout: float = 10.0) -> None:
    try:
        with urllib.request.urlopen(base_url, timeout=timeout):
            return
    except urllib.error.HTTPError:
        return  # it answered; the flows will say what is wrong with the pages
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TargetUnreachable(f"--base-url {base_url}: cannot connect ({reason})") from exc


def serve_embedded(host: str, port: int) -> RunningServer:
    """The simulator as `run` starts it, on `host`:`port` (0: a free one), until closed."""
    return start_server(create_app(), host=host, port=port)


@contextmanager
def site(base_url: str | None, config: SimulatorConfig | None = None) -> Iterator[SiteTarget]:
    """The embedded simulator on a free loopback port unless a base URL is given."""
    if base_url is not None:
        check_reachable(base_url)
        base = base_url.rstrip("/")
        yield SiteTarget(base, embedded=False, has_hooks=Hooks(base))
        return
    config = config or SimulatorConfig()
    with contextlib.ExitStack() as stack:
        if config.database is None:
            # The run's own database, removed when the run ends: normally, on an error, or
            # after Ctrl-C/SIGTERM (both end a run by unwinding to here).
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="guideshot-sim-")))
            config = dataclasses.replace(config, database=folder / "simulator.sqlite3")
        server = stack.enter_context(start_server(create_app(config)))
        yield SiteTarget(server.url, embedded=True, has_hooks=Hooks(server.url, known=True))
