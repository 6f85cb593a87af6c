"""The outbox sender: drains pending messages under each channel's rate limits, chats side by side, each chat's
messages in order; one attempt and its outcome are jobs/delivery.py's."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from bot.core.clock import Clock
from bot.ports import UNOBSERVED, Observer, Transport
from jobs.budget import Busy, Outcome, shared_budgets
from jobs.delivery import Delivery
from jobs.ratelimit import RateLimiter, Reservation
from storage import sending
from storage.db import Database
from storage.models.messaging import OutboxKind, OutboxMessage
from storage.sending import Due

logger = logging.getLogger(__name__)

IDLE_WAKE_SECONDS = 30.0
# The shortest pause between passes: a chat's next send is timed to the millisecond (a slot of the overall window
# comes free a second after an answer), so a coarser pause would leave the platform's rate unused.
SHORTEST_WAIT = 0.002
RELIST_EVERY = 1.0  # seconds `run` goes on from what it last read as due before reading it again
TIDY_EVERY = 5.0  # seconds between `run`'s passes that expire stale messages and take over a dead replica's sends
LEASE = timedelta(seconds=60)  # a send claimed longer ago than this belongs to a sender that died


@dataclass
class _Pass:
    """What one pass found, chat by chat: whether anything was attempted, and the soonest a waiting message may go."""

    delivered: bool = False
    soonest: float | None = None

    def wait(self, seconds: float) -> None:
        self.soonest = _soonest([self.soonest, seconds])


def _soonest(waits) -> float | None:
    """The shortest of these waits (None: no wait known)."""
    return min((wait for wait in waits if wait is not None), default=None)


class _Answer:
    """Called when the platform answered a send: the limiter counts it from then, once; `at` is when, for the
    deployment's budget."""

    def __init__(self, limiter: RateLimiter, started: Reservation, clock: Clock) -> None:
        self.limiter, self.started, self.clock = limiter, started, clock
        self.at: datetime | None = None

    def __call__(self) -> None:
        if self.at is None:
            self.at = self.clock()
            self.limiter.settle(self.started)


