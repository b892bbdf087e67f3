"""The site a run drives: the embedded simulator (started and stopped here) or a base URL."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from simulator import SimulatorConfig, create_app
from simulator.server import start_server


@dataclass(frozen=True)
class SiteTarget:
    base_url: str
    embedded: bool  # the simulator this process started
    has_hooks: bool  # /_sim/ test hooks answer (the simulator, embedded or not)

    def describe(self) -> str:
        return self.base_url + (" (embedded simulator)" if self.embedded else "")


def probe_hooks(base_url: str, timeout: float = 5.0) -> bool:
    """True when the simulator's hooks answer at `base_url` (any other site: False)."""
    try:
        with urllib.request.urlopen(base_url.rstrip("/") + "/_sim/health", timeout=timeout) as r:
            return bool(json.loads(r.read().decode("utf-8")).get("ok"))
    except (urllib.error.URLError, OSError, ValueError, AttributeError):
        return False


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


@contextmanager
def site(base_url: str | None, config: SimulatorConfig | None = None) -> Iterator[SiteTarget]:
    """The embedded simulator on a free loopback port unless a base URL is given."""
    if base_url is not None:
        check_reachable(base_url)
        yield SiteTarget(base_url.rstrip("/"), embedded=False, has_hooks=probe_hooks(base_url))
        return
    server = start_server(create_app(config))
    try:
        yield SiteTarget(server.url, embedded=True, has_hooks=True)
    finally:
        server.close()
