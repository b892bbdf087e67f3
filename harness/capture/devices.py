"""Phone profiles: Playwright device descriptors plus the guide's locale and time zone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from playwright.sync_api import Playwright

Engine = Literal["chromium", "webkit"]

# The guide's two phones; any other Playwright descriptor can be named directly.
ALIASES: dict[str, str] = {"android": "Pixel 7", "iphone": "iPhone 13"}
# What the phones ask sites for (Accept-Language, navigator.language) unless guide.yaml's
# `locale:` (or its `language:`) says otherwise: the guide's Japanese phones.
DEFAULT_LOCALE = "ja-JP"
PAGE_SETTINGS: dict[str, Any] = {
    "timezone_id": "Asia/Tokyo",
    "color_scheme": "light",
    "reduced_motion": "reduce",
}


class UnknownDevice(ValueError):
    """A device name that is neither an alias nor a Playwright descriptor."""


@dataclass(frozen=True)
class DeviceProfile:
    name: str  # as the user wrote it: "android", "iphone" or a descriptor name
    descriptor: str  # Playwright's descriptor name, e.g. "Pixel 7"
    settings: dict[str, Any]  # viewport, device_scale_factor, user_agent, is_mobile, has_touch…
    preferred_engine: Engine
    locale: str = DEFAULT_LOCALE

    @property
    def viewport(self) -> tuple[int, int]:
        size = self.settings["viewport"]
        return int(size["width"]), int(size["height"])

    @property
    def scale(self) -> float:
        return float(self.settings["device_scale_factor"])

    @property
    def platform(self) -> Literal["android", "iphone"]:
        """Which phone shell the simulator shows: iOS user agents get the iPhone one."""
        agent = str(self.settings.get("user_agent", ""))
        return "iphone" if ("iPhone" in agent or "iPad" in agent) else "android"

    def context_args(self) -> dict[str, Any]:
        return {**self.settings, **PAGE_SETTINGS, "locale": self.locale}


def known_device_names(playwright: Playwright) -> list[str]:
    return [*ALIASES, *sorted(playwright.devices)]


def resolve_device(
    playwright: Playwright, name: str, locale: str = DEFAULT_LOCALE
) -> DeviceProfile:
    descriptor_name = ALIASES.get(name, name)
    descriptor = playwright.devices.get(descriptor_name)
    if descriptor is None:
        raise UnknownDevice(name)
    settings = {k: v for k, v in descriptor.items() if k != "default_browser_type"}
    engine: Engine = "webkit" if descriptor.get("default_browser_type") == "webkit" else "chromium"
    return DeviceProfile(name, descriptor_name, settings, engine, locale)
