"""Boxes are where the picture shows things, also on a page a phone zooms out to fit.

A page without <meta name=viewport> is laid out 980 CSS px wide and shown at a scale of about
0.42 on a 412-px phone; element boxes read from the layout (getBoundingClientRect, Playwright's
bounding_box) then land far from what they box. Through the CLI, against a real HTTP server,
on both phones: the record's target box, its mask, its ignored region and its text lines
must sit on the pixels of the button, the password field and the text in the raw picture
(a mask beside the field would publish it), and the annotated
picture's red box must surround the button; a page with `width=device-width` (scale 1) the
same.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy
import pytest
from PIL import Image

from harness.cli import main
from harness.theme import GUIDE_RED
from simulator.server import start_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RGB = tuple[int, int, int]
BUTTON: RGB = (255, 0, 255)  # magenta, text painted in it too: one solid block
FIELD: RGB = (0, 255, 0)  # green, its dots painted in it too
TEXT: RGB = (0, 0, 255)  # blue


def page(meta: str, note: str, button: str, field: str, height: int = 0) -> str:
    """One page: a blue line of text, a magenta button and a green password field, each at
    a known layout position (absolute, CSS px), on a page `height` px tall."""
    return f"""<!doctype html><html lang=ja><head><meta charset=utf-8>{meta}<title>拡大</title>
<style>body {{ margin: 0; font-family: sans-serif; }}
#note {{ position: absolute; margin: 0; color: rgb{TEXT}; {note} }}
button {{ position: absolute; border: 0; padding: 0; background: rgb{BUTTON};
          color: rgb{BUTTON}; {button} }}
input {{ position: absolute; border: 0; padding: 0; outline: none; background: rgb{FIELD};
         color: rgb{FIELD}; caret-color: transparent; {field} }}</style></head><body>
<p id=note>ご案内です</p>
<button onclick="location.href='/done'">送信</button>
<input type=password aria-label=暗証番号 value=himitsu12>
<div style="height: {height}px"></div>
</body></html>"""


# No meta viewport: a 980-px layout zoomed out; the elements are placed across all of it.
ZOOMED = page(
    "",
    "left: 40px; top: 40px; font-size: 48px; line-height: 60px;",
    "left: 560px; top: 320px; width: 300px; height: 100px; font-size: 40px;",
    "left: 80px; top: 640px; width: 400px; height: 80px; font-size: 40px;",
)
# Zoomed out, its button far below the first screen: a scroll by 300 px, then the
# highlight is framed a fifth of the way down (both in screen px, not layout px).
FAR = page(
    "",
    "left: 40px; top: 3880px; font-size: 48px; line-height: 60px;",
    "left: 560px; top: 4000px; width: 300px; height: 100px; font-size: 40px;",
    "left: 80px; top: 4200px; width: 400px; height: 80px; font-size: 40px;",
    height=6000,
)
# Scale 1: everything fits the phone's 390-px width, so the phone need not zoom out.
FITTING = page(
    "<meta name=viewport content='width=device-width'>",
    "left: 20px; top: 20px; font-size: 24px; line-height: 30px;",
    "left: 200px; top: 160px; width: 150px; height: 50px; font-size: 20px;",
    "left: 20px; top: 320px; width: 200px; height: 40px; font-size: 20px;",
)
DONE = "<!doctype html><html lang=ja><meta charset=utf-8><title>完了</title><h1>完了</h1>"
FLOW = """id: {name}
section: test
title: {name}
devices: [android, iphone]
start: /{name}
mask: [{{label: 暗証番号}}]
steps:{scroll}
  - caption: 「送信」を押す
    action: tap
    target: {{role: button, name: 送信}}
    ignore: [{{text: ご案内です}}]
    expect: {{heading: 完了}}
"""
SCROLL = """
  - caption: 下へスクロールする
    action: scroll
    by: 300
"""


def site_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    pages = {"/zoomed": ZOOMED, "/fitting": FITTING, "/far": FAR}
    body = pages.get(environ.get("PATH_INFO", ""), DONE).encode()
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [body]


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Both flows run once on both phones, through the CLI."""
    root = tmp_path_factory.mktemp("zoomed")
    scenarios = root / "scenarios"
    scenarios.mkdir()
    for name in ("zoomed", "fitting", "far"):
        scroll = SCROLL if name == "far" else ""
        (scenarios / f"{name}.yaml").write_text(FLOW.format(name=name, scroll=scroll), "utf-8")
    stderr = io.StringIO()
    with start_server(site_app) as server, contextlib.redirect_stderr(stderr):
        status = main(
            [
                "run",
                "--base-url",
                server.url,
                "--scenarios",
                str(scenarios),
                "--out",
                str(root / "shots"),
            ]
        )
    assert status == 0, stderr.getvalue()
    yield root / "shots"


Bounds = tuple[int, int, int, int]  # left, top, right, bottom (exclusive), device px


