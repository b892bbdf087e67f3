"""The names that become folders and files under screenshots/, in the only shapes guideshot
writes them: flow ids, device folder names and step file names.

A name read from outside (a report's manifest, a folder inside a report) is used only when
it has one of these shapes. Each is a single path component that cannot climb ('..'), hide
(a leading dot), start at the root or hold a separator, whatever the platform.
"""

from __future__ import annotations

import re

from harness.scenario.model import SLUG
from harness.store.layout import step_prefix

# A flow id is the scenario file's stem: lowercase words joined by hyphens (scenario.model).
FLOW_ID_MAX = 200

# Device folders are named as the user named the device: "android", "iphone" or a Playwright
# descriptor ("Pixel 5", "Galaxy S9+", "iPad (gen 7) landscape"; the longest has 31 letters).
DEVICE_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 ()+_-]{0,62}[A-Za-z0-9()+])?")

# A step's files: step_capture.file_stem (NN-<caption slug of ≤ 40 word characters and hyphens>)
# and one of three suffixes. Digits are ASCII: the prefix is step_prefix(number).
STEP_STEM = re.compile(r"[0-9]{2,4}-[\w-]{1,40}")
RAW, IMAGE, RECORD = ".raw.png", ".png", ".json"


def is_flow_id(name: str) -> bool:
    return len(name) <= FLOW_ID_MAX and SLUG.fullmatch(name) is not None


def is_device_name(name: str) -> bool:
    return DEVICE_NAME.fullmatch(name) is not None


def is_step_stem(stem: str, number: int) -> bool:
    """`stem` is what the store names step `number`'s files (before their suffix)."""
    return (
        number >= 0
        and STEP_STEM.fullmatch(stem) is not None
        and stem.startswith(step_prefix(number))
    )


def step_files(stem: str) -> tuple[str, str, str]:
    """The raw capture, the annotated picture and the record of one step."""
    return f"{stem}{RAW}", f"{stem}{IMAGE}", f"{stem}{RECORD}"


def shown(value: str) -> str:
    """An untrusted name as it may be printed: quoted, control characters escaped, short."""
    return repr(value if len(value) <= 60 else f"{value[:60]}…")
