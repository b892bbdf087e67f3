"""The sites one guide spans, and where each is asked during a run.

A guide names its sites in guide.yaml (`sites: {nenkin: {path: /nenkin/, host: …}}`): each
has the path prefix its pages live under in the scenarios and the real host the phone
frame's address bar shows. `--base-url NAME=URL` sends one site's paths to its own server;
a bare URL stands for every site not named. A scenario path is asked at its site's URL as
written (`/myna/login` → `URL/myna/login`); paths under no site's prefix go to the default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from harness.scenario.model import StrictModel

SITE_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
# `NAME=URL`: a name never holds ':' or '/', so a bare URL with '=' in its query stays bare.
_NAMED = re.compile(r"^([A-Za-z0-9_-]+)=(.*)$")


class SiteConfig(StrictModel):
    path: str = Field(
        description="The path prefix the site's pages live under in the scenarios, e.g. /myna/.",
        json_schema_extra={"pattern": "^/"},
    )
    host: str | None = Field(
        default=None,
        description="The real host the phone frame's address bar shows for these pages.",
    )

    @field_validator("path")
    @classmethod
    def _a_path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError(f"'{value}': a path prefix starts with /, e.g. /{value.strip('/')}/")
        return value


class BaseUrlError(ValueError):
    """A --base-url value that cannot be used; the message is the one line to print."""


@dataclass(frozen=True)
class SiteServer:
    """One site and the server its pages are asked at (no trailing slash)."""

    name: str
    prefix: str
    url: str


@dataclass(frozen=True)
class SiteUrls:
    """Where each scenario path is asked: its site's server, else `default`."""

    default: str
    sites: tuple[SiteServer, ...] = ()

    def base_for(self, path: str) -> str:
        """The server a scenario path (or glob) belongs to: the longest matching prefix's."""
        owners = [s for s in self.sites if path.startswith(s.prefix)]
        if not owners:
            return self.default
        return max(owners, key=lambda s: len(s.prefix)).url

    def absolute(self, path: str) -> str:
        return self.base_for(path) + path

    @property
    def servers(self) -> tuple[str, ...]:
        """Every distinct server, the default first."""
        return tuple(dict.fromkeys((self.default, *(s.url for s in self.sites))))

    def server_of(self, url: str) -> str | None:
        """The server an absolute URL is on, if it is one of the run's."""
        on = [base for base in self.servers if url == base or url.startswith(base + "/")]
        return max(on, key=len) if on else None

    def relative(self, url: str) -> str:
        """A page's address without its server, so every server records the same path."""
        base = self.server_of(url)
        return url if base is None else url[len(base) :] or "/"

    def describe(self) -> str:
        """'URL' when every site is on one server, else 'nenkin=URL1, myna=URL2'."""
        if len(self.servers) == 1:
            return self.default
        return ", ".join(f"{s.name}={s.url}" for s in self.sites)


@dataclass(frozen=True)
class BaseUrls:
    """--base-url as given: a bare URL (every site not named) and URLs by site name, with
    the guide's sites (name → path prefix) they refer to."""

    bare: str | None
    named: Mapping[str, str]
    prefixes: Mapping[str, str]

    def resolve(self, default: str) -> SiteUrls:
        """Each site at its named URL, else at `default` (the bare URL or the simulator)."""
        sites = tuple(
            SiteServer(name, prefix, self.named.get(name, default))
            for name, prefix in self.prefixes.items()
        )
        return SiteUrls(default=default, sites=sites)

    @property
    def needs_default(self) -> bool:
        """A server is needed for sites not named (the bare URL, else the simulator)."""
        return self.bare is not None or not self.named or bool(set(self.prefixes) - set(self.named))

    @property
    def first_named(self) -> str:
        """Paths under no site's prefix go here when every site is named and no bare URL."""
        return next(self.named[name] for name in self.prefixes if name in self.named)


def names_a_site(value: str) -> bool:
    """`NAME=URL` rather than a bare URL."""
    return _NAMED.match(value) is not None


def _checked_url(text: str, given: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BaseUrlError(
            f"--base-url {given}: give http(s)://host[:port] or NAME=URL "
            "(e.g. nenkin=http://127.0.0.1:8000)"
        )
    return text.rstrip("/")


def parse_base_urls(
    values: Sequence[str], prefixes: Mapping[str, str] | None, guide: str = "guide.yaml"
) -> BaseUrls | None:
    """The --base-url values (repeatable), checked against the guide's sites (name → path
    prefix; None when the guide names none). Raises BaseUrlError naming what to write."""
    if not values:
        return None
    bare: str | None = None
    named: dict[str, str] = {}
    for given in values:
        match = _NAMED.match(given)
        if match is None:
            if bare is not None:
                raise BaseUrlError(
                    f"--base-url {given}: a second bare URL; name each site's server with NAME=URL"
                )
            bare = _checked_url(given, given)
            continue
        name, url = match.groups()
        if not prefixes:
            raise BaseUrlError(
                f"--base-url {given}: {guide} names no sites; add `sites: {{{name}: "
                f"{{path: /{name}/, host: …}}}}` or give a bare URL"
            )
        if name not in prefixes:
            raise BaseUrlError(
                f"--base-url {given}: no site named '{name}' in {guide}; "
                f"known sites: {', '.join(prefixes)}"
            )
        if name in named:
            raise BaseUrlError(f"--base-url {given}: site '{name}' is given twice")
        named[name] = _checked_url(url, given)
    return BaseUrls(bare=bare, named=named, prefixes=dict(prefixes or {}))
