"""The walkthrough videos, encoded for real with PyAV and decoded back: a title card, one
segment per step showing that step's annotated screen under its number and caption, the
outcome; their length follows the steps; the same inputs give the same bytes; an unchanged
flow is not encoded again, a changed picture re-encodes that flow only."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy
import pytest
from PIL import Image

from harness.drift.verdict import CheckReport, FlowVerdict, StepStatus, StepVerdict
from harness.guide import video_cards
from harness.guide.assemble import approved
from harness.guide.model import GuideEdition, GuideFlow, GuideStep
from harness.guide.render import split_title
from harness.guide.video import (
    STEP_TIMING,
    VIDEO_DIR,
    plan,
    seconds,
    stamp_path,
    video_path,
    write_videos,
)
from harness.guide.video_encode import FADE_FRAMES, FPS
from harness.report.reprint import VIDEO_FOLDER, stale_videos, video_lines

ROOT = Path(__file__).resolve().parents[2]
DEVICE = "android"
FLOWS = {
    "login-userid": ("2-B ログイン", "ログインしましょう (ユーザIDで)", "ログインできました"),
    "notices": ("3-A 通知", "通知を確認しましょう", None),
}
NEAR = 4.0  # mean absolute difference (0-255) of a decoded frame from what was drawn


def guide_flow(shots: Path, flow_id: str) -> GuideFlow:
    folder = shots / DEVICE / flow_id
    section, title, outcome = FLOWS[flow_id]
    steps = [
        GuideStep(number=n, caption=r.caption, image=folder / r.image, picture=folder / r.image)
        for n, r in sorted(approved(folder).items())
    ]
    return GuideFlow(id=flow_id, section=section, title=title, steps=steps, outcome=outcome)


def edition(shots: Path, *flow_ids: str) -> GuideEdition:
    flows = [guide_flow(shots, flow_id) for flow_id in flow_ids]
    return GuideEdition(device=DEVICE, device_label="Android", flows=flows)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The approved pictures of two flows, copied so a test may change one."""
    root = tmp_path_factory.mktemp("shots")
    for flow_id in FLOWS:
        shutil.copytree(ROOT / "screenshots" / DEVICE / flow_id, root / DEVICE / flow_id)
    return root


