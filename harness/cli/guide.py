"""`guideshot guide`: the guide's HTML and PDF editions from the approved screenshots."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from harness.cli.common import USAGE_ERROR, load_flows


def register(verbs: Any) -> None:
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
    guide.set_defaults(handler=build_guide)


def build_guide(args: argparse.Namespace) -> int:
    from harness.cmd_guide import build

    flows = load_flows(args.scenarios)
    if flows is None:
        return USAGE_ERROR
    return build(
        flows,
        screenshots=args.screenshots,
        out=args.out,
        devices=args.device,
        pdf=not args.no_pdf,
        with_frame=not args.no_frame,
        browser_path=args.browser_path,
    )
