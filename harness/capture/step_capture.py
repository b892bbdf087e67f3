"""One step's capture: its highlights framed on the screen, then, once the screen is still,
its pixels and everything its record says of them (boxes, names, visible text)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from harness.capture import Box, CaptureRecord, Environment, Swipe
from harness.capture.devices import DeviceProfile
from harness.capture.locate import to_locator
from harness.capture.perform import ACTION_TIMEOUT_MS, RunContext, StepFailed, target_failed
from harness.capture.results import StepCapture
from harness.capture.screen import (
    Matches,
    ScreenReading,
    accessible_name,
    box_of,
    in_viewport,
    matches_of,
    read_screen,
    view_of,
)
from harness.capture.stillness import stable_capture, wait_for_fonts
from harness.scenario import Step, Target, target_of


def slug(caption: str) -> str:
    """A file-name-safe form of the caption that keeps its Japanese words."""
    text = re.sub(r"[^\w]+", "-", caption).strip("-_")
    return text[:40] or "step"


def file_stem(number: int, caption: str) -> str:
    return f"{number:02d}-{slug(caption)}"


def _step_target(step: Step) -> Target | None:
    return target_of(step.action)


def highlight_targets(step: Step) -> list[Target]:
    return list(step.highlight)


def _visible(page: Page, targets: list[Target]) -> tuple[list[Locator], list[Matches]]:
    """Each target's locator and what it matches, once its first element is visible (a step
    fails otherwise).

    One query per target when the first match is visible already, as it usually is by the
    time a step is captured (a role query reads every element's accessible name: ~5-25 ms
    on these pages); otherwise Playwright waits for it and the matches are read again."""
    locators, found = [], []
    for target in targets:
        locator = to_locator(page, target)
        try:
            matches: Matches | None = matches_of(locator)
        except PlaywrightError:  # e.g. the page is still loading: wait as below
            matches = None
        if matches is None or not matches.first_visible:
            try:
                locator.first.wait_for(state="visible", timeout=ACTION_TIMEOUT_MS)
                matches = matches_of(locator)
            except PlaywrightError as exc:
                raise _not_on_screen(page, target) from exc
        locators.append(locator)
        found.append(matches)
    return locators, found


def _not_on_screen(page: Page, target: Target) -> StepFailed:
    described = target.describe()
    return target_failed(page, target, described, f"{described} is not on the screen")


def _matches(targets: list[Target], locators: list[Locator]) -> list[Matches]:
    """What each target matches now, one round trip per target."""
    found = []
    for target, locator in zip(targets, locators, strict=True):
        try:
            found.append(matches_of(locator))
        except PlaywrightError as exc:
            raise StepFailed(f"{target.describe()} is not on the screen", target) from exc
    return found


def _boxes(matches: list[Matches]) -> tuple[Box, ...]:
    return tuple(box for found in matches for box in found.boxes if box is not None)


def boxes_present(page: Page, targets: tuple[Target, ...]) -> tuple[Box, ...]:
    """Boxes of whatever matches now, without waiting: the flow's masks and the ignored
    regions apply where they are, and a screen without them is not an error."""
    if not targets:
        return ()
    view = view_of(page)
    found = [box_of(match, view) for target in targets for match in to_locator(page, target).all()]
    return tuple(box for box in found if box is not None)


def _first_boxes(highlights: list[Matches]) -> list[Box]:
    return [found.boxes[0] for found in highlights if found.boxes and found.boxes[0] is not None]


def _frame_highlights(
    page: Page,
    targets: list[Target],
    locators: list[Locator],
    highlights: list[Matches],
    viewport: tuple[int, int],
) -> None:
    """Everything the caption points at must be in the picture, together.

    When a highlight is outside the screen, scroll so that all of them sit a fifth of the
    way down (or near the top when they are taller than most of the screen).
    """
    boxes = _first_boxes(highlights)
    if not boxes or all(in_viewport(box, viewport) for box in boxes):
        return
    # The scroll is computed from the layout: read it again once the fonts are in, or a
    # page still laying out in a fallback font is scrolled by the wrong amount (soak-found
    # on a loaded machine: the highlight landed 52 px higher than in the approved picture).
    wait_for_fonts(page)
    boxes = _first_boxes(_matches(targets, locators))
    if not boxes or all(in_viewport(box, viewport) for box in boxes):
        return
    top = min(box.y for box in boxes)
    height = max(box.y + box.height for box in boxes) - top
    screen = viewport[1]
    wanted_top = screen * (0.2 if height <= screen * 0.75 else 0.04)
    # The boxes are the screenshot's px; the page scrolls in layout px (screen.View).
    distance = view_of(page).layout_length(round(top - wanted_top))
    page.evaluate(f"() => window.scrollBy(0, {distance})")


@dataclass(frozen=True)
class StepReading:
    """What a capture's record says of the screen besides its pixels."""

    highlights: tuple[Box, ...]
    masks: tuple[Box, ...]
    ignores: tuple[Box, ...]
    screen: ScreenReading
    target_box: Box | None
    target_name: str | None
    target_text: str | None
    # The action's target is the only match and a tap reaches it (js/element_boxes.js):
    # read inside the proof, so the press need not wait again for it to be stable.
    target_pressable: bool = False


