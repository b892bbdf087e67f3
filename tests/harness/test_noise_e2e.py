"""Rendering noise is measured, not guessed (issue 20), through `guideshot run` and `check`
as subprocesses, on a loopback site (noise_site.py) whose one word lands a fraction of a
pixel elsewhere on each load, and whose other word can change colour after approval.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.harness.noise_site import NOISY_FLOW, NoiseSettings, noise_site

pytestmark = pytest.mark.slow

GUIDESHOT = str(Path(sys.executable).parent / "guideshot")
CHANGED_COLOR = "#333333"  # the steady word, a little lighter than black: a real, tiny change


@dataclass(frozen=True)
class Check:
    status: int
    output: str
    document: dict[str, Any]  # report.json
    report: Path

    def steps(self) -> list[dict[str, Any]]:
        return [s for flow in self.document["report"]["flows"] for s in flow["steps"]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "noisy.yaml").write_text(NOISY_FLOW, encoding="utf-8")
    return tmp_path


@pytest.fixture
def settings() -> NoiseSettings:
    return NoiseSettings()


@pytest.fixture
def site(settings: NoiseSettings) -> Iterator[str]:
    with noise_site(settings) as url:
        yield url


def guideshot(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [GUIDESHOT, *args, "--scenarios", "scenarios", "--device", "android"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def approve(project: Path, url: str, settings: NoiseSettings) -> Counter[str]:
    """Capture the approved screenshots; how often one run loads each page."""
    done = guideshot(project, "run", "--base-url", url, "--out", "shots")
    assert done.returncode == 0, done.stderr
    assert len(list((project / "shots" / "android" / "noisy").glob("*.raw.png"))) == 2
    assert set(settings.loads) == {"/", "/next"}
    return Counter(settings.loads)


def runs(loads: Counter[str], times: int) -> int:
    """How often the second page is loaded by `times` runs of the flow (the start page may
    be loaded once more by `run` than by `check`: the second page counts the runs)."""
    return loads["/next"] * times


def check(project: Path, url: str) -> Check:
    done = guideshot(
        project, "check", "--base-url", url, "--baseline", "shots", "--report", "report"
    )
    document = json.loads((project / "report" / "report.json").read_text(encoding="utf-8"))
    return Check(done.returncode, done.stderr, document, project / "report")


def test_text_that_moves_by_a_fraction_of_a_pixel_is_noise_not_drift(
    project: Path, site: str, settings: NoiseSettings
) -> None:
    one_run = approve(project, site, settings)
    result = check(project, site)
    assert result.status == 0, result.output
    assert settings.loads["/next"] == runs(one_run, 3)  # approve, check and one second capture
    assert result.document["counts"]["noise"] == 2
    assert result.document["counts"]["drift"] == 0
    assert result.document["drift_found"] is False
    for step in result.steps():
        assert step["status"] == "noise"
        (difference,) = step["differences"]
        assert difference["kind"] == "rendering noise"
        assert "a second capture in a fresh browser differs there too" in difference["sentence"]
        assert step["mismatched_pixels"] > 0
        assert (result.report / step["diff_image"]).is_file()  # the noisy areas, shown
    assert "steps: 2 noise" in result.output
    assert "no drift: every step matches its approved screenshot (2 with rendering noise only)" in (
        result.output
    )
    junit = ET.parse(result.report / "junit.xml").getroot()
    assert junit.get("failures") == "0"
    assert len(junit.findall(".//system-out")) == 2
    (noise,) = junit.findall(".//property[@name='guideshot.noise']")
    assert noise.get("value") == "2"
    html = (result.report / "index.html").read_text(encoding="utf-8")
    assert html.count('class="step failing status-noise"') == 2
    summary = (result.report / "summary.md").read_text(encoding="utf-8")
    assert "Steps: 2 noise." in summary


def test_a_tiny_change_the_same_on_every_load_is_drift(
    project: Path, site: str, settings: NoiseSettings
) -> None:
    settings.jitter = False
    one_run = approve(project, site, settings)
    unchanged = check(project, site)
    assert unchanged.status == 0, unchanged.output
    assert unchanged.document["counts"]["match"] == 2, unchanged.output
    assert settings.loads["/next"] == runs(one_run, 2), "an unchanged check ran a second capture"

    settings.steady_color = CHANGED_COLOR
    result = check(project, site)
    assert result.status == 1, result.output
    assert settings.loads["/next"] == runs(one_run, 4)  # the change was captured twice
    assert result.document["counts"]["drift"] == 2, result.output
    assert result.document["counts"]["noise"] == 0
    for step in result.steps():
        assert step["status"] == "drift"
        (difference,) = step["differences"]
        assert difference["kind"] == "pixels changed"
        assert (
            "a second capture in a fresh browser repeated it (1 of 1 area)"
            in (difference["sentence"])
        )
    assert "drift found" in result.output


def test_a_change_in_one_area_is_drift_while_another_area_is_noisy(
    project: Path, site: str, settings: NoiseSettings
) -> None:
    one_run = approve(project, site, settings)
    settings.steady_color = CHANGED_COLOR
    result = check(project, site)
    assert result.status == 1, result.output
    assert settings.loads["/next"] == runs(one_run, 3)
    assert result.document["counts"]["drift"] == 2
    for step in result.steps():
        assert step["status"] == "drift"
        (difference,) = step["differences"]
        assert difference["kind"] == "pixels changed"
        # the colour change repeated, the moving word's areas did not: drift, not noise
        repeated = re.search(r"repeated it \(1 of (\d+) areas\)$", difference["sentence"])
        assert repeated is not None, difference["sentence"]
        assert int(repeated.group(1)) >= 2
        assert " changed in 1 area;" in difference["sentence"]
