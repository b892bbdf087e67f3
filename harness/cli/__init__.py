"""The command line: one module per verb (parse its options, call the pieces, return the
exit status). Nothing outside this package imports it."""

from harness.cli.main import main

__all__ = ["main"]
