"""The inbox: every update a channel delivers, committed before the channel is told it arrived.

Handled in each chat's order, and marked handled in the transaction of its effects, so a crash loses nothing
and a redelivery changes nothing. A handler claims one update at a time with a lease it commits first (on
PostgreSQL with `FOR UPDATE SKIP LOCKED`, so two processes never claim the same one): only the oldest update
of its chat not yet handled, and only while no live lease holds it. Each claim counts as a handling begun, so
a handling that crashed the process is counted too, and an update that did so twice is set aside.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage import conversations
from storage.models.messaging import InboxUpdate
from storage.people import version_now


@dataclass(frozen=True)
class Claimed:
    """An update claimed for handling, and how many handlings of it before this one ended in neither success nor
    a recorded failure (the process died in them)."""

    id: int
    channel: str
    payload: dict
    crashes: int
    chat: str | None = None


async def accept(
    session: AsyncSession, channel: str, items: Sequence[tuple[str, dict] | tuple[str, dict, str | None]], now: datetime
) -> int:
    """Store updates (key, payload[, chat]) unless already there (a redelivery); the number that were new."""
    if not items:
        return 0
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [
        {
            "channel": channel,
            "update_key": item[0],
            "payload": item[1],
            "chat": item[2] if len(item) > 2 else None,
            "received_at": now,
            "attempts": 0,
            "started": 0,
        }
        for item in items
    ]
    statement = insert(InboxUpdate).on_conflict_do_nothing(index_elements=["channel", "update_key"])
    return (await session.execute(statement.values(rows))).rowcount or 0


async def unhandled(session: AsyncSession, limit: int = 100) -> list[tuple[int, str, dict]]:
    """(id, channel, payload) of updates not yet handled, oldest first."""
    rows = await session.execute(
        select(InboxUpdate.id, InboxUpdate.channel, InboxUpdate.payload)
        .where(InboxUpdate.handled_at.is_(None))
        .order_by(InboxUpdate.id)
        .limit(limit)
    )
    return [tuple(row) for row in rows]


def _waiting():
    return and_(InboxUpdate.handled_at.is_(None), InboxUpdate.dead_at.is_(None))


async def claim_next(session: AsyncSession, owner: str, now: datetime, lease_until: datetime) -> Claimed | None:
    """Claim the oldest update that is first in its chat and held by no live lease: leased to `owner` until
    `lease_until` and counted as a handling begun, in one statement. The caller commits before handling it."""
    candidate, earlier = aliased(InboxUpdate), aliased(InboxUpdate)
    ahead = exists().where(
        earlier.channel == candidate.channel,
        earlier.chat == candidate.chat,
        earlier.handled_at.is_(None),
        earlier.dead_at.is_(None),
        earlier.id < candidate.id,
    )
    oldest = (
        select(candidate.id)
        .where(
            candidate.handled_at.is_(None),
            candidate.dead_at.is_(None),
            or_(candidate.lease_until.is_(None), candidate.lease_until < now),
            ~ahead,
        )
        .order_by(candidate.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        oldest = oldest.with_for_update(skip_locked=True, of=candidate)
    claimed = (
        update(InboxUpdate)
        .where(InboxUpdate.id == oldest.scalar_subquery())
        .values(claimed_by=owner, lease_until=lease_until, started=InboxUpdate.started + 1)
        .returning(
            InboxUpdate.id,
            InboxUpdate.channel,
            InboxUpdate.payload,
            InboxUpdate.started,
            InboxUpdate.attempts,
            InboxUpdate.chat,
        )
    )
    row = (await session.execute(claimed)).first()
    if row is None:
        return None
    inbox_id, channel, payload, started, attempts, chat = row  # `started` counts this handling already
    return Claimed(inbox_id, channel, payload, max(started - 1 - attempts, 0), chat)


async def extend_lease(session: AsyncSession, inbox_id: int, owner: str, lease_until: datetime) -> bool:
    """Keep holding an update still being handled; False when it is no longer ours."""
    result = await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.id == inbox_id, InboxUpdate.claimed_by == owner, InboxUpdate.handled_at.is_(None))
        .values(lease_until=lease_until)
    )
    return result.rowcount == 1


async def lease_holders(session: AsyncSession) -> list[str]:
    """The processes holding a lease on an update not yet handled."""
    held = select(InboxUpdate.claimed_by).where(_waiting(), InboxUpdate.claimed_by.is_not(None)).distinct()
    return list(await session.scalars(held))


async def release_leases(session: AsyncSession, dead: Sequence[str] = ()) -> int:
    """At start, on a store only one process may use (SQLite): every lease is freed, as whatever held one died.
    Where processes share the store (PostgreSQL) a lease ends when it runs out, or when its holder is `dead`."""
    leased = and_(_waiting(), InboxUpdate.lease_until.is_not(None))
    if session.get_bind().dialect.name != "sqlite":
        if not dead:
            return 0
        leased = and_(leased, InboxUpdate.claimed_by.in_(list(dead)))
    result = await session.execute(update(InboxUpdate).where(leased).values(lease_until=None))
    return result.rowcount or 0


async def set_aside(session: AsyncSession, inbox_id: int, now: datetime, reason: str) -> None:
    """The dead letter: never handled again, kept with why."""
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.id == inbox_id)
        .values(handled_at=now, dead_at=now, lease_until=None, error=reason[:300])
    )


async def dead_letters(session: AsyncSession) -> list[tuple[int, str, str | None, datetime, str | None]]:
    """(id, channel, chat, set aside at, why) of every update set aside, oldest first."""
    rows = await session.execute(
        select(InboxUpdate.id, InboxUpdate.channel, InboxUpdate.chat, InboxUpdate.dead_at, InboxUpdate.error)
        .where(InboxUpdate.dead_at.is_not(None))
        .order_by(InboxUpdate.id)
    )
    return [tuple(row) for row in rows]


async def depth(session: AsyncSession) -> int:
    """How many updates wait to be handled."""
    return await session.scalar(select(func.count()).select_from(InboxUpdate).where(_waiting())) or 0


@dataclass(frozen=True)
class Handling:
    """What the handling of a message needs to know first, read in the statement that marks its update handled."""

    message: conversations.Source
    version: int  # the identity version: whether the identities kept in memory still hold
    reply: str | None  # the reply the message got, if it changed something before (a redelivery)
    question_open: bool  # whether a question asked in its chat is still open (a new command withdraws it)


async def begin_handling(
    session: AsyncSession, inbox_id: int, now: datetime, message: conversations.Source
) -> Handling | None:
    """Mark an update handled, in the transaction of its effects, and read in the same statement what its
    handling asks of the database before anything else (None if the update was handled already)."""
    row = (
        await session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.id == inbox_id, InboxUpdate.handled_at.is_(None))
            .values(handled_at=now, error=None)
            .returning(
                version_now(),
                conversations.handled_reply(message),
                conversations.open_question(message.channel, message.chat_id, now),
            )
        )
    ).first()
    return None if row is None else Handling(message, row[0], row[1], bool(row[2]))


async def mark_handled(session: AsyncSession, inbox_id: int, now: datetime, error: str | None = None) -> None:
    """Done with an update that was not a message to handle, or given up on with `error`."""
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.id == inbox_id, InboxUpdate.handled_at.is_(None))
        .values(handled_at=now, error=error)
    )


async def record_attempt(session: AsyncSession, inbox_id: int, error: str) -> int:
    """A handling that failed with an error: count it and free its lease; the number of such failures so far."""
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.id == inbox_id)
        .values(attempts=InboxUpdate.attempts + 1, error=error[:300], lease_until=None)
    )
    return await session.scalar(select(InboxUpdate.attempts).where(InboxUpdate.id == inbox_id))
