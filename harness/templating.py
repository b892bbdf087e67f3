"""One Jinja setup for everything the harness renders (the guide, the drift report)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from harness.numbering import circled

TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment(folder: Path) -> Environment:
    """Autoescaped, strict about undefined names, with the `circled` filter."""
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["circled"] = circled
    return env
