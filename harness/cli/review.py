"""`guideshot review`: serve a report on 127.0.0.1 with Approve, Reject and Undo per step.

Runs until Ctrl-C or SIGTERM (exit 130 or 143, as every verb), then stops the server and
says what was decided. Approvals are already on disk by then: each click is a transaction.
"""

from __future__ import annotations

import argparse
import signal
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from harness.cli.common import USAGE_ERROR, add_baseline, recover_interrupted
from harness.cli.options import port
from harness.cli.zip_limits import add_zip_limits, zip_limits_of
from harness.console import err, fail
from harness.report.bundle import captures_root
from harness.report.environment_check import foreign_environments
from harness.report.source import NotAReport, discard, open_report
from harness.report.unzip import LimitError
from harness.review import Review, create_review_app
from harness.store.layout import work_root
from harness.store.staging import staged_folders

LOOPBACK = "127.0.0.1"


def register(verbs: Any) -> None:
    parser = verbs.add_parser(
        "review", help="serve a report on 127.0.0.1 to approve or reject it step by step"
    )
    parser.add_argument(
        "report",
        nargs="?",
        type=Path,
        default=Path("report"),
        metavar="REPORT",
        help="the report folder or its zip (default: report)",
    )
    add_baseline(parser)
    parser.add_argument("--port", type=port, default=0, help="port (default: a free one)")
    parser.add_argument(
        "--accept-environment",
        action="store_true",
        help="accept captures made in another rendering environment",
    )
    add_zip_limits(parser)
    parser.set_defaults(handler=review_command)


def _wait_for_a_signal() -> int:
    """Block until SIGINT or SIGTERM; the signal's number."""
    caught: list[int] = []
    stop = threading.Event()

    def handle(signum: int, _frame: object) -> None:
        caught.append(signum)
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        stop.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return caught[0]


def review_command(args: argparse.Namespace) -> int:
    from harness.serving import start_server  # waitress: imported only when serving

    baseline: Path = args.baseline
    try:
        limits = zip_limits_of(args)
    except LimitError as exc:
        fail(str(exc))
        return USAGE_ERROR
    recover_interrupted(baseline)
    scratch = work_root(baseline)
    try:
        folder, report = open_report(args.report, scratch, limits)
    except NotAReport as exc:
        fail(str(exc).replace("--from ", "REPORT ", 1))
        return USAGE_ERROR
    try:
        if not args.accept_environment:
            foreign = foreign_environments(staged_folders(captures_root(folder), (), ()), baseline)
            if foreign:
                for line in foreign:
                    fail(line)
                return USAGE_ERROR
        review = Review(captures_root(folder), baseline, scratch)
        try:
            # The app learns its own address, the only Host and Origin it answers.
            server = start_server(
                lambda origin: create_review_app(folder, report, review, origin),
                host=LOOPBACK,
                port=args.port,
            )
        except OSError as exc:
            fail(f"--port {args.port}: cannot listen on {LOOPBACK} ({exc.strerror})")
            return USAGE_ERROR
        print(f"{server.url}/", flush=True)
        err.print("review running on loopback; Ctrl+C to stop")
        try:
            signum = _wait_for_a_signal()
        finally:
            server.close()
        tally = Counter(decision.value for decision in review.decisions.values())
        said = ", ".join(f"{tally[k]} {k}" for k in ("approved", "rejected", "pending"))
        err.print(f"review stopped: {said}")
        return 128 + signum
    finally:
        discard(folder, scratch)
