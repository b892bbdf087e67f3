"""Which printed editions an approval made stale: one per device whose pictures changed."""

from __future__ import annotations

from collections.abc import Iterable

EDITION_LABELS = {"android": "Android", "iphone": "iPhone"}


def edition_label(device: str) -> str:
    return EDITION_LABELS.get(device, device)


def stale_editions(devices: Iterable[str]) -> list[str]:
    """Lines for a person: which editions to rebuild, and the command that does it."""
    changed = sorted({device for device in devices if device in EDITION_LABELS})
    if not changed:
        return ["guide: no edition changed (no Android or iPhone picture was replaced)"]
    names = ", ".join(f"the {edition_label(device)} edition" for device in changed)
    options = " ".join(f"--device {device}" for device in changed)
    verb = "is" if len(changed) == 1 else "are"
    return [f"guide: {names} {verb} now stale; rebuild with `guideshot guide {options}`"]
