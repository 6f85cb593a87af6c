"""A channel's send limits, exact and pure: a sliding window overall and per group, a token bucket per private
chat, and 429 pauses.

A send counts from the moment it is recorded (so a concurrent send sees it in flight, and it stays in the overall
window until answered) at the time it is settled, when the platform has answered: the platform saw it no later
than that, so the next send, timed from the answer, reaches it at least a window later, however long either
request took on the way.
"""

from __future__ import annotations

import contextlib
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from bot.ports import Limits

GLOBAL_WINDOW = 1.0
GROUP_WINDOW = 60.0
LONGEST_WINDOW = max(GLOBAL_WINDOW, GROUP_WINDOW)
# Waits shorter than this are float noise from summing clock readings (a sender that slept exactly the
# advised delay would otherwise be told to wait another 1e-13 s); a microsecond early is harmless.
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Reservation:
    """A send recorded when it started: what `settle` needs to move it to when it ended."""

    chat_id: str
    is_group: bool
    at: float
    full_at: float  # the private chat's bucket before this send (see RateLimiter._private)


def _wait(sends: deque[float] | None, limit: int, window: float, at: float) -> float:
    """Seconds from `at` until fewer than `limit` of `sends` fall in the window ending then."""
    if sends is None or len(sends) < limit:
        return 0.0
    return max(0.0, sends[-limit] + window - at)


def _move(sends: deque[float], old: float, new: float) -> None:
    """Count a send at `new` instead of `old`; `new` is the latest reading, so the deque stays in order."""
    with contextlib.suppress(ValueError):  # already pushed out by newer sends: it no longer counts
        sends.remove(old)
    sends.append(new)


class RateLimiter:
    """Says how long to wait before the next send to a chat, given the sends recorded so far; never sleeps."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._interval = 1.0 / limits.private_per_second  # a private chat's bucket refills one send this often
        self._burst = (limits.private_burst - 1) * self._interval  # how far ahead of its pace a chat may run
        # The overall window: the answers of the last sends, and how many are on their way (each of those counts
        # as being in the window until it is answered, however long that takes).
        self._global: deque[float] = deque(maxlen=limits.global_per_second)
        self._flying = 0
        # Only the last `limit` sends matter for a window, so each group's deque is capped at it.
        self._groups: dict[str, deque[float]] = {}
        # A private chat's bucket as one number (the generic cell rate algorithm): the instant it is full again.
        # A send may go while that instant is at most `_burst` ahead; each send moves it one interval on.
        self._private: dict[str, float] = {}
        self._paused_until = float("-inf")
        self._next_sweep = float("-inf")

    def delay(self, chat_id: str, is_group: bool) -> float:
        """Seconds to wait before a message to `chat_id` may go (0.0 if now); records nothing."""
        at = self._clock()
        if is_group:
            chat_wait = _wait(self._groups.get(chat_id), self.limits.group_per_minute, GROUP_WINDOW, at)
        else:
            chat_wait = self._private.get(chat_id, at) - self._burst - at
        global_wait = self.free_in()
        global_wait = GLOBAL_WINDOW if global_wait is None else global_wait
        wait = max(self._paused_until - at, global_wait, chat_wait)
        return wait if wait > TOLERANCE else 0.0

    def room(self) -> int:
        """How many sends the overall window (and any pause) lets go now, to as many chats."""
        if self.paused_for() > 0:
            return 0
        at = self._clock()
        answered = sum(1 for when in self._global if when > at - GLOBAL_WINDOW)
        return max(0, self.limits.global_per_second - self._flying - answered)

    def free_in(self) -> float | None:
        """Seconds until the overall window (and any pause) lets one more send go; None while every send it allows
        is on its way (the first answer will tell)."""
        room = self.limits.global_per_second - self._flying
        if room <= 0:
            return None
        at = self._clock()
        return max(self._paused_until - at, _wait(self._global, room, GLOBAL_WINDOW, at), 0.0)

    def record(self, chat_id: str, is_group: bool) -> Reservation:
        """Note a send to `chat_id` starting at the clock's current time; `settle` it when it is answered."""
        at = self._clock()
        self._flying += 1
        full_at = self._private.get(chat_id, at)
        if is_group:
            sends = self._groups.get(chat_id)
            if sends is None:
                sends = self._groups[chat_id] = deque(maxlen=self.limits.group_per_minute)
            sends.append(at)
        else:
            self._private[chat_id] = max(full_at, at) + self._interval
        if at >= self._next_sweep:
            self._sweep(at)
        return Reservation(chat_id, is_group, at, full_at)

    def settle(self, sent: Reservation) -> None:
        """The send was answered: it counts from now, when the platform had surely seen it."""
        at = self._clock()
        self._flying -= 1
        self._global.append(at)
        if sent.is_group:
            _move(self._groups.setdefault(sent.chat_id, deque(maxlen=self.limits.group_per_minute)), sent.at, at)
        else:
            pace = max(sent.full_at, at) + self._interval
            self._private[sent.chat_id] = max(self._private.get(sent.chat_id, pace), pace)

    def release(self, sent: Reservation) -> None:
        """The recorded send was never made (another sender had the row, or the deployment's budget said wait): it
        no longer counts. A private chat's bucket is given back only if no later send was recorded on top."""
        self._flying -= 1
        if sent.is_group:
            with contextlib.suppress(ValueError):
                self._groups.get(sent.chat_id, deque()).remove(sent.at)
        elif self._private.get(sent.chat_id) == max(sent.full_at, sent.at) + self._interval:
            self._private[sent.chat_id] = sent.full_at

    def prune(self) -> None:
        """Forget every send older than the longest window, and the chats left with nothing to remember."""
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
        return frozenset(self._groups) | frozenset(self._private)

    def _sweep(self, at: float) -> None:
        """Prune all windows and full buckets at `at`; the next full sweep is due one longest window later."""
        while self._global and self._global[0] <= at - GLOBAL_WINDOW:
            self._global.popleft()
        for chat_id in list(self._groups):
            sends = self._groups[chat_id]
            while sends and sends[0] <= at - GROUP_WINDOW:
                sends.popleft()
            if not sends:
                del self._groups[chat_id]
        for chat_id in [chat for chat, full_at in self._private.items() if full_at <= at]:
            del self._private[chat_id]
        self._next_sweep = at + LONGEST_WINDOW
