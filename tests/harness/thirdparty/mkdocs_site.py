"""A documentation site built with MkDocs and its Material theme, served statically.

    with mkdocs_site(tmp_path) as site:
        ...  # site.url; site.requests: every path the browser asked for

The pages are written into the folder and built with `mkdocs build`; the site is served
from the built folder by a thread on a free loopback port that ends with the block.
Material's search (lunr in a web worker, its index at /search/search_index.json) and all
its assets come from that folder: fonts from Google are turned off, so nothing is fetched
from beyond loopback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SITE_NAME = "Garden club handbook"
CONFIG = """site_name: {site_name}
theme:
  name: material
  font: false  # no Google Fonts: the site must work offline
plugins:
  - search
"""
PAGES = {
    "index.md": "# Welcome\n\nThe garden club meets on Saturdays at the community hall.\n",
    "watering.md": "# Watering\n\nWater the tomatoes early in the morning, before the heat.\n",
    "pruning.md": "# Pruning\n\nPrune the roses in late winter, above an outward bud.\n",
}


@dataclass
class DocsSite:
    url: str
    folder: Path  # the built site
    requests: list[str] = field(default_factory=list)


def build(folder: Path, site_name: str = SITE_NAME) -> Path:
    """The site built from PAGES into folder/site (built again in place when called again:
    the tests rename the site to make a change that shows in every page's header)."""
    (folder / "mkdocs.yml").write_text(CONFIG.format(site_name=site_name), encoding="utf-8")
    docs = folder / "docs"
    docs.mkdir(exist_ok=True)
    for name, text in PAGES.items():
        (docs / name).write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"]
    env = {"NO_MKDOCS_2_WARNING": "1"}  # Material's notice about its successor, not an error
    subprocess.run(command, cwd=folder, check=True, capture_output=True, env={**os.environ, **env})
    return folder / "site"


class _Handler(SimpleHTTPRequestHandler):
    requests: list[str]

    def log_message(self, format: str, *args: Any) -> None:
        self.requests.append(self.path)  # the access log, kept for the test instead of stderr


@contextmanager
def mkdocs_site(folder: Path) -> Iterator[DocsSite]:
    built = build(folder)
    site = DocsSite("", built)
    handler = type("Handler", (_Handler,), {"requests": site.requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(built)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
