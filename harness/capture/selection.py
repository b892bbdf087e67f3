"""Choosing flows and devices from --flow/--device, with the known names on a mistake."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from playwright.sync_api import Playwright

from harness.capture.devices import (
    ALIASES,
    DEFAULT_LOCALE,
    DeviceProfile,
    UnknownDevice,
    known_device_names,
    resolve_device,
)
from harness.scenario.devices import nearest


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


def select_devices(
    playwright: Playwright, wanted: Sequence[str], locale: str = DEFAULT_LOCALE
) -> list[DeviceProfile]:
    names = list(dict.fromkeys(wanted)) or list(ALIASES)
    profiles = []
    for name in names:
        try:
            profiles.append(resolve_device(playwright, name, locale))
        except UnknownDevice:
            guess = nearest(name, known_device_names(playwright))
            raise SelectionError(
                f"--device: unknown device {name!r} (known: {', '.join(ALIASES)}, "
                "or any Playwright descriptor name such as 'Pixel 5' or 'iPhone 14')"
                + (f"; did you mean {guess!r}?" if guess else "")
            ) from None
    return profiles


def nothing_selected(
    flows: Sequence[Any], devices: Sequence[DeviceProfile], flow_names: Sequence[str]
) -> SelectionError:
    """No flow × device to run: say which selection came out empty, so a device no selected
    flow lists is a usage error instead of a clean run that judged nothing."""
    if not flows:
        return SelectionError(
            "nothing was selected: no scenario files (*.yaml) in --scenarios; write a flow "
            "there (`guideshot init` starts a project with one)"
        )
    chosen = " ".join(f"--device {device.name!r}" for device in devices)
    lists = "; ".join(f"{flow.id} runs on {', '.join(flow.devices)}" for flow in flows[:4])
    more = f"; {len(flows) - 4} more" if len(flows) > 4 else ""
    which = " ".join(f"--flow {name}" for name in flow_names) if flow_names else "no flow"
    return SelectionError(
        f"nothing was selected: {which} with {chosen} ({lists}{more}); choose a device the "
        "flows list in their `devices:`"
    )
