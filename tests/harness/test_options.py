"""Numeric options out of range are one usage line and exit status 2, before anything runs:
a --flow-timeout of 0, -5, nan or inf would otherwise fail every flow as "timed out"."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli import main
from harness.cli.options import MAX_SECONDS, seconds

USAGE_ERROR = 2


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The one line argparse printed for `argv`, after checking it exited with status 2."""
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == USAGE_ERROR
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err
    return captured.err.rstrip("\n")


@pytest.mark.parametrize("value", ["0", "-5", "nan", "inf", "-inf", "1e400", "ten", "90000"])
@pytest.mark.parametrize("verb", ["check", "run"])
def test_flow_timeout_must_be_positive_finite_seconds(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], verb: str, value: str
) -> None:
    line = refused([verb, f"--flow-timeout={value}"], capsys)
    assert line == (
        f"error: guideshot {verb}: --flow-timeout: {value!r}: give a number of seconds above 0 "
        f"and at most 86400, e.g. 300 (see `guideshot {verb} --help`)"
    )
    assert list(in_tmp.iterdir()) == []


@pytest.mark.parametrize("value", ["0.5", "300", "86400"])
def test_flow_timeout_takes_any_positive_seconds_up_to_a_day(value: str) -> None:
    assert 0 < seconds(value) <= MAX_SECONDS


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["run", "-j", "0"], "-j/--workers: '0': must be 1 or more"),
        (["check", "-j", "-2"], "-j/--workers: '-2': must be 1 or more"),
        (["check", "-j", "two"], "-j/--workers: 'two' is not a whole number; give 1 or more"),
        (
            ["serve", "--port", "70000"],
            "--port: '70000': give a port from 1 to 65535, or 0 for a free one",
        ),
        (
            ["serve", "--port", "-1"],
            "--port: '-1': give a port from 1 to 65535, or 0 for a free one",
        ),
        (
            ["review", "--port", "65536"],
            "--port: '65536': give a port from 1 to 65535, or 0 for a free one",
        ),
        (["approve", "--flow", "f", "--step", "0"], "--step: '0': must be 1 or more"),
        (["approve", "--flow", "f", "--step", "-3"], "--step: '-3': must be 1 or more"),
    ],
)
def test_counts_and_ports_out_of_range_are_one_line(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    verb = argv[0]
    assert refused(argv, capsys) == (
        f"error: guideshot {verb}: {expected} (see `guideshot {verb} --help`)"
    )


@pytest.mark.parametrize("shard", ["0/3", "4/3", "1/0", "a/b"])
def test_a_shard_out_of_range_is_one_line(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], shard: str
) -> None:
    Path("scenarios").mkdir()
    assert main(["check", "--shard", shard]) == USAGE_ERROR
    line = capsys.readouterr().err
    assert line.startswith(f"error: --shard {shard}: ") and line.count("\n") == 1
    assert not Path("report").exists()
