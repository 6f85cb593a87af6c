"""Snoozed reminders and the bundles that carry reminders: written with their items, settled together."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.chats import Recipient
from storage.models.messaging import OutboxKind, OutboxMessage, OutboxStatus
from storage.models.snoozes import Snooze
from storage.outbox import KEY_COLUMNS, OutboxKey, _insert, _row


async def add_snooze(
    session: AsyncSession, commune_id: int, *, channel: str, chat_id: str, person_id: int, item: str, until: date,
    now: datetime,
) -> None:  # fmt: skip
    """Hold reminders of `item` in this chat until `until` (a later snooze of the same item replaces it)."""
    await session.execute(
        update(Snooze)
        .where(
            Snooze.commune_id == commune_id, Snooze.channel == channel, Snooze.chat_id == chat_id, Snooze.item == item
        )  # fmt: skip
        .values(until=until, person_id=person_id, created_at=now)
    )
    exists = await session.scalar(
        select(Snooze.id).where(
            Snooze.commune_id == commune_id, Snooze.channel == channel, Snooze.chat_id == chat_id, Snooze.item == item
        )  # fmt: skip
    )
    if exists is None:
        session.add(Snooze(commune_id=commune_id, channel=channel, chat_id=chat_id, person_id=person_id, item=item,
                           until=until, created_at=now))  # fmt: skip
        await session.flush()


async def active_snoozes(session: AsyncSession, commune_id: int, today: date) -> dict[tuple[str, str], dict[str, date]]:
    """The commune's snoozes still holding after `today`: (channel, chat id) -> item -> until."""
    rows = await session.execute(
        select(Snooze.channel, Snooze.chat_id, Snooze.item, Snooze.until).where(
            Snooze.commune_id == commune_id, Snooze.until > today
        )
    )
    found: dict[tuple[str, str], dict[str, date]] = {}
    for channel, chat_id, item, until in rows:
        found.setdefault((channel, chat_id), {})[item] = until
    return found


async def enqueue_bundle(
    session: AsyncSession,
    key: OutboxKey,
    recipient: Recipient,
    text: str,
    body: dict,
    items: Sequence[tuple[OutboxKey, str, dict | None]],
    *,
    due_at: datetime,
    now: datetime,
    buttons: list[list[str]] | None = None,
) -> int:
    """Write a bundle and its items (recorded as bundled, never sent alone); 1 if the bundle was new."""
    table = OutboxMessage.__table__
    statement = _insert(session)(table).on_conflict_do_nothing(index_elements=list(KEY_COLUMNS))
    rows = [_row(k, recipient, t, OutboxStatus.BUNDLED, due_at, now, b) | {"bundle": key.stage} for k, t, b in items]
    if rows:
        await session.execute(statement, rows)
    bundle = _row(key, recipient, text, OutboxStatus.PENDING, due_at, now, body)
    bundle |= {"bundle": key.stage, "buttons": buttons}
    result = await session.execute(statement, [bundle])
    return 1 if result.rowcount is None or result.rowcount != 0 else 0


async def bundled_items(session: AsyncSession, row: OutboxMessage) -> Sequence[OutboxMessage]:
    """The reminders a bundle carries that are still to be said (a settled one, superseded, is not)."""
    query = select(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.BUNDLED,
        OutboxMessage.bundle == row.bundle,
        OutboxMessage.channel == row.channel,
        OutboxMessage.chat_id == row.chat_id,
        OutboxMessage.kind != OutboxKind.BUNDLE,
    )
    return (await session.scalars(query.order_by(OutboxMessage.id))).all()


async def settle_items(session: AsyncSession, row: OutboxMessage, status: OutboxStatus) -> None:
    """A bundle's items take its outcome (sent, expired, unknown)."""
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.BUNDLED,
            OutboxMessage.bundle == row.bundle,
            OutboxMessage.channel == row.channel,
            OutboxMessage.chat_id == row.chat_id,
        )
        .values(status=status)
    )


async def last_bundle_bodies(session: AsyncSession, channel: str, chat_id: str) -> list[dict]:
    """The notices of the last bundle written for this chat, whatever became of them."""
    last = await session.scalar(
        select(OutboxMessage)
        .where(
            OutboxMessage.kind == OutboxKind.BUNDLE, OutboxMessage.channel == channel, OutboxMessage.chat_id == chat_id
        )  # fmt: skip
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    if last is None:
        return []
    rows = await session.scalars(
        select(OutboxMessage.body)
        .where(
            OutboxMessage.bundle == last.bundle,
            OutboxMessage.channel == channel,
            OutboxMessage.chat_id == chat_id,
            OutboxMessage.kind != OutboxKind.BUNDLE,
        )
        .order_by(OutboxMessage.id)
    )
    return [body for body in rows if body]
