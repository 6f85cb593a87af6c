"""The inbox: every update a channel delivers, committed before the channel is told it arrived.

Handled in order, and marked handled in the transaction of its effects, so a crash loses nothing
and a redelivery changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.messaging import InboxUpdate


async def accept(session: AsyncSession, channel: str, items: Sequence[tuple[str, dict]], now: datetime) -> int:
    """Store updates unless already there (a redelivery); the number that were new."""
    if not items:
        return 0
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [
        {"channel": channel, "update_key": key, "payload": payload, "received_at": now, "attempts": 0}
        for key, payload in items
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


async def mark_handled(session: AsyncSession, inbox_id: int, now: datetime, error: str | None = None) -> None:
    """Done with an update (in the transaction of its effects, or given up on with `error`)."""
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.id == inbox_id, InboxUpdate.handled_at.is_(None))
        .values(handled_at=now, error=error)
    )


async def record_attempt(session: AsyncSession, inbox_id: int, error: str) -> int:
    """A handling that failed: count it; the number of attempts so far."""
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.id == inbox_id)
        .values(attempts=InboxUpdate.attempts + 1, error=error[:300])
    )
    return await session.scalar(select(InboxUpdate.attempts).where(InboxUpdate.id == inbox_id))


async def depth(session: AsyncSession) -> int:
    """How many updates are stored and not yet handled."""
    return await session.scalar(select(func.count()).where(InboxUpdate.handled_at.is_(None)))
