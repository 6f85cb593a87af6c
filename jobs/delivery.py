"""One attempt to send a claimed outbox row, and what came of it recorded.

A row is committed as `sending` before the call and `sent` after it. A reminder left `sending` by a
crash, or whose request may have arrived (a read timeout), becomes `unknown` and is never sent twice.
A reply is the other way round: a receipt that may not have arrived is sent again, because an
official without a receipt types the entry a second time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.exc import DBAPIError

from bot.core.bundle import Bundle, render_bundle
from bot.core.clock import Clock, local_date
from bot.core.messages import Outgoing
from bot.ports import ChatMoved, MaybeSent, NotSent, Observer, RetryLater, Transport, Unreachable
from jobs import outcomes
from jobs.budget import SharedBudget
from jobs.bundle import notices_of, snoozed_from
from jobs.compose import compose
from jobs.group_commit import GroupCommit
from jobs.ratelimit import RateLimiter
from storage import sending, snoozes
from storage.db import Database
from storage.models.messaging import OutboxKind, OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300
CONFIRM_UNREACHABLE = timedelta(minutes=1)  # a chat that refused us (403) is tried once more before it is "blocked"
UNCONFIRMED = "unreachable, to be confirmed: "
MAX_RECORD_WAIT = 10.0  # seconds between attempts to record a send made while the database was away


class Delivery:
    """Sends a claimed row through its channel and records the outcome; the writes of concurrent attempts (and the
    sender's claims) committed together."""

    def __init__(
        self,
        db: Database,
        transports: Mapping[str, Transport],
        limiters: Mapping[str, RateLimiter],
        budgets: Mapping[str, SharedBudget],
        clock: Clock,
        tz,
        observer: Observer,
        wake: Callable[[], None],
    ) -> None:
        self.db, self.transports, self.limiters, self.budgets = db, transports, limiters, budgets
        self.clock, self.tz, self.observer = clock, tz, observer
        self.wake = wake  # something was queued (a refused reply's notice): the sender looks again
        self.writes = GroupCommit(db)
        self.stopping = False  # the sender is stopping: a send made is not waited on to be recorded

    async def _finish(self, row: OutboxMessage, status: OutboxStatus, **values: object) -> None:
        await self.writes.write(partial(self._record, row, status, values))

    @staticmethod
    async def _record(row: OutboxMessage, status: OutboxStatus, values: dict, session) -> None:
        await sending.finish_message(session, row.id, status, **values)
        if row.kind == OutboxKind.BUNDLE and status != OutboxStatus.PENDING:
            await snoozes.settle_items(session, row, status)  # what it carried was said, or not, with it

    async def _bundle_text(self, row: OutboxMessage, now: datetime) -> str | None:
        """A bundle as it reads now, from the items it still carries (a report submitted since is left out)."""
        async with self.db.reading() as session:
            items = await snoozes.bundled_items(session, row)
        today = local_date(now, self.tz)
        notices = notices_of(item.body for item in items if item.body is not None)
        return render_bundle(Bundle(today, notices, snoozed_from(row.body)), today)

    async def attempt(self, row: OutboxMessage, answered: Callable[[], None]) -> float | None:
        """One attempt; returns a pause in seconds when the channel asked for one. `answered` is called the moment
        the platform answered (or failed to), before the outcome is recorded: the rate limits count the send from
        then, not from when a disk write ended."""
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
            message_id = await self._send_parts(transport, row, parts, answered)
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

    @staticmethod
    async def _send_parts(
        transport: Transport, row: OutboxMessage, parts: list[Outgoing], answered: Callable[[], None]
    ) -> str | None:
        """Each part in turn (the first edits a message when the row says so); the first part's message id."""
        message_id = None
        try:
            for n, part in enumerate(parts):
                edit = row.edit_message_id if n == 0 else None
                sent = await transport.send(row.chat_id, part, reply_to=row.reply_to, edit=edit)
                message_id = message_id or sent
        finally:
            answered()
        return message_id

    async def _sent(self, row: OutboxMessage, message_id: str | None) -> None:
        """Record a send that was made, however long the database is away: left 'sending', the row would be taken
        over when its lease ran out and a receipt sent twice. Only a process that dies leaves it to the lease."""
        delay = 0.5
        while True:
            try:
                return await self._finish(row, OutboxStatus.SENT, sent_at=self.clock(), message_id=message_id)
            except (DBAPIError, OSError) as err:
                if self.stopping:
                    raise
                logger.warning("outbox message %d was sent but cannot be recorded yet (%s); retrying", row.id, err)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_RECORD_WAIT)

    async def _retry(self, row: OutboxMessage, now: datetime, err: Exception) -> None:
        first = 1 if row.kind == OutboxKind.REPLY else 5  # someone is waiting for a receipt: try again soon
        earlier = row.attempts - 1  # the claim counted this attempt: the first retry waits half of `first`
        backoff = timedelta(seconds=min(first * 2 ** min(earlier - 1, 10), MAX_BACKOFF_SECONDS))
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
