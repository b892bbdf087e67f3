"""Headings that point at another flow's step by page number get the real page."""

from __future__ import annotations

from harness.guide.model import StepReference
from harness.guide.render import page_refs

REFERENCE = StepReference(text="18ページ④", flow="register-userid", step=4)


def test_the_written_page_number_becomes_a_slot_for_the_real_one() -> None:
    html = page_refs("(アクセスキーを持っている場合・18ページ④で上を押した場合)", [REFERENCE])
    assert str(html) == (
        "(アクセスキーを持っている場合・"
        '<span data-toc-target="step-register-userid-4">18</span>ページ④で上を押した場合)'
    )


def test_text_is_escaped_and_left_alone_without_a_reference() -> None:
    assert str(page_refs("<b>見出し</b>", [REFERENCE])) == "&lt;b&gt;見出し&lt;/b&gt;"


def test_a_reference_matches_its_whole_text_only() -> None:
    assert str(page_refs("18ページ③", [REFERENCE])) == "18ページ③"
