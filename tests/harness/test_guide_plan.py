"""The guide without a browser: content loading, the page plan, the HTML and input errors."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from harness.guide import GuideEdition, GuideError, GuideFlow, GuideStep, build_guide
from harness.guide.config import load_config
from harness.guide.content import load_content, render_markdown
from harness.guide.layout import ProsePage, StepPage, natural_key, plan_edition
from harness.guide.render import Look, picture_hrefs, render_edition, split_title, with_icons
from harness.numbering import circled
from tests.harness.test_guide_inputs import (
    ALPHA_CAPTIONS,
    OUTCOME,
    SECTION_2A,
    content_of,
    edition,
    phone_png,
    write_guide,
)

ROOT = Path(__file__).resolve().parents[2]


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
    pages = plan_edition(edition(tmp_path / "img"), content_of(write_guide(tmp_path / "c")))
    kinds = [page.kind for page in pages]
    assert kinds == [
        "cover", "toc", "chapter", "prose", "chapter", "prose", "steps", "steps", "steps",
        "chapter", "prose",
    ]  # fmt: skip
    steps = [page for page in pages if isinstance(page, StepPage)]
    assert [len(page.steps) for page in steps] == [4, 2, 4]
    assert [page.outcome for page in steps] == [None, None, OUTCOME]
    anchors = [page.anchor for page in pages if isinstance(page, ProsePage | StepPage)]
    assert anchors == ["sec-1", "sec-2", None, None, "sec-3", "sec-4"]


def test_steps_per_page_come_from_the_config(tmp_path: Path) -> None:
    content = content_of(write_guide(tmp_path / "c"))
    pages = plan_edition(edition(tmp_path / "img"), content, steps_per_page=3)
    assert [len(p.steps) for p in pages if isinstance(p, StepPage)] == [3, 3, 3, 1]


def test_prose_for_an_absent_flow_stays_with_its_section(tmp_path: Path) -> None:
    config = write_guide(tmp_path / "c")
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("{alpha:", "{search-iphone:"), "utf-8")
    pages = plan_edition(edition(tmp_path / "img"), content_of(config))
    prose = [p for p in pages if isinstance(p, ProsePage) and p.section.label == SECTION_2A]
    assert len(prose) == 1
    assert "2つの方法" in prose[0].blocks[0]


def _flow(flow_id: str, section: str, images: Path) -> GuideFlow:
    step = GuideStep(
        number=1, caption=f"{flow_id}を押す", image=phone_png(images / f"{flow_id}.png", 1)
    )
    return GuideFlow(id=flow_id, section=section, title=flow_id, steps=[step])


def test_without_sections_the_flows_labels_in_natural_order(tmp_path: Path) -> None:
    """Free-text labels; 10 after 2, 2-A before 2-B; flows by file name inside a section."""
    config = write_guide(tmp_path / "c", config="title: 手引き\n")
    labels = ["10 おわりに", "2-B 確認", "2-A 登録", "はじめに", "1 表を見る"]
    flows = [_flow(f"f{n}", label, tmp_path) for n, label in enumerate(labels)]
    flows.append(_flow("a-first", "2-A 登録", tmp_path))
    built = GuideEdition(device="android", device_label="Android", flows=flows)
    pages = plan_edition(built, content_of(config))
    bands = [p.section.label for p in pages if isinstance(p, StepPage)]
    assert bands == ["1 表を見る", "2-A 登録", "2-A 登録", "2-B 確認", "10 おわりに", "はじめに"]
    assert [p.flow.id for p in pages if isinstance(p, StepPage)][1:3] == ["a-first", "f2"]
    assert sorted(["x10", "x2", "x1"], key=natural_key) == ["x1", "x2", "x10"]


def test_listed_sections_refuse_an_unlisted_flow(tmp_path: Path) -> None:
    content = content_of(write_guide(tmp_path / "c"))
    stray = GuideEdition(
        device="android", device_label="Android", flows=[_flow("x", "9 その他", tmp_path)]
    )
    with pytest.raises(GuideError, match="flow x: section '9 その他' is not in the guide config"):
        plan_edition(stray, content)


def test_real_content_has_every_section_of_the_seed() -> None:
    content = load_content(load_config(ROOT / "guide.yaml"))
    assert content.title == "スマホで年金の情報を確認しよう"
    assert [c.number for c in content.chapters] == ["1", "2", "3"]
    codes = [section.label.split()[0] for section in content.sections or ()]
    assert codes == ["1-A", "1-B", "2-A", "2-B", "3-A", "3-B", "3-C"]
    anchored = {flow for section in content.sections or () for flow in section.before}
    assert anchored == {"pension-records", "notices", "e-application"}
    html = " ".join(
        [s.html or "" for s in content.sections or ()]
        + [h for s in content.sections or () for h in s.before.values()]
    )
    assert "<table>" in html and "午前8時30分から午後7時00分" in html
    assert "<br>" in html  # line breaks in the prose survive as line breaks


def test_icons_print_between_the_brackets() -> None:
    icons = {"Chrome": "assets/icons/chrome.svg"}
    html = str(with_icons("Chrome「」を押す <b>", icons))
    assert html == (
        'Chrome「<img class="icon" src="assets/icons/chrome.svg" alt="Chrome">」を押す &lt;b&gt;'
    )
    assert str(with_icons("Safari 「」を押す", icons)) == "Safari 「」を押す"


def test_html_uses_relative_local_files_and_alt_captions(tmp_path: Path) -> None:
    html = render_edition(edition(tmp_path / "img"), content_of(write_guide(tmp_path / "c")))
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and not [s for s in sources if re.match(r"[a-z]+:|/", s)]
    assert 'src="images/alpha/01.png" alt="「新規登録」を押す"' in html
    for caption in ALPHA_CAPTIONS:
        assert f'alt="{caption}"' in html
    assert '<span class="step-number">⑤</span>' in html
    assert f'<span class="band-label">{SECTION_2A}</span>' in html
    assert "size: 297mm 210mm" in html and "--steps-per-page: 4" in html


def test_headings_nest_chapters_sections_flows_then_prose(tmp_path: Path) -> None:
    """h1 chapters, h2 a section on its first page only, h3 a flow on its first page only,
    so the PDF's outline lists each once; prose headings go below, keeping their look."""
    html = render_edition(edition(tmp_path / "img"), content_of(write_guide(tmp_path / "c")))
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", html)]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert html.count(f'<h2 class="band-label">{SECTION_2A}</h2>') == 1
    alpha, _ = split_title("利用登録をしましょう (マイナポータルから登録する場合)")
    assert html.count(f'<h3 class="flow-title">{alpha}') == 1
    assert html.count(f'<p class="flow-title">{alpha}') == 1  # its second page
    shifted = render_markdown("## 大見出し\n\n### 小見出し\n")
    assert shifted == '<h3 class="md-h2">大見出し</h3>\n<h4 class="md-h3">小見出し</h4>'
    assert render_markdown("### 問1", top=2) == '<h2 class="md-h3">問1</h2>'


