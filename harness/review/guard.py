"""Every request to `review` is checked where it enters, before any view runs.

- The Host must be the server's own address, `127.0.0.1:PORT`. A page whose DNS name is
  rebound to 127.0.0.1 is same-origin with this server for its browser, but its requests
  still carry its own name as Host. `localhost:PORT` is refused too: the server prints one
  address, and one accepted origin keeps the Origin check a single exact comparison.
- Anything but GET and HEAD must come from the page this server handed out: an Origin of
  exactly `http://127.0.0.1:PORT` (browsers send Origin with every POST, same-origin fetches
  included, so a missing one is refused) and the page's token in a header, which only a
  same-origin script can read from the page.
- A picture path must name a PNG under the report's images/ or captures/ folder, one plain
  name per component: no dot-files, no `..`, no absolute or backslashed path.

A refusal is a short plain-text reason (421 for a wrong Host, 403 otherwise); no view runs,
so nothing changes.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import Flask, Response, request

TOKEN_HEADER = "X-Guideshot-Token"
_READS = frozenset({"GET", "HEAD"})
PICTURE_FOLDERS = frozenset({"images", "captures"})
PICTURE_DEPTH = 4  # images/<device>/<flow>/<file>.png, captures/<device>/<flow>/<file>.png


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str


def _random() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Guard:
    origin: str  # http://127.0.0.1:PORT: the one page allowed to act
    token: str = field(default_factory=_random, repr=False)  # embedded in that page
    nonce: str = field(default_factory=_random, repr=False)  # its inline script and style

    @property
    def host(self) -> str:
        return urlsplit(self.origin).netloc

    def refusal(
        self, method: str, host: str | None, origin: str | None, token: str | None
    ) -> Refusal | None:
        if host != self.host:
            return Refusal(421, f"this server answers only to {self.host}; open {self.origin}/")
        if method in _READS:
            return None
        if origin != self.origin:
            return Refusal(403, f"refused: a change must come from the page at {self.origin}/")
        # Bytes, so a non-ASCII header is a mismatch rather than compare_digest's TypeError.
        given = (token or "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, self.token.encode()):
            return Refusal(403, "refused: the request lacks this review page's token")
        return None

    def page_policy(self) -> str:
        """The review page's Content-Security-Policy: its own script, style and pictures."""
        return (
            f"default-src 'none'; script-src 'nonce-{self.nonce}'; "
            f"style-src 'nonce-{self.nonce}'; img-src 'self'; connect-src 'self'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )


# Every answer: never framed (a click-jacking page cannot put our buttons under its own),
# never sniffed into another type, never cached (the page carries the token).
_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


def guard_app(app: Flask, guard: Guard) -> None:
    """Check every request before any view runs, and label every answer."""

    @app.before_request
    def enter() -> Response | None:
        headers = request.headers
        refusal = guard.refusal(
            request.method, headers.get("Host"), headers.get("Origin"), headers.get(TOKEN_HEADER)
        )
        if refusal is None:
            return None
        return Response(refusal.reason + "\n", refusal.status, mimetype="text/plain")

    @app.after_request
    def label(response: Response) -> Response:
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def picture_parts(name: str) -> tuple[str, ...] | None:
    """The components of a report picture's path, or None for anything else."""
    parts = tuple(name.split("/"))
    if len(parts) != PICTURE_DEPTH or parts[0] not in PICTURE_FOLDERS:
        return None
    if not parts[-1].endswith(".png"):
        return None
    for part in parts:
        if not part or part.startswith(".") or "\\" in part or "\0" in part:
            return None
    return parts
