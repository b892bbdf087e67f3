"""The first ten minutes of a new guide, without a browser: `init` writes in the title's
language (or --lang), `lint` before the first run says so once and passes, and the guide's
fixed words come from guide.yaml with Japanese as the default."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from harness.cli import main
from harness.guide.config import GuideConfig
from harness.guide.content import GuideContent
from harness.guide.model import GuideEdition, GuideFlow, GuideStep
from harness.guide.render import Look, render_edition
from harness.guide.starter import starter_files, title_language
from harness.guide.words import ENGLISH, JAPANESE, css_string

ROOT = Path(__file__).resolve().parents[2]
USAGE_ERROR = 2
# Kana, kanji, CJK punctuation (「」、。) and full-width forms (（）．): none may be in an
# English guide.
CJK = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
NOT_RUN_YET = (
    "scenarios and guide ok; nothing run yet (screenshots holds no approved screenshot): "
    "take the pictures with `guideshot run --base-url URL`, then `guideshot guide`"
)


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("Garden club handbook", "en"),
        ("Café guide — 2026 (draft)", "en"),
        ("図書館の使い方", "ja"),
        ("スマホ guide", "ja"),  # katakana anywhere
        ("ｽﾏﾎの本", "ja"),  # half-width katakana
        ("ねんきん", "ja"),  # hiragana only
        ("練習", "ja"),  # kanji only
        ("１２３", "en"),  # full-width digits are not Japanese words
    ],
)
def test_the_title_chooses_the_language(title: str, language: str) -> None:
    assert title_language(title) == language


def test_an_english_title_gets_english_files_with_the_commands_an_author_runs() -> None:
    files = starter_files("Garden club handbook")
    for name in ("guide.yaml", "scenarios/example.yaml", "README.md"):
        assert not CJK.search(files[name]), (name, CJK.findall(files[name]))
    assert "\nlanguage: en " in files["guide.yaml"]
    readme = files["README.md"]
    assert "guideshot check --base-url https://your.site || guideshot review" in readme
    assert "&& guideshot approve" not in readme  # approved only when nothing had changed
    assert "\nguideshot approve " in readme
    assert 'caption: Tap "Sign in"' in files["scenarios/example.yaml"]


def test_lang_overrides_the_title(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "en"), "--title", "図書館", "--lang", "en"]) == 0
    assert main(["init", str(tmp_path / "ja"), "--title", "Library", "--lang", "ja"]) == 0
    english = (tmp_path / "en" / "scenarios" / "example.yaml").read_text("utf-8")
    japanese = (tmp_path / "ja" / "scenarios" / "example.yaml").read_text("utf-8")
    assert "section: 1 Getting started" in english and not CJK.search(english)
    assert "section: 1 はじめに" in japanese
    assert "\nlanguage: ja " in (tmp_path / "ja" / "guide.yaml").read_text("utf-8")
    readme = (tmp_path / "ja" / "README.md").read_text("utf-8")
    assert "guideshot check --base-url https://your.site || guideshot review" in readme
    capsys.readouterr()
    with pytest.raises(SystemExit) as stopped:
        main(["init", str(tmp_path / "x"), "--lang", "fr"])
    assert stopped.value.code == USAGE_ERROR
    assert capsys.readouterr().err.splitlines() == [
        "error: guideshot init: --lang: invalid choice: 'fr' (choose from 'ja', 'en') "
        "(see `guideshot init --help`)"
    ]
    assert not (tmp_path / "x").exists()


@pytest.fixture
def fresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--title", "Garden club handbook"]) == 0
    capsys.readouterr()
    return tmp_path


def test_lint_before_the_first_run_says_so_once_and_passes(
    fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint"]) == 0
    assert capsys.readouterr().err.splitlines() == [NOT_RUN_YET]


def test_lint_before_the_first_run_still_fails_on_other_problems(
    fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = fresh / "guide.yaml"
    config.write_text(config.read_text("utf-8") + "icons: {Chrome: icons/chrome.svg}\n", "utf-8")
    assert main(["lint"]) == USAGE_ERROR
    line = config.read_text("utf-8").count("\n")
    assert capsys.readouterr().err.splitlines() == [
        f"guide.yaml:{line}: icons.Chrome: no such file: icons/chrome.svg; create it or fix "
        "the path",
        NOT_RUN_YET.removeprefix("scenarios and guide ok; "),
        "1 problem(s)",
    ]


def test_once_any_screenshot_is_approved_a_missing_one_is_a_finding(
    fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One approved step of another flow is enough: the example's four pictures are then
    steps added since the last run, which `guide` would refuse."""
    source = ROOT / "screenshots" / "android" / "login-userid"
    target = fresh / "screenshots" / "android" / "login-userid"
    target.mkdir(parents=True)
    for path in source.glob("01-*"):
        shutil.copyfile(path, target / path.name)
    assert main(["lint"]) == USAGE_ERROR
    found = capsys.readouterr().err.splitlines()
    assert found[-1] == "4 problem(s)" and len(found) == 5
    for line in found[:-1]:  # two steps × two devices, each at its step's line
        assert re.fullmatch(
            r"scenarios/example\.yaml:(13|18): caption: no approved (android|iphone) screenshot "
            r"of step [12] in screenshots/(android|iphone)/example; run `guideshot run` \(and "
            r"`guideshot approve`\)",
            line,
        ), line


