"""The limits on unpacking a report zip, as options of the verbs that open one."""

from __future__ import annotations

import argparse
import os

from harness.report.unzip import ENVIRONMENT, ZipLimits, at_least_one, limits_from


def _limit(text: str) -> float:
    try:
        return at_least_one(text)
    except ValueError:
        raise argparse.ArgumentTypeError("give a number of 1 or more") from None


def add_zip_limits(parser: argparse.ArgumentParser) -> None:
    defaults = ZipLimits()
    group = parser.add_argument_group(
        "report zips",
        "a zip is refused, and nothing of it kept, past any of these limits (a real report "
        "is far below them: 168 steps are 119 MiB in 742 entries, compressed 21:1 at most)",
    )
    group.add_argument(
        "--max-unpacked-mb",
        type=_limit,
        metavar="MiB",
        help="its files' size in all, unpacked (default: "
        f"${ENVIRONMENT['max_unpacked_mb']} or {defaults.max_unpacked_mb:g})",
    )
    group.add_argument(
        "--max-entries",
        type=_limit,
        metavar="N",
        help=f"its files and folders (default: ${ENVIRONMENT['max_entries']} or "
        f"{defaults.max_entries})",
    )
    group.add_argument(
        "--max-ratio",
        type=_limit,
        metavar="N",
        help="one file's unpacked size over its compressed size, past its first MiB "
        f"(default: ${ENVIRONMENT['max_ratio']} or {defaults.max_ratio:g})",
    )


def zip_limits_of(args: argparse.Namespace) -> ZipLimits:
    """The options given, else the environment, else the defaults (LimitError if bad)."""
    return limits_from(
        os.environ,
        max_unpacked_mb=args.max_unpacked_mb,
        max_entries=args.max_entries,
        max_ratio=args.max_ratio,
    )
