"""Replicas sharing one PostgreSQL database share a channel's sends per second and each chat's pace: two senders
together stay within the budget and within a chat's burst, a slot frees a second after its send was answered, and
one replica's 429 holds the other."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select, update

from bot.ports import Limits, RetryLater
from jobs.budget import Busy
from jobs.sender import OutboxSender
from storage import chats, outbox, sending
from storage.db import Database
from storage.models.messaging import ChatPace, OutboxKind, SendSlot
from storage.sending import Slot
from tests.support.clock import MutableClock, Ticks, instant
from tests.support.postgres import own_database
from tests.support.transport import FakeTransport

NOW = instant("2026-11-27T08:00")
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
THREE_A_SECOND = Limits(global_per_second=3)


@pytest.fixture
async def url() -> AsyncIterator[str]:
    async with own_database("budget") as url:
        db = Database(url)
        await db.upgrade()
        await db.dispose()
        yield url


class Replica:
    """A sender of its own process: its own connections, limiter and monotonic clock; the wall clock is shared."""

    def __init__(self, url: str, name: str, clock: MutableClock, limits: Limits = THREE_A_SECOND) -> None:
        self.db = Database(url)
        self.ticks = Ticks()
        self.transport = FakeTransport(limits=limits)
        self.sender = OutboxSender(
            self.db, {"test": self.transport}, clock, TZ, timedelta(hours=24), monotonic=self.ticks, owner=name
        )


@pytest.fixture
async def replicas(url: str) -> AsyncIterator[tuple[Replica, Replica, MutableClock]]:
    clock = MutableClock(NOW)
    a, b = Replica(url, "a", clock), Replica(url, "b", clock)
    yield a, b, clock
    await a.db.dispose()
    await b.db.dispose()


async def queue(db: Database, count: int) -> None:
    async with db.unit_of_work() as session:
        recipients = [chats.Recipient("test", str(n), False) for n in range(count)]
        key = outbox.OutboxKey(OutboxKind.TASK, "s", "st", NOW.date())
        await outbox.enqueue(session, key, recipients, "Nhắc", due_at=NOW, now=NOW)
        await session.commit()


def later(clock: MutableClock, seconds: float, *replicas: Replica) -> None:
    clock.advance(seconds=seconds)
    for replica in replicas:
        replica.ticks.now += seconds


async def test_two_replicas_together_stay_within_the_budget(replicas):
    a, b, clock = replicas
    await queue(a.db, 10)
    assert await a.sender.step() == 0.0 and len(a.transport.sent) == 3
    assert await b.sender.step() == pytest.approx(1.0), "b's own limiter would allow it; the deployment's not"
    assert b.transport.sent == []
    later(clock, 0.5, a, b)
    assert await b.sender.step() == pytest.approx(0.5) and b.transport.sent == []
    later(clock, 0.5, a, b)
    await b.sender.step()
    await a.sender.step()
    assert len(a.transport.sent) + len(b.transport.sent) == 6
    later(clock, 1.0, a, b)
    for _ in range(4):
        await a.sender.step()
        await b.sender.step()
        later(clock, 1.0, a, b)
    chats_sent = [s.chat_id for s in a.transport.sent + b.transport.sent]
    assert sorted(chats_sent, key=int) == [str(n) for n in range(10)], "each once, none missed"


async def test_a_slot_is_timed_from_the_answer_not_the_start(replicas):
    a, b, clock = replicas
    await queue(a.db, 4)
    slow, answered = a.transport.send, asyncio.Event()

    async def answered_late(chat_id, *args, **kwargs):
        if chat_id == "0":  # three sends going out together, their answers 0.4 s in coming
            later(clock, 0.4)
            answered.set()
        await answered.wait()
        return await slow(chat_id, *args, **kwargs)

    a.transport.send = answered_late
    await a.sender.step()
    assert len(a.transport.sent) == 3
    later(clock, 0.9, b)  # 1.3 s after the sends started, 0.9 s after they were answered
    assert await b.sender.step() == pytest.approx(0.1) and b.transport.sent == []
    later(clock, 0.1, b)
    await b.sender.step()
    assert b.transport.texts() == ["Nhắc"]


async def test_a_replica_without_a_slot_locks_no_chat_and_asks_again_at_the_full_rate(replicas):
    """Every slot taken: the other replica's ask touches no chat's pace (a lock on it would hold up the replica
    that has a slot and is about to count that chat), and, the slot being taken right now, it asks again when the
    next may come free at the full rate, not in a loop."""
    a, b, clock = replicas
    budget_a, budget_b = a.sender.budgets["test"], b.sender.budgets["test"]
    taken = [await budget_a.take(str(n), False) for n in range(3)]
    assert all(isinstance(slot, Slot) for slot in taken)
    statements: list[str] = []
    event.listen(b.db.engine.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    busy = await budget_b.take("0", False)
    assert busy == Busy(1.0, channel=True), "each frees a second after its answer, which may come any moment"
    assert statements and not any(s.startswith("INSERT INTO chat_paces") for s in statements), statements
    statements.clear()
    later(clock, 0.25)
    assert await budget_b.take("1", False) == Busy(0.75, channel=True) and statements == [], "not asked again"
    later(clock, 0.75)
    async with a.db.unit_of_work() as session:
        await session.execute(update(SendSlot).values(free_at=NOW))
        await session.commit()
    async with a.db.unit_of_work() as session:  # every slot free already, yet each being taken by a: b skips them
        await session.execute(select(SendSlot).with_for_update())
        assert await budget_b.take("0", False) == Busy(pytest.approx(1 / 3), channel=True)


async def test_forgetting_full_chats_skips_one_a_send_is_counting_and_never_waits_for_it(replicas):
    """Two replicas pruning at once, or a prune beside a send counting a chat, must not deadlock (one did, in the
    PostgreSQL pass: a prune in a send's transaction waited on a row another send held, which waited on it)."""
    a, b, clock = replicas
    budget_a = a.sender.budgets["test"]
    taken = [await budget_a.take(str(n), False) for n in range(3)]
    for slot, n in zip(taken, range(3), strict=True):
        await budget_a.settle(slot, str(n), False)
    later(clock, 60.0)
    async with a.db.unit_of_work() as holding:  # a send counting chat 0 right now
        await holding.execute(select(ChatPace).where(ChatPace.chat_id == "0").with_for_update())
        async with b.db.unit_of_work() as session, asyncio.timeout(10):  # a guard: waiting on chat 0 would hang
            assert await sending.prune_paces(session, clock()) == 2
            await session.commit()
    async with a.db.reading() as session:
        assert (await session.scalars(select(ChatPace.chat_id))).all() == ["0"]


async def test_a_429_at_one_replica_holds_the_other(replicas):
    a, b, clock = replicas
    await queue(a.db, 1)
    a.transport.failures["0"] = [RetryLater(30)]
    await a.sender.step()
    await queue_to(a.db, "1", 1)  # queued once the 429 was known (what was on its way with it is not recalled)
    await queue_to(a.db, "2", 1)
    later(clock, 2.0, a, b)
    assert await b.sender.step() == pytest.approx(28.0) and b.transport.sent == []
    later(clock, 28.0, a, b)
    await b.sender.step()
    assert sorted(s.chat_id for s in b.transport.sent) == ["0", "1", "2"] and a.transport.sent == []


async def queue_to(db: Database, chat: str, count: int, *, group: bool = False) -> None:
    """`count` messages to one chat."""
    async with db.unit_of_work() as session:
        for n in range(count):
            key = outbox.OutboxKey(OutboxKind.TASK, f"s{n}", "st", NOW.date())
            await outbox.enqueue(session, key, [chats.Recipient("test", chat, group)], f"Nhắc {n}", due_at=NOW, now=NOW)
        await session.commit()


@pytest.fixture
async def telegram_like(url: str) -> AsyncIterator[tuple[Replica, Replica, MutableClock]]:
    """Two replicas with Telegram's own limits: 30 a second, a private chat's burst of 5, 17 a minute to a group."""
    clock = MutableClock(NOW)
    a, b = Replica(url, "a", clock, Limits()), Replica(url, "b", clock, Limits())
    yield a, b, clock
    await a.db.dispose()
    await b.db.dispose()


async def test_two_replicas_together_keep_a_private_chat_to_its_burst_then_one_a_second(telegram_like):
    a, b, clock = telegram_like
    await queue_to(a.db, "7", 8)
    await a.sender.step()
    assert len(a.transport.sent) == 5, "the burst at once"
    assert await a.sender.step() == pytest.approx(1.0) and len(a.transport.sent) == 5, "then one a second"
    assert await b.sender.step() == pytest.approx(1.0), "b's own limiter would send 5 more; the chat's pace not"
    assert b.transport.sent == []
    later(clock, 1.0, a, b)
    await b.sender.step()
    await a.sender.step()
    assert len(b.transport.sent) + len(a.transport.sent) == 6, "one a second after the burst, whoever sends it"
    later(clock, 2.0, a, b)
    await b.sender.step()
    await a.sender.step()
    sent = a.transport.texts() + b.transport.texts()
    assert sorted(sent) == sorted(f"Nhắc {n}" for n in range(8)), "each once, none missed"


async def test_two_replicas_together_send_a_group_at_most_nineteen_a_minute(telegram_like):
    a, b, clock = telegram_like
    await queue_to(a.db, "-100", 40, group=True)
    seconds = 0.0
    while seconds < 60:  # a minute of both replicas sending whenever they may
        waits = [await replica.sender.step() for replica in (a, b)]
        wait = min(60 - seconds, max(min(w for w in waits if w is not None), 0.01))
        later(clock, wait, a, b)
        seconds += wait
    sent = len(a.transport.sent) + len(b.transport.sent)
    assert 17 <= sent <= 19, sent  # Telegram refuses a group's 21st in a minute; each replica alone would send 17
