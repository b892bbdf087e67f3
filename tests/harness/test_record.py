"""`guideshot record`: a flow walked once on the emulated phone becomes a scenario file that
passes lint, run and two clean checks unchanged; `record --from` does the same for
Playwright's codegen output.

The recorder is driven by a script of real Playwright input (touches, keys, wheel turns), so
the page's trusted DOM events reach the same listeners a person's hand would. Sites are
third-party applications on loopback: Django's admin (forms, a login) and a MkDocs Material
site (a search overlay).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.cli import main
from harness.scenario import FillAction, Flow, load_flow
from tests.harness.thirdparty.django_admin import DjangoAdmin, django_admin
from tests.harness.thirdparty.mkdocs_site import DocsSite, mkdocs_site

DJANGO_SCRIPT = """\
- fill: {label: Username, value: admin}
- fill: {label: Password, value: garden-club-2026}
- tap: {role: button, name: Log in}
- tap: {role: link, name: Groups, exact: true}
- tap: {role: link, name: Add group}
- fill: {label: "Name:", exact: true, value: Gardeners}
- tap: {role: button, name: Save, exact: true}
"""
# As `playwright codegen --device "Pixel 7" URL --target python` prints the same walk.
DJANGO_CODEGEN = """\
import re
from playwright.sync_api import Playwright, sync_playwright, expect


