"""A chat reads its replies in order, whatever was retried and whichever process sends them; a send claimed by a
process that died is taken over when its lease runs out, never while it is live."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.ports import NotSent, RetryLater
from jobs.sender import LEASE, OutboxSender
from storage import chats, outbox, sending
from storage.models.messaging import OutboxKind, OutboxStatus
from tests.support.clock import Ticks
from tests.support.db import inspecting
from tests.support.transport import FakeTransport

NOW = datetime.fromisoformat("2026-11-27T08:00+07:00")


@pytest.fixture
def transport() -> FakeTransport:
    return FakeTransport()


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
def sender(service, transport, clock, ticks) -> OutboxSender:
    clock.now = NOW
    tz = service.config.communes[0].commune.tz
    return OutboxSender(service.db, {"test": transport}, clock, tz, timedelta(hours=24), monotonic=ticks, owner="a")


def later(clock, ticks, seconds: float) -> None:
    clock.advance(seconds=seconds)
    ticks.now += seconds


async def settle(sender: OutboxSender, clock, ticks) -> None:
    """Send until nothing is pending, the clocks moved on by each wait the sender asks for (a chat's 1/s)."""
    for _ in range(20):
        wait = await sender.step()
        if wait is None:
            return
        later(clock, ticks, wait)
    raise AssertionError("the outbox never settled")


async def reply(service, message_id: str, *texts: str) -> list[int]:
    """A reply of these parts to chat 1, written as the pipeline writes one."""
    async with inspecting(service.db) as session:
        recipient = chats.Recipient("test", "1", False)
        parts = [outbox.ReplyPart(t) for t in texts]
        ids = await outbox.enqueue_reply(session, recipient, f"1:{message_id}", parts, now=NOW, day=NOW.date())
        await session.commit()
    return ids


async def test_a_reply_in_parts_keeps_its_order_after_a_429_on_the_first(service, sender, transport, clock, ticks):
    ids = await reply(service, "m1", "Phần 1", "Phần 2")
    transport.failures["1"] = [RetryLater(3)]
    await sender.deliver_now(ids)
    assert transport.texts() == [], "the second part waits for the first"
    later(clock, ticks, 3)
    await settle(sender, clock, ticks)
    assert transport.texts() == ["Phần 1", "Phần 2"]


async def test_a_later_answer_waits_for_an_earlier_one_still_to_go(service, sender, transport, clock, ticks):
    first = await reply(service, "m1", "Trả lời 1")
    second = await reply(service, "m2", "Trả lời 2")
    transport.failures["1"] = [NotSent("Bad Gateway")]
    await sender.deliver_now(first)
    await sender.deliver_now(second)  # another process's answer to the next message, ready first
    assert transport.texts() == []
    later(clock, ticks, 2)
    await settle(sender, clock, ticks)
    assert transport.texts() == ["Trả lời 1", "Trả lời 2"]


async def test_reminders_are_not_held_up_by_a_reply_being_retried(service, sender, transport, clock):
    await reply(service, "m1", "Trả lời 1")
    async with inspecting(service.db) as session:
        key = outbox.OutboxKey(OutboxKind.TASK, "s", "st", NOW.date())
        await outbox.enqueue(session, key, [chats.Recipient("test", "2", False)], "Nhắc", due_at=NOW, now=NOW)
        await session.commit()
    transport.failures["1"] = [NotSent("Bad Gateway")]
    await sender.step()
    assert transport.texts() == ["Nhắc"]


@pytest.mark.sqlite_only("only SQLite is a store of one process; PostgreSQL's takeover by lease is in test_replicas_pg")
async def test_on_a_store_of_one_process_what_was_sending_at_start_is_recovered_and_nothing_later(
    service, sender, transport, clock, ticks
):
    [row_id] = await reply(service, "m1", "Trả lời")
    async with inspecting(service.db) as session:
        assert await sending.claim_message(session, row_id, "dead", NOW + LEASE)
        await session.commit()
    later(clock, ticks, LEASE.total_seconds() * 2)
    await sender.step()
    assert transport.texts() == [], "SQLite: only a start recovers (no other process can have left it)"
    await sender.recover()
    await settle(sender, clock, ticks)
    assert transport.texts() == ["Trả lời"]
    async with inspecting(service.db) as session:
        assert [r.status for r in await outbox.list_outbox(session)] == [OutboxStatus.SENT]
