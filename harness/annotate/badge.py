"""Where the circled step number goes: the nearest free place outside the first red box.

Free means clear of every line of text and every control on the screen (the record's
`text_boxes`) and of every red box. Around the box, the nearest free place wins, within
`Theme.badge_reach`; at equal distance left beats above beats right beats below, and
beside the box the badge is centred on it (on its top line when the box is tall). Only when
no place within reach is free does the badge overlap anything, and then it sits on the box's
own border where it covers the least of the neighbours' words.

Candidates are tested all at once against a summed-area table of what is blocked, on a grid
of cells an eighth of the badge wide (a cell is blocked if any of its pixels is), so a whole
screen is searched in milliseconds and a free place is free to the pixel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from harness.annotate.geometry import Rect, Size, clip_rect, grow, highlight_outlines, to_px
from harness.capture import CaptureRecord
from harness.theme import Theme

_Table = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class BadgePlacement:
    rect: Rect  # the badge's square, image px
    free: bool  # False: no free place existed, so the badge overlaps something


def badge_placement(record: CaptureRecord, image_size: Size, theme: Theme) -> BadgePlacement:
    """The placement the annotation draws for `record` on an image of `image_size`."""
    scale = record.environment.scale
    text = [box.scaled(scale) for box in record.text_boxes]
    return place_badge(
        highlight_outlines(record, image_size, theme),
        text,
        image_size,
        diameter=max(1, to_px(theme.badge_diameter, scale)),
        gap=to_px(theme.badge_gap, scale),
        reach=to_px(theme.badge_reach, scale),
    )


def place_badge(
    highlights: Sequence[Rect],
    text: Sequence[Rect],
    image_size: Size,
    *,
    diameter: int,
    gap: int,
    reach: int,
) -> BadgePlacement:
    """The badge's square near highlights[0] (the top-left corner without highlights)."""
    width, height = image_size
    d = diameter
    if width < d or height < d:
        return BadgePlacement((0, 0, d, d), free=False)
    grid = _Grid(image_size, d)
    blocked = grid.mask([*text, *(grow(h, gap) for h in highlights)])
    free = grid.free(blocked)
    if not highlights:
        corner = (min(gap, width - d), min(gap, height - d))
        if grid.covered(_table(blocked), *corner) == 0:
            return BadgePlacement(_square(corner, d), free=True)
        found = _nearest_to_point(free, grid.cell, corner)
        return BadgePlacement(_square(found or corner, d), free=found is not None)
    found = _nearest_beside(free, grid.cell, highlights[0], d, gap, reach)
    if found is not None:
        return BadgePlacement(_square(found, d), free=True)
    return BadgePlacement(_on_border(grid, highlights, text, image_size, d, gap), free=False)


