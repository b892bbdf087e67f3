"""A recorded flow's file: a step that opened a page whose path holds a number (a record the
flow just made, most often) says so where its `expect` is written, and the file loads."""

from __future__ import annotations

from pathlib import Path

from harness.scenario.draft import DraftFlow, DraftStep
from harness.scenario.load import load_flow
from harness.scenario.model import Target
from harness.scenario.writer import ID_NOTE, write


def tap(name: str, url: str) -> DraftStep:
    return DraftStep(
        "tap", target=Target(role="button", name=name), expect={"url": url}, caption=f"Tap {name}"
    )


def test_a_number_in_an_expected_url_is_pointed_out_and_nothing_else_is(tmp_path: Path) -> None:
    steps = [
        tap("Create", "/ticket/7"),
        tap("Change", "/admin/auth/group/3/change/?_changelist_filters=1"),
        tap("Wiki", "/wiki/SandBox"),
        tap("Year", "/news/2024-report"),
    ]
    out = tmp_path / "scenarios" / "file-ticket.yaml"
    write(
        DraftFlow("file-ticket", "File a ticket", ["android"], "/", "a test", steps),
        out,
        force=False,
    )
    lines = out.read_text("utf-8").splitlines()
    noted = [lines[i + 1].strip() for i, line in enumerate(lines) if line.strip() == f"# {ID_NOTE}"]
    assert noted == [
        "expect: {url: /ticket/7}",
        'expect: {url: "/admin/auth/group/3/change/?_changelist_filters=1"}',
    ]
    assert [step.expect.url for step in load_flow(out).steps if step.expect] == [
        "/ticket/7",
        "/admin/auth/group/3/change/?_changelist_filters=1",
        "/wiki/SandBox",
        "/news/2024-report",
    ]