class OutboxSender:
    """Sends what the outbox holds; one instance per process, any number of processes."""

    def __init__(
        self,
        db: Database,
        transports: dict[str, Transport],
        clock: Clock,
        tz,
        catch_up: timedelta,
        monotonic: Callable[[], float] = time.monotonic,
        observer: Observer = UNOBSERVED,
        *,
        owner: str = "",
        lease: timedelta = LEASE,
        gone: Callable[[list[str]], list[str]] = lambda owners: [],
    ) -> None:
        self.db = db
        self.observer = observer  # each send's outcome, for /metrics
        self.owner, self.lease = owner, lease  # who this sender is among replicas, and how long a claim holds
        self.gone = gone  # which of these senders are known dead (a process of this host): taken over at start
        self.transports = transports
        self.clock = clock  # instants stored in the outbox
        self.tz = tz
        self.catch_up = catch_up  # a message due longer ago than this is stale: expired, not sent
        self.limiters = {name: RateLimiter(t.limits, monotonic) for name, t in transports.items()}  # pacing
        self.budgets = shared_budgets(db, transports, clock, owner or f"sender-{id(self):x}")  # among replicas
        self.delivery = Delivery(db, transports, self.limiters, self.budgets, clock, tz, observer, self.wake)
        self._monotonic = monotonic
        self._chats: dict[tuple[str, str], asyncio.Task] = {}  # (channel, chat) -> its messages being sent
        self._held: dict[tuple[str, str], float] = {}  # a chat whose pace another replica spent: until when
        self._tidy_at = float("-inf")  # when `run` next expires stale messages and takes over a dead replica's
        # What `run` last read as due and has not started yet: gone through again by the passes between readings
        # (a claim reads each row as it then is, and one another sender took is skipped), read again when
        # something was queued, when it runs out, and at least every RELIST_EVERY seconds.
        self._backlog: list[Due] = []
        self._listed_at = float("-inf")
        self._news = True
        self._wakeup = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        """Something was queued: look now rather than at the next timer."""
        self._news = True
        self._wakeup.set()

    async def recover(self) -> int:
        """At start: a reminder left `sending` may have arrived, so it becomes `unknown`; a reply is resent."""
        async with self.db.unit_of_work() as session:
            dead = self.gone(await sending.sending_holders(session))
            replies, others = await sending.recover_sending(session, self.clock(), dead=dead)
            await session.commit()
        if others:
            logger.warning("%d outbox messages were being sent at a crash; marked unknown", others)
        if replies:
            logger.warning("%d replies were being sent at a crash; sending them again", replies)
        return replies + others

    async def deliver_now(self, ids: tuple[int, ...] | list[int]) -> None:
        """Send these just-committed messages (a reply) at once, in order; what cannot go now is left to `run()`."""
        waiting, last = list(ids), None
        while waiting:
            async with self.db.reading() as session:
                rows = await sending.list_sendable(session, self.clock(), ids=waiting)
            if not rows:  # what is left waits for an earlier reply of its chat (maybe another process's), or is gone
                self.wake()
                break
            for row in rows:
                waiting.remove(row.id)
                limiter = self.limiters.get(row.channel)
                # A private chat's bucket lets a person's quick burst be answered at once; a group keeps its pace.
                wait = limiter.delay(row.chat_id, row.is_group) if limiter else 1.0
                if wait > 0 or not (await self._send(row, limiter.record(row.chat_id, row.is_group))).attempted:
                    self.wake()
                    continue
                last = row
        if last is not None:
            await self._wake_if_replies_wait(last)

    async def step(self) -> float | None:
        """Send every message that may go now and wait for their answers; seconds until the next may go, or None if
        nothing is pending (used by `drain`, `remind` and tests; `run` does the same without waiting)."""
        now = self.clock()
        sends = _Pass()
        await asyncio.gather(*self._start(await self._sendable(now), sends))
        if sends.delivered:
            return 0.0  # an attempt may have queued more (an admin notice, a moved group's retry): look again
        return await self._next_after(now, sends.soonest)

    async def drain(self, *, until_idle: bool = True) -> None:
        """Send until nothing pending is due (used by `remind` and tests)."""
        while True:
            wait = await self.step()
            if wait is None or (until_idle and wait > IDLE_WAKE_SECONDS):
                return
            await asyncio.sleep(wait)

    async def run(self) -> None:
        """Send forever, woken by `wake()`, by the next due message or by a chat's send ending, until `stop()`.

        Chats are served side by side, up to the channel's rate in flight at once: a send waits on the platform's
        answer, not on the sends before it, and a slot of the overall window is used the moment it comes free. Each
        chat's messages go one after another, in order."""
        while not self._stopping:
            self._wakeup.clear()  # before the pass: a wake() during it triggers another
            try:
                wait = await self._pass()
            except Exception:
                logger.exception("the outbox sender failed a pass; trying again shortly")
                wait = IDLE_WAKE_SECONDS
            timeout = IDLE_WAKE_SECONDS if wait is None else min(max(wait, SHORTEST_WAIT), IDLE_WAKE_SECONDS)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=timeout)
        await asyncio.gather(*self._chats.values(), return_exceptions=True)  # the sends on their way are recorded

    def stop(self) -> None:
        """Finish the current pass and the sends on their way, and return from `run()`."""
        self._stopping = self.delivery.stopping = True
        self._wakeup.set()

    async def _pass(self) -> float | None:
        """Start what may go now, without waiting for it; seconds until something else may, None to wait for a
        wake (a chat's send ending, something queued)."""
        if self._chats and not any(limiter.room() for limiter in self.limiters.values()):
            return _soonest(limiter.free_in() for limiter in self.limiters.values())  # every slot on its way
        now, at = self.clock(), self._monotonic()
        sends = _Pass()
        tidy = at >= self._tidy_at
        if tidy or self._news or not self._backlog or at >= self._listed_at + RELIST_EVERY:
            self._news, self._listed_at = False, at
            if tidy:
                self._tidy_at = at + TIDY_EVERY
            self._backlog = await self._sendable(now, tidy=tidy)
        self._start(self._backlog, sends)
        self._backlog = [row for row in self._backlog if (row.channel, row.chat_id) not in self._chats]
        if self._chats:
            return sends.soonest  # a chat's send ending wakes the next pass
        return await self._next_after(now, sends.soonest)

    async def _sendable(self, now: datetime, *, tidy: bool = True) -> list[Due]:
        """What is due, read without holding up a writer; `tidy` first: stale messages expired and a dead replica's
        sends taken over (a write, so `run` does it only every few seconds: claims and outcomes wait behind it)."""
        if tidy:
            async with self.db.unit_of_work() as session:
                expired = await sending.expire_stale(session, due_before=now - self.catch_up)
                taken = await sending.recover_sending(session, now, at_start=False)  # from replicas that died
                await session.commit()
            if expired:
                logger.warning("%d outbox messages were too old to send after an outage; marked expired", expired)
            if any(taken):
                logger.warning("took over the sends of a process that died: %d replies to resend, %d unknown", *taken)
        async with self.db.reading() as session:
            return await sending.list_sendable(session, now)

    async def _next_after(self, now: datetime, soonest: float | None) -> float | None:
        """The sooner of `soonest` and the next pending message's attempt."""
        async with self.db.reading() as session:
            later = await sending.next_attempt_at(session, after=now)
        if later is not None:
            soonest = _soonest([soonest, max((later - self.clock()).total_seconds(), 0.0)])
        return soonest

    def _start(self, rows: list[Due], sends: _Pass) -> list[asyncio.Task]:
        """A task for each chat whose first message may go now (decided here, before any other chat's is), the
        chat's later messages after it; what waits is noted in `sends`."""
        chats: dict[tuple[str, str], list[Due]] = {}
        for row in rows:
            chats.setdefault((row.channel, row.chat_id), []).append(row)
        started = []
        for chat, messages in chats.items():
            if chat in self._chats:
                continue  # its earlier message is on its way: this one goes after it, at a later pass
            if (reservation := self._admit(messages[0], sends)) is None:
                continue
            task = asyncio.create_task(self._send_in_order(messages, reservation, sends))
            self._chats[chat] = task
            task.add_done_callback(partial(self._chat_done, chat))
            started.append(task)
        return started

    def _admit(self, row: Due, sends: _Pass) -> Reservation | None:
        """A row's send counted in its channel's limits if it may go now; else its wait noted."""
        limiter = self.limiters.get(row.channel)
        if limiter is None:
            return None  # a channel this process does not serve
        held = self._held.get((row.channel, row.chat_id), 0.0) - self._monotonic()
        wait = max(limiter.delay(row.chat_id, row.is_group), held)
        if wait > 0:
            sends.wait(wait)
            return None
        self._held.pop((row.channel, row.chat_id), None)
        return limiter.record(row.chat_id, row.is_group)

    def _chat_done(self, chat: tuple[str, str], task: asyncio.Task) -> None:
        self._chats.pop(chat, None)
        if not task.cancelled() and (err := task.exception()) is not None:
            logger.error("sending to chat %s failed; trying again at a later pass", chat[1], exc_info=err)
        self._wakeup.set()  # its pace, or the window, tells when the next may go: the backlog is still good

    async def _send_in_order(self, rows: list[Due], reservation: Reservation, sends: _Pass) -> None:
        """One chat's messages, each as soon as its pace allows, until one must wait (the rest wait behind it)."""
        for n, row in enumerate(rows):
            if n and (reservation := self._admit(row, sends)) is None:
                return
            outcome = await self._send(row, reservation)
            if outcome.wait is not None:
                # The channel's pause (a 429) or the deployment's budget spent holds every chat of the channel;
                # the chat's pace, spent by another replica, this chat.
                if outcome.spent:
                    self.limiters[row.channel].pause(outcome.wait)
                else:
                    self._held[(row.channel, row.chat_id)] = self._monotonic() + outcome.wait
                sends.wait(outcome.wait)
                return
            sends.delivered = sends.delivered or outcome.attempted

    async def _send(self, row: Due, started: Reservation) -> Outcome:
        """Send a row its chat's pace allowed, `started` in the limiter when that was decided: within the
        deployment's budget, if claimed (as it is then), timed by the limiter from its answer (forgotten if it did
        not go)."""
        limiter = self.limiters[row.channel]
        budget = self.budgets.get(row.channel)
        try:
            slot = await budget.take(row.chat_id, row.is_group) if budget else None
            if isinstance(slot, Busy):
                limiter.release(started)
                return Outcome(attempted=False, wait=slot.seconds, spent=slot.channel)
            claimed = await self.delivery.writes.write(partial(self._claim, row))
        except BaseException:
            limiter.release(started)  # not sent: the database was away, or the pass was cancelled
            raise
        if claimed is None:  # another sender has it
            limiter.release(started)
            if slot is not None:
                await budget.settle(slot, row.chat_id, row.is_group, used=False)
            return Outcome(attempted=False)
        answer = _Answer(limiter, started, self.clock)
        try:
            pause = await self.delivery.attempt(claimed, answer)
        finally:
            answer()  # the attempt ended without reaching the platform (a bundle no longer true, a crash)
            if slot is not None:
                await budget.settle(slot, row.chat_id, row.is_group, answered=answer.at)
        return Outcome(attempted=True, wait=pause)

    async def _claim(self, row: Due, session) -> OutboxMessage | None:
        return await sending.claim_message(session, row.id, self.owner, self.clock() + self.lease)

    async def _wake_if_replies_wait(self, row: Due) -> None:
        """A reply of the same chat that waited for this one (written by another process, or retried) may go now."""
        if row.kind != OutboxKind.REPLY:
            return
        async with self.db.reading() as session:
            if await sending.replies_waiting(session, row.channel, row.chat_id):
                self.wake()