@dataclass(frozen=True, slots=True)
class _Grid:
    """Square cells of `cell` px over the image; candidate badges start on cell corners."""

    size: Size
    d: int

    @property
    def cell(self) -> int:
        return max(1, self.d // 8)

    def mask(self, rects: Sequence[Rect]) -> npt.NDArray[np.bool_]:
        """Cells touched by any of `rects` (clipped to the image)."""
        k = self.cell
        mask = np.zeros((-(-self.size[1] // k), -(-self.size[0] // k)), dtype=bool)
        for rect in rects:
            clipped = clip_rect(rect, self.size)
            if clipped is not None:
                left, top, right, bottom = clipped
                mask[top // k : -(-bottom // k), left // k : -(-right // k)] = True
        return mask

    def free(self, blocked: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        """[row, column] → the badge with its top-left corner there covers no blocked cell."""
        k, (width, height) = self.cell, self.size
        counts = _sums(_table(blocked), -(-self.d // k))
        free: npt.NDArray[np.bool_] = (
            counts[: (height - self.d) // k + 1, : (width - self.d) // k + 1] == 0
        )
        return free

    def covered(self, table: _Table, x: int, y: int) -> int:
        """Blocked cells under the badge at (x, y) px."""
        k = self.cell
        x0, y0, x1, y1 = x // k, y // k, -(-(x + self.d) // k), -(-(y + self.d) // k)
        return int(table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0])


def _square(position: tuple[int, int], d: int) -> Rect:
    return (position[0], position[1], position[0] + d, position[1] + d)


def _table(mask: npt.NDArray[np.bool_]) -> _Table:
    """Summed-area table with a zero row and column in front: sums of any rectangle in O(1)."""
    table = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1), dtype=np.int64)
    table[1:, 1:] = mask.cumsum(0, dtype=np.int64).cumsum(1)
    return table


def _sums(table: _Table, n: int) -> _Table:
    """[y, x] → how many marked cells an n×n square at (x, y) covers."""
    result: _Table = table[n:, n:] - table[:-n, n:] - table[n:, :-n] + table[:-n, :-n]
    return result


def _nearest_to_point(
    free: npt.NDArray[np.bool_], k: int, point: tuple[int, int]
) -> tuple[int, int] | None:
    if not free.any():
        return None
    ys, xs = np.arange(free.shape[0]) * k, np.arange(free.shape[1]) * k
    distance = np.hypot(xs[None, :] - point[0], ys[:, None] - point[1])
    distance[~free] = np.inf
    y, x = np.unravel_index(int(np.argmin(distance)), distance.shape)
    return int(x) * k, int(y) * k


def _nearest_beside(
    free: npt.NDArray[np.bool_], k: int, box: Rect, d: int, gap: int, reach: int
) -> tuple[int, int] | None:
    left, top, right, bottom = box
    rows, columns = free.shape
    # Only squares within reach of the box can win: search that window (in cells).
    x0, x1 = max(0, (left - gap - reach - d) // k), min(columns, (right + gap + reach) // k + 1)
    y0, y1 = max(0, (top - gap - reach - d) // k), min(rows, (bottom + gap + reach) // k + 1)
    if x0 >= x1 or y0 >= y1:
        return None
    xs, ys = np.arange(x0, x1) * k, np.arange(y0, y1) * k
    dx = np.maximum(np.maximum(left - (xs + d), xs - right), 0)
    dy = np.maximum(np.maximum(top - (ys + d), ys - bottom), 0)
    distance = np.hypot(dx[None, :], dy[:, None])
    # Distances within a quarter badge count as equal, so the side and alignment decide.
    steps = np.floor(distance / max(1, d // 4))
    side = np.full(distance.shape, 3)  # below
    side = np.where((xs >= right)[None, :], 2, side)  # right
    side = np.where((ys + d <= top)[:, None], 1, side)  # above
    side = np.where((xs + d <= left)[None, :], 0, side)  # left
    beside_y = top + (bottom - top - d) // 2 if bottom - top < 2 * d else top
    off_y = np.abs(ys - beside_y)[:, None]
    off_x = np.abs(xs - left)[None, :]
    offset = np.where((side == 0) | (side == 2), off_y, off_x)
    score = steps * 1e9 + side * 1e8 + offset * 1e3 + distance
    score[~free[y0:y1, x0:x1] | (distance > reach + gap)] = np.inf
    best = int(np.argmin(score))
    if not np.isfinite(score.flat[best]):
        return None
    y, x = np.unravel_index(best, score.shape)
    return int(xs[x]), int(ys[y])


def _on_border(
    grid: _Grid,
    highlights: Sequence[Rect],
    text: Sequence[Rect],
    image_size: Size,
    d: int,
    gap: int,
) -> Rect:
    """Centred on the first box's outline where it covers the fewest neighbours' cells
    (other boxes, text outside the box), then the fewest of the box's own text; from the
    top-left corner down the left side, along the top, then the right side and the bottom."""
    box = highlights[0]
    left, top, right, bottom = box
    width, height = image_size
    others = [t for t in text if not _within(t, box)]
    neighbours = _table(grid.mask([*others, *highlights[1:]]))
    own = _table(grid.mask([t for t in text if _within(t, box)]))
    step = max(1, d // 4)
    centres = [(left, y) for y in range(top, bottom + 1, step)]
    centres += [(x, top) for x in range(left, right + 1, step)]
    centres += [(right, y) for y in range(top, bottom + 1, step)]
    centres += [(x, bottom) for x in range(left, right + 1, step)]
    lowest: tuple[int, int] | None = None
    best: Rect | None = None
    for cx, cy in centres:
        x = _clamp(cx - d // 2, width - d, gap)
        y = _clamp(cy - d // 2, height - d, gap)
        cost = (grid.covered(neighbours, x, y), grid.covered(own, x, y))
        if lowest is None or cost < lowest:
            lowest, best = cost, (x, y, x + d, y + d)
    assert best is not None
    return best


def _clamp(value: int, highest: int, margin: int) -> int:
    """`value` inside [0, highest], `margin` away from the edges when there is room."""
    if highest >= 2 * margin:
        return min(max(value, margin), highest - margin)
    return min(max(value, 0), highest)


def _within(inner: Rect, outer: Rect) -> bool:
    """Mostly inside: at least half of `inner`'s area lies in `outer`."""
    overlap_w = min(inner[2], outer[2]) - max(inner[0], outer[0])
    overlap_h = min(inner[3], outer[3]) - max(inner[1], outer[1])
    area = (inner[2] - inner[0]) * (inner[3] - inner[1])
    return overlap_w > 0 and overlap_h > 0 and 2 * overlap_w * overlap_h >= area > 0


def badge_distance(badge: Rect, box: Rect) -> float:
    """Gap between the badge's square and the box (0 when they touch or overlap)."""
    dx = max(box[0] - badge[2], badge[0] - box[2], 0)
    dy = max(box[1] - badge[3], badge[1] - box[3], 0)
    return math.hypot(dx, dy)
