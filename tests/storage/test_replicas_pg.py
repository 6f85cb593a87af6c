"""Replicas on one PostgreSQL database: the sweep lock held by one process at a time and taken over when its holder
dies; inbox claims that hand each update to exactly one worker, each chat's in order; entry numbers two writers take
one after the other."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from bot.core.permissions import Role
from bot.inbox import ClockWatch, Inbox
from bot.ports import Delivery
from bot.service import Service
from storage import entries, inbox
from storage.db import Database
from storage.locks import ProcessLock
from storage.models.entries import Meeting
from storage.models.people import Commune, Person
from tests.conftest import example_config
from tests.support.clock import MutableClock
from tests.support.postgres import own_database
from tests.support.users import register

CHATS, PER_CHAT = 12, 25


@pytest.fixture
async def db():
    async with own_database() as url:
        database = Database(url)
        await database.upgrade()
        yield database
        await database.dispose()


async def test_one_process_holds_the_sweep_lock_and_another_takes_it_when_it_dies(db):
    other = Database(db.url)
    try:
        first, second = ProcessLock(db), ProcessLock(other)
        assert await first.hold() and await first.hold(), "held, and still held"
        assert not await second.hold()
        await first._connection.invalidate()  # the holder's connection dies with its process
        first._connection = None
        assert await second.hold(), "taken over at the next try"
        assert not await first.hold()
        await second.release()
        assert await first.hold()
        await first.release()
    finally:
        await other.dispose()


async def test_three_workers_handle_every_update_once_each_chat_in_order(db):
    clock = MutableClock()
    deliveries = [
        Delivery(f"{chat}-{n}", {"chat": chat, "n": n}, None, str(chat))
        for n in range(PER_CHAT)
        for chat in range(CHATS)
    ]
    handled: list[tuple[str, int, int]] = []

    async def handler(worker: str):
        async def handle(payload, dispatch):
            handled.append((worker, payload["chat"], payload["n"]))
            await asyncio.sleep(0)  # let the others claim meanwhile

        return handle

    workers = [
        Inbox(Database(db.url), {"test": await handler(name)}, {}, None, clock, ClockWatch(clock), owner=name)
        for name in ("a", "b", "c")
    ]
    await workers[0].accept("test", deliveries)
    try:
        counts = await asyncio.gather(*(w.drain() for w in workers))
    finally:
        for worker in workers:
            await worker.db.dispose()
    assert sum(counts) == CHATS * PER_CHAT and len(handled) == CHATS * PER_CHAT, "each once"
    assert len({worker for worker, _, _ in handled}) > 1, "the work was shared"
    for chat in range(CHATS):
        assert [n for _, c, n in handled if c == chat] == list(range(PER_CHAT)), "each chat in order"
    async with db.reading() as session:
        assert await inbox.depth(session) == 0


async def test_a_live_lease_is_never_taken_over_and_a_lapsed_one_is(db):
    clock = MutableClock()
    async with db.unit_of_work() as session:
        await inbox.accept(session, "test", [("1", {}, "A")], clock())
        await session.commit()
    async with db.unit_of_work() as session:
        assert (await inbox.claim_next(session, "a", clock(), clock() + timedelta(seconds=20))).id
        await session.commit()
    async with db.unit_of_work() as session:
        assert await inbox.claim_next(session, "b", clock(), clock() + timedelta(seconds=20)) is None
        await session.commit()
    clock.advance(seconds=21)
    async with db.unit_of_work() as session:
        taken = await inbox.claim_next(session, "b", clock(), clock() + timedelta(seconds=20))
        await session.commit()
    assert taken is not None and taken.crashes == 1, "a handling that ended with its process"


async def test_two_writers_in_one_commune_never_take_one_number(db, tmp_path):
    """The statement that stores an entry takes the commune's next number with its counter row locked: a second
    writer, of another replica, waits for the first to commit, then takes the number after (no duplicate)."""
    service = Service(example_config(db.url, tmp_path), db, MutableClock())
    await service.prepare()
    await register(service, "1", Role.FOCAL, "vhxh")
    commune_id = next(iter(service.communes)).id
    async with db.reading() as session:
        person_id = await session.scalar(select(Person.id).where(Person.commune_id == commune_id))

    def meeting(n: int) -> Meeting:
        return Meeting(person_id=person_id, occurred_on=service.clock().date(), year=2026, created_at=service.clock(),
                       source_channel="test", source_chat_id="p", source_message_id=f"m{n}")  # fmt: skip

    other = Database(db.url)
    try:
        async with db.unit_of_work() as first, other.unit_of_work() as second:
            await second.execute(select(1))  # its connection open, so its insert goes at once
            mine = await entries.add_entry(first, commune_id, meeting(1), "vhxh")
            theirs = asyncio.create_task(entries.add_entry(second, commune_id, meeting(2), "vhxh"))
            for _ in range(500):  # each look a round trip; the second's statement soon holds on the counter row
                if await _waiting_for_a_lock(db):
                    break
            else:
                pytest.fail("the second writer never waited for the first")
            await first.commit()
            numbered = await theirs
            await second.commit()
    finally:
        await other.dispose()
    assert (mine.number, numbered.number) == (1, 2)
    async with db.reading() as session:
        assert await session.scalar(select(Commune.last_entry_number).where(Commune.id == commune_id)) == 2


async def _waiting_for_a_lock(db: Database) -> bool:
    async with db.reading() as session:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        return bool(await session.scalar(text(query)))
