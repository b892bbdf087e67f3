"""Visible text on a real third-party site: MkDocs Material, built and served on loopback,
driven by its flow through the CLI; the records' text is what the screens show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main
from tests.harness.thirdparty.mkdocs_site import mkdocs_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FLOWS = Path(__file__).parent / "thirdparty" / "flows" / "mkdocs"


def test_mkdocs_search_overlay_hides_the_page_and_words_are_not_glued(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site").mkdir()
    out = tmp_path / "shots"
    with mkdocs_site(tmp_path / "site") as site:
        argv = ["run", "--scenarios", str(FLOWS), "--base-url", site.url, "--out", str(out)]
        assert main([*argv, "--device", "android"]) == 0
    shots = out / "android" / "docs-search"

    def text(name: str) -> list[str]:
        record = json.loads((shots / f"{name}.json").read_text("utf-8"))
        lines: list[str] = record["visible_text"].split("\n")
        return lines

    # The start page: the header's page title is hidden by the theme (opacity 0) and the
    # footer's two boxes read as the words they show.
    assert text("01-Tap-the-magnifying-glass") == [
        "Garden club handbook",
        "Welcome",
        "The garden club meets on Saturdays at the community hall.",
        "Made with Material for MkDocs",
    ]
    # The search overlay covers the page: only the overlay's own text is on the screen, and
    # the highlighted match reads within its sentence.
    assert text("02-Type-tomatoes") == [
        "1 matching document",
        "Watering",
        "Water the tomatoes early in the morning, before the heat.",
    ]
