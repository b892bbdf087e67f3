"""--shard i/n: every job in exactly one shard, shards even by expected cost, the same split
on every machine; bad specs are one line and exit status 2 through the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from harness.capture.cost import expected_cost, job_key, longest_first
from harness.capture.devices import resolve_device
from harness.capture.pipeline import Job, plan_jobs
from harness.capture.selection import SelectionError
from harness.capture.shard import Shard
from harness.scenario.load import load_all

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def plan() -> list[Job]:
    with sync_playwright() as playwright:
        devices = [resolve_device(playwright, name) for name in ("android", "iphone")]
    return plan_jobs(load_all(ROOT / "scenarios"), devices)


@pytest.mark.parametrize("count", [1, 2, 3, 5, 20, 25])
def test_shards_partition_the_plan_in_plan_order(plan: list[Job], count: int) -> None:
    shards = [Shard(index, count).select(plan) for index in range(1, count + 1)]
    keys = [job_key(job) for shard in shards for job in shard]
    assert sorted(keys) == sorted(job_key(job) for job in plan)
    assert len(keys) == len(set(keys))
    positions = {job_key(job): n for n, job in enumerate(plan)}
    for shard in shards:
        assert [positions[job_key(job)] for job in shard] == sorted(
            positions[job_key(job)] for job in shard
        )


def test_shards_are_even_by_expected_cost(plan: list[Job]) -> None:
    totals = [sum(map(expected_cost, Shard(i, 3).select(plan))) for i in (1, 2, 3)]
    assert max(totals) - min(totals) <= max(map(expected_cost, plan))
    assert sum(totals) == sum(map(expected_cost, plan))


def test_the_split_does_not_depend_on_the_order_jobs_are_listed_in(plan: list[Job]) -> None:
    reordered = list(reversed(plan))
    for index in (1, 2, 3):
        assert {job_key(j) for j in Shard(index, 3).select(plan)} == {
            job_key(j) for j in Shard(index, 3).select(reordered)
        }


def test_longest_flows_start_first(plan: list[Job]) -> None:
    costs = [expected_cost(job) for job in longest_first(plan)]
    assert costs == sorted(costs, reverse=True)
    assert costs[0] > costs[-1]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("4/3", "--shard 4/3: the shard number must be between 1 and 3 (e.g. --shard 1/3)"),
        ("0/3", "--shard 0/3: the shard number must be between 1 and 3 (e.g. --shard 1/3)"),
        ("1/0", "--shard 1/0: the shard number must be between 1 and 1 (e.g. --shard 1/1)"),
        ("2", "--shard 2: write it as i/n, e.g. --shard 1/3 for the first of three"),
    ],
)
def test_bad_shard_specs_are_refused(spec: str, message: str) -> None:
    with pytest.raises(SelectionError) as raised:
        Shard.parse(spec)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["check", "--shard", "4/3"], "error: --shard 4/3: the shard number must be between 1"),
        (["run", "--shard", "x/y"], "error: --shard x/y: write it as i/n"),
        (["check", "--connect", "http://127.0.0.1:1/"], "error: --connect http://127.0.0.1:1/:"),
        (["merge", "nowhere"], "error: nowhere: no shard.json;"),
    ],
)
def test_bad_options_give_one_line_and_exit_2(args: list[str], line: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "harness", *args, "--scenarios", str(ROOT / "scenarios")]
        if args[0] != "merge"
        else [sys.executable, "-m", "harness", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(line)
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_ci_runs_every_shard_and_merges_them() -> None:
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "guide-check.yml").read_text())
    check, merge = workflow["jobs"]["check"], workflow["jobs"]["merge"]
    shards = check["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1))
    commands = " ".join(step.get("run", "") for step in check["steps"])
    assert f"--shard ${{{{ matrix.shard }}}}/{len(shards)}" in commands
    assert merge["needs"] == "check" and merge["if"] == "always()"
    assert "guideshot merge" in " ".join(step.get("run", "") for step in merge["steps"])
