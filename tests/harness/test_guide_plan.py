"""The guide without a browser: content loading, the page plan, the HTML and input errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.guide import GuideError, build_guide
from harness.guide.content import DEFAULT_CONTENT_DIR, load_content
from harness.guide.layout import ProsePage, StepPage, plan_edition
from harness.guide.render import render_edition, split_title
from harness.numbering import circled
from tests.harness.test_guide_inputs import (
    ALPHA_CAPTIONS,
    OUTCOME,
    SECTION_2A,
    edition,
    write_content,
)


def test_circled_numbers_cover_the_longest_flow() -> None:
    assert [circled(n) for n in (1, 9, 20, 21, 24)] == ["①", "⑨", "⑳", "㉑", "㉔"]
    assert circled(36) == "㊱"
    assert circled(51) == "(51)"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("ログインしましょう (マイナポータルから)", ("ログインしましょう", "(マイナポータルから)")),
        (
            "スマホで年金の情報を確認しよう（ねんきんネット）",
            ("スマホで年金の情報を確認しよう", "（ねんきんネット）"),
        ),
        (
            "Androidでねんきんネットを検索しましょう",
            ("Androidでねんきんネットを検索しましょう", None),
        ),
    ],
)
def test_split_title(title: str, expected: tuple[str, str | None]) -> None:
    assert split_title(title) == expected


def test_plan_orders_cover_toc_chapters_prose_and_steps(tmp_path: Path) -> None:
    pages = plan_edition(edition(tmp_path / "img"), load_content(write_content(tmp_path / "c")))
    kinds = [page.kind for page in pages]
    assert kinds == [
        "cover", "toc", "chapter", "prose", "chapter", "prose", "steps", "steps", "steps",
        "chapter", "prose",
    ]  # fmt: skip
    steps = [page for page in pages if isinstance(page, StepPage)]
    assert [len(page.steps) for page in steps] == [4, 2, 4]
    assert [page.outcome for page in steps] == [None, None, OUTCOME]
    anchors = [page.anchor for page in pages if isinstance(page, ProsePage | StepPage)]
    assert anchors == ["sec-1-A", "sec-2-A", None, None, "sec-2-B", "sec-3-B"]


def test_prose_for_an_absent_flow_stays_with_its_section(tmp_path: Path) -> None:
    content = write_content(tmp_path / "c")
    text = (content / "31-alpha.md").read_text(encoding="utf-8")
    (content / "31-alpha.md").write_text(text.replace("alpha", "search-iphone"), "utf-8")
    pages = plan_edition(edition(tmp_path / "img"), load_content(content))
    prose = [p for p in pages if isinstance(p, ProsePage) and p.section.code == "2-A"]
    assert len(prose) == 1
    assert "2つの方法" in prose[0].blocks[0]


def test_real_content_has_every_section_of_the_seed() -> None:
    content = load_content(DEFAULT_CONTENT_DIR)
    assert content.cover.title == "スマホで年金の情報を確認しよう（ねんきんネット）"
    assert [c.number for c in content.chapters] == ["1", "2", "3"]
    codes = sorted({block.code for block in content.prose})
    assert codes == ["1-A", "1-B", "2-A", "3-A", "3-B", "3-C"]
    anchored = {block.before for block in content.prose} - {None}
    assert anchored == {"pension-records", "notices", "e-application"}
    html = " ".join(block.html for block in content.prose)
    assert "<table>" in html and "午前8時30分から午後7時00分" in html
    assert "<br>" in html  # line breaks in the prose survive as line breaks


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("50-x.md", "no front matter\n", "50-x.md:1: expected a front matter block"),
        ("50-x.md", "---\nkind: poster\n---\n", "50-x.md: kind: Input should be"),
        ("50-x.md", "---\nkind: section\n---\n", "50-x.md: front matter needs 'section'"),
        ("50-x.md", "---\nkind: section\nsection: FAQ\n---\n", "50-x.md: section 'FAQ'"),
        ("50-x.md", "---\nkind: section\nsection: 4-A x\n---\n", "section 4-A: no content"),
        ("50-x.md", "---\nkind: section\nsection: 2-A 別名\n---\n", "section 2-A is labelled"),
    ],
)
def test_content_errors_are_one_line(tmp_path: Path, name: str, text: str, message: str) -> None:
    content = write_content(tmp_path / "c")
    (content / name).write_text(text, encoding="utf-8")
    with pytest.raises(GuideError) as caught:
        plan_edition(edition(tmp_path / "img"), load_content(content))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_html_uses_relative_local_files_and_alt_captions(tmp_path: Path) -> None:
    html = render_edition(edition(tmp_path / "img"), load_content(write_content(tmp_path / "c")))
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and not [s for s in sources if re.match(r"[a-z]+:|/", s)]
    assert 'src="images/alpha/01.png" alt="「新規登録」を押す"' in html
    for caption in ALPHA_CAPTIONS:
        assert f'alt="{caption}"' in html
    assert '<span class="step-number">⑤</span>' in html
    assert f'<span class="band-label">{SECTION_2A}</span>' in html


def test_missing_image_fails_before_writing_anything(tmp_path: Path) -> None:
    built = edition(tmp_path / "img")
    missing = built.flows[1].steps[2].image
    missing.unlink()
    out = tmp_path / "out"
    with pytest.raises(GuideError) as caught:
        build_guide([built], out, pdf=False, content_dir=write_content(tmp_path / "c"))
    assert str(caught.value) == f"android flow beta step 3: image not found: {missing}"
    assert not out.exists()


def test_html_only_build_writes_the_edition_folder(tmp_path: Path) -> None:
    editions = [edition(tmp_path / "img"), edition(tmp_path / "img", "iphone")]
    out = tmp_path / "out"
    written = build_guide(editions, out, pdf=False, content_dir=write_content(tmp_path / "c"))
    assert written == [out / "android" / "index.html", out / "iphone" / "index.html"]
    assert (out / "iphone" / "images" / "beta" / "04.png").is_file()
    assert (out / "android" / "assets" / "guide.css").is_file()
    # A rebuild replaces the folder: no leftovers, no staging folders.
    build_guide(editions[:1], out, pdf=False, content_dir=write_content(tmp_path / "c"))
    assert sorted(p.name for p in out.iterdir()) == ["android", "iphone"]


def test_one_edition_per_device(tmp_path: Path) -> None:
    built = edition(tmp_path / "img")
    with pytest.raises(GuideError, match="one edition per device"):
        build_guide([built, built], tmp_path / "out", pdf=False)
