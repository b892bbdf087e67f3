"""Choosing flows and devices from --flow/--device, with the known names on a mistake."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from playwright.sync_api import Playwright

from harness.capture.devices import ALIASES, DeviceProfile, UnknownDevice, resolve_device


class SelectionError(ValueError):
    """An unknown flow or device name (exit status 2)."""


def select_flows(flows: Sequence[Any], wanted: Sequence[str]) -> list[Any]:
    if not wanted:
        return list(flows)
    known = {flow.id: flow for flow in flows}
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise SelectionError(
            f"--flow: unknown flow {', '.join(repr(n) for n in unknown)} "
            f"(known: {', '.join(sorted(known))})"
        )
    return [known[name] for name in dict.fromkeys(wanted)]


def select_devices(playwright: Playwright, wanted: Sequence[str]) -> list[DeviceProfile]:
    names = list(dict.fromkeys(wanted)) or list(ALIASES)
    profiles = []
    for name in names:
        try:
            profiles.append(resolve_device(playwright, name))
        except UnknownDevice:
            raise SelectionError(
                f"--device: unknown device {name!r} (known: {', '.join(ALIASES)}, "
                "or any Playwright descriptor name such as 'Pixel 5' or 'iPhone 14')"
            ) from None
    return profiles
