"""`guideshot run` end to end, the way a user runs it: harness.cli.main in-process.

Each run works in its own temporary folder (staging goes to .guideshot/ beside --out) and writes
under --out there, so the repository's screenshots/ is never touched.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from harness.annotate import box_rect, clip_rect, grow, to_px
from harness.capture import CaptureRecord
from harness.cli import main
from harness.scenario import Flow
from harness.scenario.load import load_flow
from harness.theme import DEFAULT_THEME
from simulator import create_app
from simulator.server import start_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
STEM = re.compile(r"^(\d{2})-[^\s./\\]+$")


@dataclass(frozen=True)
class Device:
    name: str
    flow: str
    scale: float
    viewport: tuple[int, int]


ANDROID = Device("android", "search-android", 2.625, (412, 839))
IPHONE = Device("iphone", "search-iphone", 3.0, (390, 664))


@dataclass(frozen=True)
class Run:
    status: int
    stderr: str
    cwd: Path  # where the command ran
    out: Path  # the --out folder

    def flow_dir(self, device: str, flow: str) -> Path:
        return self.out / device / flow


def guideshot(cwd: Path, *args: str) -> tuple[int, str]:
    """Run the CLI in-process from `cwd`; (exit status, everything it printed on stderr)."""
    stderr = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(stderr):
        patch.chdir(cwd)
        status = main(list(args))
    return status, stderr.getvalue()


def run_flow(cwd: Path, device: Device, out: Path, *extra: str) -> Run:
    cwd.mkdir(parents=True, exist_ok=True)
    status, stderr = guideshot(
        cwd,
        "run",
        "--flow",
        device.flow,
        "--device",
        device.name,
        "--scenarios",
        str(SCENARIOS),
        "--out",
        str(out),
        *extra,
    )
    return Run(status=status, stderr=stderr, cwd=cwd, out=out)


class EmbeddedRuns:
    """One run per device against the embedded simulator, made on first use, shared."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.runs: dict[str, Run] = {}

    def get(self, device: Device) -> Run:
        if device.name not in self.runs:
            cwd = self.root / device.name
            self.runs[device.name] = run_flow(cwd, device, cwd / "shots")
        return self.runs[device.name]


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedRuns:
    return EmbeddedRuns(tmp_path_factory.mktemp("embedded"))


def scenario(flow_id: str) -> Flow:
    return load_flow(SCENARIOS / f"{flow_id}.yaml", fragments_dir=SCENARIOS / "fragments")


def records(folder: Path) -> list[CaptureRecord]:
    return [
        CaptureRecord.model_validate_json(path.read_bytes())
        for path in sorted(folder.glob("*.json"))
    ]


def pngs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.png"))}


def red_share(image: Image.Image, record: CaptureRecord) -> list[float]:
    """For each highlight: the share of the theme's box colour in the stroke's ring."""
    pixels = np.asarray(image.convert("RGB"))
    size = (pixels.shape[1], pixels.shape[0])
    red = np.all(pixels == np.array(DEFAULT_THEME.box_color, dtype=np.uint8), axis=2)
    scale = record.environment.scale
    shares = []
    for box in record.highlights:
        inner = box_rect(box, scale, DEFAULT_THEME.box_padding)
        outer = clip_rect(grow(inner, to_px(DEFAULT_THEME.box_stroke, scale)), size)
        assert outer is not None, f"step {record.number}: highlight {box} is off the image"
        ring = np.zeros(red.shape, dtype=bool)
        ring[outer[1] : outer[3], outer[0] : outer[2]] = True
        hole = clip_rect(inner, size)
        if hole is not None:
            ring[hole[1] : hole[3], hole[0] : hole[2]] = False
        shares.append(float(red[ring].mean()))
    return shares