def _read_step(
    page: Page,
    step: Step,
    highlighted: tuple[list[Target], list[Locator]],
    masked: tuple[list[Target], list[Locator]],
) -> StepReading:
    highlights = _matches(*highlighted)
    masks = _boxes(_matches(*masked)) + boxes_present(page, step.flow_mask)
    target = _step_target(step)
    target_box = target_name = target_text = None
    target_pressable = False
    if target is not None:
        targets, _ = highlighted
        locator = to_locator(page, target)
        # The action's target is usually also the highlight, whose matches are read already.
        found = highlights[targets.index(target)] if target in targets else matches_of(locator)
        target_box = found.boxes[0] if found.boxes else None
        if target_box is not None:
            target_name = accessible_name(locator.first)
            target_text = " ".join((found.first_text or "").split()) or None
        # One match only: a tap on a locator matching more fails (Playwright's strictness).
        target_pressable = found.first_pressable and len(found.boxes) == 1
    return StepReading(
        highlights=_boxes(highlights),
        masks=masks,
        ignores=boxes_present(page, step.ignore),
        screen=read_screen(page),
        target_box=target_box,
        target_name=target_name,
        target_text=target_text,
        target_pressable=target_pressable,
    )


def capture_step(
    page: Page,
    step: Step,
    flow_id: str,
    device: DeviceProfile,
    environment: Environment,
    run: RunContext,
    swipe: Swipe | None,
) -> tuple[StepCapture, StepReading]:
    """The step's stable capture and record, and what was read of the screen with it."""
    highlights = highlight_targets(step)
    masks = list(step.mask)
    target = _step_target(step)
    highlight_locators, highlight_matches = _visible(page, highlights)
    mask_locators, _ = _visible(page, masks)
    _frame_highlights(page, highlights, highlight_locators, highlight_matches, device.viewport)
    # Everything the record says of the screen is read inside the proof that the screen
    # was still, so it describes the captured pixels.
    still = stable_capture(
        page,
        lambda: _read_step(page, step, (highlights, highlight_locators), (masks, mask_locators)),
    )
    raw, seen = still.png, still.reading
    screen_text = seen.screen.text
    assert step.number is not None and step.caption is not None, "silent steps are not captured"
    stem = file_stem(step.number, step.caption)
    record = CaptureRecord(
        flow=flow_id,
        device=device.name,
        number=step.number,
        caption=step.caption,
        action=step.action.action,
        locator=target.describe() if target is not None else None,
        target_name=seen.target_name,
        target_text=seen.target_text,
        target_box=seen.target_box,
        highlights=seen.highlights,
        masks=seen.masks,
        text_boxes=seen.screen.text_boxes,
        swipe=swipe,
        ignores=seen.ignores,
        ignore_text=step.ignore_text,
        url=run.relative(page.url),
        title=seen.screen.title,
        visible_text=screen_text.text,
        line_boxes=screen_text.boxes,
        scroll=screen_text.scroll,
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        environment=environment,
        scenario_file=step.source.file,
        scenario_line=step.source.line,
        image=f"{stem}.png",
        raw_image=f"{stem}.raw.png",
    )
    return StepCapture(record=record, raw_png=raw), seen
