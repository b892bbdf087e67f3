"""`guideshot guide` (the CLI, as a subprocess) writes a video per flow and device on a
small project of its own, says which are up to date, and re-encodes only what changed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import av
import pytest

pytestmark = pytest.mark.slow  # end-to-end runs through the CLI, real encodes

ROOT = Path(__file__).resolve().parents[2]
GUIDESHOT = ROOT / ".venv" / "bin" / "guideshot"
FLOWS = ["login-userid", "notices"]
DEVICES = ["android", "iphone"]
CONFIG = """\
title: 動画の手引き
name: video-guide
editions:
  - {device: android, label: Android}
  - {device: iphone, label: iPhone}
sites:
  nenkin: {path: /nenkin/, host: www3.idpass-net.nenkin.go.jp}
chapters:
  - number: "1"
    title: ログインと通知
    sections:
      - label: 2-B 「ねんきんネット」のログイン方法
        flows: [login-userid]
      - label: 3-A こんな時に「ねんきんネット」
        flows: [notices]
"""


def guide(project: Path) -> str:
    result = subprocess.run(
        [str(GUIDESHOT), "guide", "--no-pdf", "--out", "out"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Two flows of the ねんきんネット guide with their approved pictures, nothing else."""
    (tmp_path / "guide.yaml").write_text(CONFIG, encoding="utf-8")
    shutil.copytree(ROOT / "scenarios" / "fragments", tmp_path / "scenarios" / "fragments")
    for flow in FLOWS:
        shutil.copy(ROOT / "scenarios" / f"{flow}.yaml", tmp_path / "scenarios")
        for device in DEVICES:
            source = ROOT / "screenshots" / device / flow
            shutil.copytree(source, tmp_path / "screenshots" / device / flow)
    return tmp_path


def video(project: Path, device: str, flow: str) -> Path:
    return project / "out" / device / "video" / f"{flow}.mp4"


def test_guide_writes_a_video_per_flow_and_device_and_rebuilds_only_what_changed(
    project: Path,
) -> None:
    said = guide(project)
    for device in DEVICES:
        for flow in FLOWS:
            assert f"wrote out/{device}/video/{flow}.mp4" in said
            with av.open(str(video(project, device, flow))) as container:
                stream = container.streams.video[0]
                assert stream.codec_context.name == "h264"
                assert sum(1 for _ in container.decode(stream)) > 100
    before = {(d, f): video(project, d, f).read_bytes() for d in DEVICES for f in FLOWS}

    assert "nothing changed since the editions were built" in guide(project)

    # A flow's title changed: its title card, so its video, in both editions; nothing else.
    scenario = project / "scenarios" / "notices.yaml"
    text = scenario.read_text("utf-8")
    scenario.write_text(text.replace("title: それでは、", "title: "), encoding="utf-8")
    said = guide(project)
    for device in DEVICES:
        assert f"wrote out/{device}/video/notices.mp4" in said
        assert f"video: {device} login-userid is up to date" in said
        assert f"out/{device}/video/login-userid.mp4" not in said
        unchanged = video(project, device, "login-userid").read_bytes()
        assert unchanged == before[(device, "login-userid")]
        assert video(project, device, "notices").read_bytes() != before[(device, "notices")]

    video(project, "iphone", "login-userid").unlink()  # a video gone: its edition is stale
    said = guide(project)
    assert "wrote out/iphone/video/login-userid.mp4" in said
    assert "video: iphone notices is up to date" in said
    assert (
        video(project, "iphone", "login-userid").read_bytes() == before[("iphone", "login-userid")]
    )
