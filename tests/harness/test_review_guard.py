"""`guideshot review` as an attacker talks to it: the real CLI on a free port, raw HTTP.

A rebound DNS name (Host evil.example), a page of another origin, a request without the
page's token, a symbolic link or a FIFO put into the served report, and traversal in every
spelling are each refused, and each test hashes every file of the baseline and of a decoy
folder beside the report before and after: nothing changed, and the decoy's secret bytes
appear in no answer. The right request, sent the same way, still approves and undoes.

The report is built without a browser (reviewing.build_report); only the last test runs
Chromium: the real page still acts, and a page at another origin or a rebound name cannot.
"""

from __future__ import annotations

import ast
import os
import secrets
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from harness.capture.browser import CHROMIUM_ARGS, find_chromium
from harness.review.guard import TOKEN_HEADER
from tests.harness.reviewing import (
    DEVICE,
    FLOW,
    Built,
    Reviewing,
    build_report,
    review_process,
    tree_digest,
)

HARNESS = Path(__file__).resolve().parents[2] / "harness"
STEP_ONE = {"device": DEVICE, "flow": FLOW, "step": 1}
IMAGE = f"images/{DEVICE}/{FLOW}/01-current.png"
EVIL = "evil.example"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_report(tmp_path_factory.mktemp("guard"))


@dataclass
class Scene:
    """A review of a copy of the report, a decoy folder beside it, and what both held."""

    review: Reviewing
    report: Path
    decoy: Path
    secret: bytes
    before: tuple[dict[str, str], dict[str, str]]

    def assert_untouched(self) -> None:
        assert (tree_digest(self.review.baseline), tree_digest(self.decoy)) == self.before
        marker = self.secret[-32:]  # its random part: no piece of it may leak either
        assert not any(marker in answer.body for answer in self.review.answers)
        state = self.review.send("GET", "/api/state").text
        assert '"approved"' not in state and '"rejected"' not in state


@pytest.fixture
def scene(built: Built, tmp_path: Path) -> Iterator[Scene]:
    # report/ and decoy/ side by side, so report/../decoy is where a traversal would land.
    report, baseline, decoy = tmp_path / "report", tmp_path / "shots", tmp_path / "decoy"
    shutil.copytree(built.report, report)
    shutil.copytree(built.baseline, baseline)
    secret = b"\x89PNG\r\n\x1a\n decoy secret " + secrets.token_hex(16).encode()
    (decoy / "sub").mkdir(parents=True)
    (decoy / "secret.png").write_bytes(secret)
    (decoy / "sub" / "secret.png").write_bytes(secret)
    before = (tree_digest(baseline), tree_digest(decoy))
    with review_process(report, baseline) as review:
        yield Scene(review, report, decoy, secret, before)


def _approved(baseline: Path, number: int) -> dict[str, str]:
    prefix = f"{DEVICE}/{FLOW}/{number:02d}-"
    return {k: v for k, v in tree_digest(baseline).items() if k.startswith(prefix)}


@pytest.mark.slow
def test_a_foreign_host_is_refused_before_anything_runs(scene: Scene) -> None:
    """DNS rebinding: the attacker's name resolves to 127.0.0.1, its requests name it."""
    review = scene.review
    token = review.token()
    port = review.port
    for host in (
        f"{EVIL}:{port}",
        EVIL,
        f"localhost:{port}",  # one origin only: the address the review printed
        "127.0.0.1",
        f"127.0.0.1:{port + 1}",
        f"127.0.0.1:{port}.{EVIL}",
        f"[::1]:{port}",
        f"127.0.0.1:{port}, {EVIL}",
        None,  # no Host at all
    ):
        own = {"Origin": f"http://{host}", TOKEN_HEADER: token}  # even with a stolen token
        answers = [
            review.send("GET", "/", host=host),
            review.send("GET", "/api/state", host=host),
            review.send("GET", f"/report/{IMAGE}", host=host),
            review.action("approve", STEP_ONE, own, host=host),
            review.action("undo", {}, own, host=host),
        ]
        for answer in answers:
            assert answer.status == 421, (host, answer)
            assert answer.headers["Content-Type"].startswith("text/plain")
            assert answer.text == f"this server answers only to {review.host}; open {review.url}\n"
            assert token.encode() not in answer.body
    scene.assert_untouched()