@pytest.mark.parametrize("device", [ANDROID, IPHONE], ids=lambda d: d.name)
def test_one_flow_end_to_end(embedded: EmbeddedRuns, device: Device) -> None:
    run = embedded.get(device)
    assert run.status == 0, run.stderr
    assert "6 captures: 6 new, 0 unchanged, 0 changed; 0 of 1 flows failed" in run.stderr
    folder = run.flow_dir(device.name, device.flow)
    names = sorted(path.name for path in folder.iterdir())
    stems = sorted({name.split(".")[0] for name in names})
    assert len(names) == 18
    assert [STEM.match(stem) is not None for stem in stems] == [True] * 6, stems
    assert [stem[:2] for stem in stems] == ["01", "02", "03", "04", "05", "06"]
    for stem in stems:
        assert {f"{stem}.png", f"{stem}.raw.png", f"{stem}.json"} <= set(names)

    flow = scenario(device.flow)
    captions = {step.number: step.caption for step in flow.numbered}
    actions = {step.number: step.action.action for step in flow.numbered}
    found = records(folder)
    assert [record.number for record in found] == [1, 2, 3, 4, 5, 6]
    width, height = device.viewport
    for record in found:
        assert record.flow == device.flow and record.device == device.name
        assert record.caption == captions[record.number]
        assert record.action == actions[record.number]
        assert record.image == f"{Path(record.image).stem}.png"
        assert record.image.startswith(f"{record.number:02d}-")
        assert record.raw_image == record.image.removesuffix(".png") + ".raw.png"
        assert record.url.startswith("/") and not record.url.startswith("//"), record.url
        assert record.environment.scale == device.scale
        assert record.environment.viewport == device.viewport
        if record.action == "tap":
            box = record.target_box
            assert box is not None, f"step {record.number}: a tap step without a target box"
            assert box.x >= 0 and box.x + box.width <= width
            assert box.y >= 0 and box.y + box.height <= height
            assert record.highlights, f"step {record.number}: nothing boxed for a tap step"

        with Image.open(folder / record.raw_image) as raw_file:
            raw = raw_file.convert("RGB")
        with Image.open(folder / record.image) as annotated_file:
            annotated = annotated_file.convert("RGB")
        assert raw.size == annotated.size
        assert abs(raw.width - width * device.scale) <= 1
        assert abs(raw.height - height * device.scale) <= 1
        # The red stroke surrounds each highlight in the annotated image, not in the raw one.
        assert all(share > 0.85 for share in red_share(annotated, record)), record.number
        assert all(share < 0.01 for share in red_share(raw, record)), record.number
    assert found[-1].url == "/nenkin/" and not found[-1].highlights


def test_runs_are_deterministic(embedded: EmbeddedRuns, tmp_path: Path) -> None:
    first = embedded.get(ANDROID)
    second = run_flow(tmp_path, ANDROID, tmp_path / "again")
    assert first.status == second.status == 0, second.stderr
    before = pngs(first.flow_dir(ANDROID.name, ANDROID.flow))
    after = pngs(second.flow_dir(ANDROID.name, ANDROID.flow))
    assert len(before) == 12
    assert sorted(before) == sorted(after)
    differing = [name for name in before if before[name] != after[name]]
    assert differing == []


