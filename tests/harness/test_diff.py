"""harness.drift.diff: exact agreement with pixelmatch 7.1.0, then the report layer on phones."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from PIL import Image, ImageDraw, ImageFont

from harness.drift.diff import (
    ImageComparison,
    SizeMismatch,
    compare_images,
    find_regions,
    pixelmatch,
)

# pixelmatch 7.1.0's own test images, vendored with its ISC licence notice.
FIXTURES = Path(__file__).parent / "pixelmatch_fixtures"
GOLDEN = Path(__file__).parent / "golden"

# pixelmatch's option names → ours
OPTION_NAMES = {
    "threshold": "threshold",
    "includeAA": "include_aa",
    "alpha": "alpha",
    "aaColor": "aa_color",
    "diffColor": "diff_color",
    "diffColorAlt": "diff_color_alt",
    "diffMask": "diff_mask",
}


def options(js: dict[str, Any]) -> dict[str, Any]:
    return {OPTION_NAMES[k]: tuple(v) if isinstance(v, list) else v for k, v in js.items()}


@cache
def fixture(name: str) -> np.ndarray:
    return np.asarray(Image.open(FIXTURES / f"{name}.png").convert("RGBA"))


def expected_cases() -> list[Any]:
    path = FIXTURES / "expected.yaml"
    return [
        pytest.param(c["a"], c["b"], c["options"], c["mismatched"], id=f"{c['a']}-{c['b']}-{i}")
        for i, c in enumerate(yaml.safe_load(path.read_text()))
    ]


# --- pixelmatch 7.1.0's own tests ------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "js_options", "mismatched"), expected_cases())
def test_counts_match_pixelmatch(a: str, b: str, js_options: dict[str, Any], mismatched: int):
    result = pixelmatch(fixture(a), fixture(b), **options(js_options))
    assert result.mismatched == mismatched
    assert int(result.mask.sum()) == mismatched


# Diff images drawn by pixelmatch 7.1.0 itself (see golden/README.md), compared byte for byte.
GOLDEN_DIFFS = [
    ("1diff", "1a", "1b", {"threshold": 0.05}),
    ("1diffmask", "1a", "1b", {"threshold": 0.05, "diffMask": True}),
    (
        "2diff",
        "2a",
        "2b",
        {"threshold": 0.05, "alpha": 0.5, "aaColor": [0, 192, 0], "diffColor": [255, 0, 255]},
    ),
    ("7diff", "7a", "7b", {"diffColorAlt": [0, 255, 0]}),
    ("8diff", "8a", "5b", {"threshold": 0.05}),
]


@pytest.mark.parametrize(("golden", "a", "b", "js_options"), GOLDEN_DIFFS, ids=lambda v: str(v))
def test_diff_image_matches_pixelmatch(golden: str, a: str, b: str, js_options: dict[str, Any]):
    result = pixelmatch(fixture(a), fixture(b), **options(js_options))
    expected = np.asarray(Image.open(GOLDEN / f"{golden}.png").convert("RGBA"))
    assert result.image is not None
    assert np.array_equal(result.image, expected)


def test_include_aa_counts_the_antialiased_pixels_too():
    strict = pixelmatch(fixture("1a"), fixture("1b"), threshold=0.05)
    loose = pixelmatch(fixture("1a"), fixture("1b"), threshold=0.05, include_aa=True)
    assert strict.antialiased > 0
    assert loose.mismatched == strict.mismatched + strict.antialiased


def test_identical_images_take_the_fast_path_and_draw_grey():
    img = fixture("1a")
    result = pixelmatch(img, img.copy(), threshold=0)
    assert result.mismatched == 0
    assert result.antialiased == 0
    assert not result.mask.any()
    assert result.image is not None
    assert (result.image[..., 0] == result.image[..., 2]).all()  # grey
    assert (result.image[..., 3] == 255).all()


def test_output_false_draws_nothing():
    assert pixelmatch(fixture("1a"), fixture("1b"), output=False).image is None


def test_size_mismatch_names_both_sizes():
    with pytest.raises(SizeMismatch, match=r"512x256 vs 256x256") as caught:
        pixelmatch(fixture("1a"), fixture("5a"))
    assert caught.value.size1 == (512, 256)
    assert caught.value.size2 == (256, 256)
    assert isinstance(caught.value, ValueError)


def test_rejects_rgb_arrays():
    rgb = np.zeros((4, 4, 3), dtype=np.uint8)
    with pytest.raises(ValueError, match="RGBA"):
        pixelmatch(rgb, rgb)


def test_single_pixel_images():
    a = np.array([[[0, 0, 0, 255]]], dtype=np.uint8)
    b = np.array([[[255, 255, 255, 255]]], dtype=np.uint8)
    assert pixelmatch(a, b).mismatched == 1


# --- phone-sized screens, drawn at test time -------------------------------------------------

WIDTH, HEIGHT = 1170, 1992
BLUE = (0, 102, 204)
BUTTON = (160, 900, 1010, 1060)  # (left, top, right, bottom)
HEADER = (0, 0, WIDTH, 140)
SUPERSAMPLE = 4


def text_patch(text: str, size: int, dx: float, fg: tuple[int, ...], bg: tuple[int, ...]):
    """Text anti-aliased by supersampling, so dx can move it by a fraction of a pixel."""
    font = ImageFont.load_default(size=size * SUPERSAMPLE)
    _, _, right, bottom = (int(v) for v in font.getbbox(text))
    pad = 3 * SUPERSAMPLE
    big = Image.new("RGB", (right + 2 * pad, bottom + 2 * pad), bg)
    big = big.crop(
        (0, 0, big.width // SUPERSAMPLE * SUPERSAMPLE, big.height // SUPERSAMPLE * SUPERSAMPLE)
    )
    ImageDraw.Draw(big).text((pad + round(dx * SUPERSAMPLE), pad), text, font=font, fill=fg)
    return big.reduce(SUPERSAMPLE)


def inclusive(rect: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """ImageDraw includes the right and bottom edges; our boxes exclude them."""
    left, top, right, bottom = rect
    return (left, top, right - 1, bottom - 1)


@cache
def screen(
    dx: float = 0.0,
    button: tuple[int, int, int] = BLUE,
    label: str = "Log in",
    header: tuple[int, int, int] = (0, 70, 140),
) -> Image.Image:
    img = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    draw.rectangle(inclusive(HEADER), fill=header)
    img.paste(text_patch("Nenkin Net", 56, dx, (255, 255, 255), header), (60, 30))
    lines = ["Check your pension records", "on your smartphone.", "Tap the button below."]
    for i, line in enumerate(lines):
        img.paste(text_patch(line, 44, dx, (30, 30, 30), (255, 255, 255)), (60, 220 + i * 90))
    draw.rounded_rectangle(inclusive(BUTTON), radius=40, fill=button)
    img.paste(text_patch(label, 60, dx, (255, 255, 255), button), (470, 935))
    return img


def compare(b: Image.Image, **kwargs: Any) -> ImageComparison:
    kwargs.setdefault("threshold", 0.1)
    return compare_images(screen(), b, **kwargs)


def test_identical_screens_count_nothing():
    result = compare(screen().copy(), target=BUTTON, target_threshold=0.02)
    assert result.size == (WIDTH, HEIGHT)
    assert result.mismatched == 0
    assert result.ratio == 0.0
    assert result.regions == ()


def test_subpixel_text_shift_is_excused_as_antialiasing():
    shifted = screen(dx=0.25)
    touched = int(
        (np.asarray(screen().convert("RGBA")) != np.asarray(shifted.convert("RGBA")))
        .any(axis=2)
        .sum()
    )
    result = compare(shifted)
    assert touched > 5_000  # the shift really moved thousands of glyph-edge pixels
    assert result.mismatched < touched // 100
    assert result.ratio < 0.0001


def test_button_colour_change_counts_the_whole_button():
    result = compare(screen(button=(204, 0, 0)), target=BUTTON)
    left, top, right, bottom = BUTTON
    area = (right - left) * (bottom - top)
    assert result.mismatched > area * 0.9
    assert result.mismatched_in_target == result.mismatched
    assert result.mismatched_outside == 0
    assert result.regions[0].box == (left, top, right, bottom)


def test_label_change_counts_many_and_lands_in_the_target():
    result = compare(screen(label="Sign in"), target=BUTTON)
    assert result.mismatched > 1_000
    assert result.mismatched_in_target == result.mismatched
    assert len(result.regions) == 1  # the glyphs merge into one region
    left, top, right, bottom = result.regions[0].box
    assert BUTTON[0] <= left < right <= BUTTON[2]
    assert BUTTON[1] <= top < bottom <= BUTTON[3]


def test_masks_hide_a_changed_region_in_both_images():
    changed = screen(label="Sign in")
    result = compare(changed, masks=[BUTTON])
    assert result.mismatched == 0
    left, top, right, bottom = BUTTON
    assert result.compared == WIDTH * HEIGHT - (right - left) * (bottom - top)
    overlay = np.asarray(result.overlay)
    assert tuple(overlay[top + 5, left + 5]) == (200, 200, 200)


def test_stricter_threshold_applies_inside_the_target_only():
    # the same faint tint on the button and the header: squared YIQ delta ≈ 47, between
    # 0.02 (14) and 0.1 (352) in pixelmatch's scale
    both = screen(button=(0, 90, 225), header=(0, 58, 161))
    loose = compare(both, target=BUTTON)
    strict = compare(both, target=BUTTON, target_threshold=0.02)
    assert loose.mismatched == 0
    assert strict.mismatched_in_target > 100_000
    assert strict.mismatched_outside == 0  # the header's equally faint change stays below 0.1
    everywhere = compare(both, threshold=0.02)
    assert everywhere.mismatched_outside > 100_000


def test_target_threshold_needs_a_target():
    with pytest.raises(ValueError, match="target"):
        compare(screen(), target_threshold=0.02)


def test_compare_images_refuses_to_resample():
    smaller = screen().crop((0, 0, WIDTH, HEIGHT - 1))
    with pytest.raises(SizeMismatch, match="1170x1992 vs 1170x1991"):
        compare(smaller)


def test_overlay_marks_changes_red_over_a_faded_screen():
    result = compare(screen(button=(204, 0, 0)))
    overlay = np.asarray(result.overlay)
    assert result.overlay.size == (WIDTH, HEIGHT)
    assert tuple(overlay[980, 300]) == (255, 0, 0)  # inside the button
    assert tuple(overlay[1500, 500]) == (255, 255, 255)  # white stays white
    assert tuple(overlay[70, 20]) != (0, 70, 140)  # the header is faded, not copied
    assert (overlay[70, 20] > np.array([0, 70, 140])).all()


# --- regions ----------------------------------------------------------------------------------


def blobs(*rects: tuple[int, int, int, int], shape: tuple[int, int] = (60, 80)) -> np.ndarray:
    mask = np.zeros(shape, dtype=np.bool_)
    for left, top, right, bottom in rects:
        mask[top:bottom, left:right] = True
    return mask


def test_regions_are_connected_areas_largest_first():
    regions = find_regions(blobs((2, 2, 6, 6), (30, 10, 50, 40)))
    assert [r.box for r in regions] == [(30, 10, 50, 40), (2, 2, 6, 6)]
    assert [r.pixels for r in regions] == [600, 16]


def test_diagonal_neighbours_join_a_region():
    regions = find_regions(blobs((0, 0, 2, 2), (2, 2, 4, 4)))
    assert [r.box for r in regions] == [(0, 0, 4, 4)]


def test_merge_gap_joins_nearby_glyphs():
    mask = blobs((10, 10, 14, 20), (17, 10, 21, 20))
    assert len(find_regions(mask, merge_gap=1)) == 2
    assert [r.box for r in find_regions(mask, merge_gap=8)] == [(10, 10, 21, 20)]


def test_no_change_has_no_regions():
    assert find_regions(np.zeros((5, 5), dtype=np.bool_)) == ()
    with pytest.raises(ValueError, match="merge_gap"):
        find_regions(np.zeros((5, 5), dtype=np.bool_), merge_gap=0)
