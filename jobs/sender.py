"""The outbox sender: drains pending messages under each channel's rate limits.

A row is committed as `sending` before the call and `sent` after it. A reminder left `sending` by a
crash, or whose request may have arrived (a read timeout), becomes `unknown` and is never sent twice.
A reply is the other way round: a receipt that may not have arrived is sent again, because an
official without a receipt types the entry a second time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError

from bot.core.bundle import Bundle, render_bundle
from bot.core.clock import Clock, local_date
from bot.ports import UNOBSERVED, ChatMoved, MaybeSent, NotSent, Observer, RetryLater, Transport, Unreachable
from jobs import outcomes
from jobs.budget import Busy, Outcome, shared_budgets
from jobs.bundle import notices_of, snoozed_from
from jobs.compose import compose
from jobs.ratelimit import RateLimiter
from storage import sending, snoozes
from storage.db import Database
from storage.models.messaging import OutboxKind, OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

IDLE_WAKE_SECONDS = 30.0
MAX_BACKOFF_SECONDS = 300
CONFIRM_UNREACHABLE = timedelta(minutes=1)  # a chat that refused us (403) is tried once more before it is "blocked"
UNCONFIRMED = "unreachable, to be confirmed: "
MAX_RECORD_WAIT = 10.0  # seconds between attempts to record a send made while the database was away
LEASE = timedelta(seconds=60)  # a send claimed longer ago than this belongs to a sender that died


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
        self._wakeup = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        """Something was queued: look now rather than at the next timer."""
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
                if wait > 0 or not (await self._send(row)).attempted:
                    self.wake()
                    continue
                last = row
        if last is not None:
            await self._wake_if_replies_wait(last)

    async def step(self) -> float | None:
        """Send every message that may go now; seconds until the next may, or None if nothing is pending."""
        now = self.clock()
        async with self.db.unit_of_work() as session:
            expired = await sending.expire_stale(session, due_before=now - self.catch_up)
            taken = await sending.recover_sending(session, now, at_start=False)  # from replicas that died
            rows = await sending.list_sendable(session, now)
            await session.commit()
        if expired:
            logger.warning("%d outbox messages were too old to send after an outage; marked expired", expired)
        if any(taken):
            logger.warning("took over the sends of a process that died: %d replies to resend, %d unknown", *taken)
        soonest: float | None = None
        delivered = False
        spent: set[str] = set()  # channels whose deployment-wide budget is used up for now
        for row in rows:
            limiter = self.limiters.get(row.channel)
            if limiter is None or row.channel in spent:
                continue  # a channel this process does not serve, or must wait for
            wait = limiter.delay(row.chat_id, row.is_group)
            if wait == 0:
                outcome = await self._send(row)
                if outcome.wait is None:
                    delivered = delivered or outcome.attempted
                    continue
                wait = outcome.wait  # the channel's pause (a 429), the deployment's budget spent, or the chat's pace
                if outcome.spent:
                    spent.add(row.channel)
            soonest = wait if soonest is None else min(soonest, wait)
        if delivered:
            return 0.0  # an attempt may have queued more (an admin notice, a moved group's retry): look again
        async with self.db.reading() as session:
            later = await sending.next_attempt_at(session, after=now)
        if later is not None:
            until = max((later - self.clock()).total_seconds(), 0.0)
            soonest = until if soonest is None else min(soonest, until)
        return soonest

    async def drain(self, *, until_idle: bool = True) -> None:
        """Send until nothing pending is due (used by `remind` and tests)."""
        while True:
            wait = await self.step()
            if wait is None or (until_idle and wait > IDLE_WAKE_SECONDS):
                return
            await asyncio.sleep(wait)

    async def run(self) -> None:
        """Send forever, woken by `wake()` or by the next due message, until `stop()`."""
        while not self._stopping:
            self._wakeup.clear()  # before the pass: a wake() during it triggers another
            try:
                wait = await self.step()
            except Exception:
                logger.exception("the outbox sender failed a pass; trying again shortly")
                wait = IDLE_WAKE_SECONDS
            timeout = IDLE_WAKE_SECONDS if wait is None else min(max(wait, 0.05), IDLE_WAKE_SECONDS)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=timeout)

    def stop(self) -> None:
        """Finish the current pass and return from `run()`."""
        self._stopping = True
        self._wakeup.set()

    async def _send(self, row: OutboxMessage) -> Outcome:
        """Send a row its chat's pace allows now: within the deployment's budget, if claimed, counted by the limiter
        from its start and timed from its answer."""
        budget = self.budgets.get(row.channel)
        slot = await budget.take(row.chat_id, row.is_group) if budget else None
        if isinstance(slot, Busy):
            return Outcome(attempted=False, wait=slot.seconds, spent=slot.channel)
        if not await self._claim(row):  # another sender has it
            if slot is not None:
                await budget.settle(slot, row.chat_id, row.is_group, used=False)
            return Outcome(attempted=False)
        limiter = self.limiters[row.channel]
        started = limiter.record(row.chat_id, row.is_group)
        try:
            pause = await self._deliver(row)
        finally:
            limiter.settle(started)
            if slot is not None:
                await budget.settle(slot, row.chat_id, row.is_group)
        return Outcome(attempted=True, wait=pause)

    async def _claim(self, row: OutboxMessage) -> bool:
        async with self.db.unit_of_work() as session:
            now = self.clock()
            claimed = await sending.claim_message(session, row.id, self.owner, now + self.lease)
            await session.commit()
        return claimed

    async def _wake_if_replies_wait(self, row: OutboxMessage) -> None:
        """A reply of the same chat that waited for this one (written by another process, or retried) may go now."""
        if row.kind != OutboxKind.REPLY:
            return
        async with self.db.reading() as session:
            if await sending.replies_waiting(session, row.channel, row.chat_id):
                self.wake()

    async def _finish(self, row: OutboxMessage, status: OutboxStatus, **values: object) -> None:
        async with self.db.unit_of_work() as session:
            await sending.finish_message(session, row.id, status, **values)
            if row.kind == OutboxKind.BUNDLE and status != OutboxStatus.PENDING:
                await snoozes.settle_items(session, row, status)  # what it carried was said, or not, with it
            await session.commit()

    async def _bundle_text(self, row: OutboxMessage, now: datetime) -> str | None:
        """A bundle as it reads now, from the items it still carries (a report submitted since is left out)."""
        async with self.db.reading() as session:
            items = await snoozes.bundled_items(session, row)
        today = local_date(now, self.tz)
        notices = notices_of(item.body for item in items if item.body is not None)
        return render_bundle(Bundle(today, notices, snoozed_from(row.body)), today)

    async def _deliver(self, row: OutboxMessage) -> float | None:
        """One attempt; returns a pause in seconds when the channel asked for one."""
        transport = self.transports[row.channel]
        now = self.clock()
        text = None
        if row.kind == OutboxKind.BUNDLE and (text := await self._bundle_text(row, now)) is None:
            await self._finish(row, OutboxStatus.EXPIRED, error="no longer true when it could go")
            return None
        parts = compose(row, local_date(now, self.tz), self.transports[row.channel].profile.max_text, text)
        if parts is None:
            await self._finish(row, OutboxStatus.EXPIRED, error="no longer true when it could go")
            return None
        try:
            message_id = None
            for n, part in enumerate(parts):
                edit = row.edit_message_id if n == 0 else None
                sent = await transport.send(row.chat_id, part, reply_to=row.reply_to, edit=edit)
                message_id = message_id or sent
        except RetryLater as err:
            self.observer.sent(row.channel, err)
            self.limiters[row.channel].pause(err.seconds)
            if budget := self.budgets.get(row.channel):
                await budget.pause(err.seconds)  # every replica holds, not only this one
            retry_at = now + timedelta(seconds=err.seconds)
            await self._finish(row, OutboxStatus.PENDING, next_attempt_at=retry_at, error=str(err))
            logger.warning("rate limited by %s for %.0fs", row.channel, err.seconds)
            return err.seconds
        except NotSent as err:
            self.observer.sent(row.channel, err)
            # Kept until it goes or grows stale (then expired above): an outage must not lose a reminder.
            await self._retry(row, now, err)
        except MaybeSent as err:
            self.observer.sent(row.channel, err)
            if row.kind == OutboxKind.REPLY:
                await self._retry(row, now, err)  # a receipt twice is better than none
            else:
                await self._finish(row, OutboxStatus.UNKNOWN, error=str(err)[:300])
                logger.warning("outbox message %d may or may not have arrived; not resending", row.id)
        except Unreachable as err:
            self.observer.sent(row.channel, err)
            if row.error and row.error.startswith(UNCONFIRMED):
                await self._unreachable(row, now, str(err))
            else:  # a one-off 403 (a platform's hiccup) must not tell the admins someone blocked the bot
                retry_at = now + CONFIRM_UNREACHABLE
                await self._finish(
                    row, OutboxStatus.PENDING, next_attempt_at=retry_at, error=f"{UNCONFIRMED}{err}"[:300]
                )
        except ChatMoved as err:
            self.observer.sent(row.channel, err)
            await self._moved(row, err.new_chat_id)
        except Exception as err:  # Rejected, or a bug: record it and go on with the others
            self.observer.sent(row.channel, err)
            await self._failed(row, now, err)
        else:
            self.observer.sent(row.channel)
            await self._sent(row, message_id)
        return None

    async def _sent(self, row: OutboxMessage, message_id: str | None) -> None:
        """Record a send that was made, however long the database is away: left 'sending', the row would be taken
        over when its lease ran out and a receipt sent twice. Only a process that dies leaves it to the lease."""
        delay = 0.5
        while True:
            try:
                return await self._finish(row, OutboxStatus.SENT, sent_at=self.clock(), message_id=message_id)
            except (DBAPIError, OSError) as err:
                if self._stopping:
                    raise
                logger.warning("outbox message %d was sent but cannot be recorded yet (%s); retrying", row.id, err)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_RECORD_WAIT)

    async def _retry(self, row: OutboxMessage, now: datetime, err: Exception) -> None:
        first = 1 if row.kind == OutboxKind.REPLY else 5  # someone is waiting for a receipt: try again soon
        backoff = timedelta(seconds=min(first * 2 ** min(row.attempts - 1, 10), MAX_BACKOFF_SECONDS))
        await self._finish(row, OutboxStatus.PENDING, next_attempt_at=now + backoff, error=str(err)[:300])

    async def _failed(self, row: OutboxMessage, now: datetime, err: Exception) -> None:
        logger.warning("outbox message %d failed: %s", row.id, err)
        async with self.db.unit_of_work() as session:
            await outcomes.failed(session, row, now, err)
            await session.commit()
        self.wake()

    async def _unreachable(self, row: OutboxMessage, now: datetime, error: str) -> None:
        async with self.db.unit_of_work() as session:
            await outcomes.unreachable(session, row, now, error, self.tz)
            await session.commit()
        logger.warning("chat %s is unreachable; admins told", row.chat_id)

    async def _moved(self, row: OutboxMessage, new_chat_id: str) -> None:
        async with self.db.unit_of_work() as session:
            await outcomes.moved(session, row, new_chat_id, self.clock())
            await session.commit()
