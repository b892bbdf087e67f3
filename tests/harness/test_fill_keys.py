"""`fill` on a native field: cleared, then typed key by key, so key-driven pages react."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from harness.capture.perform import RunContext, StepFailed, perform
from harness.scenario import Target
from harness.scenario.model import FillAction

pytestmark = pytest.mark.browser

PAGE = """<label>Filter <input id=filter value=old></label>
<label>Born <input id=born type=date></label>
<label>PIN <input id=pin maxlength=4></label>
<ul><li>apple</li><li>pear</li><li>plum</li></ul>
<script>
  window.seen = [];
  const filter = document.getElementById('filter');
  for (const type of ['keydown', 'keypress', 'input', 'keyup']) {
    filter.addEventListener(type, e => seen.push(type + ' ' + (e.key || e.data || '')));
  }
  // reacts only to keys, as Django's SelectFilter does
  filter.addEventListener('keyup', () => document.querySelectorAll('li').forEach(li => {
    li.hidden = !li.textContent.includes(filter.value);
  }));
</script>"""
RUN = RunContext(base_url="http://127.0.0.1", has_hooks=False, touch=True)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(has_touch=True)
    page = context.new_page()
    page.set_content(PAGE)
    yield page
    context.close()


def fill(page: Page, label: str, value: str) -> None:
    perform(page, FillAction(action="fill", target=Target(label=label), value=value), RUN)


def test_every_character_is_a_key_press_and_the_page_reacts(page: Page) -> None:
    fill(page, "Filter", "pe")
    assert page.locator("#filter").input_value() == "pe"
    assert page.evaluate("seen") == [
        *("keydown Delete", "input ", "keyup Delete"),  # emptied as select-all and Delete do
        *("keydown p", "keypress p", "input p", "keyup p"),
        *("keydown e", "keypress e", "input e", "keyup e"),
    ]
    assert page.locator("li:visible").all_inner_texts() == ["pear"]


def test_a_date_is_set_whole_and_an_empty_value_empties(page: Page) -> None:
    fill(page, "Born", "1960-04-01")
    assert page.locator("#born").input_value() == "1960-04-01"
    fill(page, "Filter", "")
    assert page.locator("#filter").input_value() == ""


def test_a_field_that_keeps_fewer_characters_fails_saying_what_it_holds(page: Page) -> None:
    with pytest.raises(StepFailed) as failed:
        fill(page, "PIN", "12345")
    assert str(failed.value) == (
        "fill label=「PIN」: the field holds 「1234」 instead of 「12345」 after typing it"
    )
