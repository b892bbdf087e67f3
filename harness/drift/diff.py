"""Pure image comparison: a vectorised numpy port of pixelmatch 7.1.0, and a report-level wrapper.

`pixelmatch` reproduces the JavaScript library's mismatch count and diff image exactly: the
same YIQ constants, the same float64 operation order, the same checkerboard background for
semi-transparent pixels and the same anti-aliasing rules. Only pixels whose 32-bit value
differs are ever examined, and the anti-aliasing check runs only for the pixels above the
threshold, so a small change on a phone-sized screenshot costs little more than one
comparison of the two buffers.

`compare_images` is what the drift check uses: masks, a stricter threshold inside the step's
target box, counts inside and outside it, the changed regions and an overlay for the report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image

# (left, top, right, bottom) in image pixels, right and bottom excluded, as Box.scaled gives
Rect = tuple[int, int, int, int]
Color = tuple[int, int, int]
FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]
# maps flat pixel indices to the largest squared YIQ delta still accepted there
MaxDeltaAt = Callable[[IndexArray], float | FloatArray]

# pixelmatch's YIQ coefficients (Kotsarenko & Ramos); 35215 is the largest possible delta.
_Y = (0.29889531, 0.58662247, 0.11448223)
_I = (0.59597799, 0.27417610, 0.32180189)
_Q = (0.21147017, 0.52261711, 0.31114694)
_MAX_YIQ_DELTA = 35215

# The 8 neighbours in pixelmatch's visiting order (x outer, y inner): ties between equally
# dark or bright neighbours go to the first one visited, so the order is part of the result.
_NEIGHBOURS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))


class SizeMismatch(ValueError):
    """The two images differ in size; they are never resampled to fit."""

    def __init__(self, size1: tuple[int, int], size2: tuple[int, int]) -> None:
        self.size1 = size1
        self.size2 = size2
        super().__init__(
            f"image sizes differ: {size1[0]}x{size1[1]} vs {size2[0]}x{size2[1]} (width x height)"
        )


@dataclass(frozen=True)
class PixelDiff:
    """pixelmatch's answer: the count, which pixels, and the diff image it would draw."""

    mismatched: int
    mask: NDArray[np.bool_]  # H×W, True where a pixel counts as mismatched
    antialiased: int  # pixels above the threshold that were excused as anti-aliasing
    image: NDArray[np.uint8] | None  # H×W×4 diff image, None when output=False


@dataclass(frozen=True)
class _Images:
    """Both images flattened once: bytes per pixel and the 32-bit value of each pixel."""

    px1: NDArray[np.uint8]  # N×4
    px2: NDArray[np.uint8]
    v1: NDArray[np.uint32]  # N
    v2: NDArray[np.uint32]
    width: int
    height: int


def pixelmatch(
    img1: NDArray[np.uint8],
    img2: NDArray[np.uint8],
    *,
    threshold: float = 0.1,
    include_aa: bool = False,
    alpha: float = 0.1,
    aa_color: Color = (255, 255, 0),
    diff_color: Color = (255, 0, 0),
    diff_color_alt: Color | None = None,
    diff_mask: bool = False,
    output: bool = True,
) -> PixelDiff:
    """Compare two H×W×4 RGBA uint8 arrays exactly as pixelmatch 7.1.0 does."""
    images = _prepare(img1, img2)
    count = images.width * images.height
    if np.array_equal(images.v1, images.v2):  # fast path: no deltas at all
        mask = np.zeros((images.height, images.width), dtype=np.bool_)
        image = _background(images, alpha, diff_mask) if output else None
        return PixelDiff(0, mask, 0, image)
    max_delta = _MAX_YIQ_DELTA * threshold * threshold
    idx, delta = _candidates(images, lambda _idx: max_delta)
    # with include_aa the check cannot change the count, so it is skipped altogether
    counted = np.ones(idx.size, dtype=np.bool_) if include_aa else ~_antialiased_any(images, idx)
    flat = np.zeros(count, dtype=np.bool_)
    flat[idx[counted]] = True
    image = None
    if output:
        colors = _Colors(aa_color, diff_color, diff_color_alt or diff_color)
        image = _draw(images, alpha, diff_mask, idx, delta, counted, colors)
    mask = flat.reshape(images.height, images.width)
    return PixelDiff(int(counted.sum()), mask, int(idx.size - counted.sum()), image)


