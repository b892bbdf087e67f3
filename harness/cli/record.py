"""`guideshot record URL --out scenarios/NAME.yaml` (or `--from codegen.py`): a flow walked
once, or Playwright's codegen output, written as a scenario file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from harness.capture.codegen_import import CodegenError, import_codegen
from harness.capture.devices import DEFAULT_LOCALE, UnknownDevice
from harness.capture.record_script import ScriptError
from harness.capture.record_session import Interrupted, NoDisplay, Unreachable, record
from harness.cli.common import FOUND, USAGE_ERROR
from harness.console import err, fail
from harness.guide.config import language_locale, load_config, phone_locale
from harness.scenario import SLUG, ScenarioError
from harness.scenario.captions import Language, caption, language_of
from harness.scenario.draft import DraftFlow, DraftStep
from harness.scenario.writer import Exists, write

INTERRUPTED = 130  # as every verb answers Ctrl-C


def register(verbs: Any) -> None:
    parser = verbs.add_parser(
        "record", help="walk a flow once on the emulated phone and write it as a scenario"
    )
    parser.add_argument("url", nargs="?", help="the page the flow starts at")
    parser.add_argument(
        "--from",
        dest="codegen",
        type=Path,
        metavar="FILE",
        help="turn Playwright's codegen output (Python) into the scenario instead",
    )
    parser.add_argument(
        "--out", required=True, type=Path, help="scenarios/NAME.yaml (NAME is the flow's id)"
    )
    parser.add_argument("--device", default="android", help="device to emulate (default android)")
    parser.add_argument(
        "--lang", choices=("ja", "en"), help="captions' language (default: guide.yaml's)"
    )
    parser.add_argument(
        "--script", type=Path, metavar="FILE", help="the actions to play instead of a person"
    )
    parser.add_argument("--config", type=Path, default=Path("guide.yaml"), help="the guide config")
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")
    parser.add_argument("--browser-path", help="Chromium to use")
    parser.set_defaults(handler=record_flow)


def _warn(message: str) -> None:
    err.print(f"warning: {message}", markup=False)


def _locale(args: argparse.Namespace) -> str:
    """What the phone asks sites for: --lang's, else guide.yaml's (as run asks)."""
    if args.lang is not None:
        return language_locale(str(args.lang))
    return phone_locale(args.config) or DEFAULT_LOCALE


def _language(args: argparse.Namespace) -> Language:
    if args.lang is not None:
        return language_of(str(args.lang))
    if not args.config.exists():
        return "ja"  # the guide's default language
    return language_of(load_config(args.config).config.language)


def _usage_problem(args: argparse.Namespace) -> str | None:
    if (args.url is None) == (args.codegen is None):
        return "give the URL to record from, or --from FILE (not both)"
    if args.codegen is not None and args.script is not None:
        return "--script plays actions in the browser; --from reads a file without one"
    if args.out.suffix != ".yaml" or not SLUG.fullmatch(args.out.stem):
        return f"--out {args.out}: name it scenarios/NAME.yaml, NAME in lowercase-hyphen-words"
    if args.out.exists() and not args.force:
        return f"{args.out} exists: give --force to replace it"
    return None


def _steps(args: argparse.Namespace) -> tuple[str, str, str, list[DraftStep]]:
    """(start, title, origin, steps) from the browser or from the codegen file."""
    if args.codegen is not None:
        imported = import_codegen(args.codegen, _warn)
        title = args.out.stem.replace("-", " ").capitalize()
        return imported.start, title, f"{args.codegen} ({imported.origin})", imported.steps

    def opened() -> None:
        err.print(
            f"recording on the {args.device} window: tap (click), type and scroll as a reader "
            f"would, then close the window (Ctrl+W) to write {args.out}; Ctrl-C here gives up",
            markup=False,
        )

    recording = record(
        args.url, args.device, args.script, args.browser_path, _warn, opened, _locale(args)
    )
    origin = f"{args.url} on {args.device}"
    return recording.start, recording.title or args.out.stem, origin, recording.steps


def record_flow(args: argparse.Namespace) -> int:
    problem = _usage_problem(args)
    if problem is not None:
        fail(problem)
        return USAGE_ERROR
    try:
        language = _language(args)
        start, title, origin, steps = _steps(args)
    except ScenarioError as error:
        fail(str(error.problems[0]))
        return USAGE_ERROR
    except UnknownDevice:
        fail(f"--device {args.device}: unknown device (android, iphone or a Playwright name)")
        return USAGE_ERROR
    except (NoDisplay, Unreachable, ScriptError, CodegenError) as error:
        fail(str(error))
        return USAGE_ERROR
    except Interrupted:  # Ctrl-C cancels, as in every verb; closing the window is "done"
        fail(f"interrupted: {args.out} not written (close the window to write a recording)")
        return INTERRUPTED
    if not steps:
        fail("nothing was recorded: no tap, entry, choice or scroll")
        return FOUND
    for step in steps:
        step.caption = caption(step, language)
    flow = DraftFlow(args.out.stem, title, [args.device], start, origin, steps)
    try:
        write(flow, args.out, force=args.force)
    except Exists:
        fail(f"{args.out} exists: give --force to replace it")
        return USAGE_ERROR
    except ScenarioError as error:  # the recorder wrote something load refuses: its bug
        fail(f"the recorded flow does not load, nothing written: {error.problems[0]}")
        return FOUND
    masked = len(flow.masks())
    note = f", {masked} field(s) masked" if masked else ""
    err.print(f"wrote {args.out}: {len(steps)} steps{note}", markup=False)
    return 0
