"""Terminal output: one stderr console for messages, progress bars and tables."""

from __future__ import annotations

import sys

from rich.console import Console

# Messages and progress go to stderr so stdout stays clean for `schema` and piping.
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def fail(message: str) -> None:
    """One clear line: what is wrong and what to do."""
    err.print(f"error: {message}", markup=False)


def is_ci() -> bool:
    return not sys.stderr.isatty()
