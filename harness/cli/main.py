"""`guideshot` (also `python -m harness`): the parser, assembled from the verbs' modules,
and the one place that turns known errors into a line and an exit status.

Exit status: 0 clean, 1 a flow failed or drift was found, 2 usage or scenario errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from harness import __version__
from harness.capture.browser import BrowserNotFound
from harness.capture.selection import SelectionError
from harness.capture.target import TargetUnreachable
from harness.cli import (
    approve,
    check,
    guide,
    init,
    lint,
    locate,
    merge,
    record,
    review,
    run,
    serve,
)
from harness.cli.common import USAGE_ERROR
from harness.cli.options import OneLineParser
from harness.console import err, fail

VERBS = (run, check, merge, approve, review, guide, init, serve, lint, locate, record)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="guideshot",
        description="Keep printed smartphone guides true to their screens.",
        epilog="Exit status: 0 clean, 1 a flow failed or drift was found, 2 usage or scenario "
        "errors.",
    )
    parser.add_argument("--version", action="version", version=f"guideshot {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb in VERBS:
        verb.register(verbs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status: int = args.handler(args)
        return status
    except (SelectionError, BrowserNotFound, TargetUnreachable) as exc:
        fail(str(exc))
        return USAGE_ERROR
    except KeyboardInterrupt:
        err.print("interrupted: approved screenshots are untouched")
        return 130
    except BrokenPipeError:  # e.g. `guideshot schema | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
