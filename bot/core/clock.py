"""The only place that reads the time; everything else is handed `now`."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


def fixed_clock(instant: datetime) -> Clock:
    """A clock frozen at `instant` (tests, `remind --at`)."""
    if instant.tzinfo is None:
        raise ValueError("fixed_clock needs an aware datetime")
    return lambda: instant


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    """The commune's calendar date at an aware instant."""
    return instant.astimezone(tz).date()


def running_clock(start: datetime) -> Clock:
    """A clock that reads `start` now and runs on from there (`remind --at`: as if it were that moment)."""
    if start.tzinfo is None:
        raise ValueError("running_clock needs an aware datetime")
    origin = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - origin)
