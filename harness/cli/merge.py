"""`guideshot merge`: the report folders of `check --shard i/n` joined into one report, one
JUnit file and one verdict, as one unsharded `check` would have written them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from harness.cli.common import USAGE_ERROR
from harness.console import fail


def register(verbs: Any) -> None:
    parser = verbs.add_parser(
        "merge", help="join the partial reports of `check --shard i/n` into one report"
    )
    parser.add_argument(
        "partials", nargs="+", type=Path, metavar="DIR", help="each shard's --report folder"
    )
    parser.add_argument(
        "--report",
        type=Path,
        default=Path("report"),
        metavar="DIR",
        help="where the merged HTML, JUnit and JSON reports go (default: report)",
    )
    parser.set_defaults(handler=merge_command)


def merge_command(args: argparse.Namespace) -> int:
    from harness.cli.check import conclude
    from harness.report import write_reports
    from harness.report.merge import MergeError, copy_images, merge_reports, read_partial

    out: Path = args.report
    try:
        partials = [read_partial(folder) for folder in args.partials]
        report = merge_reports(partials)
    except MergeError as exc:
        fail(str(exc))
        return USAGE_ERROR
    if any(partial.folder.resolve() == out.resolve() for partial in partials):
        fail(f"--report {out}: choose a folder other than the shards' own")
        return USAGE_ERROR
    copy_images(partials, out)
    paths = write_reports(report, out)
    return conclude(report, paths.html)
