"""`guideshot lint` and `guideshot schema`: scenario files (and the guide config) checked
without running anything."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from harness.cli.common import USAGE_ERROR, print_json
from harness.console import err, fail
from harness.scenario.errors import Problem

DEFAULT_SCENARIOS = Path("scenarios")
DEFAULT_CONFIG = Path("guide.yaml")


def register(verbs: Any) -> None:
    lint = verbs.add_parser(
        "lint",
        help="check scenario files (and what `guide` needs) without running them",
        description="Check scenario files. With no PATH, ./scenarios and, when ./guide.yaml "
        "exists, everything `guide` needs: the config, its prose files, each flow's section "
        "and each step's approved screenshot (before the first run, when none is approved, "
        "one line says so instead). Exit status 2 when anything is found.",
    )
    lint.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    lint.add_argument(
        "--guide", type=Path, metavar="FILE", help="also check this guide config's needs"
    )
    lint.add_argument(
        "--screenshots", type=Path, default=Path("screenshots"), metavar="DIR",
        help="approved screenshots the guide is built from (default: screenshots)",
    )  # fmt: skip
    lint.set_defaults(handler=lint_files)
    schema = verbs.add_parser("schema", help="print the JSON Schema of scenario files")
    schema.add_argument("--guide", action="store_true", help="the schema of guide.yaml instead")
    schema.set_defaults(handler=print_schema)


def lint_files(args: argparse.Namespace) -> int:
    from harness.scenario.lint import lint_paths

    paths = args.paths or [DEFAULT_SCENARIOS]
    missing = [path for path in paths if not path.exists()]
    if missing:
        fail(f"{missing[0]}: no such file or folder")
        return USAGE_ERROR
    problems = lint_paths(paths)
    config = args.guide
    if config is None and not args.paths and DEFAULT_CONFIG.is_file():
        config = DEFAULT_CONFIG
    notice = None
    if config is not None:
        from harness.guide.lint import not_run_yet

        # Before the first run every picture is missing: one notice, not a finding per step.
        notice = not_run_yet(args.screenshots)
        screenshots = None if notice else args.screenshots
        problems += _guide_problems(config, paths, screenshots, scenarios_ok=not problems)
    for problem in problems:
        err.print(str(problem), markup=False)
    if problems:
        if notice:
            err.print(notice, markup=False)
        err.print(f"{len(problems)} problem(s)")
        return USAGE_ERROR
    ok = "scenarios ok" if config is None else "scenarios and guide ok"
    err.print(f"{ok}; {notice}" if notice else ok, markup=False)
    return 0


def _guide_problems(
    config: Path, paths: list[Path], screenshots: Path | None, *, scenarios_ok: bool
) -> list[Problem]:
    from harness.guide.config import load_config
    from harness.guide.lint import guide_problems
    from harness.scenario.errors import ScenarioError
    from harness.scenario.load import load_all

    try:
        loaded = load_config(config)
    except ScenarioError as exc:
        return list(exc.problems)
    # Flows that do not load were reported above; the guide is checked against the rest.
    flows = [f for p in paths if p.is_dir() for f in load_all(p)] if scenarios_ok else None
    return guide_problems(loaded, flows, screenshots)


def print_schema(args: argparse.Namespace) -> int:
    if args.guide:
        from harness.guide.config import json_schema as guide_schema

        print_json(guide_schema())
        return 0
    from harness.scenario.file import json_schema

    print_json(json_schema())
    return 0
