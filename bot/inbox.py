"""The inbox worker: updates are committed as they arrive, then handled one by one, in order.

A channel acknowledges an update to its platform only after `accept` has committed it, so a crash
loses nothing; the worker marks each update handled in the transaction of its effects, so a
restart handles exactly what was left. An update whose handling keeps failing is given up after a
few attempts and its sender is told it was not saved, so they send it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot.core.clock import Clock
from bot.core.messages import Incoming
from bot.ports import UNOBSERVED, Delivery, Observer
from storage import inbox
from storage.db import Database

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
SKEW = timedelta(minutes=5)


class ClockWatch:
    """Checks the server's clock against the dates of the messages it receives.

    A message dated more than a few minutes after now means the clock is slow; one dated more than
    a few minutes before the previous poll ended means it is fast. Reminders are not planned from a
    clock that is off, and the admins are told once.
    """

    def __init__(self, clock: Clock, on_skew: Callable[[timedelta], Awaitable[None]] | None = None) -> None:
        self.clock = clock
        self.on_skew = on_skew
        self.skew: timedelta | None = None  # how far the clock is off, while it is

    @property
    def trusted(self) -> bool:
        """Whether reminders may be planned from this clock."""
        return self.skew is None and 2020 <= self.clock().year <= 2100

    async def observe(self, sent: Sequence[datetime], live_since: datetime | None) -> None:
        """Compare the dates of just-received messages with the clock."""
        if not sent:
            return
        now = self.clock()
        ahead = max(sent) - now  # a message from the future: the clock is slow
        behind = (live_since - min(sent)) if live_since else timedelta(0)  # older than the last poll: fast
        skew = ahead if ahead > SKEW else (-behind if behind > SKEW else None)
        if skew is None:
            if self.skew is not None:
                logger.warning("the server clock agrees with the messages again")
            self.skew = None
            return
        if self.skew is None:
            logger.warning("the server clock is off by %s against the messages' dates; reminders paused", skew)
            self.skew = skew
            if self.on_skew is not None:
                await self.on_skew(skew)


class Inbox:
    """Commits what channels receive and hands it, in order, to each channel's handler."""

    def __init__(
        self,
        db: Database,
        handlers: Mapping[str, Callable[[dict, Callable], Awaitable[None]]],
        apologise: Mapping[str, Callable[[dict], Awaitable[None]]],
        dispatch: Callable[[Incoming], Awaitable[object]],
        clock: Clock,
        watch: ClockWatch,
        observer: Observer = UNOBSERVED,
    ) -> None:
        self.db = db
        self.observer = observer
        self.handlers = handlers
        self.apologise = apologise
        self._dispatch = dispatch
        self.clock = clock
        self.watch = watch
        self._wakeup = asyncio.Event()
        self._live_since: dict[str, datetime] = {}  # channel -> when its last good poll ended
        self._stopping = False
        self._task: asyncio.Task | None = None

    async def accept(self, channel: str, deliveries: Sequence[Delivery]) -> None:
        """Commit updates (a redelivery is ignored); the channel may acknowledge them once this returns."""
        async with self.db.unit_of_work() as session:
            new = await inbox.accept(session, channel, [(d.key, d.payload) for d in deliveries], self.clock())
            await session.commit()
        self.observer.received(channel, new)
        self._wakeup.set()
        try:  # the updates are saved: nothing after this may look like a failure to store them
            await self.watch.observe([d.sent_at for d in deliveries if d.sent_at], self._live_since.get(channel))
        except Exception:
            logger.exception("checking the clock against received messages failed")

    def polled(self, channel: str, *, ok: bool) -> None:
        """A channel's poll ended: what it receives next was sent after now (or, after a failure, maybe not)."""
        if ok:
            self._live_since[channel] = self.clock()
        else:
            self._live_since.pop(channel, None)

    async def dispatch(self, incoming: Incoming) -> object:
        """Handle a message that needs no durable queue (the console)."""
        return await self._dispatch(incoming)

    async def drain(self) -> int:
        """Handle every update waiting, oldest first; how many there were."""
        count = 0
        while True:
            async with self.db.reading() as session:
                rows = await inbox.unhandled(session)
            if not rows:
                return count
            for inbox_id, channel, payload in rows:
                if self._stopping or not await self._handle(inbox_id, channel, payload):
                    return count  # a failed update is retried on the next pass, still before the ones after it
                count += 1

    async def _handle(self, inbox_id: int, channel: str, payload: dict) -> bool:
        async def dispatch(incoming: Incoming) -> object:
            return await self._dispatch(replace(incoming, inbox_id=inbox_id))

        began = time.perf_counter()
        try:
            await self.handlers[channel](payload, dispatch)
        except Exception as err:
            logger.exception("handling inbox update %d failed", inbox_id)
            async with self.db.unit_of_work() as session:
                attempts = await inbox.record_attempt(session, inbox_id, f"{type(err).__name__}: {err}")
                if attempts >= MAX_ATTEMPTS:
                    await inbox.mark_handled(session, inbox_id, self.clock(), error="given up")
                await session.commit()
            if attempts < MAX_ATTEMPTS:
                return False
            with contextlib.suppress(Exception):
                await self.apologise[channel](payload)
            return True
        async with self.db.unit_of_work() as session:
            await inbox.mark_handled(session, inbox_id, self.clock())  # what was not for us: done with
            await session.commit()
        self.observer.handled(channel, time.perf_counter() - began)
        return True

    async def run(self) -> None:
        """Handle what arrives until stopped; what was left by a crash goes first."""
        while not self._stopping:
            self._wakeup.clear()
            try:
                await self.drain()
            except Exception:
                logger.exception("the inbox worker failed a pass; trying again shortly")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=30)

    def start(self) -> None:
        """Run in the background."""
        self._task = asyncio.create_task(self.run(), name="inbox")

    async def stop(self) -> None:
        """Finish the update in hand and stop; what is left is handled at the next start."""
        self._stopping = True
        self._wakeup.set()
        if self._task is not None:
            await self._task