@pytest.mark.slow
def test_a_change_from_another_origin_or_none_is_refused(scene: Scene) -> None:
    review = scene.review
    token = review.token()
    port = review.port
    for origin in (
        f"http://{EVIL}",
        f"http://{EVIL}:{port}",
        f"http://localhost:{port}",
        f"http://127.0.0.1:{port + 1}",
        f"https://127.0.0.1:{port}",
        f"{review.origin}/",
        f"{review.origin}.{EVIL}",
        "null",  # a sandboxed frame, a file: page, a redirect across origins
        None,  # not sent: not from a browser page of ours
    ):
        headers = {TOKEN_HEADER: token} | ({"Origin": origin} if origin is not None else {})
        for action, payload in (("approve", STEP_ONE), ("reject", STEP_ONE), ("undo", {})):
            answer = review.action(action, payload, headers)
            assert answer.status == 403, (origin, action, answer)
            assert answer.text == (
                f"refused: a change must come from the page at {review.origin}/\n"
            )
        # A CORS preflight is never granted either.
        preflight = review.send("OPTIONS", "/api/approve", {"Origin": origin or EVIL})
        assert preflight.status == 403
        assert "Access-Control-Allow-Origin" not in preflight.headers
    scene.assert_untouched()


@pytest.mark.slow
def test_a_change_without_the_pages_token_is_refused(scene: Scene) -> None:
    review = scene.review
    token = review.token()
    wrong = [
        None,
        "",
        token[:-1],
        token + "x",
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        token.swapcase(),
        secrets.token_urlsafe(32),
        "é" * len(token),  # not ASCII: a mismatch, never an error
    ]
    for given in wrong:
        headers = {"Origin": review.origin} | ({TOKEN_HEADER: given} if given is not None else {})
        for action, payload in (("approve", STEP_ONE), ("reject", STEP_ONE), ("undo", {})):
            answer = review.action(action, payload, headers)
            assert answer.status == 403, (given, action, answer)
            assert answer.text == "refused: the request lacks this review page's token\n"
    # The token anywhere but its header (query, body, cookie) does not count.
    elsewhere = [
        review.send(
            "POST",
            f"/api/approve?token={token}",
            {"Origin": review.origin, "Content-Type": "application/json"},
            f'{{"device": "{DEVICE}", "flow": "{FLOW}", "token": "{token}"}}'.encode(),
        ),
        review.action("approve", STEP_ONE, {"Origin": review.origin, "Cookie": f"token={token}"}),
    ]
    assert [answer.status for answer in elsewhere] == [403, 403]
    scene.assert_untouched()


@pytest.mark.slow
def test_links_fifos_and_dot_files_in_the_report_are_never_served(scene: Scene) -> None:
    """Put into the report while it is served (so no check at start-up can catch them)."""
    review, report, decoy = scene.review, scene.report, scene.decoy
    images = report / "images" / DEVICE / FLOW
    captures = report / "captures" / DEVICE / FLOW
    genuine = (images / "01-current.png").read_bytes()
    (images / "02-current.png").unlink()
    (images / "02-current.png").symlink_to(decoy / "secret.png")  # a picture the page shows
    (images / "05-current.png").symlink_to(decoy / "secret.png")
    (captures / "09-leak.raw.png").symlink_to(decoy / "secret.png")
    (report / "images" / "linked").symlink_to(Path("..", "..", "decoy"))  # folders
    (report / "captures" / DEVICE / "linked").symlink_to(decoy / "sub")
    os.mkfifo(images / "06-current.png")  # opening it by name would block
    (images / ".hidden.png").write_bytes(scene.secret)
    (report / "captures" / DEVICE / ".hidden").mkdir()
    (report / "captures" / DEVICE / ".hidden" / "x.png").write_bytes(scene.secret)
    refused = [
        f"images/{DEVICE}/{FLOW}/02-current.png",
        f"images/{DEVICE}/{FLOW}/05-current.png",
        f"captures/{DEVICE}/{FLOW}/09-leak.raw.png",
        "images/linked/sub/secret.png",
        f"captures/{DEVICE}/linked/secret.png",
        f"images/{DEVICE}/{FLOW}/06-current.png",
        f"images/{DEVICE}/{FLOW}/.hidden.png",
        f"captures/{DEVICE}/.hidden/x.png",
        "report.json",  # in the report, but not a picture the page shows
        f"captures/{DEVICE}/{FLOW}/manifest.json",
        f"captures/{DEVICE}/{FLOW}/01-新規登録-を押す.json",
    ]
    for name in refused:
        answer = review.send("GET", "/report/" + quote(name))
        assert (answer.status, answer.text) == (404, "not found\n"), name
    served = review.send("GET", f"/report/{IMAGE}")
    assert served.status == 200 and served.body == genuine
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    scene.assert_untouched()


