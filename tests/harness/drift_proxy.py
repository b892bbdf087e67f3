"""A rewriting reverse proxy for drift tests: the simulator's pages, changed in controlled ways.

Every request (method, headers, cookies, body, /_sim/ hooks) is forwarded to the upstream
server as it came; the answer comes back as it went, except that redirects point at the
proxy and HTML pages get the given (old, new) substitutions and an optional <style> block.
`hits` counts how often each substitution applied, so a test can prove its change happened.
"""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulator.server import start_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

# Hop-by-hop headers (RFC 9110 §7.6.1) and the ones the proxy recomputes.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
    }
)
STYLE_MARKER = "</head>"
UPSTREAM_TIMEOUT = 60.0  # the マイナポータル long poll waits; nothing here should take longer


@dataclass(frozen=True)
class Rewrite:
    """What to change in every HTML page: literal substitutions, in order, and extra CSS."""

    substitutions: tuple[tuple[str, str], ...] = ()
    style: str | None = None


@dataclass
class RewritingProxy:
    """The WSGI application: forwards to `upstream` (an http:// origin) and rewrites HTML."""

    upstream: str
    rewrite: Rewrite = field(default_factory=Rewrite)
    hits: Counter[str] = field(default_factory=Counter)  # old text (or "<style>") → pages
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.upstream)
        if parts.scheme != "http" or parts.hostname is None or parts.port is None:
            raise ValueError(f"upstream must be http://host:port, not {self.upstream!r}")
        self._host, self._port = parts.hostname, parts.port
        self._origin = f"http://{parts.netloc}"

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ["REQUEST_METHOD"])
        # PEP 3333: PATH_INFO holds the request's bytes decoded as latin-1.
        raw_path = str(environ.get("PATH_INFO", "/")).encode("latin-1")
        path = urllib.parse.quote(raw_path, safe="/:@!$&'()*+,;=~-._")
        query = str(environ.get("QUERY_STRING", ""))
        target = path + (f"?{query}" if query else "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else None
        headers = self._request_headers(environ)
        connection = http.client.HTTPConnection(self._host, self._port, timeout=UPSTREAM_TIMEOUT)
        try:
            connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            status = f"{response.status} {response.reason}"
            answer = response.getheaders()
        finally:
            connection.close()
        own_origin = f"{environ['wsgi.url_scheme']}://{environ['HTTP_HOST']}"
        out_headers: list[tuple[str, str]] = []
        content_type = ""
        for name, value in answer:
            lowered = name.lower()
            if lowered in HOP_BY_HOP:
                continue
            if lowered == "location" and value.startswith(self._origin):
                value = own_origin + value[len(self._origin) :]
            if lowered == "content-type":
                content_type = value
            out_headers.append((name, value))
        if content_type.startswith("text/html"):
            payload = self._rewrite_html(payload, content_type, own_origin)
        if method == "HEAD":  # no body came: keep the length the upstream announced
            out_headers += [(n, v) for n, v in answer if n.lower() == "content-length"]
        else:
            out_headers.append(("Content-Length", str(len(payload))))
        start_response(status, out_headers)
        return [payload]

    def _request_headers(self, environ: WSGIEnvironment) -> dict[str, str]:
        headers: dict[str, str] = {}
        for key, value in environ.items():
            if key.startswith("HTTP_"):
                name = key[5:].replace("_", "-").title()
                if name.lower() not in HOP_BY_HOP and name.lower() != "accept-encoding":
                    headers[name] = str(value)
        for key, name in (("CONTENT_TYPE", "Content-Type"), ("CONTENT_LENGTH", "Content-Length")):
            if environ.get(key):
                headers[name] = str(environ[key])
        headers["Host"] = f"{self._host}:{self._port}"  # the upstream's own name for itself
        headers["Accept-Encoding"] = "identity"  # bodies must be plain text to rewrite
        return headers

    def _rewrite_html(self, payload: bytes, content_type: str, own_origin: str) -> bytes:
        charset = "utf-8"
        for parameter in content_type.split(";")[1:]:
            key, _, value = parameter.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip('"')
        # Absolute links to the upstream would leave the proxy (and its changes) behind.
        text = payload.decode(charset).replace(self._origin, own_origin)
        applied: list[str] = []
        for old, new in self.rewrite.substitutions:
            if old in text:
                text = text.replace(old, new)
                applied.append(old)
        style = self.rewrite.style
        if style is not None and STYLE_MARKER in text:
            text = text.replace(STYLE_MARKER, f"<style>{style}</style>{STYLE_MARKER}", 1)
            applied.append("<style>")
        with self._lock:
            self.hits.update(applied)
        return text.encode(charset)


@dataclass(frozen=True)
class RunningProxy:
    url: str
    app: RewritingProxy

    @property
    def hits(self) -> Counter[str]:
        return self.app.hits


@contextmanager
def rewriting_proxy(
    upstream: str,
    substitutions: Sequence[tuple[str, str]] = (),
    style: str | None = None,
) -> Iterator[RunningProxy]:
    """A proxy on a free loopback port for the duration of the block."""
    app = RewritingProxy(upstream, Rewrite(tuple(substitutions), style))
    # start_server is annotated for Flask but serves any WSGI callable (waitress).
    with start_server(app) as server:
        yield RunningProxy(url=server.url, app=app)
