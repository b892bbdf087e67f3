"""A two-page site on 127.0.0.1 whose rendering varies per page load by a fraction of a pixel.

With `jitter` on, one word on every page is moved by another sub-pixel offset on each load
(an inline-block translated by 0, 1/3 or 2/3 px both ways, in turn per page), as fresh
browsers place some real sites' text: the words, the layout and the boxes stay the same,
only anti-aliased pixels move. The offsets go in turn rather than at random because
Chromium rounds sub-pixel positions: two random offsets may render alike, and a test must
know that approve, check and its second capture each saw another rendering.
`steady_color` paints another word, the same on every load, so a test can make a real
change that is tiny and reproducible. Settings are read per request: a test changes them
between `run` and `check` without restarting the server.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from simulator.server import start_server

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

PAGE = """<!doctype html><html lang=en><meta charset=utf-8>
<meta name=viewport content='width=device-width'><title>{title}</title>
<body style='font-family:sans-serif;margin:16px;font-size:18px'>
<h1>{title}</h1>
<p id=jitter>Rendering <span style='display:inline-block;transform:translate({dx:.3f}px,
{dy:.3f}px)'>varies</span> a little</p>
<div style='height:160px'></div>
<p id=steady>This word is <span style='color:{color}'>steady</span> on every load.</p>
{link}
</body></html>"""
OFFSETS = (0.0, 0.33, 0.66)  # px: renderings Chromium tells apart (measured)
LINKS = {"/": "<p><a href='/next'>Next page</a></p>", "/next": "<p>The end.</p>"}
# The flow through those pages, as a scenario file.
NOISY_FLOW = """id: noisy
section: test
title: A page whose text moves by a fraction of a pixel
devices: [android]
start: /
steps:
  - caption: 「Next page」を押す
    action: tap
    target: {role: link, name: Next page}
    expect: {url: /next}
  - caption: 最後のページ
    action: expect
    expect: {text: The end.}
"""


@dataclass
class NoiseSettings:
    jitter: bool = True
    steady_color: str = "#000000"
    loads: Counter[str] = field(default_factory=Counter)  # path → times served


def noise_app(
    settings: NoiseSettings,
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        link = LINKS.get(path)
        if link is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        offset = OFFSETS[settings.loads[path] % len(OFFSETS)] if settings.jitter else 0.0
        settings.loads[path] += 1
        page = PAGE.format(
            title="Start" if path == "/" else "Next",
            dx=offset,
            dy=offset,
            color=settings.steady_color,
            link=link,
        )
        start_response(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
        )
        return [page.encode()]

    return app


@contextmanager
def noise_site(settings: NoiseSettings) -> Iterator[str]:
    """The site's URL while the block runs; the server stops at its end."""
    server = start_server(noise_app(settings))
    try:
        yield server.url
    finally:
        server.close()