@pytest.mark.slow
def test_traversal_in_any_spelling_is_refused(scene: Scene) -> None:
    review, decoy = scene.review, scene.decoy
    absolute = (decoy / "secret.png").as_posix()
    targets = [
        "/report/../decoy/secret.png",
        "/report/../../decoy/secret.png",
        f"/report/images/{DEVICE}/{FLOW}/../../../../decoy/secret.png",
        f"/report/images/{DEVICE}/../../../decoy/sub/secret.png",
        "/report/%2e%2e/decoy/secret.png",
        "/report/%2E%2E/%2E%2E/decoy/secret.png",
        f"/report/images/{DEVICE}/{FLOW}/..%2f..%2f..%2f..%2fdecoy%2fsecret.png",
        "/report/images/%2e%2e/%2e%2e/decoy/sub/secret.png",
        f"/report/images/{DEVICE}/{FLOW}/..%5c..%5c..%5c..%5cdecoy%5csecret.png",
        f"/report/images/{DEVICE}/{FLOW}/..\\..\\..\\..\\decoy\\secret.png",
        "/report/" + absolute,
        "/report/" + absolute.replace("/", "%2f"),
        "/report//" + absolute.lstrip("/"),
        f"/report/images/{DEVICE}/{FLOW}/01-current.png%00.png",
        f"/report/images/{DEVICE}/{FLOW}/./01-current.png",
        "/report/",
        "/../decoy/secret.png",
        f"http://127.0.0.1:{review.port}/report/../../decoy/secret.png",  # absolute form
    ]
    for target in targets:
        answer = review.send("GET", target)
        assert (answer.status, answer.text) == (404, "not found\n"), target
    scene.assert_untouched()


@pytest.mark.slow
def test_the_right_request_still_approves_and_undoes(scene: Scene, built: Built) -> None:
    """The control for every refusal above: the same request with the right Host, Origin
    and token changes exactly step ①, and Undo puts it back byte for byte."""
    review = scene.review
    page = review.send("GET", "/")
    assert page.status == 200
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Cache-Control"] == "no-store"
    right = {"Origin": review.origin, TOKEN_HEADER: review.token()}
    original = tree_digest(review.baseline)
    approved = review.action("approve", STEP_ONE, right)
    assert approved.status == 200, approved
    assert _approved(review.baseline, 1) != _approved(built.baseline, 1)
    carried = {
        f"{DEVICE}/{FLOW}/{name}": digest
        for name, digest in tree_digest(scene.report / "captures" / DEVICE / FLOW).items()
        if name.startswith("01-")
    }
    assert _approved(review.baseline, 1) == carried
    assert review.action("undo", {}, right).status == 200
    assert tree_digest(review.baseline) == original
    assert tree_digest(scene.decoy) == scene.before[1]
    status, stderr = review.stop(signal.SIGTERM)
    assert status == 143, stderr
    assert "review stopped: 0 approved, 0 rejected, 4 pending" in stderr


# Chromium's own Local (Private) Network Access stops a public page's requests to loopback
# before they reach us; Firefox and Safari have no such check, so it is turned off here to
# test the review's own refusals. evil.example is made to resolve to 127.0.0.1, as a rebound
# name does; the attacker's own page is served by Playwright (as from its real address).
ATTACKER_CHROMIUM = [
    *CHROMIUM_ARGS,
    f"--host-resolver-rules=MAP {EVIL} 127.0.0.1",
    "--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests",
]
FETCH = """([url, token, body]) => fetch(url, {
    method: "POST",
    headers: token ? {"Content-Type": "application/json", "X-Guideshot-Token": token}
                   : {"Content-Type": "application/json"},
    body: JSON.stringify(body),
}).then(r => r.status, e => "blocked: " + e.message)"""


