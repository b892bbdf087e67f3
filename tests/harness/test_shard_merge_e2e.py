"""Three shards merged give the same verdict, report, JUnit and JSON as one unsharded run.

Through the CLI in-process, against a simulator started here on a free loopback port (every
run is pointed at it with --base-url, so the reports name the same address). The baseline
is a copy of the approved screenshots with one screen swapped (pixel drift, with diff
images) and one step removed (new), so the verdict being compared is not a trivial pass.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.capture import CaptureRecord
from harness.cli import main
from simulator import create_app
from simulator.server import start_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ("login-userid", "register-userid")  # × android, iphone: four jobs for three shards


def guideshot(cwd: Path, *args: str) -> tuple[int, str]:
    cwd.mkdir(parents=True, exist_ok=True)
    stderr = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(stderr):
        patch.chdir(cwd)
        status = main(list(args))
    return status, stderr.getvalue()


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = start_server(create_app())
    try:
        yield server.url
    finally:
        server.close()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("baseline") / "screenshots"
    for device in ("android", "iphone"):
        for flow in FLOWS:
            shutil.copytree(ROOT / "screenshots" / device / flow, root / device / flow)
    swapped = root / "android" / "login-userid"
    raws = sorted(swapped.glob("*.raw.png"))
    shutil.copyfile(raws[1], raws[0])  # step ① approved as step ②'s screen: pixel drift
    record_path = raws[0].with_name(raws[0].name.replace(".raw.png", ".json"))
    record = CaptureRecord.model_validate_json(record_path.read_bytes())
    digest = hashlib.sha256(raws[0].read_bytes()).hexdigest()  # (its record agreeing)
    record_path.write_text(record.model_copy(update={"raw_sha256": digest}).model_dump_json())
    for path in sorted((root / "iphone" / "register-userid").glob("04-*")):
        path.unlink()  # step ④ never approved: new
    return root


def check(cwd: Path, base_url: str, baseline: Path, report: Path, *extra: str) -> int:
    flows = [arg for flow in FLOWS for arg in ("--flow", flow)]
    status, _ = guideshot(
        cwd,
        "check",
        *flows,
        "--scenarios",
        str(ROOT / "scenarios"),
        "--base-url",
        base_url,
        "--baseline",
        str(baseline),
        "--report",
        str(report),
        *extra,
    )
    return status


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_three_shards_merged_equal_one_run(tmp_path: Path, base_url: str, baseline: Path) -> None:
    whole = check(tmp_path / "whole", base_url, baseline, tmp_path / "whole" / "report")
    assert whole == 1  # drift and a new step

    statuses = []
    for index in (1, 2, 3):
        cwd = tmp_path / f"shard{index}"
        statuses.append(check(cwd, base_url, baseline, cwd / "report", "--shard", f"{index}/3"))
        info = json.loads((cwd / "report" / "shard.json").read_text())
        assert (info["index"], info["count"]) == (index, 3)
    # Equal costs split in key order: shard 1 has both changed jobs, the others pass alone.
    assert statuses == [1, 0, 0]

    merged_dir = tmp_path / "merged"
    shards = [str(tmp_path / f"shard{index}" / "report") for index in (3, 1, 2)]  # any order
    status, printed = guideshot(tmp_path, "merge", *shards, "--report", str(merged_dir))
    assert status == whole
    assert "drift found" in printed

    expected, merged = files(tmp_path / "whole" / "report"), files(merged_dir)
    assert sorted(merged) == sorted(expected)
    for name in ("report.json", "junit.xml", "index.html"):
        assert merged[name] == expected[name], name
    images = [name for name in expected if name.startswith("images/")]
    assert any(name.endswith("-diff.png") for name in images)
    assert all(merged[name] == expected[name] for name in images)


def test_merge_refuses_an_incomplete_set(tmp_path: Path, base_url: str, baseline: Path) -> None:
    cwd = tmp_path / "one"
    check(cwd, base_url, baseline, cwd / "report", "--flow", "login-userid", "--shard", "1/2")
    status, printed = guideshot(tmp_path, "merge", str(cwd / "report"))
    assert status == 2
    assert printed.strip() == (
        "error: merge: shard 2/2 missing; give each shard's report folder exactly once"
    )
