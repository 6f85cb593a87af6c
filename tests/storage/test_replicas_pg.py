"""Replicas on one PostgreSQL database: the sweep lock held by one process at a time and taken over when its holder
dies; inbox claims that hand each update to exactly one worker, each chat's in order."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.inbox import ClockWatch, Inbox
from bot.ports import Delivery
from storage import inbox
from storage.db import Database
from storage.locks import ProcessLock
from tests.support.clock import MutableClock
from tests.support.postgres import own_database

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
