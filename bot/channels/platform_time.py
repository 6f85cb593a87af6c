"""The platform's own clock: the `Date` header of its latest answer, carried forward on this machine's monotonic
clock. A time no user and no wrong server clock can move, read before each sweep where the database has no clock
of its own (SQLite), so a clock that jumped overnight is caught before any reminder is planned from it."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx


class PlatformTime:
    """What time the platform said it was, and how long ago by the monotonic clock (which no clock jump moves)."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._seen: tuple[datetime, float] | None = None

    def observe(self, header: str | None) -> None:
        """An answer's `Date` header (RFC 9110, whole seconds in GMT); anything unreadable is ignored."""
        try:
            said = parsedate_to_datetime(header) if header else None
        except (TypeError, ValueError, IndexError):
            return
        if said is not None and said.tzinfo is not None:
            self._seen = (said.astimezone(UTC), self._monotonic())

    def current(self) -> datetime | None:
        """The platform's time now, or None before its first answer."""
        if self._seen is None:
            return None
        said, at = self._seen
        return said + timedelta(seconds=self._monotonic() - at)

    async def on_response(self, response: httpx.Response) -> None:
        """An httpx response hook."""
        self.observe(response.headers.get("date"))
