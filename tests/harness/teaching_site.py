"""A tiny site on 127.0.0.1 with the screens that made targets hard to write (issue 21):
two fields whose labels share a word, a hidden filter box before the visible one, a list
named by aria-labelledby with help text, icon buttons without a name, and a form that
answers with the page's own error."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from simulator.server import start_server

HEAD = (
    "<!doctype html><html lang=en><meta charset=utf-8>"
    "<meta name=viewport content='width=device-width'><title>{title}</title>"
    "<body style='font-family:sans-serif;margin:16px'>"
)
PAGES = {
    "/password": """<h1>Change password</h1>
<form><p><label for=p1>Password</label> <input id=p1 type=password name=p1></p>
<p><label for=p2>Password confirmation</label> <input id=p2 type=password name=p2></p>
<button type=button>Save</button></form>""",
    "/filter": """<h1>Permissions</h1>
<div style='display:none'><input placeholder='Filter chosen permissions'></div>
<p><input placeholder='Filter' aria-label='Filter'></p>
<ul><li>Can add group</li><li>Can view group</li></ul>""",
    "/permissions": """<h1>Add group</h1>
<div id=perm-title><label>Available permissions</label>
<p>Hold down Control to select more than one.</p></div>
<select multiple aria-labelledby=perm-title style='width:300px'>
<option>Can add group</option><option>Can view group</option></select>""",
    "/icons": """<header style='display:flex;gap:8px'>
<button class=menu-toggle style='width:44px;height:44px'
 onclick="document.getElementById('menu').hidden=false">
<svg width=20 height=20><path d='M0 4h20M0 10h20M0 16h20' stroke=black /></svg></button>
<button class=search-toggle style='width:44px;height:44px'>
<svg width=20 height=20><circle cx=8 cy=8 r=6 stroke=black fill=none /></svg></button>
</header><h1>Docs</h1><nav id=menu hidden><a href='#home'>Home</a></nav>""",
    # Radicale's web interface: icon links named by their picture, with a tooltip.
    "/calendars": """<h1>Calendars</h1><p id=new hidden>New calendar</p>
<nav style='display:flex;gap:8px'>
<a href='#new' title='Create a new calendar'
 onclick="document.getElementById('new').hidden=false; return false"><img alt='➕'
 width=44 height=44 src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"></a>
<a href='#import' title='Import'><img alt='⬆️' width=44 height=44
 src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"></a></nav>""",
    "/add": """<h1>Add group</h1><form method=post action=/add>
<p><label for=name>Name</label> <input id=name name=name></p>
<button type=submit>Save</button></form>""",
}
ADD_ERROR = (
    "<h1>Add group</h1><p class=errornote>Please correct the error below.</p>"
    "<ul class=errorlist><li>Group with this Name already exists.</li></ul>"
    "<form method=post action=/add><p><label for=name>Name</label> <input id=name name=name>"
    "</p><button type=submit>Save</button></form>"
)

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    path = environ["PATH_INFO"]
    body = PAGES.get(path)
    if environ["REQUEST_METHOD"] == "POST" and path == "/add":
        body = ADD_ERROR  # the record exists already, as on a second run
    if body is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    page = (HEAD.format(title=path.strip("/")) + body).encode()
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [page]


@contextmanager
def teaching_site() -> Iterator[str]:
    server = start_server(app)
    try:
        yield server.url
    finally:
        server.close()