def test_guide_still_refuses_every_missing_picture_before_the_first_run(
    fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["guide", "--no-pdf"]) == USAGE_ERROR
    found = capsys.readouterr().err.splitlines()
    assert found[-1] == "4 problem(s); nothing was built"
    assert all(": caption: no approved " in line for line in found[:-1])
    assert not (fresh / "guide").exists()


def test_a_word_with_an_unknown_placeholder_is_one_line(
    fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = fresh / "guide.yaml"
    text = config.read_text("utf-8") + 'words: {edition: "{device} edition"}\n'
    config.write_text(text, "utf-8")
    for argv in (["lint"], ["guide", "--no-pdf"]):
        assert main(argv) == USAGE_ERROR
        found = capsys.readouterr().err.splitlines()
        assert f"guide.yaml:{text.count(chr(10))}: words.edition: " in found[0], found
        assert found[0].endswith("unknown placeholder {device}; this word takes {label}"), found


def test_the_words_default_to_the_language_and_each_can_be_changed() -> None:
    assert GuideConfig(title="x").fixed_words == JAPANESE
    assert GuideConfig(title="x", language="ja-JP").fixed_words == JAPANESE
    assert GuideConfig(title="x", language="en").fixed_words == ENGLISH
    assert GuideConfig(title="x", language="de").fixed_words == ENGLISH  # words: for German
    changed = GuideConfig.model_validate(
        {"title": "x", "language": "en", "words": {"contents": "In this guide", "page": "page "}}
    ).fixed_words
    assert (changed.contents, changed.page) == ("In this guide", "page ")
    assert changed.edition_name("iPhone") == "iPhone edition"  # the rest stay English
    assert JAPANESE.edition_name("Android") == "Android版"
    assert JAPANESE.title_suffix("iPhone") == "（iPhone版）"
    assert JAPANESE.chapter_heading("2", "登録") == "2．登録"


def _edition() -> tuple[GuideEdition, GuideContent]:
    step = GuideStep(number=1, caption='Tap "Sign in"', image=Path("01.png"))
    flow = GuideFlow(id="example", section="1 Getting started", title="Open", steps=[step])
    edition = GuideEdition(device="android", device_label="Android", flows=[flow])
    content = GuideContent("Garden club handbook", None, "", (), None)
    return edition, content


def test_an_english_edition_has_no_japanese_word_and_says_lang_en() -> None:
    edition, content = _edition()
    look = Look(language="en", words=ENGLISH)
    html = render_edition(edition, content, look)
    assert '<html lang="en" ' in html
    assert "<title>Garden club handbook (Android edition)</title>" in html
    assert '<h1 class="toc-title">Contents</h1>' in html
    assert '<span class="toc-page">p. <span data-toc-target="sec-1">' in html
    assert html.count(">Android edition</") == 3  # the cover and the two pages' footers
    assert '.prose ul { list-style: "• "; }' in html
    assert not CJK.search(html), CJK.findall(html)


def test_the_default_edition_prints_todays_japanese_words() -> None:
    edition, content = _edition()
    html = render_edition(edition, content, Look())
    assert '<html lang="ja" ' in html
    assert "（Android版）</title>" in html and ">目 次</h1>" in html and ">Android版</" in html
    assert '<span class="toc-page">P<span' in html
    assert "list-style" not in html  # guide.css's own ○ marker, no override


def test_a_list_marker_cannot_close_the_style_element() -> None:
    assert css_string('</style><b>"\\') == '"\\3c /style>\\3c b>\\22 \\5c "'
