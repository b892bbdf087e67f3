"""What several verbs share: exit statuses, the selection options, loading scenarios."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from harness.capture.devices import DEFAULT_LOCALE
from harness.capture.pipeline import DEFAULT_FLOW_TIMEOUT_S
from harness.capture.selection import SelectionError
from harness.capture.session import Selection
from harness.capture.shard import Narrowing, Shard
from harness.cli.options import positive, seconds
from harness.console import err, fail
from harness.guide.config import CONFIG_NAME, guide_sites, phone_locale
from harness.scenario import Flow, ScenarioError
from harness.scenario.sites import BaseUrlError, BaseUrls, names_a_site, parse_base_urls

CLEAN = 0
FOUND = 1  # a flow failed or drift was found
USAGE_ERROR = 2


def add_selection(parser: argparse.ArgumentParser) -> None:
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
        action="append",
        default=[],
        metavar="[NAME=]URL",
        help="drive a server already running instead of the embedded simulator: a bare URL "
        "for every site, NAME=URL for one of guide.yaml's sites (repeatable; sites not "
        "given stay on the simulator)",
    )
    parser.add_argument(
        "-j",
        "--workers",
        type=positive,
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
        "--flow-timeout",
        type=seconds,
        default=DEFAULT_FLOW_TIMEOUT_S,
        metavar="SECONDS",
        help=f"a flow still running after this long is stopped and reported as timed out "
        f"(default {DEFAULT_FLOW_TIMEOUT_S:g})",
    )
    parser.add_argument(
        "--shard",
        metavar="I/N",
        help="run only the I-th of N even parts of the flow × device plan (CI: merge them "
        "with `guideshot merge`)",
    )
    parser.add_argument(
        "--connect",
        metavar="WS_URL",
        help="drive browsers of a Playwright browser server (`playwright run-server "
        "--unsafe`), e.g. ws://127.0.0.1:3000/",
    )
    parser.add_argument(
        "--scenarios",
        type=Path,
        default=Path("scenarios"),
        metavar="DIR",
        help="folder of scenario files (default: scenarios)",
    )


def connect_url(text: str | None) -> str | None:
    if text is None:
        return None
    if not text.startswith(("ws://", "wss://")):
        raise SelectionError(
            f"--connect {text}: give the browser server's WebSocket address, "
            "e.g. ws://127.0.0.1:3000/"
        )
    return text


def add_baseline(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--baseline",
        type=Path,
        default=Path("screenshots"),
        metavar="DIR",
        help="the approved screenshots (default: screenshots)",
    )


def selection_of(args: argparse.Namespace, narrowing: Narrowing | None = None) -> Selection:
    """The selection as given; --shard (and the caller's --changed) narrow the plan."""
    narrowing = narrowing or Narrowing()
    if args.shard is not None:
        narrowing.shard = Shard.parse(args.shard)
    narrow = narrowing if narrowing.shard or narrowing.changed_since_approved else None
    return Selection(
        flows=args.flow,
        devices=args.device,
        base_url=base_urls(args.base_url, args.scenarios.parent / CONFIG_NAME),
        workers=args.workers,
        browser_path=args.browser_path,
        flow_timeout=args.flow_timeout,
        connect=connect_url(args.connect),
        narrow=narrow,
        locale=locale_of(args.scenarios.parent / CONFIG_NAME),
    )


def locale_of(guide: Path) -> str:
    """What the phones ask sites for: guide.yaml's (beside the scenarios) `locale:` or its
    language's; a guide.yaml that does not load is SelectionError's one line (exit 2)."""
    try:
        return phone_locale(guide) or DEFAULT_LOCALE
    except ScenarioError as error:
        raise SelectionError(str(error.problems[0])) from None


def base_urls(values: list[str], guide: Path) -> BaseUrls | None:
    """--base-url as given; the guide (beside the scenarios) is read only when a value
    names a site. A mistake is SelectionError's one line (exit 2)."""
    try:
        prefixes = guide_sites(guide) if any(names_a_site(v) for v in values) else None
        return parse_base_urls(values, prefixes, str(guide))
    except BaseUrlError as exc:
        raise SelectionError(str(exc)) from None


def load_flows(folder: Path) -> list[Flow] | None:
    """All scenarios, or None after printing one line per problem (the caller exits 2)."""
    from harness.scenario.load import ScenarioError, load_all

    if not folder.is_dir():
        fail(f"--scenarios: {folder} is not a folder of scenario files")
        return None
    try:
        return load_all(folder)
    except ScenarioError as exc:
        for problem in exc.problems:
            err.print(str(problem), markup=False)
        return None


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def recover_interrupted(baseline: Path) -> None:
    """Finish what an interrupted approve or run left, unless another process is writing.

    Verbs that write call it holding the baseline lock; the others (check, review) take it
    without waiting and, if another process holds it, leave recovery to that one: a
    transaction is only ever recovered by the lock's holder, so never while it is live.
    """
    from harness.store import work_root
    from harness.store.lock import baseline_lock_if_free
    from harness.store.switch import recover

    with baseline_lock_if_free(baseline, "recovery") as held:
        if not held:
            return
        recovered = recover(work_root(baseline))
        # An atomic write killed between its temporary file and the rename (guideshot before
        # 0.2 wrote those inside the baseline) leaves `.<name>.<random>.tmp`: never committed.
        strays = list(baseline.rglob(".*.tmp")) if baseline.is_dir() else []
        for stray in strays:
            stray.unlink(missing_ok=True)
    if strays:
        err.print(
            f"removed {len(strays)} temporary file(s) an interrupted write left in {baseline}"
        )
    if recovered.kept or recovered.restored:
        err.print(
            f"recovered an interrupted write: {recovered.kept} step(s) kept as switched, "
            f"{recovered.restored} step(s) put back as they were"
        )
    for txn in recovered.damaged:
        err.print(
            f"{txn}: an interrupted write whose journal cannot be read was left as it is; "
            f"files it took out of {baseline} are under {txn}/old — restore them and delete it",
            markup=False,
        )