def _prepare(img1: NDArray[np.uint8], img2: NDArray[np.uint8]) -> _Images:
    for img in (img1, img2):
        if img.ndim != 3 or img.shape[2] != 4 or img.dtype != np.uint8:
            raise ValueError(f"expected an H×W×4 uint8 RGBA array, got {img.shape} {img.dtype}")
    if img1.shape != img2.shape:
        raise SizeMismatch((img1.shape[1], img1.shape[0]), (img2.shape[1], img2.shape[0]))
    height, width = img1.shape[:2]
    px1 = np.ascontiguousarray(img1).reshape(-1, 4)
    px2 = np.ascontiguousarray(img2).reshape(-1, 4)
    v1 = px1.view(np.uint32).reshape(-1)
    v2 = px2.view(np.uint32).reshape(-1)
    return _Images(px1, px2, v1, v2, width, height)


def _candidates(images: _Images, max_delta_at: MaxDeltaAt) -> tuple[IndexArray, FloatArray]:
    """Flat indices of pixels whose signed delta exceeds the threshold, and those deltas."""
    idx = np.flatnonzero(images.v1 != images.v2)
    # gathering whole 32-bit pixels is several times faster than gathering rows of 4 bytes
    p1 = images.v1[idx].view(np.uint8).reshape(-1, 4)
    p2 = images.v2[idx].view(np.uint8).reshape(-1, 4)
    delta = _color_delta(p1, p2, idx * 4, y_only=False)
    above = np.abs(delta) > max_delta_at(idx)
    return idx[above], delta[above]


def _color_delta(
    p1: NDArray[np.uint8], p2: NDArray[np.uint8], k: IndexArray, *, y_only: bool
) -> FloatArray:
    """pixelmatch's colorDelta for rows of pixels; k is the byte offset that picks the
    background, negative when the second pixel is darker (or the Y difference if y_only).

    Works channel by channel, in place, but keeps the original's order of float64 operations,
    so every delta is bit-identical to the JavaScript one."""
    dr, dg, db = (np.subtract(p1[:, c], p2[:, c], dtype=np.float64) for c in range(3))
    translucent = np.flatnonzero((p1[:, 3] < 255) | (p2[:, 3] < 255))
    if translucent.size:
        blended = _blended_difference(p1[translucent], p2[translucent], k[translucent])
        for ch, d in enumerate((dr, dg, db)):
            d[translucent] = blended[:, ch]
    y = _weighted(dr, dg, db, _Y, (1, 1))
    if y_only:
        return y
    i = _weighted(dr, dg, db, _I, (-1, -1))
    q = _weighted(dr, dg, db, _Q, (-1, 1))
    delta = _square_scaled(y, 0.5053)
    delta += _square_scaled(i, 0.299)
    delta += _square_scaled(q, 0.1957)
    # identical pixels give 0 already (all differences are 0), so no special case is needed
    np.negative(delta, out=delta, where=y > 0)
    return delta


def _weighted(
    dr: FloatArray,
    dg: FloatArray,
    db: FloatArray,
    coef: tuple[float, float, float],
    signs: tuple[int, int],
) -> FloatArray:
    """(dr*c0 ± dg*c1) ± db*c2, evaluated left to right like the original."""
    out = dr * coef[0]
    for d, c, sign in ((dg, coef[1], signs[0]), (db, coef[2], signs[1])):
        if sign > 0:
            out += d * c
        else:
            out -= d * c
    return out


def _square_scaled(v: FloatArray, factor: float) -> FloatArray:
    """(factor * v) * v, the original's grouping."""
    out = v * factor
    out *= v
    return out


