"""The folder a Markdown export goes to: replaced only when it is guideshot's own export (or
empty or new), only whole, and never through a link.

The export is written aside, in a hidden sibling folder, and swapped in at the end
(harness.guide.files), so a failed or interrupted export leaves the old one as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.guide.files import staging_dir, swap_in, write_atomic
from harness.output_folder import OutputKind
from harness.output_folder import refusal as output_refusal

MARKER = ".guideshot-markdown"
MARKER_TEXT = "guideshot-markdown/1\n"


EXPORT = OutputKind("Markdown export", MARKER, MARKER_TEXT)


def refusal(target: Path) -> str | None:
    """Why `target` must not receive the export, in one line; None when it may."""
    return output_refusal(target, f"--format markdown {target}", EXPORT)


@contextmanager
def new_export(target: Path) -> Iterator[Path]:
    """A fresh, marked folder beside `target`; swapped in when the block ends without an
    exception, removed otherwise. Check `refusal` first."""
    staged = staging_dir(target)
    try:
        write_atomic(staged / MARKER, MARKER_TEXT.encode("utf-8"))
        yield staged
        swap_in(staged, target)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