def test_run_never_replaces_an_approved_screen(embedded: EmbeddedRuns, tmp_path: Path) -> None:
    approved = tmp_path / "approved"
    shutil.copytree(embedded.get(ANDROID).out, approved)
    folder = approved / ANDROID.name / ANDROID.flow
    edited = next(folder.glob("03-*.raw.png"))
    original = edited.read_bytes()
    # An approved screen that differs from the capture (its record agreeing with it).
    image = Image.open(io.BytesIO(original)).convert("RGB")
    image.paste((0, 0, 255), (0, 0, 60, 60))
    image.save(edited, format="PNG")
    assert edited.read_bytes() != original
    record_path = edited.with_name(edited.name.replace(".raw.png", ".json"))
    record = CaptureRecord.model_validate_json(record_path.read_bytes())
    digest = hashlib.sha256(edited.read_bytes()).hexdigest()
    record_path.write_text(record.model_copy(update={"raw_sha256": digest}).model_dump_json())
    files_before = {path.name: (path.read_bytes(), path.stat()) for path in folder.iterdir()}

    run = run_flow(tmp_path, ANDROID, approved)

    assert run.status == 0, run.stderr
    assert "6 captures: 0 new, 5 unchanged, 1 changed" in run.stderr
    assert "1 screens differ from the approved screenshots and were not replaced" in run.stderr
    assert "`guideshot approve`" in run.stderr
    files_after = {path.name: (path.read_bytes(), path.stat()) for path in folder.iterdir()}
    assert sorted(files_after) == sorted(files_before)
    for name, (data, stat) in files_before.items():
        data_after, stat_after = files_after[name]
        assert data_after == data, f"{name} was rewritten"
        assert (stat_after.st_ino, stat_after.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns), name
    # The screen as captured waits in staging for `guideshot approve`.
    staged = tmp_path / ".guideshot" / "current" / ANDROID.name / ANDROID.flow / edited.name
    assert staged.read_bytes() == original


@pytest.fixture
def external_simulator() -> Iterator[str]:
    server = start_server(create_app())
    try:
        yield server.url
    finally:
        server.close()


def test_base_url_gives_the_same_records_and_pixels(
    embedded: EmbeddedRuns, external_simulator: str, tmp_path: Path
) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", external_simulator)
    run = run_flow(tmp_path, IPHONE, tmp_path / "shots", "--base-url", external_simulator)
    assert run.status == 0, run.stderr
    assert f"target: {external_simulator}\n" in run.stderr  # not "(embedded simulator)"
    reference = embedded.get(IPHONE).flow_dir(IPHONE.name, IPHONE.flow)
    folder = run.flow_dir(IPHONE.name, IPHONE.flow)
    urls = [record.url for record in records(folder)]
    assert urls == [record.url for record in records(reference)]
    assert all(url.startswith("/") for url in urls)
    raws = {name: data for name, data in pngs(folder).items() if name.endswith(".raw.png")}
    assert len(raws) == 6
    assert raws == {name: data for name, data in pngs(reference).items() if name in raws}


def test_a_step_that_cannot_be_performed(tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    text = (SCENARIOS / "search-android.yaml").read_text("utf-8")
    misspelt = text.replace("{role: link, name: Chrome, exact: true}", "{role: link, name: Chorme}")
    assert misspelt != text
    broken = scenarios / "search-android.yaml"
    broken.write_text(misspelt, "utf-8")
    shutil.copy(SCENARIOS / "register-userid.yaml", scenarios)
    caption = "Chrome「」を押す"
    line = misspelt.splitlines().index(f"  - caption: {caption}") + 1

    status, stderr = guideshot(
        tmp_path,
        "run",
        "--device",
        "android",
        "--scenarios",
        str(scenarios),
        "--out",
        str(tmp_path / "shots"),
    )

    assert status == 1, stderr
    assert f"{broken}:{line}: step 1 「{caption}」: " in stderr
    assert "looked for: role=link name=「Chorme」" in stderr
    # Every candidate is listed, and a target verified to match the one visible link.
    listed = "  on the page:\n    link 「Chrome」 (name from aria-label), visible at "
    assert listed in stderr, stderr
    assert "  try: {role: link, name: Chrome}" in stderr, stderr
    assert "Traceback" not in stderr
    failure = tmp_path / ".guideshot" / "failures" / "android" / "search-android"
    shot = failure / "failed-step-01.png"
    assert f"screen when it failed: {shot}" in stderr
    with Image.open(shot) as image:
        assert image.format == "PNG" and image.width > 400
    # The other flow of the same run still ran and was written; the failed one wrote nothing.
    assert "4 captures: 4 new, 0 unchanged, 0 changed; 1 of 2 flows failed" in stderr
    assert len(list((tmp_path / "shots" / "android" / "register-userid").glob("*.raw.png"))) == 4
    assert not (tmp_path / "shots" / "android" / "search-android").exists()
