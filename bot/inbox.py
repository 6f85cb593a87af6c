"""The inbox worker: updates are committed as they arrive, then handled one by one, each chat's in order.

A channel acknowledges an update to its platform only after `accept` has committed it, so a crash
loses nothing; the worker marks each update handled in the transaction of its effects, so a
restart handles exactly what was left. An update whose handling keeps failing is given up after a
few attempts and its sender is told it was not saved, so they send it again. One whose handling
crashed the process twice (a handling begun is committed before it starts, so a crash counts) is set
aside, the admins are told, and everyone else's updates go on. Any number of processes may share the
store: each update is claimed under a lease its handler renews, and taken over when the lease runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot.core.clock import Clock
from bot.core.messages import Incoming
from bot.ports import UNOBSERVED, Delivery, Observer
from storage import inbox, locks, settings
from storage.db import Database

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
MAX_CRASHES = 2  # handlings that took the process down with them: then the update is set aside
SKEW = timedelta(minutes=5)
LEASE = timedelta(seconds=20)  # a claim not renewed for this long belongs to a process that died


def process_name() -> str:
    """This process among the replicas: host, pid and a random part (a pid is reused after a restart)."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(4)}"


def dead_here(owners: Iterable[str], me: str) -> list[str]:
    """The owners (process names) that were processes of this host and are gone: their leases need not run out
    before a restarted process takes over. A pid alive again (reused) counts as alive, unless it is our own."""
    host = socket.gethostname()[:30]
    dead = []
    for owner in owners:
        name_host, _, rest = owner.partition(":")
        pid = rest.partition(":")[0]
        if name_host != host or not pid.isdigit() or owner == me:
            continue
        if int(pid) == os.getpid():
            dead.append(owner)  # our pid, another name: the process before us
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            dead.append(owner)
        except OSError:
            pass  # alive, another user's
    return dead


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

    async def compare(self, source: datetime | None) -> None:
        """Check the clock against a time source that does not depend on users (the database server's clock, or the
        platform's by its Date header):
        run before each sweep, so a jump is caught overnight too, when nobody writes."""
        if source is None:
            return  # no such source here (SQLite): the messages' dates remain the check
        skew = source - self.clock()
        if abs(skew) <= SKEW:
            if self.skew is not None:
                logger.warning("the server clock agrees with the reference clock again")
            self.skew = None
            return
        if self.skew is None:
            logger.warning("the server clock is off by %s against the reference clock; reminders paused", skew)
            self.skew = skew
            if self.on_skew is not None:
                await self.on_skew(skew)

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
        set_aside: Callable[[int, str, str | None], Awaitable[None]] | None = None,
        *,
        observer: Observer = UNOBSERVED,
        lease: timedelta = LEASE,
        owner: str | None = None,
    ) -> None:
        """`dispatch` handles a message and marks its update (`inbox_id`) handled in the transaction of its effects;
        `set_aside(inbox id, channel, chat)` tells the admins of an update that crashed the process twice."""
        self.db = db
        self.observer = observer
        self.on_set_aside = set_aside
        self.lease = lease
        self.owner = owner or process_name()
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
            items = [(d.key, d.payload, d.chat) for d in deliveries]
            new = await inbox.accept(session, channel, items, self.clock())
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

    @contextlib.asynccontextmanager
    async def once(self, task: str, fingerprint: str) -> AsyncIterator[bool]:
        """Setup for every replica, one process at a time: still to do unless `fingerprint` is what was recorded."""
        async with locks.one_at_a_time(self.db):
            async with self.db.unit_of_work() as session:  # the primary's record: a replica's may lag
                todo = await settings.value(session, task) != fingerprint
            yield todo
            if todo:
                async with self.db.unit_of_work() as session:
                    await settings.put(session, task, fingerprint)
                    await session.commit()

    async def drain(self) -> int:
        """Handle every update waiting that no other process holds, each chat's oldest first; how many."""
        count = 0
        while not self._stopping:
            now = self.clock()
            async with self.db.unit_of_work() as session:
                claimed = await inbox.claim_next(session, self.owner, now, now + self.lease)
                await session.commit()  # the handling begun is counted before it can crash the process
            if claimed is None:
                return count
            if claimed.crashes >= MAX_CRASHES:
                await self._set_aside(claimed)
            elif not await self._handle(claimed.id, claimed.channel, claimed.payload):
                return count  # a failed update is retried on the next pass, still before the ones after it
            count += 1
        return count

    async def release(self) -> None:
        """At start: leases a dead process left are freed where only one process can run (SQLite), and, where
        several share the store, those of this host's processes that are gone (a restart after a crash)."""
        async with self.db.unit_of_work() as session:
            dead = dead_here(await inbox.lease_holders(session), self.owner)
            await inbox.release_leases(session, dead)
            await session.commit()

    async def _set_aside(self, claimed: inbox.Claimed) -> None:
        logger.error("inbox update %d crashed the bot %d times; set aside", claimed.id, claimed.crashes)
        async with self.db.unit_of_work() as session:
            await inbox.set_aside(session, claimed.id, self.clock(), f"crashed the process {claimed.crashes} times")
            await session.commit()
        if self.on_set_aside is not None:
            try:
                await self.on_set_aside(claimed.id, claimed.channel, claimed.chat)
            except Exception:
                logger.exception("telling the admins of a set-aside update failed")

    async def _renew(self, inbox_id: int) -> None:
        """Hold the claim while the handler runs, so no other process takes it over."""
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            try:
                now = self.clock()
                async with self.db.unit_of_work() as session:
                    await inbox.extend_lease(session, inbox_id, self.owner, now + self.lease)
                    await session.commit()
            except Exception:
                logger.warning("could not renew the lease on inbox update %d", inbox_id, exc_info=True)

    async def _handle(self, inbox_id: int, channel: str, payload: dict) -> bool:
        renewing = asyncio.create_task(self._renew(inbox_id), name="inbox-lease")
        try:
            return await self._handle_held(inbox_id, channel, payload)
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing

    async def _handle_held(self, inbox_id: int, channel: str, payload: dict) -> bool:
        dispatched = False

        async def dispatch(incoming: Incoming) -> object:
            nonlocal dispatched
            answer = await self._dispatch(replace(incoming, inbox_id=inbox_id))
            dispatched = True  # its handling marked the update handled, in the transaction of its effects
            return answer

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
        if not dispatched:  # what was not for us: done with, in a transaction of its own
            async with self.db.unit_of_work() as session:
                await inbox.mark_handled(session, inbox_id, self.clock())
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

    async def start(self) -> None:
        """Free what a dead process left (where only one can run), then run in the background."""
        await self.release()
        self._task = asyncio.create_task(self.run(), name="inbox")

    async def stop(self) -> None:
        """Finish the update in hand and stop; what is left is handled at the next start."""
        self._stopping = True
        self._wakeup.set()
        if self._task is not None:
            await self._task
