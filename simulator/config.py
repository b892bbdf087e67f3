"""Settings of one simulator instance."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")

# A Tuesday morning: inside the weekday 8:00–23:00 window that マイナポータル linking
# needs, so the guide's flows go through, and the same on every run.
DEFAULT_CLOCK = datetime(2026, 11, 24, 10, 31, tzinfo=TOKYO)


@dataclass(frozen=True)
class SimulatorConfig:
    """What differs between simulator instances; everything else is fixed."""

    database: Path | None = None  # None: a fresh file in a temporary folder per instance
    clock: datetime = DEFAULT_CLOCK
    hooks: bool = True  # the /_sim/ test hooks
    testing: bool = False
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
