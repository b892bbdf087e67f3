"""The guide's input model, and the synthetic inputs the other guide tests build on:
distinct PNG phones, two flows (6 and 4 steps) and a tiny content set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pydantic import ValidationError

from harness.guide import GuideEdition, GuideFlow, GuideStep

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
    return GuideEdition(device=device, device_label=label, flows=flows)  # type: ignore[arg-type]


def write_content(folder: Path, faq_paragraphs: int = 3) -> Path:
    """cover; chapter 1 + 1-A; chapter 2 + prose before flow alpha; chapter 3 + a 3-B FAQ
    that overflows one page when faq_paragraphs is large."""
    folder.mkdir(parents=True, exist_ok=True)
    faq = "\n\n".join(
        f"### 問{n}．質問その{n}はどうなりますか。\n\n回答．これは回答その{n}です。"
        for n in range(1, faq_paragraphs + 1)
    )
    files = {
        "10-cover.md": "---\nkind: cover\ntitle: テストの手引き（ねんきんネット）\n---\n",
        "20-ch1.md": '---\nkind: chapter\nchapter: "1"\ntitle: 第一章\n---\n',
        "21-1a.md": "---\nkind: section\nsection: 1-A とは？\n---\n短い説明です。\n",
        "30-ch2.md": '---\nkind: chapter\nchapter: "2"\ntitle: 第二章\n---\n',
        "31-alpha.md": (
            f"---\nkind: section\nsection: {SECTION_2A}\nbefore: alpha\n---\n"
            "登録には2つの方法があります。\n"
        ),
        "40-ch3.md": '---\nkind: chapter\nchapter: "3"\ntitle: 第三章\n---\n',
        "41-3b.md": f"---\nkind: section\nsection: 3-B よくあるご質問\n---\n{faq}\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# The input model itself.


def test_alt_defaults_to_the_caption(tmp_path: Path) -> None:
    step = GuideStep(number=1, caption="「新規登録」を押す", image=tmp_path / "a.png")
    assert step.alt == "「新規登録」を押す"
    explicit = GuideStep(number=1, caption="c", image=tmp_path / "a.png", alt="別の説明")
    assert explicit.alt == "別の説明"


def test_models_are_frozen(tmp_path: Path) -> None:
    step = GuideStep(number=1, caption="c", image=tmp_path / "a.png")
    with pytest.raises(ValidationError):
        step.caption = "other"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"section": "登録方法"}, "expected a label starting with a code like '2-A'"),
        ({"id": "Bad Id"}, "String should match pattern"),
        ({"steps": []}, "at least 1 item"),
    ],
)
def test_flow_rejects_bad_input(tmp_path: Path, changes: dict[str, object], message: str) -> None:
    step = GuideStep(number=1, caption="c", image=tmp_path / "a.png")
    fields: dict[str, object] = {"id": "ok", "section": SECTION_2A, "title": "t", "steps": [step]}
    with pytest.raises(ValidationError, match=re.escape(message)):
        GuideFlow.model_validate({**fields, **changes})


def test_section_code_is_the_label_prefix(tmp_path: Path) -> None:
    built = edition(tmp_path)
    assert [f.section_code for f in built.flows] == ["2-A", "2-B"]
