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
        help="build the guide (HTML, web edition, videos, PDF, or Markdown) from the screenshots",
        description="Build each edition the guide config lists: <out>/<device>/index.html, "
        "its web edition <out>/<device>/web/index.html, its videos <out>/<device>/video/, and "
        "<out>/<name>-<device>.pdf; or with --format markdown DIR, pages for MkDocs or Sphinx "
        "(MyST) in DIR. Exit status 2 names every problem first.",
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
    guide.add_argument(
        "--format", choices=("editions", "markdown"), default="editions",
        help="editions (default): the printed HTML, the web edition and the PDF under --out; "
        "markdown: pages, pictures and videos for MkDocs or Sphinx (MyST) in DIR",
    )  # fmt: skip
    guide.add_argument(
        "dir", nargs="?", type=Path, metavar="DIR",
        help="with --format markdown: the folder to export to (new, empty or an earlier export)",
    )  # fmt: skip
    guide.add_argument("--browser-path", metavar="PATH")
    guide.add_argument(
        "--force",
        action="store_true",
        help="rebuild every chosen edition, even those whose inputs did not change",
    )
    guide.set_defaults(handler=build_guide)


def build_guide(args: argparse.Namespace) -> int:
    from harness.fonts import FontNotFoundError
    from harness.guide.assemble import assemble
    from harness.guide.config import load_config
    from harness.guide.lint import guide_problems
    from harness.guide.markdown_folder import refusal
    from harness.guide.model import GuideError
    from harness.scenario.errors import ScenarioError

    if (args.format == "markdown") != (args.dir is not None):
        fail("give a DIR with --format markdown (and only then): guideshot guide --format "
             "markdown DIR")  # fmt: skip
        return USAGE_ERROR
    if args.dir is not None and (refused := refusal(args.dir)) is not None:
        fail(refused)
        return USAGE_ERROR
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
    from harness.guide.assemble import chosen_editions
    from harness.guide.freshness import inputs_digest, is_fresh, record
    from harness.guide.web import WEB_DIR

    try:
        editions = [e.device for e in chosen_editions(loaded, args.device)]
    except GuideError as exc:
        fail(str(exc))
        return USAGE_ERROR
    from harness.cli.redraw import redraw_for_guide

    if not redraw_for_guide(args.screenshots, flows, editions):  # before their digests
        return USAGE_ERROR
    if args.dir is not None:
        return _export_markdown(args, loaded, flows)
    options = [f"pdf={not args.no_pdf}", f"frame={not args.no_frame}"]
    digests = {d: inputs_digest(loaded, flows, args.screenshots, d, options) for d in editions}

    def outputs(device: str) -> list[Path]:
        pdf = [args.out / loaded.config.pdf_name(device)] if not args.no_pdf else []
        web = args.out / device / WEB_DIR / "index.html"
        return [args.out / device / "index.html", web, *pdf]

    stale = [d for d in editions if args.force or not is_fresh(args.out, d, digests[d], outputs(d))]
    for device in editions:
        if device not in stale:
            err.print(f"guide: the {device} edition is up to date (its inputs did not change)")
    if not stale:
        err.print("guide: nothing changed since the editions were built (--force rebuilds)")
        return 0
    try:
        written = assemble(
            loaded,
            flows,
            screenshots=args.screenshots,
            out=args.out,
            devices=stale,
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
    for device in stale:
        record(args.out, device, digests[device])
    for path in written:
        err.print(f"wrote {path}", markup=False)
    return 0


def _export_markdown(args: argparse.Namespace, loaded: Any, flows: Any) -> int:
    from harness.fonts import FontNotFoundError
    from harness.guide.markdown_export import export_markdown
    from harness.guide.model import GuideError

    try:
        written = export_markdown(
            loaded,
            flows,
            screenshots=args.screenshots,
            dest=args.dir,
            built=args.out,
            devices=args.device,
            with_frame=not args.no_frame,
        )
    except (GuideError, FontNotFoundError) as exc:
        fail(str(exc))
        return USAGE_ERROR
    except OSError as exc:
        fail(f"{exc.filename or args.dir}: {exc.strerror}")
        return USAGE_ERROR
    for path in written:
        err.print(f"wrote {path}", markup=False)
    return 0
