"""Errors that teach (issue 21): each kind of locator failure, driven through `guideshot run`
on a site served on 127.0.0.1, prints every candidate and a verified target to paste; the
pasted target then passes. A failed `expect` quotes the page's own error."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.capture import perform, runner, step_capture
from harness.cli.main import main
from tests.harness.teaching_site import teaching_site

pytestmark = pytest.mark.slow

FLOW = """id: {id}
section: test
title: {id}
devices: [android]
start: {start}
steps:
  - caption: {caption}
    action: {action}
    target: {target}
{extra}"""


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with teaching_site() as url:
        yield url


@pytest.fixture(autouse=True)
def short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    # A missing or hidden target fails after the action's wait; a shorter wait changes
    # nothing in the message, only how long the test takes.
    monkeypatch.setattr(perform, "ACTION_TIMEOUT_MS", 2000)
    monkeypatch.setattr(runner, "ACTION_TIMEOUT_MS", 2000)
    monkeypatch.setattr(step_capture, "ACTION_TIMEOUT_MS", 2000)


def run(tmp_path: Path, url: str, flow: str, **fields: str) -> tuple[int, str, Path]:
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir(exist_ok=True)
    file = scenarios / f"{flow}.yaml"
    file.write_text(FLOW.format(id=flow, extra=fields.pop("extra", ""), **fields), "utf-8")
    stderr = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(stderr):
        patch.chdir(tmp_path)
        out = str(tmp_path / "shots")
        status = main(["run", "--base-url", url, "--scenarios", str(scenarios), "--out", out])
    return status, stderr.getvalue(), file


def failure(stderr: str, file: Path) -> str:
    """The failure paragraph, with the boxes of visible elements (font metrics) elided."""
    lines = stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{file}:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("  "))
    # The pointers to the failure's files (its screen, its trace) are not the message.
    pointers = ("  screen when it failed", "  what happened: playwright show-trace")
    kept = [line for line in lines[start:end] if not line.startswith(pointers)]
    return re.sub(r"visible at \d+,\d+ \d+×\d+", "visible at …", "\n".join(kept))


def proposal(message: str) -> str:
    line = next(line for line in message.splitlines() if line.startswith("  try: "))
    return line.removeprefix("  try: ").split("  #")[0]


def test_an_ambiguous_label_lists_every_match_and_proposes_exact(tmp_path: Path, site: str) -> None:
    case = {"start": "/password", "caption": "Tap the password", "action": "tap"}
    status, stderr, file = run(tmp_path, site, "password", target="{label: Password}", **case)
    assert status == 1, stderr
    message = failure(stderr, file)
    assert message == (
        f"{file}:7: step 1 「Tap the password」: tap label=「Password」: 2 elements match "
        "(2 visible); a step needs exactly one\n"
        "  looked for: label=「Password」\n"
        "  on the page:\n"
        "    textbox 「Password」 (name from label element), visible at … — matches\n"
        "    textbox 「Password confirmation」 (name from label element), visible at … — matches\n"
        "    heading 「Change password」 (name from content), visible at …\n"
        "    label 「Password」 (name from content), visible at …\n"
        "    label 「Password confirmation」 (name from content), visible at …\n"
        "  try: {label: Password, exact: true}  # textbox 「Password」\n"
        "  or:  {label: Password confirmation}  # textbox 「Password confirmation」"
    )
    status, stderr, _ = run(tmp_path, site, "password", target=proposal(message), **case)
    assert status == 0, stderr


def test_a_hidden_match_is_called_hidden_and_the_visible_one_proposed(
    tmp_path: Path, site: str
) -> None:
    case = {"start": "/filter", "caption": "Tap the filter", "action": "tap"}
    target = "{placeholder: Filter, nth: 0}"
    status, stderr, file = run(tmp_path, site, "filter", target=target, **case)
    assert status == 1, stderr
    message = failure(stderr, file)
    assert message == (
        f"{file}:7: step 1 「Tap the filter」: placeholder=「Filter」 nth=0: the element nth=0 "
        "picks is hidden (1 of 2 visible)\n"
        "  looked for: placeholder=「Filter」 nth=0\n"
        "  on the page:\n"
        "    textbox 「Filter chosen permissions」 (name from placeholder), hidden at 0,0 0×0"
        " — matches, picked by nth=0\n"
        "    textbox 「Filter」 (name from aria-label), visible at … — matches\n"
        "  try: {placeholder: Filter, exact: true}"
    )
    status, stderr, _ = run(tmp_path, site, "filter", target=proposal(message), **case)
    assert status == 0, stderr


def test_a_name_from_aria_labelledby_with_help_text_is_shown_whole(
    tmp_path: Path, site: str
) -> None:
    case = {"start": "/permissions", "caption": "Choose a permission", "action": "select"}
    target = "{label: Available permissions, exact: true}"
    extra = "    value: Can add group\n"
    status, stderr, file = run(tmp_path, site, "perms", target=target, extra=extra, **case)
    assert status == 1, stderr
    message = failure(stderr, file)
    assert message == (
        f"{file}:7: step 1 「Choose a permission」: select label=「Available permissions」 exact:"
        " nothing on the page matches it\n"
        "  looked for: label=「Available permissions」 exact\n"
        "  on the page:\n"
        "    label 「Available permissions」 (name from content), visible at …\n"
        "    listbox 「Available permissions Hold down Control to select more than one.」"
        " (name from aria-labelledby), visible at …\n"
        "  try: {role: listbox, name: Available permissions}"
    )
    pasted = proposal(message)
    status, stderr, _ = run(tmp_path, site, "perms", target=pasted, extra=extra, **case)
    assert status == 0, stderr


def test_unnamed_icon_buttons_are_offered_as_css_with_a_note(tmp_path: Path, site: str) -> None:
    case = {"start": "/icons", "caption": "Open the menu", "action": "tap"}
    status, stderr, file = run(tmp_path, site, "icons", target="{role: button, name: Menu}", **case)
    assert status == 1, stderr
    message = failure(stderr, file)
    assert message == (
        f"{file}:7: step 1 「Open the menu」: role=button name=「Menu」: nothing on the page "
        "matches it\n"
        "  looked for: role=button name=「Menu」\n"
        "  on the page:\n"
        "    button, no accessible name, visible at …\n"
        "    button, no accessible name, visible at …\n"
        "  try: {css: button.menu-toggle}  # it has no accessible name\n"
        "  or:  {css: button.search-toggle}  # it has no accessible name"
    )
    extra = "    expect: {text: Home}\n"
    pasted = proposal(message)
    status, stderr, _ = run(tmp_path, site, "icons", target=pasted, extra=extra, **case)
    assert status == 0, stderr


def test_a_tooltips_words_find_the_icon_link_they_describe(tmp_path: Path, site: str) -> None:
    # An icon link is named by its picture (「➕」); the words an author copies from its
    # tooltip were "nothing on the page looks like" them (Radicale's web interface).
    case = {"start": "/calendars", "caption": "Create a calendar", "action": "tap"}
    target = "{text: Create a new calendar}"
    status, stderr, file = run(tmp_path, site, "calendars", target=target, **case)
    assert status == 1, stderr
    message = failure(stderr, file)
    assert message == (
        f"{file}:7: step 1 「Create a calendar」: text=「Create a new calendar」: nothing "
        "on the page matches it\n"
        "  looked for: text=「Create a new calendar」\n"
        "  on the page:\n"
        "    link 「➕」 (name from content), title 「Create a new calendar」, visible at …\n"
        "  try: {title: Create a new calendar}"
    )
    extra = "    expect: {text: New calendar}\n"
    pasted = proposal(message)
    status, stderr, _ = run(tmp_path, site, "calendars", target=pasted, extra=extra, **case)
    assert status == 0, stderr


def test_a_failed_expect_quotes_the_pages_own_error(tmp_path: Path, site: str) -> None:
    case = {"start": "/add", "caption": "Save the group", "action": "tap"}
    extra = "    expect: {text: was added successfully}\n"
    target = "{role: button, name: Save}"
    status, stderr, file = run(tmp_path, site, "add", target=target, extra=extra, **case)
    assert status == 1, stderr
    assert failure(stderr, file) == (
        f"{file}:7: step 1 「Save the group」: expected text 「was added successfully」 after "
        "the step, but the screen shows heading 「Add group」 at /add; the page says: "
        "「Please correct the error below.」, 「Group with this Name already exists.」\n"
        "  looked for: {'text': 'was added successfully'}"
    )


def test_locate_prints_verified_targets_for_words_on_the_page(
    site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["locate", f"{site}/password", "Password"]) == 0
    assert capsys.readouterr().out == (
        "{role: heading, name: Password}  # heading 「Change password」\n"
        "{text: Change password}  # heading 「Change password」\n"
        "{role: textbox, name: Password, exact: true}  # textbox 「Password」\n"
        "{label: Password, exact: true}  # textbox 「Password」\n"
        "{role: textbox, name: Password confirmation}  # textbox 「Password confirmation」\n"
        "{label: Password confirmation}  # textbox 「Password confirmation」\n"
    )
    assert main(["locate", f"{site}/permissions", "Available permissions"]) == 0
    assert capsys.readouterr().out == (
        "{role: listbox, name: Available permissions}"
        "  # listbox 「Available permissions Hold down Control to select more than one.」\n"
    )
    assert main(["locate", f"{site}/calendars", "Create a new calendar"]) == 0
    assert capsys.readouterr().out == (
        "{role: link, name: ➕}  # link 「➕」\n{title: Create a new calendar}  # link 「➕」\n"
    )
    assert main(["locate", f"{site}/icons", "Settings"]) == 1
    assert "nothing visible at" in capsys.readouterr().err
