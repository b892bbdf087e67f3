"""`guideshot merge`: the report folders of `check --shard i/n` joined into one report, one
JUnit file and one verdict, as one unsharded `check` would have written them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from harness.cli.common import USAGE_ERROR
from harness.console import fail
from harness.errors import PlainError


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
    from harness.report.folder import new_report, refusal
    from harness.report.merge import MergeError, copy_images, merge_reports, read_partial
    from harness.store.lock import baseline_lock

    out: Path = args.report
    try:
        partials = [read_partial(folder) for folder in args.partials]
        report = merge_reports(partials)
        for partial in partials:
            shard, target = partial.folder.resolve(), out.resolve()
            if shard == target or target in shard.parents or shard in target.parents:
                fail(
                    f"--report {out}: choose a folder apart from the shards' own ({partial.folder})"
                )
                return USAGE_ERROR
        problem = refusal(out)  # before the lock, which is taken beside it
        if problem is not None:
            fail(problem)
            return USAGE_ERROR
        # Written fresh beside `out` and switched in whole: no older check's captures
        # survive to be approved from a merged report that never judged them.
        with baseline_lock(out, "merge"), new_report(out) as aside:
            copy_images(partials, aside.path)
            write_reports(report, aside.path)
            aside.commit()
    except (MergeError, PlainError) as exc:  # ReportFolderError, the lock's problems
        fail(str(exc))
        return USAGE_ERROR
    except OSError as exc:
        fail(f"could not write the merged report: {exc.strerror or exc}; {out} is as it was")
        return USAGE_ERROR
    return conclude(report, out / "index.html")
