"""The one controllable clock of the tests, and a monotonic counterpart for rate limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# 10:00 in Bình Lư on Friday 27/11/2026.
DEFAULT_NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def instant(text: str) -> datetime:
    """A commune wall time, '2026-11-27T08:00', as an aware instant."""
    return datetime.fromisoformat(text + "+07:00")


class MutableClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = DEFAULT_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Ticks:
    """A monotonic clock (seconds) the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
