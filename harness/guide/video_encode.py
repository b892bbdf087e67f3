"""Stills to an H.264 MP4 with PyAV (FFmpeg's libx264): each still held for its frames,
cross-fading from the one before over its first frames.

Stills at a low fixed frame rate in a long GOP cost almost nothing after their first frame.
The bytes are reproducible: one encoder thread, one scaler thread, no creation time or
other varying metadata, the muxer in bit-exact mode.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy
from PIL import Image

FPS = 10  # stills: a low rate keeps the file and the encode small
FADE_FRAMES = 5  # half a second of cross-fade between two stills
GOP_SECONDS = 30  # a keyframe at least this often (so a player can seek)
CRF = "26"  # text in the screens stays crisp at this quality
X264_PRESET = "veryfast"  # the smallest files for these stills, and fast
X264_OPTIONS = {
    "preset": X264_PRESET,
    "tune": "stillimage",
    "crf": CRF,
    "threads": "1",  # one thread: the same bytes every time
    "x264-params": f"keyint={FPS * GOP_SECONDS}:min-keyint={FPS}",
}
BT709 = 1  # the colour matrix, primaries and transfer players assume for HD video
LIMITED_RANGE = 1


@dataclass(frozen=True)
class Segment:
    """One still shown for `frames` frames; the first `fade` of them blend in from the
    still before."""

    image: Image.Image
    frames: int
    fade: int = 0


def settings_text() -> str:
    """Everything here that changes the bytes, for the videos' freshness digests."""
    return f"fps={FPS}|fade={FADE_FRAMES}|gop={GOP_SECONDS}|{sorted(X264_OPTIONS.items())}"


def _pictures(segments: Sequence[Segment]) -> Iterator[tuple[Image.Image, int]]:
    """(picture, repeats) in order: fade frames one by one, each still once for its hold."""
    previous: Image.Image | None = None
    for segment in segments:
        fade = segment.fade if previous is not None else 0
        for index in range(1, fade + 1):
            assert previous is not None
            yield Image.blend(previous, segment.image, index / (fade + 1)), 1
        yield segment.image, segment.frames - fade
        previous = segment.image


def encode(segments: Sequence[Segment]) -> bytes:
    """The MP4 file of `segments`, all the same size (even width and height)."""
    width, height = segments[0].image.size
    # A real file: moving the index to the front (faststart, for the web) reopens it.
    with tempfile.TemporaryDirectory(prefix="guideshot-video-") as scratch:
        path = Path(scratch) / "video.mp4"
        _encode_into(path, segments, width, height)
        return path.read_bytes()


def _encode_into(path: Path, segments: Sequence[Segment], width: int, height: int) -> None:
    import av  # FFmpeg is loaded only when a video is made
    from av.video.frame import VideoFrame
    from av.video.reformatter import ColorRange, Colorspace

    # Bit-exact: no encoder version string in the file's metadata.
    container = av.open(
        str(path),
        mode="w",
        format="mp4",
        options={"movflags": "+faststart", "fflags": "+bitexact"},
    )
    with container:
        stream = container.add_stream("libx264", rate=FPS, options=X264_OPTIONS)
        stream.width = width
        stream.height = height
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, FPS)
        context = stream.codec_context
        context.colorspace = BT709
        context.color_primaries = BT709
        context.color_trc = BT709
        context.color_range = LIMITED_RANGE
        pts = 0
        for picture, repeats in _pictures(segments):
            rgb = numpy.asarray(picture.convert("RGB"))
            frame = VideoFrame.from_ndarray(rgb, format="rgb24").reformat(
                format="yuv420p",
                dst_colorspace=Colorspace.ITU709,
                dst_color_range=ColorRange.MPEG,
                threads=1,
            )
            for _ in range(repeats):
                frame.pts = pts
                pts += 1
                container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
