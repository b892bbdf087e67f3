"""The site a run drives: the embedded simulator (started and stopped here) or a base URL."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness.scenario.sites import BaseUrls, SiteUrls
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
class Servers:
    """Where each of the guide's sites is asked, and each server's hooks."""

    urls: SiteUrls
    hooks: Mapping[str, Hooks]
    embedded: str | None = None  # the simulator this process started, if any

    def hooks_for(self, where: str) -> tuple[str, Hooks]:
        """The server a scenario path or a page's URL is on, and its hooks."""
        if where.startswith("/"):
            server = self.urls.base_for(where)
        else:
            server = self.urls.server_of(where) or self.urls.default
        return server, self.hooks[server]


@dataclass(frozen=True)
class SiteTarget:
    base_url: str  # where paths under no site's prefix are asked (the only server, usually)
    embedded: bool  # the simulator this process started
    has_hooks: Hooks  # /_sim/ test hooks answer (the simulator, embedded or not)
    servers: Servers | None = None  # the guide's sites on several servers (--base-url NAME=URL)

    def describe(self) -> str:
        if self.servers is None or len(self.servers.urls.servers) == 1:
            return self.base_url + (" (embedded simulator)" if self.embedded else "")
        embedded = self.servers.embedded
        return ", ".join(
            f"{s.name} {s.url}" + (" (embedded simulator)" if s.url == embedded else "")
            for s in self.servers.urls.sites
        )

    @property
    def recorded_url(self) -> str:
        """What a report records as its base URL: every site's when they are on several."""
        return self.base_url if self.servers is None else self.servers.urls.describe()


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
def site(
    base_url: BaseUrls | str | None, config: SimulatorConfig | None = None
) -> Iterator[SiteTarget]:
    """The embedded simulator on a free loopback port for every site no URL is given for;
    each given URL is checked to answer first."""
    if isinstance(base_url, str):
        base_url = BaseUrls(bare=base_url, named={}, prefixes={})
    given = [] if base_url is None else [base_url.bare, *base_url.named.values()]
    for url in given:
        if url is not None:
            check_reachable(url)
    with contextlib.ExitStack() as stack:
        embedded = None
        if base_url is None or (base_url.bare is None and base_url.needs_default):
            embedded = stack.enter_context(_embedded(config or SimulatorConfig())).url
        if base_url is None:
            assert embedded is not None
            default = embedded
        else:
            default = base_url.bare or embedded or base_url.first_named
        urls = SiteUrls(default) if base_url is None else base_url.resolve(default)
        hooks = {url: Hooks(url, known=True if url == embedded else None) for url in urls.servers}
        servers = Servers(urls, hooks, embedded) if len(urls.servers) > 1 else None
        yield SiteTarget(default, embedded=embedded is not None, has_hooks=hooks[default],
                         servers=servers)  # fmt: skip


@contextmanager
def _embedded(config: SimulatorConfig) -> Iterator[RunningServer]:
    with contextlib.ExitStack() as stack:
        if config.database is None:
            # The run's own database, removed when the run ends: normally, on an error, or
            # after Ctrl-C/SIGTERM (both end a run by unwinding to here).
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="guideshot-sim-")))
            config = dataclasses.replace(config, database=folder / "simulator.sqlite3")
        yield stack.enter_context(start_server(create_app(config)))