def pixels_of(image: Image.Image, color: RGB, tolerance: int = 40) -> Bounds:
    """The bounds of the pixels of about `color` (most anti-aliased edges left out)."""
    rgb = numpy.asarray(image.convert("RGB"), dtype=numpy.int32)
    ys, xs = numpy.nonzero(numpy.abs(rgb - numpy.array(color)).sum(axis=2) <= tolerance)
    assert xs.size, f"no pixels of {color} in the picture"
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def scaled(box: dict[str, float], scale: float) -> tuple[float, float, float, float]:
    return (
        box["x"] * scale,
        box["y"] * scale,
        (box["x"] + box["width"]) * scale,
        (box["y"] + box["height"]) * scale,
    )


def within(box: tuple[float, float, float, float], seen: Bounds, slack: float = 2) -> bool:
    """`box` equals the pixels' bounds, each edge within `slack` device px."""
    return all(abs(a - b) <= slack for a, b in zip(box, seen, strict=True))


def contains(box: tuple[float, float, float, float], seen: Bounds, slack: float = 2) -> bool:
    left, top, right, bottom = box
    return (
        left - slack <= seen[0]
        and top - slack <= seen[1]
        and seen[2] <= right + slack
        and seen[3] <= bottom + slack
    )


def red(pixel: numpy.ndarray) -> bool:
    return int(numpy.abs(pixel.astype(numpy.int32) - numpy.array(GUIDE_RED)).sum()) <= 60


def capture(shots: Path, device: str, flow: str, step: int = 1) -> tuple[dict[str, Any], Path]:
    record_file = next((shots / device / flow).glob(f"{step:02d}-*.json"))
    return json.loads(record_file.read_text("utf-8")), record_file.parent


@pytest.mark.parametrize("device", ["android", "iphone"])
@pytest.mark.parametrize(("flow", "step"), [("zoomed", 1), ("fitting", 1), ("far", 2)])
def test_boxes_sit_on_what_the_picture_shows(
    shots: Path, device: str, flow: str, step: int
) -> None:
    record, folder = capture(shots, device, flow, step)
    scale = record["environment"]["scale"]
    raw = Image.open(folder / record["raw_image"])
    button = pixels_of(raw, BUTTON)
    field = pixels_of(raw, FIELD)
    text = pixels_of(raw, TEXT, tolerance=200)  # glyphs are mostly anti-aliased edges

    target = scaled(record["target_box"], scale)
    assert within(target, button), f"target box {target} vs the button's pixels {button}"
    assert [scaled(b, scale) for b in record["highlights"]] == [target]
    masks = [scaled(b, scale) for b in record["masks"]]
    assert any(contains(m, field) for m in masks), f"masks {masks} vs the field's {field}"

    lines = record["visible_text"].split("\n")
    note = scaled(record["line_boxes"][lines.index("ご案内です")], scale)
    assert contains(note, text), f"text line box {note} vs the text's pixels {text}"
    assert note[3] - note[1] <= 2 * (text[3] - text[1]), "the line box is the text's, not more"
    ignores = [scaled(b, scale) for b in record["ignores"]]
    assert any(contains(i, text) for i in ignores), f"ignores {ignores} vs the text's {text}"

    # The annotated picture: a red line on every side of the button, close to it.
    annotated = numpy.asarray(Image.open(folder / record["image"]).convert("RGB"))
    assert annotated.shape[:2] == (raw.height, raw.width)
    middle_x, middle_y = (button[0] + button[2]) // 2, (button[1] + button[3]) // 2
    reach = round(30 * scale)
    sides = {
        "left": [(x, middle_y) for x in range(button[0] - 1, button[0] - reach, -1)],
        "right": [(x, middle_y) for x in range(button[2], button[2] + reach)],
        "top": [(middle_x, y) for y in range(button[1] - 1, button[1] - reach, -1)],
        "bottom": [(middle_x, y) for y in range(button[3], button[3] + reach)],
    }
    for side, points in sides.items():
        inside = [p for p in points if 0 <= p[0] < raw.width and 0 <= p[1] < raw.height]
        assert any(red(annotated[y, x]) for x, y in inside), f"no red box {side} of the button"


def test_the_zoomed_page_is_shown_zoomed_out(shots: Path) -> None:
    """The case the test is about: the phone did zoom out (the button's layout box starts at
    560 px, beyond a 412-px picture), and the boxes were mapped, not left in layout px."""
    record, _ = capture(shots, "android", "zoomed")
    box = record["target_box"]
    assert box["x"] + box["width"] <= 412
    assert 560 * 0.3 < box["x"] < 560 * 0.5


@pytest.mark.parametrize("device", ["android", "iphone"])
def test_scrolling_a_zoomed_page_goes_by_screen_px(shots: Path, device: str) -> None:
    """`scroll: by: 300` moves the picture 300 px (not 300 layout px, ~126 on the screen),
    and a highlight below the screen is framed a fifth of the way down the picture."""
    scrolled, _ = capture(shots, device, "far", 1)
    assert abs(scrolled["scroll"][1] - 300) <= 1, scrolled["scroll"]
    tapped, _ = capture(shots, device, "far", 2)
    height = tapped["environment"]["viewport"][1]
    assert abs(tapped["target_box"]["y"] - height * 0.2) <= 2, tapped["target_box"]