def run(playwright: Playwright) -> None:
    browser = playwright.chromium.launch(headless=False)
    context = browser.new_context(**playwright.devices["Pixel 7"])
    page = context.new_page()
    page.goto("{url}/admin/")
    page.get_by_label("Username:").click()
    page.get_by_label("Username:").fill("admin")
    page.get_by_label("Password:").click()
    page.get_by_label("Password:").fill("garden-club-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url("{url}/admin/")
    page.get_by_role("link", name="Groups").click()
    page.get_by_role("link", name="Add group").click()
    page.get_by_label("Name:").click()
    page.get_by_label("Name:").fill("Gardeners")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()

    # ---------------------
    context.close()
    browser.close()


with sync_playwright() as playwright:
    run(playwright)
"""
# Straight to "Add group" (the admin asks for the login first): no list pages, whose
# pictures Django's own layout moved by a pixel in one check of two (measured).
SHORT_SCRIPT = """\
- fill: {label: Username, value: admin}
- fill: {label: Password, value: garden-club-2026}
- tap: {role: button, name: Log in}
- fill: {label: "Name:", exact: true, value: Gardeners}
- tap: {role: button, name: Save, exact: true}
"""
DJANGO_CAPTIONS = [
    "「Username」に入力する",
    "「Password」に入力する",
    "「Log in」を押す",
    "「Groups」を押す",
    "「ADD GROUP」を押す",  # the link's text as the phone shows it (CSS upper-cases it)
    "「Name」に入力する",
    "「Save」を押す",
]


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DjangoAdmin]:
    with django_admin(tmp_path_factory.mktemp("django")) as started:
        yield started


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DocsSite]:
    with mkdocs_site(tmp_path_factory.mktemp("mkdocs")) as started:
        yield started


def forget_groups(admin: DjangoAdmin) -> None:
    """What the flow created, and the admin's log of it ("Recent actions" on its index)."""
    with sqlite3.connect(admin.log.parent / "db.sqlite3") as db:
        db.execute("DELETE FROM auth_group")
        db.execute("DELETE FROM django_admin_log")


def run_and_check_twice(url: str, between: object = None) -> None:
    """lint, run (the screenshots to approve), then two checks against them: all clean."""
    forget = between if callable(between) else (lambda: None)
    assert main(["lint", "scenarios"]) == 0
    forget()
    assert main(["run", "--scenarios", "scenarios", "--base-url", url, "--out", "shots"]) == 0
    for attempt in (1, 2):
        forget()
        report = f"report{attempt}"
        args = ["--baseline", "shots", "--report", report]
        assert main(["check", "--scenarios", "scenarios", "--base-url", url, *args]) == 0


def recorded(
    url: str, out: str, script: str, *extra: str, capsys: pytest.CaptureFixture[str]
) -> tuple[str, str]:
    Path("script.yaml").write_text(script, "utf-8")
    status = main(["record", url, "--out", out, "--script", "script.yaml", *extra])
    said = capsys.readouterr().err
    assert status == 0, said
    return Path(out).read_text("utf-8"), said


def refused(url: str, script: str, capsys: pytest.CaptureFixture[str]) -> str:
    """What `record` says when the script cannot be played: exit 2, nothing written."""
    Path("walk.yaml").write_text(script, "utf-8")
    out = ["--out", "scenarios/order.yaml", "--script", "walk.yaml"]
    assert main(["record", url, *out]) == 2
    assert not Path("scenarios").exists()
    return capsys.readouterr().err


@pytest.mark.browser
@pytest.mark.slow
def test_a_django_admin_flow_recorded_by_script_passes_lint_run_and_two_checks(
    admin: DjangoAdmin,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    out = "scenarios/add-group.yaml"
    url = admin.url + "/admin/auth/group/add/"
    text, said = recorded(url, out, SHORT_SCRIPT, "--lang", "ja", capsys=capsys)
    assert "wrote scenarios/add-group.yaml: 5 steps, 1 field(s) masked" in said
    flow = load_flow(Path(out))
    assert [s.caption for s in flow.steps] == [*DJANGO_CAPTIONS[:3], *DJANGO_CAPTIONS[5:]]
    # the login page came first and led to the page asked for
    assert flow.steps[2].expect is not None
    assert flow.steps[2].expect.url == "/admin/auth/group/add/"
    assert [t.describe() for t in flow.mask] == ["label=「Password」"]
    assert "mask:  # hidden in every picture, left out of every comparison\n" in text
    assert "  - {label: Password}  # a password field\n" in text
    # no secret references in scenarios yet: the password is written, with a note, and masked
    assert (
        "    target: {label: Password}\n"
        "    # a password, written as typed; the field is masked in every picture\n"
        "    value: garden-club-2026\n"
    ) in text
    assert (
        "  - caption: 「Save」を押す\n"
        "    action: tap\n"
        "    target: {role: button, name: Save, exact: true}\n"
        "    expect: {url: /admin/auth/group/}\n"
    ) in text
    assert flow.start == "/admin/auth/group/add/" and flow.devices == ("android",)
    run_and_check_twice(admin.url, lambda: forget_groups(admin))


@pytest.mark.browser
@pytest.mark.slow
def test_a_mkdocs_search_recorded_by_script_passes_lint_run_and_two_checks(
    docs: DocsSite,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    # the captions' language comes from the project's guide.yaml
    Path("guide.yaml").write_text("title: Garden club handbook\nlanguage: en\n", "utf-8")
    script = """\
- tap: {css: 'label.md-header__button[for="__search"]'}
- fill: {placeholder: Search, value: tomatoes}
- tap: {role: heading, name: Watering}  # the result's title, inside its link
"""
    text, _ = recorded(docs.url + "/", "scenarios/search.yaml", script, capsys=capsys)
    flow = load_flow(Path("scenarios/search.yaml"))
    assert [s.caption for s in flow.steps] == [
        "Tap here",
        'Enter "tomatoes" in "Search"',
        'Tap "Watering"',
    ]
    # the magnifier has no accessible name: CSS, and the file says why
    assert "    # it has no accessible name: only CSS finds it\n    target: {css: " in text
    assert flow.steps[2].expect is not None and flow.steps[2].expect.url == "/watering/"
    run_and_check_twice(docs.url)


@pytest.mark.browser
@pytest.mark.slow
def test_record_from_codegen_gives_the_recorded_flow_and_it_runs(
    admin: DjangoAdmin,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("codegen.py").write_text(DJANGO_CODEGEN.replace("{url}", admin.url), "utf-8")
    assert main(["record", "--from", "codegen.py", "--out", "scenarios/from-codegen.yaml"]) == 0
    assert "warning" not in capsys.readouterr().err
    imported = load_flow(Path("scenarios/from-codegen.yaml"))
    forget_groups(admin)
    recorded(admin.url + "/admin/", "recorded/add-group.yaml", DJANGO_SCRIPT, capsys=capsys)
    walked = load_flow(Path("recorded/add-group.yaml"))
    assert _shape(imported)[:-1] == _shape(walked)  # codegen's last line is one more check
    assert imported.steps[-1].caption == "「was added successfully」が表示される"
    # codegen has an expected URL where the person asked for one; the recorder after each page
    assert [s.expect.url if s.expect else None for s in imported.steps] == [
        *(None, None, "/admin/", None, None, None, None, None)
    ]
    # codegen writes the link's name from the page's text, not as CSS shows it
    as_shown = [*DJANGO_CAPTIONS[:4], "「Add group」を押す", *DJANGO_CAPTIONS[5:]]
    assert [s.caption for s in imported.steps][:-1] == as_shown
    assert [t.describe() for t in imported.mask] == ["label=「Password:」"]
    assert main(["lint", "scenarios"]) == 0
    forget_groups(admin)
    assert main(["run", "--scenarios", "scenarios", "--base-url", admin.url, "--out", "s"]) == 0


def _shape(flow: Flow) -> list[tuple[str, str]]:
    """What each step does and with what value: the flow's meaning (the targets' words
    differ only by the colon codegen keeps in Django's labels)."""
    return [
        (step.action.action, step.action.value if isinstance(step.action, FillAction) else "")
        for step in flow.steps
    ]


def test_record_from_codegen_names_each_line_it_leaves_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("codegen.py").write_text(
        'page.goto("http://127.0.0.1:8000/admin/")\n'
        'page.get_by_role("link", name="Groups").dblclick()\n'
        'page.locator("#nav-sidebar").get_by_role("link", name="Users").click()\n'
        'page.get_by_role("button", name="Go").click()\n'
        'page.get_by_label("Code").fill("a{b}")\n',
        "utf-8",
    )
    assert (
        main(["record", "--from", "codegen.py", "--out", "scenarios/a.yaml", "--lang", "en"]) == 0
    )
    assert capsys.readouterr().err.splitlines()[0] == (
        "warning: codegen.py:2: left out, no scenario step does this: "
        'page.get_by_role("link", name="Groups").dblclick()'
    )
    text = Path("scenarios/a.yaml").read_text("utf-8")
    assert 'target: {role: link, name: Users, within: {css: "#nav-sidebar"}}' in text
    assert '    value: "a{{b}}"\n' in text  # a brace typed is not a placeholder
    assert [s.caption for s in load_flow(Path("scenarios/a.yaml")).steps] == [
        'Tap "Users"',
        'Tap "Go"',
        'Enter "a{b}" in "Code"',
    ]


def test_record_never_replaces_a_file_unless_forced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("scenarios").mkdir()
    Path("scenarios/mine.yaml").write_text("# mine\n", "utf-8")
    Path("codegen.py").write_text('page.goto("http://x/")\npage.get_by_text("Hi").click()\n')
    args = ["record", "--from", "codegen.py", "--out", "scenarios/mine.yaml"]
    assert main(args) == 2
    assert capsys.readouterr().err == (
        "error: scenarios/mine.yaml exists: give --force to replace it\n"
    )
    assert Path("scenarios/mine.yaml").read_text("utf-8") == "# mine\n"
    assert main([*args, "--force"]) == 0
    assert load_flow(Path("scenarios/mine.yaml")).steps[0].caption == "「Hi」を押す"


def test_record_without_a_display_or_a_script_says_what_to_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert main(["record", "http://127.0.0.1:9/", "--out", "scenarios/a.yaml"]) == 2
    assert capsys.readouterr().err == (
        "error: no display for a browser window (DISPLAY, WAYLAND_DISPLAY): "
        "give the actions with --script FILE\n"
    )
    assert not Path("scenarios").exists()
    both = ["record", "--from", "c.py", "--script", "s.yaml", "--out", "scenarios/a.yaml"]
    assert main(both) == 2
    assert capsys.readouterr().err == (
        "error: --script plays actions in the browser; --from reads a file without one\n"
    )


ORDER_PAGE = """<!doctype html><html lang=en><meta charset=utf-8>
<meta name=viewport content='width=device-width'><title>Order seeds</title>
<body style='font-family:sans-serif;margin:16px'><h1>Order seeds</h1>
<p><label for=country>Country</label> <select id=country>
<option>Japan</option><option>France</option></select></p>
<p><label><input type=checkbox id=news> Send me news</label></p>
<p><label for=mail>Email</label> <input id=mail type=email autocomplete=email></p>
<div style='height:1600px'>(the catalogue)</div>
<form action=done.html><p><label for=q>Search seeds</label> <input id=q name=q></p></form>
<p>Quantity:<br><input id=qty type=number></p>
<p><label for=voucher>Voucher</label> <input id=voucher maxlength=4></p>
"""


@pytest.fixture
def order_site(tmp_path: Path) -> Iterator[str]:
    """A static page with a choice, a box to tick, a personal field, a long list and a
    search answered by Enter, on loopback."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    site = tmp_path / "site"
    site.mkdir()
    (site / "order.html").write_text(ORDER_PAGE, "utf-8")
    (site / "done.html").write_text("<!doctype html><title>Done</title><h1>Found</h1>", "utf-8")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.browser
@pytest.mark.slow
def test_a_choice_a_tick_a_personal_entry_a_scroll_and_enter_are_recorded_and_run(
    order_site: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    script = """\
- select: {label: Country, value: France}
- check: {label: Send me news}
- fill: {label: Email, value: hanako@example.org}
- scroll: 700
- fill: {label: Search seeds, value: tomato}
- press: Enter
"""
    # no guide.yaml and no --lang: the guide's default language, Japanese
    text, _ = recorded(order_site + "/order.html", "scenarios/order.yaml", script, capsys=capsys)
    flow = load_flow(Path("scenarios/order.yaml"))
    assert [(s.caption, s.action.action) for s in flow.steps] == [
        ("「France」を選ぶ", "select"),
        ("「Send me news」を選ぶ", "check"),
        ("「Email」に入力する", "fill"),
        ("上にスクロールする", "scroll"),
        ("「Search seeds」に入力する", "fill"),
        ("キーボードの「開く」を押す", "press"),
    ]
    assert "  - {label: Email}  # personal data\n" in text
    assert "    by: 700\n    direction: up\n" in text
    # Enter submitted the search: the step expects the page it opened (quoted, for the ?)
    assert '    key: Enter\n    expect: {url: "/done.html?q=tomato"}\n' in text
    assert main(["lint", "scenarios"]) == 0
    assert main(["run", "--scenarios", "scenarios", "--base-url", order_site]) == 0


def _unused_display() -> str:
    """A display number no X server holds (no socket, no lock)."""
    number = next(
        n
        for n in range(4000, 5000)
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists()
    )
    return f":{number}"


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.browser
def test_a_display_without_a_server_or_a_site_that_does_not_answer_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    # DISPLAY left over from a session whose X server is gone (ssh without forwarding)
    display = _unused_display()
    monkeypatch.setenv("DISPLAY", display)
    url = f"http://127.0.0.1:{_closed_port()}/"
    assert main(["record", url, "--out", "scenarios/a.yaml"]) == 2
    assert capsys.readouterr().err == (
        f"error: no window opens on the display {display} (is it running?): "
        "give the actions with --script FILE\n"
    )
    Path("script.yaml").write_text("- tap: Hi\n", "utf-8")
    assert main(["record", url, "--out", "scenarios/a.yaml", "--script", "script.yaml"]) == 2
    assert capsys.readouterr().err == (
        f"error: {url}: the page did not open (net::ERR_CONNECTION_REFUSED at {url})\n"
    )
    assert not Path("scenarios").exists()


@pytest.mark.browser
@pytest.mark.slow
def test_a_script_target_the_page_does_not_have_is_explained_as_run_explains_it(
    order_site: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"{order_site}/order.html"
    err = refused(url, "- fill: {label: Country, value: Japan}\n", capsys)
    assert "Traceback" not in err
    lines = err.splitlines()
    # a <select> is chosen, not typed into: the fill finds it, and Playwright's own refusal
    # is its first line
    assert lines[0].startswith("error: walk.yaml: action 1: fill label=「Country」: "), err
    err = refused(url, "- tap: Order\n", capsys)
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[0] == (
        "error: walk.yaml: action 1: tap text=「Order」 exact: nothing on the page matches it"
    ), err
    proposals = [line for line in lines if line.startswith("  try: ")]
    assert proposals == ["  try: {text: Order}"], err  # not exact: the heading 「Order seeds」


@pytest.mark.browser
@pytest.mark.slow
def test_a_field_nothing_names_is_found_by_the_words_before_it(
    order_site: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A bare "Quantity:" above a field (Radicale's "Type:" above its select): a `label:`
    target's failure lists the field with those words and proposes its CSS; recorded, the
    field gets that target with its note, and the caption names it by the words."""
    monkeypatch.chdir(tmp_path)
    url = f"{order_site}/order.html"
    lines = refused(url, "- fill: {label: Quantity, value: 3}\n", capsys).splitlines()
    assert lines[0] == (
        "error: walk.yaml: action 1: fill label=「Quantity」: nothing on the page matches it"
    )
    assert lines[2].startswith(
        "    spinbutton, no accessible name, after the words 「Quantity:」, visible at "
    ), lines
    assert lines[3:] == ['  try: {css: "#qty"}  # it has no accessible name']
    script = '- fill: {css: "#qty", value: 3}\n'
    recorded_text, _ = recorded(url, "scenarios/order.yaml", script, capsys=capsys)
    assert (
        "  - caption: 「Quantity」に入力する\n    action: fill\n"
        "    # it has no accessible name: only CSS finds it\n"
        '    target: {css: "#qty"}\n'
    ) in recorded_text, recorded_text
    assert main(["run", "--scenarios", "scenarios", "--base-url", order_site]) == 0


@pytest.mark.browser
@pytest.mark.slow
def test_a_field_that_keeps_less_than_was_typed_is_one_line(
    order_site: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    script = '- fill: {label: Voucher, value: "12345"}\n'
    assert refused(f"{order_site}/order.html", script, capsys) == (
        "error: walk.yaml: action 1: fill label=「Voucher」: the field holds 「1234」 instead of "
        "「12345」 after typing it\n"
    )