@pytest.fixture(scope="module")
def built(shots: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("video") / VIDEO_DIR
    encoded = write_videos(edition(shots, "login-userid"), folder)
    assert encoded == [folder / "login-userid.mp4"]
    return folder


def decoded(video: Path, wanted: set[int]) -> tuple[int, float, dict[int, numpy.ndarray]]:
    """(frame count, duration in seconds, the wanted frames as RGB arrays)."""
    frames: dict[int, numpy.ndarray] = {}
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.pix_fmt == "yuv420p"
        assert stream.average_rate == Fraction(FPS)
        count = 0
        for frame in container.decode(stream):
            if count in wanted:
                frames[count] = frame.to_ndarray(format="rgb24")
            count += 1
        assert stream.duration is not None and stream.time_base is not None
        duration = float(stream.duration * stream.time_base)
    return count, duration, frames


def middles(frame_counts: list[int]) -> list[int]:
    """The frame in the middle of each segment's still (after its cross-fade)."""
    found, start = [], 0
    for index, count in enumerate(frame_counts):
        fade = FADE_FRAMES if index else 0
        found.append(start + fade + (count - fade) // 2)
        start += count
    return found


def mean_difference(a: numpy.ndarray, b: numpy.ndarray) -> float:
    return float(numpy.abs(a.astype(numpy.int16) - b.astype(numpy.int16)).mean())


def crop(frame: numpy.ndarray, box: video_cards.Box) -> numpy.ndarray:
    return frame[box.y : box.y + box.height, box.x : box.x + box.width]


def band(frame: numpy.ndarray) -> numpy.ndarray:
    return frame[: video_cards.BAND_HEIGHT]


def test_each_segment_shows_its_steps_screen_number_and_caption(shots: Path, built: Path) -> None:
    flow = guide_flow(shots, "login-userid")
    parts = plan(flow, "ja")
    wanted = middles([part.frames for part in parts])
    count, _, frames = decoded(video_path(built, flow.id), set(wanted))
    assert count == sum(part.frames for part in parts)
    assert [part.kind for part in parts] == ["title"] + ["step"] * len(flow.steps) + ["end"]

    bands = []
    for step, middle in zip(flow.steps, wanted[1:-1], strict=True):
        frame = frames[middle]
        with Image.open(step.picture or step.image) as png:
            expected = numpy.asarray(video_cards.fit_picture(png))
            box = video_cards.picture_box(png.size)
            card = numpy.asarray(video_cards.step_card(step.number, step.caption, png))
        assert mean_difference(crop(frame, box), expected) < NEAR, f"step {step.number}"
        # The caption band: as drawn, with dark text and the red circled number in it.
        assert mean_difference(band(frame), band(card)) < NEAR, f"step {step.number}"
        ink = (band(frame) < 90).all(axis=2).sum()
        red = ((band(frame)[..., 0] > 150) & (band(frame)[..., 1:] < 70).all(axis=2)).sum()
        assert ink > 1500 and red > 150, f"step {step.number}: ink {ink}, red {red}"
        bands.append(band(frame))
    # Each step's band says something else: the captions differ, so do the bands.
    for first, second in itertools.pairwise(bands):
        assert mean_difference(first, second) > 1.0

    heading, subtitle = split_title(flow.title)
    title = numpy.asarray(video_cards.title_card(flow.section, heading, subtitle, "Android版"))
    assert mean_difference(frames[wanted[0]], title) < NEAR
    assert (frames[wanted[0]] < 90).all(axis=2).sum() > 3000  # the title is written there
    assert flow.outcome is not None
    end = numpy.asarray(video_cards.end_card(flow.title, flow.outcome))
    assert mean_difference(frames[wanted[-1]], end) < NEAR
    # A step's screen is not what the title or end card shows.
    assert mean_difference(frames[wanted[1]], title) > 10


def test_the_duration_is_the_title_the_steps_and_the_end(shots: Path, built: Path) -> None:
    flow = guide_flow(shots, "login-userid")
    parts = plan(flow, "ja")
    assert len(parts) == len(flow.steps) + 2
    step_seconds = [seconds(step.caption, STEP_TIMING) for step in flow.steps]
    assert [part.frames / FPS for part in parts[1:-1]] == pytest.approx(step_seconds, abs=0.05)
    assert all(2.5 <= s <= STEP_TIMING[2] for s in step_seconds)
    count, duration, _ = decoded(video_path(built, flow.id), set())
    assert duration == pytest.approx(count / FPS, abs=0.11)
    assert duration == pytest.approx(sum(part.frames for part in parts) / FPS, abs=0.11)
    # A longer caption is held longer, up to the cap; one more step, one more segment.
    longer = flow.steps[0].model_copy(update={"caption": "とても" * 10 + "長い説明を読む"})
    capped = flow.steps[0].model_copy(update={"caption": "長" * 200})
    grown = flow.model_copy(update={"steps": [*flow.steps, longer, capped]})
    grown_parts = plan(grown, "ja")
    assert len(grown_parts) == len(parts) + 2
    assert grown_parts[-3].frames > parts[1].frames
    assert grown_parts[-2].frames == round(STEP_TIMING[2] * FPS)


def test_building_twice_gives_the_same_bytes(shots: Path, built: Path, tmp_path: Path) -> None:
    again = write_videos(edition(shots, "login-userid"), tmp_path / VIDEO_DIR)
    assert again == [tmp_path / VIDEO_DIR / "login-userid.mp4"]
    assert again[0].read_bytes() == video_path(built, "login-userid").read_bytes()


@pytest.fixture
def own_shots(shots: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "shots"
    shutil.copytree(shots, copy)
    yield copy


def test_an_unchanged_flow_is_reused_and_a_changed_picture_re_encodes_its_flow_only(
    own_shots: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first" / VIDEO_DIR
    assert len(write_videos(edition(own_shots, *FLOWS), first)) == 2

    second = tmp_path / "second" / VIDEO_DIR
    capsys.readouterr()
    assert write_videos(edition(own_shots, *FLOWS), second, built=first) == []
    said = capsys.readouterr().err
    assert "video: android login-userid is up to date" in said
    assert "video: android notices is up to date" in said
    for flow_id in FLOWS:
        assert video_path(second, flow_id).read_bytes() == video_path(first, flow_id).read_bytes()
        assert stamp_path(second, flow_id).read_text() == stamp_path(first, flow_id).read_text()

    picture = sorted((own_shots / DEVICE / "notices").glob("02-*[!w].png"))[0]
    with Image.open(picture) as png:
        changed = png.convert("RGB")
    changed.paste((0, 128, 0), (100, 600, 500, 700))  # a screen that changed since
    changed.save(picture)
    third = tmp_path / "third" / VIDEO_DIR
    assert write_videos(edition(own_shots, *FLOWS), third, built=second) == [
        video_path(third, "notices")
    ]
    login = video_path(third, "login-userid").read_bytes()
    assert login == video_path(first, "login-userid").read_bytes()
    assert video_path(third, "notices").read_bytes() != video_path(first, "notices").read_bytes()


def test_check_names_the_videos_a_drift_makes_stale(tmp_path: Path) -> None:
    assert VIDEO_FOLDER == VIDEO_DIR  # the report knows the guide's layout without importing it
    guide = tmp_path / "guide"
    for device, flow_id in (("android", "login-userid"), ("iphone", "notices")):
        video = guide / device / VIDEO_DIR / f"{flow_id}.mp4"
        video.parent.mkdir(parents=True, exist_ok=True)
        video.write_bytes(b"mp4")

    def flow(device: str, flow_id: str, status: StepStatus) -> FlowVerdict:
        step = StepVerdict(
            flow=flow_id,
            device=device,
            number=1,
            caption="「ログイン」を押す",
            scenario_file=f"scenarios/{flow_id}.yaml",
            scenario_line=8,
            status=status,
        )
        return FlowVerdict(
            flow=flow_id,
            device=device,
            title=flow_id,
            scenario_file=step.scenario_file,
            steps=[step],
        )

    report = CheckReport(
        base_url="http://127.0.0.1:1",
        flows=[
            flow("android", "login-userid", StepStatus.DRIFT),
            flow("android", "notices", StepStatus.DRIFT),  # no video built: nothing to rebuild
            flow("iphone", "login-userid", StepStatus.MATCH),
            flow("iphone", "notices", StepStatus.BROKEN),
        ],
    )
    assert stale_videos(report, guide) == [
        guide / "android" / VIDEO_DIR / "login-userid.mp4",
        guide / "iphone" / VIDEO_DIR / "notices.mp4",
    ]
    assert video_lines(report, guide) == ["Android: login-userid", "iPhone: notices"]