def _attacker_page(page: Page, at: str, html: str) -> None:
    page.route(at, lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(at)


@pytest.mark.slow
@pytest.mark.browser
def test_in_chromium_the_page_acts_and_other_pages_cannot(scene: Scene, built: Built) -> None:
    review = scene.review
    token = review.token()
    with sync_playwright() as playwright:
        choice = find_chromium(playwright)
        browser = playwright.chromium.launch(
            executable_path=choice.executable, args=ATTACKER_CHROMIUM
        )
        console: list[str] = []

        # The review's own page: its script (allowed by the page's nonce) sends Origin and
        # token, and Approve and Undo work.
        page = browser.new_page()
        page.on("console", lambda message: console.append(message.text))
        page.goto(review.url)
        first = page.locator('article.step[data-step="1"]')
        with page.expect_request(f"{review.url}api/approve") as sent:
            first.get_by_role("button", name="Approve step ①").click()
        expect(first.locator(".decision")).to_have_text("approved")
        # Chromium sends Origin with its same-origin fetch POST, which is why one is required.
        headers = sent.value.all_headers()
        assert (headers["origin"], headers[TOKEN_HEADER.lower()]) == (review.origin, token)
        assert _approved(review.baseline, 1) != _approved(built.baseline, 1)
        page.get_by_role("button", name="Undo the last approval").click()
        expect(first.locator(".decision")).to_have_text("pending")
        assert tree_digest(review.baseline) == scene.before[0]
        assert console == []  # no Content-Security-Policy violation, no failed request

        # A rebound name: the attacker's page at evil.example:PORT, then its own-origin
        # requests reach the review. Even with the token (were it stolen): 421.
        rebound = browser.new_page()
        _attacker_page(rebound, f"http://{EVIL}:{review.port}/", "<title>rebound</title>")
        for given in (None, token):
            assert rebound.evaluate(FETCH, ["/api/approve", given, STEP_ONE]) == 421
        for read in ("/api/state", f"/report/{IMAGE}"):
            assert rebound.evaluate("url => fetch(url).then(r => r.status)", read) == 421

        # Another origin: the review cannot be framed, and a form or a no-cors fetch that
        # needs no preflight reaches it and is refused (403, seen by the browser).
        other = browser.new_page()
        other_console: list[str] = []
        other.on("console", lambda message: other_console.append(message.text))
        approve = f"{review.url}api/approve"
        html = f"""<iframe name="framed" src="{review.url}"></iframe>
            <form method="post" action="{approve}" enctype="text/plain" target="sink">
            <input name='{{"device":"{DEVICE}","flow":"{FLOW}","x":"' value='"}}'></form>
            <iframe name="sink"></iframe>"""
        with other.expect_response(review.url) as framed:
            _attacker_page(other, f"http://{EVIL}/", html)
        assert framed.value.status == 200  # served, then refused a frame by the browser
        expect(other.frame_locator("iframe[name=framed]").locator("button")).to_have_count(0)
        with other.expect_response(approve) as posted:
            other.evaluate("document.forms[0].submit()")
        assert posted.value.status == 403
        with other.expect_response(approve) as no_cors:
            other.evaluate(
                """url => fetch(url, {method: "POST", mode: "no-cors", body: "{}",
                   headers: {"Content-Type": "text/plain"}})""",
                approve,
            )
        assert no_cors.value.status == 403
        assert other.evaluate(FETCH, [approve, token, STEP_ONE]).startswith("blocked")  # preflight
        assert any("frame-ancestors" in line for line in other_console)
        browser.close()
    scene.assert_untouched()


def test_review_code_imports_no_simulator() -> None:
    """The review runs on the harness's own server (harness/serving.py), not the simulator's."""
    files = [
        HARNESS / "serving.py",
        HARNESS / "cli" / "review.py",
        *(HARNESS / "review").glob("*.py"),
    ]
    offenders = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if any(name.split(".")[0] == "simulator" for name in names):
                offenders.append(f"{path.relative_to(HARNESS)}:{node.lineno}")
    assert offenders == []
