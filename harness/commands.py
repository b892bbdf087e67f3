"""One function per verb: load what the verb needs, call the pieces, return the exit status."""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

from harness.cli import USAGE_ERROR, print_json
from harness.console import err, fail
from harness.scenario import Flow
from harness.session import Selection


def load_flows(folder: Path) -> list[Flow] | None:
    """All scenarios, or None after printing one line per problem (the caller exits 2)."""
    from harness.scenario_load import ScenarioError, load_all

    if not folder.is_dir():
        fail(f"--scenarios: {folder} is not a folder of scenario files")
        return None
    try:
        return load_all(folder)
    except ScenarioError as exc:
        for problem in exc.problems:
            err.print(str(problem), markup=False)
        return None


def selection_of(args: argparse.Namespace) -> Selection:
    return Selection(
        flows=args.flow,
        devices=args.device,
        base_url=args.base_url,
        workers=args.workers,
        browser_path=args.browser_path,
    )


def cmd_run(args: argparse.Namespace) -> int:
    from harness.cmd_run import RunOptions, run

    flows = load_flows(args.scenarios)
    if flows is None:
        return USAGE_ERROR
    return run(RunOptions(selection=selection_of(args), out=args.out), flows)


def cmd_serve(args: argparse.Namespace) -> int:
    from simulator import create_app
    from simulator.server import start_server

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"warning: binding {args.host} exposes the simulator beyond this machine")
    try:
        server = start_server(create_app(), host=args.host, port=args.port)
    except OSError as exc:
        fail(f"--port {args.port}: cannot listen on {args.host} ({exc.strerror})")
        return USAGE_ERROR
    print(f"{server.url}/", flush=True)
    err.print("simulator running (fixed clock, test hooks on); Ctrl+C to stop")
    try:
        threading.Event().wait()
    finally:
        server.close()
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    from harness.lint import lint_paths

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


def cmd_schema(_args: argparse.Namespace) -> int:
    from harness.scenario_file import json_schema

    print_json(json_schema())
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from harness.cmd_check import CheckOptions, check

    flows = load_flows(args.scenarios)
    if flows is None:
        return USAGE_ERROR
    options = CheckOptions(selection=selection_of(args), baseline=args.baseline, report=args.report)
    return check(options, flows)


def cmd_approve(args: argparse.Namespace) -> int:
    from harness.cmd_approve import approve

    return approve(args.baseline, flows=args.flow, devices=args.device, steps=args.step)


def cmd_guide(args: argparse.Namespace) -> int:
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
