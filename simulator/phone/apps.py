"""The apps on each phone's home screen: names, colours and a simple drawn glyph.

No real logos: each icon is a coloured tile with a plain shape, enough to recognise
"the browser" the way the guide's pictures do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from simulator.sandbox import Device

Glyph = Literal[
    "phone",
    "bubble",
    "globe",
    "compass",
    "camera",
    "photos",
    "gear",
    "clock",
    "calendar",
    "mail",
    "note",
    "map",
    "music",
    "person",
    "sun",
    "store",
]


@dataclass(frozen=True)
class App:
    name: str
    glyph: Glyph
    colour: str  # the tile's background
    ink: str = "#ffffff"  # the glyph's colour
    browser: bool = False  # the one app that opens this phone's browser


_ANDROID_GRID = (
    App("時計", "clock", "#3c4043"),
    App("カレンダー", "calendar", "#1a73e8"),
    App("カメラ", "camera", "#5f6368"),
    App("フォト", "photos", "#f29900"),
    App("マップ", "map", "#188038"),
    App("設定", "gear", "#5f6368"),
    App("連絡帳", "person", "#1967d2"),
    App("ストア", "store", "#01875f"),
)
_ANDROID_DOCK = (
    App("電話", "phone", "#188038"),
    App("メッセージ", "bubble", "#1a73e8"),
    App("Chrome", "globe", "#1967d2", browser=True),
    App("カメラ", "camera", "#3c4043"),
)
_IPHONE_GRID = (
    App("カレンダー", "calendar", "#ffffff", "#ff3b30"),
    App("写真", "photos", "#ffffff", "#ff9f0a"),
    App("カメラ", "camera", "#8e8e93"),
    App("時計", "clock", "#1c1c1e"),
    App("天気", "sun", "#3a8dde"),
    App("メモ", "note", "#ffd60a", "#5a4a00"),
    App("マップ", "map", "#34c759"),
    App("設定", "gear", "#8e8e93"),
)
_IPHONE_DOCK = (
    App("電話", "phone", "#34c759"),
    App("Safari", "compass", "#0a84ff", browser=True),
    App("メッセージ", "bubble", "#30d158"),
    App("ミュージック", "music", "#ff375f"),
)


def home_screen(device: Device) -> tuple[tuple[App, ...], tuple[App, ...]]:
    """The app grid and the dock of this phone's home screen."""
    if device == "iphone":
        return _IPHONE_GRID, _IPHONE_DOCK
    return _ANDROID_GRID, _ANDROID_DOCK


def browser_endpoint(device: Device) -> str:
    return "phone.safari" if device == "iphone" else "phone.chrome"