def test_pictures_with_the_same_bytes_share_one_href(tmp_path: Path) -> None:
    """The browser decodes a shared screen once, so the PDF stores it once."""
    shared = edition(tmp_path / "img")
    first, second = shared.flows[0].steps[0].image, shared.flows[1].steps[0].image
    second.write_bytes(first.read_bytes())
    hrefs = picture_hrefs(shared)
    assert hrefs["step-beta-1"] == hrefs["step-alpha-1"] == "images/alpha/01.png"
    steps = {f"step-{f.id}-{step.number}": step.image for f in shared.flows for step in f.steps}
    for one, path in steps.items():
        for other, other_path in steps.items():
            same = path.read_bytes() == other_path.read_bytes()
            assert (hrefs[one] == hrefs[other]) == same


def test_page_size_comes_from_the_config(tmp_path: Path) -> None:
    content = content_of(write_guide(tmp_path / "c"))
    look = Look(page=load_config(write_guide(tmp_path / "c")).config.page.model_copy(
        update={"size": "A5", "orientation": "portrait", "steps_per_page": 2}
    ))  # fmt: skip
    html = render_edition(edition(tmp_path / "img"), content, look)
    assert "size: 148mm 210mm" in html and "--steps-per-page: 2" in html


def test_missing_image_fails_before_writing_anything(tmp_path: Path) -> None:
    built = edition(tmp_path / "img")
    missing = built.flows[1].steps[2].image
    missing.unlink()
    out = tmp_path / "out"
    with pytest.raises(GuideError) as caught:
        build_guide([built], content_of(write_guide(tmp_path / "c")), out)
    assert str(caught.value) == f"android flow beta step 3: image not found: {missing}"
    assert not out.exists()


def test_html_only_build_writes_the_edition_folder(tmp_path: Path) -> None:
    editions = [edition(tmp_path / "img"), edition(tmp_path / "img", "iphone")]
    out = tmp_path / "out"
    content = content_of(write_guide(tmp_path / "c"))
    written = build_guide(editions, content, out)
    # each edition: its print page, its web edition's index, a video per flow
    expected = [
        out / device / name
        for device in ("android", "iphone")
        for name in ("index.html", "web/index.html", "video/alpha.mp4", "video/beta.mp4")
    ]
    assert sorted(written) == sorted(expected)
    assert (out / "iphone" / "images" / "beta" / "04.png").is_file()
    assert (out / "android" / "assets" / "guide.css").is_file()
    assert (out / "android" / "assets" / "fonts" / "guide-400.ttf").is_file()
    # A rebuild replaces the folder: no leftovers, no staging folders.
    build_guide(editions[:1], content, out)
    assert sorted(p.name for p in out.iterdir()) == ["android", "iphone"]


def test_one_edition_per_device(tmp_path: Path) -> None:
    built = edition(tmp_path / "img")
    with pytest.raises(GuideError, match="one edition per device"):
        build_guide([built, built], content_of(write_guide(tmp_path / "c")), tmp_path / "out")
