"""fill replaces and type appends, on native fields and on real editors, on both phones.

The code editor is the CodeMirror 5 that Datasette (a test dependency from PyPI) ships and
uses for its SQL box; on a phone it edits through a contenteditable element with role
presentation, which Playwright's own fill only appends to.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from harness.capture.browser import find_chromium, launch
from harness.capture.devices import resolve_device
from harness.capture.editing import select_all_key
from harness.capture.perform import RunContext, StepFailed, perform
from harness.scenario import Target
from harness.scenario.model import FillAction, TypeAction

pytestmark = pytest.mark.browser

STATIC = resources.files("datasette") / "static"
CODEMIRROR = STATIC / "codemirror-5.57.0.min.js"

PAGE = """<!doctype html><html><head><meta name="viewport" content="width=device-width">
<style>{css}</style><script>{js}</script></head><body>
<label for="name">Name</label><input id="name" value="Hanako">
<label for="notes">Notes</label><textarea id="notes">first line
second line</textarea>
<div id="rich" contenteditable="true" aria-label="Letter">
  <p>Dear <b>Sir</b>,</p><p>old text</p></div>
<p><textarea id="sql-editor" name="sql">select * from trees</textarea></p>
<button id="plain">Run SQL</button>
<script>
  window.editor = CodeMirror.fromTextArea(document.getElementById('sql-editor'),
    {{lineNumbers: true, lineWrapping: true}});
</script>
</body></html>"""

SQL_EDITOR = Target(css=".CodeMirror-code")


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = launch(playwright, find_chromium(playwright))
    yield browser
    browser.close()


@pytest.fixture(params=["android", "iphone"])
def phone(
    request: pytest.FixtureRequest, browser: Browser, playwright: Playwright
) -> Iterator[Page]:
    device = resolve_device(playwright, request.param)
    context = browser.new_context(**device.context_args())
    page = context.new_page()
    css = (STATIC / "codemirror-5.57.0.min.css").read_text("utf-8")
    page.set_content(PAGE.format(css=css, js=CODEMIRROR.read_text("utf-8")))
    yield page
    context.close()


def run_on(page: Page) -> RunContext:
    return RunContext(base_url="http://127.0.0.1", has_hooks=False, touch=True)


def sql(page: Page) -> str:
    value: str = page.evaluate("() => window.editor.getValue()")
    return value


def test_the_code_editor_is_contenteditable_on_a_phone(phone: Page) -> None:
    editing = phone.locator(".CodeMirror-code")
    assert editing.get_attribute("contenteditable") == "true"
    assert editing.get_attribute("role") == "presentation"


def test_fill_replaces_what_the_code_editor_holds(phone: Page) -> None:
    perform(
        phone,
        FillAction(action="fill", target=SQL_EDITOR, value="select name from trees"),
        run_on(phone),
    )
    assert sql(phone) == "select name from trees"


def test_fill_finds_the_editor_from_its_visible_text(phone: Page) -> None:
    # a line inside the editor, as a person sees it (the hidden <textarea> holds it too)
    target = Target(text="select * from trees", within=Target(css=".CodeMirror"))
    perform(phone, FillAction(action="fill", target=target, value="select 1"), run_on(phone))
    assert sql(phone) == "select 1"


def test_type_appends_to_the_code_editor(phone: Page) -> None:
    action = TypeAction(action="type", target=SQL_EDITOR, value=" limit 2")
    perform(phone, action, run_on(phone))
    assert sql(phone) == "select * from trees limit 2"


def test_fill_replaces_rich_text(phone: Page) -> None:
    target = Target(label="Letter")
    perform(phone, FillAction(action="fill", target=target, value="こんにちは"), run_on(phone))
    assert phone.locator("#rich").inner_text().strip() == "こんにちは"


def test_type_appends_to_rich_text(phone: Page) -> None:
    perform(
        phone, TypeAction(action="type", target=Target(label="Letter"), value=" Bye"), run_on(phone)
    )
    assert phone.locator("#rich").inner_text().split() == ["Dear", "Sir,", "old", "text", "Bye"]


def test_fill_replaces_and_type_appends_in_native_fields(phone: Page) -> None:
    run = run_on(phone)
    perform(phone, FillAction(action="fill", target=Target(label="Name"), value="Jiro"), run)
    assert phone.locator("#name").input_value() == "Jiro"
    perform(phone, TypeAction(action="type", target=Target(label="Name"), value=" Sato"), run)
    assert phone.locator("#name").input_value() == "Jiro Sato"
    perform(phone, TypeAction(action="type", target=Target(label="Notes"), value="!"), run)
    assert phone.locator("#notes").input_value() == "first line\nsecond line!"


def test_typing_into_a_button_fails_in_one_sentence(phone: Page) -> None:
    target = Target(role="button", name="Run SQL")
    with pytest.raises(StepFailed) as failed:
        perform(phone, TypeAction(action="type", target=target, value="x"), run_on(phone))
    assert str(failed.value) == (
        "type role=button name=「Run SQL」: it is neither a text field nor an editor;"
        " tap it first or pick the field"
    )


def test_select_all_is_the_platforms_key(phone: Page, request: pytest.FixtureRequest) -> None:
    expected = "Meta+a" if request.node.callspec.params["phone"] == "iphone" else "Control+a"
    assert select_all_key(phone) == expected
    phone.locator(".CodeMirror-code").tap()
    phone.keyboard.press(expected)  # the key alone selects the editor's whole text
    assert phone.evaluate("() => window.editor.getSelection()") == "select * from trees"
