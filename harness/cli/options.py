"""Argument types for numeric options: a value outside its range is argparse's one-line
usage error (exit status 2), never a run that fails every flow for a reason it hides."""

from __future__ import annotations

import argparse
import math
from typing import NoReturn


def positive(text: str) -> int:
    """A count: 1 or more (-j, --step)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number; give 1 or more"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: must be 1 or more")
    return value


# A day: far beyond any flow, and far below what a timer can wait (threading.TIMEOUT_MAX).
MAX_SECONDS = 86_400.0


def seconds(text: str) -> float:
    """A duration: a finite number of seconds above zero, at most a day (0, -5, nan and inf
    are refused: every flow would time out, or none ever would)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= MAX_SECONDS):
        raise argparse.ArgumentTypeError(
            f"{text!r}: give a number of seconds above 0 and at most {MAX_SECONDS:g}, e.g. 300"
        )
    return value


def port(text: str) -> int:
    """A TCP port to listen on: 1–65535, or 0 for a free one."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give a port from 1 to 65535, or 0 for a free one"
        )
    return value


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (what is wrong, where help is), like every
    other error of the CLI; --help still prints the whole usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {self.prog}: {message.removeprefix('argument ')} "
                     f"(see `{self.prog} --help`)\n")  # fmt: skip