def _blended_difference(p1: NDArray[np.uint8], p2: NDArray[np.uint8], k: IndexArray) -> FloatArray:
    """Channel differences after compositing both pixels over pixelmatch's pseudo-random
    checkerboard (chosen by byte offset so transparent changes stay visible)."""
    c1 = p1.astype(np.int64)
    c2 = p2.astype(np.int64)
    rb = 48 + 159 * (k % 2)
    gb = 48 + 159 * ((k / 1.618033988749895).astype(np.int64) % 2)
    bb = 48 + 159 * ((k / 2.618033988749895).astype(np.int64) % 2)
    a1, a2 = c1[:, 3], c2[:, 3]
    da = a1 - a2
    out = np.empty((c1.shape[0], 3), dtype=np.float64)
    for ch, bg in enumerate((rb, gb, bb)):
        out[:, ch] = (c1[:, ch] * a1 - c2[:, ch] * a2 - bg * da) / 255
    return out


def _neighbour_indices(
    idx: IndexArray, width: int, height: int
) -> tuple[IndexArray, NDArray[np.bool_], NDArray[np.bool_]]:
    """For each pixel: its 8 neighbours' flat indices (n×8, in visiting order), which of
    them lie inside the image, and whether the pixel itself sits on the border."""
    x = idx % width
    y = idx // width
    dx = np.array([n[0] for n in _NEIGHBOURS])
    dy = np.array([n[1] for n in _NEIGHBOURS])
    nx = x[:, None] + dx[None, :]
    ny = y[:, None] + dy[None, :]
    inside = (nx >= 0) & (nx < width) & (ny >= 0) & (ny < height)
    nidx = np.clip(ny, 0, height - 1) * width + np.clip(nx, 0, width - 1)
    edge = (x == 0) | (x == width - 1) | (y == 0) | (y == height - 1)
    return nidx, inside, edge


@dataclass(frozen=True)
class _Siblings:
    """Per pixel of a band of rows: neighbours with exactly the same RGBA value, plus one on
    the image border (pixelmatch's hasManySiblings counts the border as a free sibling)."""

    counts: NDArray[np.uint8]  # flat, the band's rows only
    offset: int  # flat index of the band's first pixel

    def many(self, idx: IndexArray) -> NDArray[np.bool_]:
        """hasManySiblings: 3+ such siblings."""
        many: NDArray[np.bool_] = self.counts[idx - self.offset] > 2
        return many


def _siblings(v: NDArray[np.uint32], width: int, height: int, top: int, bottom: int) -> _Siblings:
    """Sibling counts for rows [top, bottom) by comparing shifted views of the whole band,
    far cheaper than gathering neighbours when many pixels changed."""
    img = v.reshape(height, width)
    counts = np.zeros((bottom - top, width), dtype=np.uint8)
    for dx, dy in _NEIGHBOURS:
        y0, y1 = max(top, -dy), min(bottom, height - dy)
        x0, x1 = max(0, -dx), min(width, width - dx)
        if y0 < y1 and x0 < x1:
            same = img[y0:y1, x0:x1] == img[y0 + dy : y1 + dy, x0 + dx : x1 + dx]
            counts[y0 - top : y1 - top, x0:x1] += same
    border = np.zeros_like(counts, dtype=np.bool_)
    border[:, [0, -1]] = True
    border[0] |= top == 0
    border[-1] |= bottom == height
    counts += border
    return _Siblings(counts.reshape(-1), top * width)


