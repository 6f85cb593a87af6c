"""The outbox's sending side: what may go now, claimed under a lease, its outcome, and what a dead sender left.

Any number of processes may send from one outbox: a claim is a conditional update that exactly one wins, it
carries the sender's lease, and a chat's replies go in the order they were written. Where they share the store
(PostgreSQL) they share a channel's sends per second too, as slots in it (`take_slot`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import case, delete, exists, func, literal, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models.base import UTCDateTime
from storage.models.messaging import ChatPace, OutboxKind, OutboxMessage, OutboxStatus, SendSlot

SLOT_WINDOW = timedelta(seconds=1)  # a slot is one send a second
NEVER = datetime(2000, 1, 1, tzinfo=UTC)


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


class Due(NamedTuple):
    """A message that may be tried now: what its pacing needs to know before it is claimed (the claim reads the rest,
    as it is then)."""

    id: int
    kind: OutboxKind
    channel: str
    chat_id: str
    is_group: bool


async def list_sendable(
    session: AsyncSession, now: datetime, limit: int = 200, ids: Sequence[int] | None = None
) -> list[Due]:
    """Pending messages whose next attempt has come, oldest first (only `ids`, if given); a reply only once the
    replies before it in its chat have gone."""
    m = OutboxMessage
    query = select(m.id, m.kind, m.channel, m.chat_id, m.is_group).where(
        m.status == OutboxStatus.PENDING, ~_reply_waits()
    )
    query = query.where(m.id.in_(list(ids)) if ids is not None else m.next_attempt_at <= now)
    rows = await session.execute(query.order_by(m.next_attempt_at, m.id).limit(limit))
    return [Due(*row) for row in rows]


async def next_attempt_at(session: AsyncSession, after: datetime) -> datetime | None:
    """When the earliest pending message not yet due (after `after`) may be tried."""
    return await session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at > after
        )
    )


async def claim_message(
    session: AsyncSession, outbox_id: int, owner: str | None = None, lease_until: datetime | None = None
) -> OutboxMessage | None:
    """Mark a pending message as being sent by `owner` until `lease_until`, and return it as it now is (its
    `attempts` counting this one); of two senders exactly one gets it, the other None."""
    claimed = (
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(
            status=OutboxStatus.SENDING,
            attempts=OutboxMessage.attempts + 1,
            claimed_by=owner,
            lease_until=lease_until,
        )
        .returning(OutboxMessage)
        .execution_options(synchronize_session=False)
    )
    return (await session.scalars(claimed)).first()


async def finish_message(session: AsyncSession, outbox_id: int, status: OutboxStatus, **values: object) -> None:
    """Record the outcome of an attempt; a secret's text is blanked once it will not be sent again."""
    if status != OutboxStatus.PENDING:
        values["text"] = case((OutboxMessage.secret.is_(True), ""), else_=OutboxMessage.text)
    await session.execute(update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(status=status, **values))


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


# --- the deployment's sends per second, shared by replicas ------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A send slot taken: settled when the send was answered, or released untouched when it did not go."""

    channel: str
    number: int
    holder: str
    free_before: datetime  # when it was free, to give it back unused


async def add_slots(session: AsyncSession, channel: str, count: int) -> None:
    """Make sure a channel has `count` slots (a rate raised in the configuration adds the missing ones)."""
    blank = {"channel": channel, "free_at": NEVER, "paused_until": NEVER, "holder": ""}
    rows = [{**blank, "slot": n} for n in range(count)]
    await session.execute(postgresql_insert(SendSlot).on_conflict_do_nothing(), rows)


