"""`guideshot guide`: the guide's HTML and PDF editions from the approved screenshots."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from harness.cli.common import USAGE_ERROR, load_flows
from harness.console import err, fail


def register(verbs: Any) -> None:
    guide = verbs.add_parser(
        "guide",
        help="build the guide (HTML and PDF) from the screenshots",
        description="Build each edition the guide config lists: <out>/<device>/index.html "
        "and <out>/<name>-<device>.pdf. Exit status 2 names every problem first.",
    )
    guide.add_argument(
        "--config", type=Path, default=Path("guide.yaml"), metavar="FILE",
        help="the guide config (default: guide.yaml)",
    )  # fmt: skip
    guide.add_argument("--device", action="append", default=[], metavar="NAME")
    guide.add_argument("--screenshots", type=Path, default=Path("screenshots"), metavar="DIR")
    guide.add_argument("--scenarios", type=Path, default=Path("scenarios"), metavar="DIR")
    guide.add_argument("--out", type=Path, default=Path("guide"), metavar="DIR")
    guide.add_argument("--no-pdf", action="store_true", help="HTML only")
    guide.add_argument(
        "--no-frame", action="store_true", help="screenshots without the phone frame"
    )
    guide.add_argument("--browser-path", metavar="PATH")
    guide.set_defaults(handler=build_guide)


def build_guide(args: argparse.Namespace) -> int:
    from harness.fonts import FontNotFoundError
    from harness.guide.assemble import assemble
    from harness.guide.config import load_config
    from harness.guide.lint import guide_problems
    from harness.guide.model import GuideError
    from harness.scenario.errors import ScenarioError

    try:
        loaded = load_config(args.config)
    except ScenarioError as exc:
        for problem in exc.problems:
            err.print(str(problem), markup=False)
        return USAGE_ERROR
    flows = load_flows(args.scenarios)
    if flows is None:
        return USAGE_ERROR
    problems = guide_problems(loaded, flows, args.screenshots, args.device)
    if problems:
        for problem in problems:
            err.print(str(problem), markup=False)
        err.print(f"{len(problems)} problem(s); nothing was built")
        return USAGE_ERROR
    try:
        written = assemble(
            loaded,
            flows,
            screenshots=args.screenshots,
            out=args.out,
            devices=args.device,
            pdf=not args.no_pdf,
            with_frame=not args.no_frame,
            browser_path=args.browser_path,
        )
    except (GuideError, FontNotFoundError) as exc:
        fail(str(exc))
        return USAGE_ERROR
    except OSError as exc:  # e.g. an output folder that cannot be written
        fail(f"{exc.filename or args.out}: {exc.strerror}")
        return USAGE_ERROR
    for path in written:
        err.print(f"wrote {path}", markup=False)
    return 0
