"""The guide's input model, and the synthetic inputs the other guide tests build on:
distinct PNG phones, two flows (6 and 4 steps) and a tiny content set."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pydantic import ValidationError

from harness.guide import GuideEdition, GuideFlow, GuideStep
from harness.guide.config import load_config
from harness.guide.content import GuideContent, load_content
from harness.scenario.errors import ScenarioError

ALPHA_CAPTIONS = [
    "「新規登録」を押す",
    "画面上部の青い部分を押す",
    "画面が表示される",
    "マイナンバーカードありを押す",
    "利用規約を確認して同意するに「✓」を入れ「次へ」を押す",
    "「閉じる」を押す",
]
BETA_CAPTIONS = [
    "「ログイン」を押す",
    "上にスクロールする",
    "ユーザIDとパスワードを入力しログインを押す",
    "「ねんきんネット」トップページが表示されれば完了",
]
SECTION_2A = "2-A 「ねんきんネット」の登録方法"
SECTION_2B = "2-B 「ねんきんネット」のログイン方法"
OUTCOME = "後日ユーザIDが郵送されます"


def phone_png(path: Path, seed: int) -> Path:
    """A tall framed 'phone' whose colour differs per step, so the PDF cannot merge images."""
    image = Image.new("RGB", (390, 844), (20 + seed * 11 % 220, 80, 200 - seed * 7 % 180))
    draw = ImageDraw.Draw(image)
    draw.rectangle((6, 6, 383, 837), outline=(0, 0, 0), width=12)
    draw.rectangle((60, 300 + seed * 10, 330, 360 + seed * 10), outline=(220, 0, 0), width=6)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


def flow(
    flow_id: str, section: str, title: str, captions: list[str], images: Path, **extra: str
) -> GuideFlow:
    steps = [
        GuideStep(number=n, caption=c, image=phone_png(images / f"{flow_id}-{n}.png", n + len(c)))
        for n, c in enumerate(captions, start=1)
    ]
    return GuideFlow(id=flow_id, section=section, title=title, steps=steps, **extra)


def edition(images: Path, device: str = "android") -> GuideEdition:
    label = "Android" if device == "android" else "iPhone"
    flows = [
        flow(
            "alpha",
            SECTION_2A,
            "利用登録をしましょう (マイナポータルから登録する場合)",
            ALPHA_CAPTIONS,
            images,
        ),
        flow("beta", SECTION_2B, "ログインしましょう", BETA_CAPTIONS, images, outcome=OUTCOME),
    ]
    return GuideEdition(device=device, device_label=label, flows=flows)


GUIDE_YAML = f"""\
title: テストの手引き
subtitle: （練習版）
name: test-guide
chapters:
  - title: 第一章
    sections:
      - label: 1-A とは？
        prose: content/1a.md
  - title: 第二章
    sections:
      - label: {SECTION_2A}
        before: {{alpha: content/alpha.md}}
      - label: {SECTION_2B}
  - title: 第三章
    sections:
      - label: 3-B よくあるご質問
        prose: content/faq.md
"""


def write_guide(folder: Path, faq_paragraphs: int = 3, config: str = GUIDE_YAML) -> Path:
    """A guide config: chapter 1 + 1-A prose; chapter 2 with prose before flow alpha; chapter
    3 with a 3-B FAQ that overflows one page when faq_paragraphs is large."""
    folder.mkdir(parents=True, exist_ok=True)
    faq = "\n\n".join(
        f"### 問{n}．質問その{n}はどうなりますか。\n\n回答．これは回答その{n}です。"
        for n in range(1, faq_paragraphs + 1)
    )
    files = {
        "content/1a.md": "短い説明です。\n",
        "content/alpha.md": "登録には2つの方法があります。\n",
        "content/faq.md": f"{faq}\n",
    }
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "guide.yaml").write_text(config, encoding="utf-8")
    return folder / "guide.yaml"


def content_of(config: Path) -> GuideContent:
    return load_content(load_config(config))


# The input model itself.


def test_alt_defaults_to_the_caption(tmp_path: Path) -> None:
    step = GuideStep(number=1, caption="「新規登録」を押す", image=tmp_path / "a.png")
    assert step.alt == "「新規登録」を押す"
    explicit = GuideStep(number=1, caption="c", image=tmp_path / "a.png", alt="別の説明")
    assert explicit.alt == "別の説明"


def test_the_frame_clock_is_a_guide_setting(tmp_path: Path) -> None:
    """Default: the time the committed pictures show; any HH:MM; nonsense is refused."""
    assert load_config(write_guide(tmp_path / "a")).config.frame_clock == time(10, 31)
    later = load_config(write_guide(tmp_path / "b", config=GUIDE_YAML + 'status_time: "14:05"\n'))
    assert later.config.frame_clock == time(14, 5)
    with pytest.raises(ScenarioError, match="status_time"):
        load_config(write_guide(tmp_path / "c", config=GUIDE_YAML + 'status_time: "25:00"\n'))


def test_models_are_frozen(tmp_path: Path) -> None:
    step = GuideStep(number=1, caption="c", image=tmp_path / "a.png")
    with pytest.raises(ValidationError):
        step.caption = "other"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "Bad Id"}, "String should match pattern"),
        ({"steps": []}, "at least 1 item"),
    ],
)
def test_flow_rejects_bad_input(tmp_path: Path, changes: dict[str, object], message: str) -> None:
    step = GuideStep(number=1, caption="c", image=tmp_path / "a.png")
    fields: dict[str, object] = {"id": "ok", "section": SECTION_2A, "title": "t", "steps": [step]}
    with pytest.raises(ValidationError, match=re.escape(message)):
        GuideFlow.model_validate({**fields, **changes})


def test_section_labels_are_free_text(tmp_path: Path) -> None:
    step = GuideStep(number=1, caption="c", image=tmp_path / "a.png")
    for label in ("はじめに", "1 表を見る", "2-A 登録方法"):
        assert GuideFlow(id="ok", section=label, title="t", steps=[step]).section == label