def _antialiased(
    px: NDArray[np.uint8],
    this: _Siblings,
    other: _Siblings,
    idx: IndexArray,
    width: int,
    height: int,
) -> NDArray[np.bool_]:
    """pixelmatch's antialiased() for many pixels of one image at once."""
    result = np.zeros(idx.size, dtype=np.bool_)
    # 3+ identical neighbours already mean 3+ zero brightness deltas: definitely not AA
    idx_open = np.flatnonzero(~this.many(idx))
    if idx_open.size == 0:
        return result
    at = idx[idx_open]
    nidx, inside, edge = _neighbour_indices(at, width, height)
    n = at.size
    centre = np.repeat(px[at], 8, axis=0)
    k = np.repeat(at * 4, 8)  # the centre's offset picks the background for both pixels
    dy = _color_delta(centre, px[nidx.reshape(-1)], k, y_only=True).reshape(n, 8)
    zeroes = ((dy == 0) & inside).sum(axis=1) + edge
    neg = np.where(inside & (dy < 0), dy, 0.0)
    pos = np.where(inside & (dy > 0), dy, 0.0)
    # argmin/argmax return the first extreme, matching the strict < and > of the original
    darkest = nidx[np.arange(n), np.argmin(neg, axis=1)]
    brightest = nidx[np.arange(n), np.argmax(pos, axis=1)]
    possible = (zeroes <= 2) & (neg.min(axis=1) < 0) & (pos.max(axis=1) > 0)
    sel = np.flatnonzero(possible)
    # the darkest or brightest neighbour sits in a flat area of both images: an edge blend
    flat_dark = this.many(darkest[sel]) & other.many(darkest[sel])
    flat_bright = this.many(brightest[sel]) & other.many(brightest[sel])
    result[idx_open[sel]] = flat_dark | flat_bright
    return result