async def take_slot(
    session: AsyncSession, channel: str, count: int, holder: str, now: datetime, lease: timedelta
) -> Slot | None:
    """Take the longest-free of the first `count` slots, held by `holder` until `lease` from now unless settled;
    None when every one was used within the last second (or the channel is paused). Replicas never wait on
    each other: a slot another is taking is skipped."""
    pick = (
        select(SendSlot.slot, SendSlot.free_at)
        .where(
            SendSlot.channel == channel,
            SendSlot.slot < count,
            SendSlot.free_at <= now,
            SendSlot.paused_until <= now,
        )
        .order_by(SendSlot.free_at)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    free = (await session.execute(pick)).first()
    if free is None:
        return None
    taken = update(SendSlot).where(SendSlot.channel == channel, SendSlot.slot == free.slot)
    await session.execute(taken.values(free_at=now + lease, holder=holder))
    return Slot(channel, free.slot, holder, free.free_at)


async def next_slot_at(session: AsyncSession, channel: str, count: int, now: datetime) -> datetime:
    """When a slot of the channel may next be free: the earliest, or the end of a pause if later. A slot free only
    further than a window from now is on its way (its lease is what it says): it frees a window after its answer,
    which may come any moment, so the answer is at most a window from now."""
    row = (
        await session.execute(
            select(func.min(SendSlot.free_at), func.max(SendSlot.paused_until)).where(
                SendSlot.channel == channel, SendSlot.slot < count
            )
        )
    ).one()
    return max(min(row[0] or NEVER, now + SLOT_WINDOW), row[1] or NEVER)


async def settle_slot(session: AsyncSession, slot: Slot, now: datetime, *, used: bool = True) -> None:
    """The send was answered at `now`: the slot is free a second later (unused: free again as it was)."""
    free_at = now + SLOT_WINDOW if used else slot.free_before
    await session.execute(
        update(SendSlot)
        .where(SendSlot.channel == slot.channel, SendSlot.slot == slot.number, SendSlot.holder == slot.holder)
        .values(free_at=free_at)
    )


async def pause_slots(session: AsyncSession, channel: str, until: datetime) -> None:
    """The platform asked to slow down: no replica takes a slot of this channel before `until`."""
    await session.execute(
        update(SendSlot).where(SendSlot.channel == channel, SendSlot.paused_until < until).values(paused_until=until)
    )


# --- each chat's pace, shared by replicas --------------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    """A chat's pace: one send every `interval`, its bucket allowed to run at most `ahead` past now (a burst)."""

    interval: timedelta
    ahead: timedelta


def _instant(value: datetime):
    return literal(value, UTCDateTime)


async def take_pace(session: AsyncSession, channel: str, chat_id: str, pace: Pace, now: datetime) -> datetime | None:
    """Count a send to a chat now against its pace for the whole deployment: None when it may go (counted), else
    when it may. The row is locked until the transaction ends, so two replicas never both take the last send."""
    start = postgresql_insert(ChatPace).values(channel=channel, chat_id=chat_id, full_at=now + pace.interval)
    counted = start.on_conflict_do_update(
        index_elements=[ChatPace.channel, ChatPace.chat_id],
        set_={"full_at": func.greatest(ChatPace.full_at, _instant(now)) + pace.interval},
        where=ChatPace.full_at <= _instant(now + pace.ahead),
    ).returning(ChatPace.chat_id)
    if (await session.execute(counted)).first() is not None:
        return None
    held = select(ChatPace.full_at).where(ChatPace.channel == channel, ChatPace.chat_id == chat_id)
    return (await session.scalar(held)) - pace.ahead


async def settle_pace(session: AsyncSession, channel: str, chat_id: str, pace: Pace, answered: datetime) -> None:
    """The send was answered at `answered`: the chat's pace runs from then, when the platform had surely seen it."""
    await session.execute(
        update(ChatPace)
        .where(ChatPace.channel == channel, ChatPace.chat_id == chat_id)
        .values(full_at=func.greatest(ChatPace.full_at, _instant(answered + pace.interval)))
    )


async def prune_paces(session: AsyncSession, now: datetime) -> int:
    """Forget the chats whose bucket is full again (nothing to remember); how many. A row a send is counting right
    now is skipped, never waited for: two pruning replicas, or a prune and a send, cannot deadlock."""
    key = tuple_(ChatPace.channel, ChatPace.chat_id)
    full = select(ChatPace.channel, ChatPace.chat_id).where(ChatPace.full_at <= now).with_for_update(skip_locked=True)
    return (await session.execute(delete(ChatPace).where(key.in_(full)))).rowcount or 0
