"""Partial results of `check --shard i/n`, and joining them into one unsharded report.

A shard's report folder holds the usual report.json plus shard.json: which shard it was and
the whole plan (flow × device keys in plan order), so the merged report lists flows exactly
as one unsharded run would, whatever order the shards finish in.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from harness.drift.verdict import CheckReport, FlowVerdict
from harness.files import write_text_atomic
from harness.report.bundle import CAPTURES
from harness.report.json_report import load_json

PARTIAL_FILE = "shard.json"
PARTS = ("images", CAPTURES)  # the folders of a shard's report that merge copies
FORMAT = "guideshot-shard/1"


class MergeError(ValueError):
    """Partial results that cannot be joined (exit status 2, one line)."""


class ShardInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: str = FORMAT
    index: int
    count: int
    plan: list[tuple[str, str]]  # (flow, device) of the whole, unsharded plan


def write_shard_info(folder: Path, index: int, count: int, plan: list[tuple[str, str]]) -> Path:
    info = ShardInfo(index=index, count=count, plan=plan)
    path = folder / PARTIAL_FILE
    write_text_atomic(path, json.dumps(info.model_dump(mode="json"), indent=1) + "\n")
    return path


@dataclass(frozen=True)
class Partial:
    folder: Path
    info: ShardInfo
    report: CheckReport


def read_partial(folder: Path) -> Partial:
    """A shard's folder, from another machine: a link anywhere in what merge reads or copies
    is refused, so the merged report never carries a file from outside the shards."""
    info_path, report_path = folder / PARTIAL_FILE, folder / "report.json"
    for path in (info_path, report_path):
        if not path.is_file():
            raise MergeError(
                f"{folder}: no {path.name}; give the --report folders of `check --shard i/n`"
            )
    for path in (info_path, report_path, *(folder / part for part in PARTS)):
        link = _first_link(path)
        if link is not None:
            raise MergeError(
                f"{link}: a symbolic link in a shard's report; a report holds only the files "
                "`check` wrote — give the shard's folder as `check` left it"
            )
    try:
        info = ShardInfo.model_validate_json(info_path.read_bytes())
        report = load_json(report_path.read_text(encoding="utf-8"))
    except (ValidationError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0]
        raise MergeError(f"{folder}: not a shard's partial result ({first})") from None
    if info.format != FORMAT:
        raise MergeError(f"{folder}/{PARTIAL_FILE}: format {info.format!r}, expected {FORMAT}")
    return Partial(folder, info, report)


def merge_reports(partials: Sequence[Partial]) -> CheckReport:
    """One report, flows in the unsharded plan's order; every shard exactly once."""
    if not partials:
        raise MergeError("merge: give the report folders of every shard")
    first = partials[0].info
    for partial in partials:
        if partial.info.count != first.count or partial.info.plan != first.plan:
            raise MergeError(
                f"{partial.folder}: shard {partial.info.index}/{partial.info.count} is from "
                f"another plan than {partials[0].folder} (same scenarios, devices and "
                "--shard i/N for every shard)"
            )
    indexes = sorted(partial.info.index for partial in partials)
    if indexes != list(range(1, first.count + 1)):
        missing = sorted(set(range(1, first.count + 1)) - set(indexes))
        repeated = sorted({i for i in indexes if indexes.count(i) > 1})
        problem = (
            f"shard {', '.join(f'{i}/{first.count}' for i in missing)} missing"
            if missing
            else f"shard {', '.join(f'{i}/{first.count}' for i in repeated)} given twice"
        )
        raise MergeError(f"merge: {problem}; give each shard's report folder exactly once")
    by_key: dict[tuple[str, str], FlowVerdict] = {}
    for partial in partials:
        for flow in partial.report.flows:
            by_key[(flow.flow, flow.device)] = flow
    flows = [by_key[key] for key in first.plan if key in by_key]
    urls = list(dict.fromkeys(partial.report.base_url for partial in partials))
    return CheckReport(base_url=", ".join(urls), flows=flows)


def copy_images(partials: Sequence[Partial], out: Path) -> None:
    """Each shard's report images and the captures `approve --from` takes (disjoint: one
    folder per device and flow) into `out`, a new folder: nothing older survives in it."""
    for partial in partials:
        for part in PARTS:
            found = partial.folder / part
            if found.is_dir():
                shutil.copytree(found, out / part, dirs_exist_ok=True)


def _first_link(folder: Path) -> Path | None:
    if folder.is_symlink():
        return folder
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            if (Path(root) / name).is_symlink():
                return Path(root) / name
    return None
