"""`guideshot lint` and `guideshot schema`: scenario files checked without running them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from harness.cli.common import USAGE_ERROR, print_json
from harness.console import err, fail


def register(verbs: Any) -> None:
    lint = verbs.add_parser("lint", help="check scenario files without running them")
    lint.add_argument("paths", nargs="*", type=Path, default=[Path("scenarios")])
    lint.set_defaults(handler=lint_files)
    schema = verbs.add_parser("schema", help="print the JSON Schema of scenario files")
    schema.set_defaults(handler=print_schema)


def lint_files(args: argparse.Namespace) -> int:
    from harness.scenario.lint import lint_paths

    missing = [path for path in args.paths if not path.exists()]
    if missing:
        fail(f"{missing[0]}: no such file or folder")
        return USAGE_ERROR
    problems = lint_paths(args.paths)
    for problem in problems:
        err.print(str(problem), markup=False)
    if problems:
        err.print(f"{len(problems)} problem(s)")
        return USAGE_ERROR
    err.print("scenarios ok")
    return 0


def print_schema(_args: argparse.Namespace) -> int:
    from harness.scenario.file import json_schema

    print_json(json_schema())
    return 0
