"""`guideshot locate URL TEXT`: targets to paste into a scenario for the elements showing TEXT."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from harness.capture.devices import DEFAULT_LOCALE, UnknownDevice
from harness.capture.finder import locate_text
from harness.capture.proposals import target_yaml
from harness.cli.common import USAGE_ERROR
from harness.console import fail
from harness.guide.config import phone_locale
from harness.scenario import ScenarioError

NOTHING = 1


def register(verbs: Any) -> None:
    locate = verbs.add_parser(
        "locate", help="print the targets a scenario could use for the elements showing TEXT"
    )
    locate.add_argument("url", help="the page to open, e.g. http://127.0.0.1:8000/admin/")
    locate.add_argument("text", help="words shown by (or naming) the element")
    locate.add_argument("--device", default="android", help="device to emulate (default android)")
    locate.add_argument("--browser-path", help="Chromium to use")
    locate.add_argument(
        "--config",
        type=Path,
        default=Path("guide.yaml"),
        help="the guide config, for the language the phone asks pages in (default guide.yaml)",
    )
    locate.set_defaults(handler=locate_targets)


def locate_targets(args: argparse.Namespace) -> int:
    try:
        locale = phone_locale(args.config) or DEFAULT_LOCALE
        located = locate_text(args.url, args.text, args.device, args.browser_path, locale)
    except ScenarioError as error:
        fail(str(error.problems[0]))
        return USAGE_ERROR
    except UnknownDevice:
        fail(f"--device {args.device}: unknown device (android, iphone or a Playwright name)")
        return USAGE_ERROR
    if not located.found:
        # The words may be right in another language: say which one the page is in.
        said = f"; the page is in {located.language}" if located.language else ""
        asked = f" (the phone asks for {located.asked} pages)" if located.asked and said else ""
        fail(f"nothing visible at {args.url} shows or is named 「{args.text}」{said}{asked}")
        return NOTHING
    for each in located.found:
        for target in each.targets:
            line = target_yaml(target)
            element = each.element
            # an element without a name is said by its target alone (never 「」)
            named = element.name and "#" not in line
            note = f"  # {element.role} 「{element.name}」" if named else ""
            print(line + note, flush=True)
    return 0
