"""A walkthrough video per flow of an edition: `<device>/video/<flow>.mp4`.

A title card, then each step's annotated screen with its circled number and caption, held
long enough to read the caption (2.5 s and a little per character, capped), cross-fading
into the next, then the outcome. Each video is re-encoded only when what it shows changed:
a digest of its pictures, captions and the video settings is kept beside it
(`video/.<flow>.inputs.sha256`), and an equal digest reuses the video already built.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Literal

from PIL import Image

from harness.console import err
from harness.fonts import find_font
from harness.guide import video_cards
from harness.guide.files import write_atomic
from harness.guide.model import GuideEdition, GuideFlow, GuideStep
from harness.guide.render import Look, split_title
from harness.guide.video_encode import FADE_FRAMES, FPS, Segment, encode, settings_text

VIDEO_DIR = "video"
# Seconds on screen: base + per character of the text read there, at most cap.
TITLE_TIMING = (2.5, 0.06, 5.0)
STEP_TIMING = (2.5, 0.1, 7.0)
END_TIMING = (2.5, 0.1, 8.0)
# Said on the end card of a flow without an outcome, in the guide's language.
THE_END = {"ja": "以上で終わりです", "en": "That's all"}


@dataclass(frozen=True)
class Part:
    """One segment of a video, before it is drawn: what it shows and for how long."""

    kind: Literal["title", "step", "end"]
    frames: int
    step: GuideStep | None = None


def seconds(text: str, timing: tuple[float, float, float]) -> float:
    base, per_character, cap = timing
    return min(base + per_character * len(text.strip()), cap)


def frames_for(text: str, timing: tuple[float, float, float]) -> int:
    return round(seconds(text, timing) * FPS)


def outcome_text(flow: GuideFlow, language: str) -> str:
    return flow.outcome or THE_END.get(language.split("-")[0], THE_END["en"])


def caption_text(caption: str, icons: Sequence[str]) -> str:
    """The caption as the video shows it: an icon's empty brackets (「Chrome「」を押す」 prints
    the icon there) are left out, the screen shows the icon in its red box."""
    for word in icons:
        caption = caption.replace(f"{word}「」", word).replace(f"{word} 「」", word)
    return caption


def plan(flow: GuideFlow, language: str, icons: Sequence[str] = ()) -> list[Part]:
    """The video's parts in order: title, one per step, end."""
    parts = [Part("title", frames_for(flow.title, TITLE_TIMING))]
    for step in flow.steps:
        parts.append(Part("step", frames_for(caption_text(step.caption, icons), STEP_TIMING), step))
    parts.append(Part("end", frames_for(outcome_text(flow, language), END_TIMING)))
    return parts


def step_picture(step: GuideStep) -> Path:
    """The annotated screen a step shows: the approved PNG, or its printed picture when the
    edition was assembled without one."""
    return step.picture or step.image


def segments(
    flow: GuideFlow, edition_name: str, language: str, icons: Sequence[str] = ()
) -> list[Segment]:
    heading, subtitle = split_title(flow.title)
    drawn: list[Segment] = []
    for part in plan(flow, language, icons):
        if part.kind == "title":
            image = video_cards.title_card(flow.section, heading, subtitle, edition_name)
        elif part.kind == "end":
            image = video_cards.end_card(flow.title, outcome_text(flow, language))
        else:
            assert part.step is not None
            with Image.open(step_picture(part.step)) as picture:
                caption = caption_text(part.step.caption, icons)
                image = video_cards.step_card(part.step.number, caption, picture)
        drawn.append(Segment(image, part.frames, fade=FADE_FRAMES if drawn else 0))
    return drawn


@functools.cache
def _code_digest() -> str:
    """The video modules' own source: a change in how videos are drawn re-encodes them."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("video*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def settings_fingerprint() -> str:
    """What every video depends on besides its flow: timings, encoder settings, PyAV (and
    the FFmpeg it ships), the fonts and the drawing code."""
    fonts = []
    for face in (video_cards.REGULAR, video_cards.BOLD):
        found = find_font(face)
        fonts.append(f"{found.path}#{found.index}:{found.path.stat().st_size}")
    return "|".join(
        [
            settings_text(),
            f"timing={TITLE_TIMING}{STEP_TIMING}{END_TIMING}",
            f"size={video_cards.SIZE}",
            f"av={version('av')}",
            *fonts,
            _code_digest(),
        ]
    )


def flow_digest(flow: GuideFlow, edition_name: str, language: str, icons: Sequence[str]) -> str:
    digest = hashlib.sha256(settings_fingerprint().encode())
    texts = [edition_name, language, *icons, flow.section, flow.title, flow.outcome or ""]
    digest.update("\0".join(texts).encode())
    for step in flow.steps:
        digest.update(f"\0{step.number}\0{step.caption}\0".encode())
        digest.update(hashlib.sha256(step_picture(step).read_bytes()).digest())
    return digest.hexdigest()


def video_path(folder: Path, flow_id: str) -> Path:
    return folder / f"{flow_id}.mp4"


def stamp_path(folder: Path, flow_id: str) -> Path:
    return folder / f".{flow_id}.inputs.sha256"


def _recorded(folder: Path, flow_id: str) -> str | None:
    try:
        return stamp_path(folder, flow_id).read_text("utf-8").strip()
    except OSError:
        return None


def write_videos(
    edition: GuideEdition, folder: Path, *, built: Path | None = None, look: Look | None = None
) -> list[Path]:
    """Write `folder/<flow>.mp4` for every flow of `edition`. A video in `built` (the
    edition's video folder as last built) whose digest is this one's is taken as it is.
    Returns the videos encoded now."""
    look = look or Look()
    language = look.language
    edition_name = look.words.edition_name(edition.device_label)
    words = list(look.icons)
    encoded: list[Path] = []
    folder.mkdir(parents=True, exist_ok=True)
    for flow in edition.flows:
        digest = flow_digest(flow, edition_name, language, words)
        target = video_path(folder, flow.id)
        if built is not None and _recorded(built, flow.id) == digest:
            previous = video_path(built, flow.id)
            if previous.is_file():
                _reuse(previous, target)
                write_atomic(stamp_path(folder, flow.id), f"{digest}\n".encode())
                err.print(
                    f"video: {edition.device} {flow.id} is up to date "
                    "(its pictures and captions did not change)",
                    markup=False,
                )
                continue
        write_atomic(target, encode(segments(flow, edition_name, language, words)))
        write_atomic(stamp_path(folder, flow.id), f"{digest}\n".encode())
        encoded.append(target)
    return encoded


def _reuse(previous: Path, target: Path) -> None:
    """The same bytes, without copying them when the file system allows a second name."""
    target.unlink(missing_ok=True)
    try:
        os.link(previous, target)
    except OSError:
        shutil.copyfile(previous, target)
