"""The outbox's sending side: what may go now, claimed under a lease, its outcome, and what a dead sender left.

Any number of processes may send from one outbox: a claim is a conditional update that exactly one wins, it
carries the sender's lease, and a chat's replies go in the order they were written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models.messaging import OutboxKind, OutboxMessage, OutboxStatus


def _reply_waits():
    """A reply whose chat has an earlier reply still to go: it goes after that one, so a chat reads its answers (and
    the parts of one answer) in order, whichever process sends them and whatever was retried."""
    earlier = aliased(OutboxMessage)
    return exists().where(
        OutboxMessage.kind == OutboxKind.REPLY,
        earlier.channel == OutboxMessage.channel,
        earlier.chat_id == OutboxMessage.chat_id,
        earlier.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
        earlier.kind == OutboxKind.REPLY,
        earlier.id < OutboxMessage.id,
    )


async def replies_waiting(session: AsyncSession, channel: str, chat_id: str) -> bool:
    """Whether a chat has replies still to go (one that waited for the reply just sent may go now)."""
    query = select(OutboxMessage.id).where(
        OutboxMessage.channel == channel,
        OutboxMessage.chat_id == chat_id,
        OutboxMessage.kind == OutboxKind.REPLY,
        OutboxMessage.status == OutboxStatus.PENDING,
    )
    return (await session.scalar(query.limit(1))) is not None


async def list_sendable(
    session: AsyncSession, now: datetime, limit: int = 200, ids: Sequence[int] | None = None
) -> Sequence[OutboxMessage]:
    """Pending messages whose next attempt has come, oldest first (only `ids`, if given); a reply only once the
    replies before it in its chat have gone."""
    query = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING, ~_reply_waits())
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(list(ids)))
    else:
        query = query.where(OutboxMessage.next_attempt_at <= now)
    return (await session.scalars(query.order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))).all()


async def next_attempt_at(session: AsyncSession, after: datetime) -> datetime | None:
    """When the earliest pending message not yet due (after `after`) may be tried."""
    return await session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at > after
        )
    )


async def claim_message(
    session: AsyncSession, outbox_id: int, owner: str | None = None, lease_until: datetime | None = None
) -> bool:
    """Mark a pending message as being sent by `owner` until `lease_until`; of two senders exactly one wins."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(
            status=OutboxStatus.SENDING,
            attempts=OutboxMessage.attempts + 1,
            claimed_by=owner,
            lease_until=lease_until,
        )
    )
    return result.rowcount == 1


async def finish_message(session: AsyncSession, outbox_id: int, status: OutboxStatus, **values: object) -> None:
    """Record the outcome of an attempt; a secret's text is blanked once it will not be sent again."""
    finished = update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(status=status, **values)
    await session.execute(finished)
    if status != OutboxStatus.PENDING:
        await session.execute(finished.where(OutboxMessage.secret.is_(True)).values(text=""))


async def expire_stale(session: AsyncSession, *, due_before: datetime) -> int:
    """Pending messages that fell due too long ago (the bot was down): recorded as expired, never sent."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.due_at < due_before)
        .values(status=OutboxStatus.EXPIRED)
    )
    return result.rowcount or 0


async def sending_holders(session: AsyncSession) -> list[str]:
    """The senders holding a message `sending`."""
    held = select(OutboxMessage.claimed_by).where(OutboxMessage.status == OutboxStatus.SENDING).distinct()
    return [owner for owner in await session.scalars(held) if owner]


async def recover_sending(
    session: AsyncSession, now: datetime, *, at_start: bool = True, dead: Sequence[str] = ()
) -> tuple[int, int]:
    """What a dead sender left 'sending': a reply is sent again (a receipt must arrive); anything else may have
    arrived, so it becomes 'unknown' and is never resent blindly. (replies retried, others marked unknown)

    On a store one process uses (SQLite) everything 'sending' at start was left by a crash, and nothing later is.
    Where processes share the store (PostgreSQL) only a row whose sender's lease ran out is taken over, at start
    or at any time after, or when its sender is `dead` (a process of this host gone: a restart after a crash): a
    replica starting up never takes over another's live sends."""
    if session.get_bind().dialect.name == "sqlite":
        if not at_start:
            return 0, 0
        left = OutboxMessage.status == OutboxStatus.SENDING
    else:
        lapsed = or_(
            OutboxMessage.lease_until.is_(None),
            OutboxMessage.lease_until < now,
            OutboxMessage.claimed_by.in_(list(dead)),
        )
        left = (OutboxMessage.status == OutboxStatus.SENDING) & lapsed
    freed = {"claimed_by": None, "lease_until": None}
    replies = await session.execute(
        update(OutboxMessage)
        .where(left, OutboxMessage.kind == OutboxKind.REPLY)
        .values(status=OutboxStatus.PENDING, **freed)
    )
    others = await session.execute(update(OutboxMessage).where(left).values(status=OutboxStatus.UNKNOWN, **freed))
    return replies.rowcount or 0, others.rowcount or 0
