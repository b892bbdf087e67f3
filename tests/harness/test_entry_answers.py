"""An entry waits for what the page does in answer to it a moment later (a preview after the
last key, a search sent from a timer and shown when its answer is read), so a picture never
depends on the machine's speed; a clock or a poll the page runs anyway is not waited for."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser

from harness.capture.editing import REACTION_LIMIT_MS
from harness.capture.perform import RunContext, perform
from harness.scenario import FillAction, SelectAction, Target

pytestmark = pytest.mark.browser

# A page that answers typing and a choice later, as Trac does (a timer set by the handlers,
# which sets another); its clock and the poll a key press starts (CodeMirror 5 polls its
# textarea while focused) are not answers, and no entry waits for them.
ANSWERING = """<!doctype html><html><body>
<label for="q">Summary</label><input id="q">
<label for="kind">Type</label><select id="kind"><option>defect</option><option>task</option>
</select><p id="preview"></p><p id="clock"></p><script>
  let ticks = 0;
  const tick = () => { clock.textContent = ++ticks; setTimeout(tick, 50); };
  tick();
  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(() => setTimeout(() => {
    preview.textContent = 'Preview: ' + q.value + ' (' + kind.value + ')'; }, 300), 1200); };
  let polls = 0;
  const poll = () => { polls++; setTimeout(poll, 50); };
  q.addEventListener('keydown', () => { if (!polls) poll(); });
  q.addEventListener('keyup', later);
  kind.addEventListener('change', later);
</script></body></html>"""


def test_an_entry_waits_for_what_the_page_does_a_moment_later(browser: Browser) -> None:
    page = browser.new_context().new_page()
    page.set_content(ANSWERING)
    run = RunContext(base_url="about:blank", has_hooks=False, touch=False)
    fill = FillAction(action="fill", target=Target(label="Summary"), value="wilts")
    select = SelectAction(action="select", target=Target(label="Type"), value="task")
    for action, shown in ((fill, "Preview: wilts (defect)"), (select, "Preview: wilts (task)")):
        started = time.monotonic()
        perform(page, action, run)
        waited = time.monotonic() - started
        # read at once, without waiting: the answer is there, the clock was not waited for
        assert page.locator("#preview").text_content() == shown
        assert 1.5 < waited < REACTION_LIMIT_MS / 2000, waited
    page.context.close()


# A search box as modern sites write it: a timer after the last key sends the query with
# fetch; the answer's body is read, then the hits are shown a moment later (a fade-in).
# Written with await, and with .then chains.
SEARCHING = """<!doctype html><html><body>
<label for="q">Search</label><input id="q"><p id="hits"></p><p id="clock"></p><script>
  let ticks = 0;
  const tick = () => { clock.textContent = ++ticks; setTimeout(tick, 50); };
  tick();
  const show = (found) => setTimeout(() => { hits.textContent = found.join(', '); }, 300);
  const awaiting = async () => {
    const answer = await fetch('/search?q=' + encodeURIComponent(q.value));
    show(await answer.json());
  };
  const chained = () => fetch('/search?q=' + encodeURIComponent(q.value))
    .then(answer => answer.text()).then(text => show(JSON.parse(text)));
  let timer = null;
  q.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(location.hash === '#then' ? chained : awaiting, 250);
  });
</script></body></html>"""
PLANTS = ("rose", "rosemary", "tulip")
ANSWER_DELAY_S = 0.6  # the server takes its time, as a real search does


class _SearchSite(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/search":
            time.sleep(ANSWER_DELAY_S)  # the server's own slowness, not a wait of the test
            query = parse_qs(url.query).get("q", [""])[0]
            found = [plant for plant in PLANTS if plant.startswith(query)]
            body = ("[" + ", ".join(f'"{plant}"' for plant in found) + "]").encode()
            kind = "application/json"
        else:
            body, kind = SEARCHING.encode(), "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return


@pytest.fixture(scope="module")
def search_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SearchSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("written", ["await", "then"])
def test_an_entry_waits_for_a_fetched_answer_and_what_reading_it_starts(
    browser: Browser, search_site: str, written: str
) -> None:
    page = browser.new_context().new_page()
    page.goto(search_site + ("#then" if written == "then" else ""))
    run = RunContext(base_url=search_site, has_hooks=False, touch=False)
    fill = FillAction(action="fill", target=Target(label="Search"), value="ros")
    perform(page, fill, run)
    # read at once: the hits the answer brought are on the screen the step captures
    assert page.locator("#hits").text_content() == "rose, rosemary"
    page.context.close()
