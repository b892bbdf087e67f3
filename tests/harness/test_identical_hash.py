"""An unchanged `check` is nearly free beyond the run: a raw capture whose hash equals the
approved file's is a match without decoding either image or comparing a pixel."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import ImageFile

import harness.drift.step
from harness.capture.results import FlowResult, StepCapture
from harness.drift.flow import ReportImages, approved_captures, judge_flow
from harness.drift.verdict import StepStatus
from harness.scenario.load import load_all

ROOT = Path(__file__).resolve().parents[2]
FLOW = next(f for f in load_all(ROOT / "scenarios") if f.id == "login-userid")
APPROVED = ROOT / "screenshots" / "iphone" / "login-userid"


def test_identical_raw_captures_match_without_pixel_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = tmp_path / "shots"
    shutil.copytree(APPROVED, baseline / "iphone" / "login-userid")
    captures = [
        StepCapture(record=record, raw_png=raw.read_bytes())
        for _number, found in sorted(approved_captures(APPROVED).items())
        if isinstance(found, tuple)
        for record, raw in [found]
    ]

    def no_pixel_work(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("pixels were decoded or compared for identical captures")

    monkeypatch.setattr(harness.drift.step, "compare_images", no_pixel_work)
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_pixel_work)
    result = FlowResult(flow=FLOW.id, device="iphone", captures=captures)
    verdict = judge_flow(FLOW, result, baseline, ReportImages(tmp_path / "report"))
    assert [step.status for step in verdict.steps] == [StepStatus.MATCH] * len(captures)