def _antialiased_any(images: _Images, idx: IndexArray) -> NDArray[np.bool_]:
    w, h = images.width, images.height
    if idx.size == 0:
        return np.zeros(0, dtype=np.bool_)
    # candidates and their neighbours lie within these rows
    top = max(int(idx[0]) // w - 1, 0)
    bottom = min(int(idx[-1]) // w + 2, h)
    sib1 = _siblings(images.v1, w, h, top, bottom)
    sib2 = _siblings(images.v2, w, h, top, bottom)
    is_aa = _antialiased(images.px1, sib1, sib2, idx, w, h)
    rest = np.flatnonzero(~is_aa)  # the second check only matters where the first said no
    is_aa[rest] = _antialiased(images.px2, sib2, sib1, idx[rest], w, h)
    return is_aa


@dataclass(frozen=True)
class _Colors:
    aa: Color
    diff: Color
    alt: Color


def _background(images: _Images, alpha: float, diff_mask: bool) -> NDArray[np.uint8]:
    """The diff image before marking: img1 in grey blended with white (transparent for masks)."""
    if diff_mask:
        return np.zeros((images.height, images.width, 4), dtype=np.uint8)
    out = np.empty((images.width * images.height, 4), dtype=np.uint8)
    p = images.px1
    # in place, but in pixelmatch's order: 255 + (Y - 255) * alpha * a / 255
    val = p[:, 0] * _Y[0]
    val += p[:, 1] * _Y[1]
    val += p[:, 2] * _Y[2]
    val -= 255
    val *= alpha
    val *= p[:, 3]
    val /= 255
    val += 255
    gray = val.astype(np.uint8)  # truncation, as a Uint8Array store does
    for ch in range(3):
        out[:, ch] = gray  # column by column: much faster than a broadcast store
    out[:, 3] = 255
    return out.reshape(images.height, images.width, 4)


def _draw(
    images: _Images,
    alpha: float,
    diff_mask: bool,
    idx: IndexArray,
    delta: FloatArray,
    counted: NDArray[np.bool_],
    colors: _Colors,
) -> NDArray[np.uint8]:
    out = _background(images, alpha, diff_mask).reshape(-1, 4)
    if not diff_mask:
        out[idx[~counted]] = (*colors.aa, 255)
    darker = delta < 0
    out[idx[counted & darker]] = (*colors.alt, 255)
    out[idx[counted & ~darker]] = (*colors.diff, 255)
    return out.reshape(images.height, images.width, 4)


# --- the report layer ------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """One connected area of changed pixels."""

    box: Rect
    pixels: int


@dataclass(frozen=True)
class ImageComparison:
    """What the drift check needs from one baseline/current pair."""

    size: tuple[int, int]  # (width, height)
    mismatched: int
    mismatched_in_target: int
    mismatched_outside: int
    compared: int  # pixels not covered by a mask
    regions: tuple[Region, ...]
    mask: NDArray[np.bool_]  # H×W, True where a pixel counts as changed
    overlay: Image.Image  # changed pixels in red over a faded copy of the current image

    @property
    def ratio(self) -> float:
        """Changed share of the compared pixels (0.0 when everything is masked)."""
        return self.mismatched / self.compared if self.compared else 0.0


def compare_images(
    a: Image.Image,
    b: Image.Image,
    *,
    threshold: float,
    target: Rect | None = None,
    target_threshold: float | None = None,
    masks: Sequence[Rect] = (),
    include_aa: bool = False,
    merge_gap: int = 8,
) -> ImageComparison:
    """Compare the baseline `a` with the current `b` for a drift report.

    Masked rectangles are ignored in both images (their pixels never count, but their real
    content still informs the anti-aliasing check next to them). Inside `target` the
    `target_threshold` applies, usually stricter than `threshold`. Changed pixels closer
    than about `merge_gap` pixels fall into one region (1 = strict 8-connectivity).
    """
    if a.size != b.size:
        raise SizeMismatch(a.size, b.size)
    if target_threshold is not None and target is None:
        raise ValueError("target_threshold needs a target box")
    images = _prepare(_rgba(a), _rgba(b))
    shape = (images.height, images.width)
    target_box = _clip(target, shape) if target is not None else None
    max_delta_at = _thresholds(images.width, threshold, target_box, target_threshold)
    changed = np.zeros(images.width * images.height, dtype=np.bool_)
    if not np.array_equal(images.v1, images.v2):
        idx, _delta = _candidates(images, max_delta_at)
        if not include_aa:
            idx = idx[~_antialiased_any(images, idx)]
        changed[idx] = True
    mask = changed.reshape(shape)
    masked = _rect_mask(shape, [_clip(m, shape) for m in masks])
    mask &= ~masked
    in_target = _count_in(mask, target_box)
    total = int(mask.sum())
    return ImageComparison(
        size=(images.width, images.height),
        mismatched=total,
        mismatched_in_target=in_target,
        mismatched_outside=total - in_target,
        compared=int(masked.size - masked.sum()),
        regions=find_regions(mask, merge_gap=merge_gap),
        mask=mask,
        overlay=_overlay(b, mask, masked),
    )


def _rgba(img: Image.Image) -> NDArray[np.uint8]:
    return np.asarray(img.convert("RGBA"), dtype=np.uint8)


def _clip(rect: Rect, shape: tuple[int, int]) -> Rect:
    height, width = shape
    left, top, right, bottom = rect
    return (
        min(max(left, 0), width),
        min(max(top, 0), height),
        min(max(right, 0), width),
        min(max(bottom, 0), height),
    )


def _thresholds(
    width: int, threshold: float, target: Rect | None, target_threshold: float | None
) -> MaxDeltaAt:
    outside = _MAX_YIQ_DELTA * threshold * threshold
    if target is None or target_threshold is None:
        return lambda _idx: outside
    inside = _MAX_YIQ_DELTA * target_threshold * target_threshold
    left, top, right, bottom = target

    def at(idx: IndexArray) -> FloatArray:
        x, y = idx % width, idx // width
        in_box = (x >= left) & (x < right) & (y >= top) & (y < bottom)
        return np.where(in_box, inside, outside)

    return at


def _rect_mask(shape: tuple[int, int], rects: Sequence[Rect]) -> NDArray[np.bool_]:
    out = np.zeros(shape, dtype=np.bool_)
    for left, top, right, bottom in rects:
        out[top:bottom, left:right] = True
    return out


def _count_in(mask: NDArray[np.bool_], rect: Rect | None) -> int:
    if rect is None:
        return 0
    left, top, right, bottom = rect
    return int(mask[top:bottom, left:right].sum())


def find_regions(mask: NDArray[np.bool_], *, merge_gap: int = 1) -> tuple[Region, ...]:
    """Bounding boxes of the connected changed areas, largest first.

    Labelling runs on a grid of merge_gap×merge_gap cells (8-connected), so nearby glyphs of
    one changed label become one region; each box is then tightened to its changed pixels.
    """
    if merge_gap < 1:
        raise ValueError("merge_gap must be at least 1")
    if not mask.any():
        return ()
    cells = _cell_grid(mask, merge_gap)
    labels = _label(cells)
    ys, xs = np.nonzero(mask)
    lab = labels[ys // merge_gap, xs // merge_gap]
    order = np.argsort(lab, kind="stable")
    lab, ys, xs = lab[order], ys[order], xs[order]
    starts = np.flatnonzero(np.r_[True, lab[1:] != lab[:-1]])
    regions = [
        Region(
            box=(
                int(xs[s:e].min()),
                int(ys[s:e].min()),
                int(xs[s:e].max()) + 1,
                int(ys[s:e].max()) + 1,
            ),
            pixels=int(e - s),
        )
        for s, e in zip(starts, np.r_[starts[1:], lab.size], strict=True)
    ]
    return tuple(sorted(regions, key=lambda r: (-r.pixels, r.box)))


def _cell_grid(mask: NDArray[np.bool_], gap: int) -> NDArray[np.bool_]:
    """True for every gap×gap cell holding a changed pixel."""
    height, width = mask.shape
    gh, gw = -(-height // gap), -(-width // gap)
    padded = np.zeros((gh * gap, gw * gap), dtype=np.bool_)
    padded[:height, :width] = mask
    grid = np.zeros((gh, gw), dtype=np.bool_)
    grid[:, :] = padded.reshape(gh, gap, gw, gap).any(axis=(1, 3))
    return grid


def _label(grid: NDArray[np.bool_]) -> NDArray[np.intp]:
    """8-connected labels: horizontal runs per row, joined across rows with a union-find."""
    runs: list[tuple[int, int, int]] = []  # (row, first column, last column)
    for row in range(grid.shape[0]):
        line = np.r_[False, grid[row], False].astype(np.int8)
        edges = np.flatnonzero(np.diff(line))
        runs.extend((row, int(s), int(e) - 1) for s, e in zip(edges[::2], edges[1::2], strict=True))
    parent = list(range(len(runs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    _join_rows(runs, parent, find)
    labels = np.zeros(grid.shape, dtype=np.intp)
    for i, (row, first, last) in enumerate(runs):
        labels[row, first : last + 1] = find(i) + 1
    return labels


def _join_rows(
    runs: list[tuple[int, int, int]], parent: list[int], find: Callable[[int], int]
) -> None:
    """Union runs in adjacent rows that touch, diagonals included (runs are row-sorted)."""
    row, row_start = -2, 0
    prev = range(0)
    p = 0
    for i, (r, first, last) in enumerate(runs):
        if r != row:
            prev = range(row_start, i) if r == row + 1 else range(0)
            row, row_start, p = r, i, prev.start
        # runs in a row are ordered, so the window of touching runs above only moves right
        while p < prev.stop and runs[p][2] < first - 1:
            p += 1
        j = p
        while j < prev.stop and runs[j][1] <= last + 1:
            parent[find(j)] = find(i)
            j += 1


def _overlay(
    current: Image.Image, changed: NDArray[np.bool_], masked: NDArray[np.bool_]
) -> Image.Image:
    """Report picture: the current screen faded towards white, changes in red, masks in grey."""
    rgb = np.asarray(current.convert("RGB"), dtype=np.float64)
    faded = (255 - (255 - rgb) * 0.3).astype(np.uint8)
    faded[masked] = (200, 200, 200)
    faded[changed] = (255, 0, 0)
    return Image.fromarray(faded, mode="RGB")
