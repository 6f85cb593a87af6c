"""A channel's send limits as exact sliding windows: overall, per private chat, per group, and 429 pauses."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from bot.ports import Limits

GLOBAL_WINDOW = 1.0
PRIVATE_WINDOW = 1.0
GROUP_WINDOW = 60.0
LONGEST_WINDOW = max(GLOBAL_WINDOW, PRIVATE_WINDOW, GROUP_WINDOW)
# Waits shorter than this are float noise from summing clock readings (a sender that slept exactly the
# advised delay would otherwise be told to wait another 1e-13 s); a microsecond early is harmless.
TOLERANCE = 1e-6


def _wait(sends: deque[float] | None, limit: int, window: float, at: float) -> float:
    """Seconds from `at` until fewer than `limit` of `sends` fall in the window ending then."""
    if sends is None or len(sends) < limit:
        return 0.0
    return max(0.0, sends[-limit] + window - at)


class RateLimiter:
    """Says how long to wait before the next send to a chat, given the sends recorded so far; never sleeps."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._global: deque[float] = deque(maxlen=self.limits.global_per_second)
        # Only the last `limit` sends matter for the window check, so each deque is capped at the larger limit
        # (a chat id is always the same kind, but capping at the larger one stays correct if it is not).
        self._per_chat_cap = max(self.limits.private_per_second, self.limits.group_per_minute)
        self._chats: dict[str, deque[float]] = {}
        self._paused_until = float("-inf")
        self._next_sweep = float("-inf")

    def delay(self, chat_id: str, is_group: bool, *, per_chat: bool = True) -> float:
        """Seconds to wait before a message to `chat_id` may go (0.0 if now); records nothing.

        Without `per_chat`, only the overall limit and a pause count (an answer to someone who just wrote).
        """
        at = self._clock()
        if not per_chat:
            chat_wait = 0.0
        elif is_group:
            chat_wait = _wait(self._chats.get(chat_id), self.limits.group_per_minute, GROUP_WINDOW, at)
        else:
            chat_wait = _wait(self._chats.get(chat_id), self.limits.private_per_second, PRIVATE_WINDOW, at)
        global_wait = _wait(self._global, self.limits.global_per_second, GLOBAL_WINDOW, at)
        wait = max(self._paused_until - at, global_wait, chat_wait)
        return wait if wait > TOLERANCE else 0.0

    def record(self, chat_id: str, is_group: bool) -> None:
        """Note a send to `chat_id` at the clock's current time."""
        at = self._clock()
        self._global.append(at)
        sends = self._chats.get(chat_id)
        if sends is None:
            sends = self._chats[chat_id] = deque(maxlen=self._per_chat_cap)
        sends.append(at)
        if at >= self._next_sweep:
            self._sweep(at)

    def prune(self) -> None:
        """Drop every timestamp older than the longest window, and the chats left with none."""
        self._sweep(self._clock())

    def pause(self, seconds: float) -> None:
        """Hold all sending for `seconds` from now (a 429's retry_after); never shortens a longer pause."""
        self._paused_until = max(self._paused_until, self._clock() + max(0.0, seconds))

    def paused_for(self) -> float:
        """Seconds left of the current pause, 0.0 if none."""
        return max(0.0, self._paused_until - self._clock())

    @property
    def tracked_chats(self) -> frozenset[str]:
        """The chats whose recent sends are still remembered."""
        return frozenset(self._chats)

    def _sweep(self, at: float) -> None:
        """Prune all windows at `at`; the next full sweep is due one longest window later."""
        horizon = at - LONGEST_WINDOW
        while self._global and self._global[0] <= horizon:
            self._global.popleft()
        for chat_id in list(self._chats):
            sends = self._chats[chat_id]
            while sends and sends[0] <= horizon:
                sends.popleft()
            if not sends:
                del self._chats[chat_id]
        self._next_sweep = at + LONGEST_WINDOW
