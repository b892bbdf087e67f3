"""`guideshot init [DIR]`: start a new guide project."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from harness.cli.common import USAGE_ERROR
from harness.console import err, fail


def register(verbs: Any) -> None:
    init = verbs.add_parser(
        "init",
        help="start a new guide project (config, example flow, CI workflow)",
        description="Write guide.yaml, scenarios/ with one commented example flow, an empty "
        "screenshots/, a CI workflow and a README into DIR, in the title's language (or "
        "--lang). Refuses to overwrite any file (exit status 2).",
    )
    init.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="DIR")
    init.add_argument("--title", help="the guide's title (default: the folder's name)")
    init.add_argument(
        "--lang", choices=("ja", "en"), metavar="ja|en",
        help="the language of the example flow, guide.yaml and README (default: Japanese "
        "for a title with kana or kanji, else English)",
    )  # fmt: skip
    init.set_defaults(handler=start_project)


def start_project(args: argparse.Namespace) -> int:
    from harness.guide.model import GuideError
    from harness.guide.starter import init_project

    folder: Path = args.folder
    title = args.title or folder.resolve().name or "guide"
    try:
        written = init_project(folder, title, args.lang)
    except GuideError as exc:
        fail(str(exc))
        return USAGE_ERROR
    except OSError as exc:
        fail(f"{folder}: cannot write the project: {exc.strerror}")
        return USAGE_ERROR
    for path in written:
        err.print(f"wrote {path}", markup=False)
    err.print("next: write flows in scenarios/, then `guideshot run --base-url URL` and "
              "`guideshot guide`", markup=False)  # fmt: skip
    return 0
