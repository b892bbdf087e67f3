"""`guideshot guide` after an approve rebuilds only the editions whose inputs changed, and
says so; `--force` rebuilds all. Through the CLI, on the committed guide and screenshots."""

from __future__ import annotations

import contextlib
import io
import shutil
from hashlib import sha256
from pathlib import Path

import pytest

from harness.annotate.png import annotation_inputs, draw_png
from harness.capture import AnnotationStamp, Box
from harness.cli import main
from harness.store import read_record, record_json

pytestmark = pytest.mark.slow  # end-to-end runs through the CLI

ROOT = Path(__file__).resolve().parents[2]


def guide(tmp: Path, *extra: str) -> tuple[int, str]:
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = main(
            [
                "guide",
                "--config",
                str(ROOT / "guide.yaml"),
                "--scenarios",
                str(ROOT / "scenarios"),
                "--screenshots",
                str(tmp / "shots"),
                "--out",
                str(tmp / "out"),
                "--no-pdf",
                *extra,
            ]
        )
    return status, stderr.getvalue()


def reapprove_with_a_mask(picture: Path) -> None:
    """What approving the step again with a mask leaves: its record and its picture, drawn
    from it (a picture alone edited is stale derived data: guide draws it again)."""
    path = picture.with_name(picture.name.replace(".png", ".json"))
    record = read_record(path)
    assert record is not None
    record = record.model_copy(update={"masks": (Box(x=0, y=0, width=40, height=40),)})
    annotated = draw_png(picture.with_name(record.raw_image).read_bytes(), record)
    stamp = AnnotationStamp(
        inputs=annotation_inputs(record), image_sha256=sha256(annotated).hexdigest()
    )
    picture.write_bytes(annotated)
    path.write_text(record_json(record.model_copy(update={"annotation": stamp})), "utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("fresh")
    shutil.copytree(ROOT / "screenshots", tmp / "shots")
    return tmp


def test_only_the_edition_whose_pictures_changed_is_rebuilt(project: Path) -> None:
    status, stderr = guide(project)
    assert status == 0, stderr
    assert "wrote" in stderr and "android/index.html" in stderr and "iphone/index.html" in stderr
    html = {d: project / "out" / d / "index.html" for d in ("android", "iphone")}
    built = {d: path.stat().st_mtime_ns for d, path in html.items()}

    status, stderr = guide(project)
    assert status == 0
    assert "nothing changed since the editions were built" in stderr
    assert {d: path.stat().st_mtime_ns for d, path in html.items()} == built

    picture = next((project / "shots" / "android" / "notices").glob("01-*[!w].png"))
    reapprove_with_a_mask(picture)
    status, stderr = guide(project)
    assert status == 0, stderr
    assert "the iphone edition is up to date" in stderr
    assert "android/index.html" in stderr and "iphone/index.html" not in stderr
    assert html["iphone"].stat().st_mtime_ns == built["iphone"]

    status, stderr = guide(project, "--force")
    assert status == 0
    assert "iphone/index.html" in stderr and "android/index.html" in stderr
