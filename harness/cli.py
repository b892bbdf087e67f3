"""`guideshot` (also `python -m harness`): parse the command line and call the pieces.

Exit status: 0 clean, 1 a flow failed or drift was found, 2 usage or scenario errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from harness import __version__
from harness.browser import BrowserNotFound
from harness.console import err, fail
from harness.selection import SelectionError
from harness.target import TargetUnreachable

USAGE_ERROR = 2


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _add_selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--flow", action="append", default=[], metavar="ID", help="run only this flow (repeatable)"
    )
    parser.add_argument(
        "--device",
        action="append",
        default=[],
        metavar="NAME",
        help="android, iphone or a Playwright descriptor name (repeatable)",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="drive a server already running instead of the embedded simulator",
    )
    parser.add_argument(
        "-j",
        "--workers",
        type=_positive,
        default=1,
        metavar="N",
        help="browsers running at once (default 1)",
    )
    parser.add_argument(
        "--browser-path",
        metavar="PATH",
        help="Chromium binary (default: Playwright's, else the system's; also GUIDESHOT_BROWSER)",
    )
    parser.add_argument(
        "--scenarios",
        type=Path,
        default=Path("scenarios"),
        metavar="DIR",
        help="folder of scenario files (default: scenarios)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="guideshot",
        description="Keep the smartphone guide 「スマホで年金の情報を確認しよう」 true to "
        "its screens.",
        epilog="Exit status: 0 clean, 1 a flow failed or drift was found, 2 usage or scenario "
        "errors.",
    )
    parser.add_argument("--version", action="version", version=f"guideshot {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    run = verbs.add_parser("run", help="run every flow on every device and write screenshots/")
    _add_selection(run)
    run.add_argument(
        "--out",
        type=Path,
        default=Path("screenshots"),
        metavar="DIR",
        help="write captures here (default: screenshots)",
    )

    check = verbs.add_parser("check", help="re-run the flows and report drift from screenshots/")
    _add_selection(check)
    check.add_argument(
        "--baseline",
        type=Path,
        default=Path("screenshots"),
        metavar="DIR",
        help="the approved screenshots (default: screenshots)",
    )
    check.add_argument(
        "--report",
        type=Path,
        default=Path("report"),
        metavar="DIR",
        help="where the HTML, JUnit and JSON reports go (default: report)",
    )

    approve = verbs.add_parser("approve", help="accept the latest captures as the new baselines")
    approve.add_argument(
        "--flow", action="append", default=[], metavar="ID", help="only this flow (repeatable)"
    )
    approve.add_argument(
        "--device",
        action="append",
        default=[],
        metavar="NAME",
        help="only this device (repeatable)",
    )
    approve.add_argument(
        "--step",
        type=int,
        action="append",
        default=[],
        metavar="N",
        help="only this step number (with one --flow)",
    )
    approve.add_argument(
        "--baseline",
        type=Path,
        default=Path("screenshots"),
        metavar="DIR",
        help="the approved screenshots (default: screenshots)",
    )

    serve = verbs.add_parser(
        "serve", help="start the simulator as `run` would and print its address"
    )
    serve.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")

    lint = verbs.add_parser("lint", help="check scenario files without running them")
    lint.add_argument("paths", nargs="*", type=Path, default=[Path("scenarios")])

    verbs.add_parser("schema", help="print the JSON Schema of scenario files")

    guide = verbs.add_parser("guide", help="build the guide (HTML and PDF) from the screenshots")
    guide.add_argument("--device", action="append", default=[], metavar="NAME")
    guide.add_argument("--screenshots", type=Path, default=Path("screenshots"), metavar="DIR")
    guide.add_argument("--scenarios", type=Path, default=Path("scenarios"), metavar="DIR")
    guide.add_argument("--out", type=Path, default=Path("guide"), metavar="DIR")
    guide.add_argument("--no-pdf", action="store_true", help="HTML only")
    guide.add_argument(
        "--no-frame", action="store_true", help="screenshots without the phone frame"
    )
    guide.add_argument("--browser-path", metavar="PATH")
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    from harness import commands

    handler = getattr(commands, f"cmd_{args.verb}")
    status: int = handler(args)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
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


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
