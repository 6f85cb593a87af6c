"""The outbox sender: at most once, under the limits, and every failure handled as it should be."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from bot.core.permissions import Role
from bot.core.texts import text
from bot.ports import ChatMoved, MaybeSent, NotSent, Rejected, RetryLater, Unreachable
from jobs.delivery import CONFIRM_UNREACHABLE
from jobs.outcomes import REFUSED_REPLY
from jobs.sender import OutboxSender
from storage import chats, outbox, sending
from storage.models.messaging import OutboxKind
from tests.support.clock import Ticks
from tests.support.db import inspecting
from tests.support.transport import FakeTransport
from tests.support.users import register, reminder_settings, settle_replies

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
    return OutboxSender(service.db, {"test": transport}, clock, tz, timedelta(hours=24), monotonic=ticks)


async def put(service, *chat_ids: str, subject: str = "s", body: str = "Nhắc") -> None:
    async with inspecting(service.db) as session:
        recipients = [chats.Recipient("test", chat, chat.startswith("-")) for chat in chat_ids]
        key = outbox.OutboxKey(OutboxKind.TASK, subject, "st", NOW.date())
        await outbox.enqueue(session, key, recipients, body, due_at=NOW, now=NOW)
        await session.commit()


async def statuses(service) -> dict[str, str]:
    """The status of each reminder by chat (the users' own replies left out)."""
    async with inspecting(service.db) as session:
        return {r.chat_id: r.status for r in await outbox.list_outbox(session) if r.kind != OutboxKind.REPLY}


def sent(transport: FakeTransport) -> list[tuple[str, str]]:
    """(chat, text) of every message sent."""
    return [(s.chat_id, s.text) for s in transport.sent]


async def test_sends_each_once(service, sender, transport):
    await put(service, "1", "2")
    await put(service, "1", "2")  # the same key again writes nothing
    await sender.drain()
    await sender.drain()
    assert sorted(sent(transport)) == [("1", "Nhắc"), ("2", "Nhắc")]
    assert await statuses(service) == {"1": "sent", "2": "sent"}


async def test_a_blocked_recipient_does_not_stop_the_others_and_admins_are_told(
    service, sender, transport, clock, ticks
):
    await register(service, "900", Role.ADMIN)
    await register(service, "1", Role.FOCAL, "kt")
    await settle_replies(service)
    transport.failures["1"] = [Unreachable("Forbidden: bot was blocked by the user")] * 2
    await put(service, "1", "2", "3")
    await sender.drain()
    assert (await statuses(service))["1"] == "pending" and sorted(sent(transport)) == [("2", "Nhắc"), ("3", "Nhắc")]
    clock.now, ticks.now = clock.now + CONFIRM_UNREACHABLE, ticks.now + CONFIRM_UNREACHABLE.total_seconds()
    await sender.drain()  # refused again a minute later: blocked
    states = await statuses(service)
    assert states["1"] == "unreachable" and states["900"] == "sent"
    assert states["2"] == states["3"] == "sent"
    assert any(chat == "900" and "Người dùng 1" in text for chat, text in sent(transport))
    async with inspecting(service.db) as session:
        assert await chats.list_department_recipients(session, 1, ["kt"]) == []


async def test_a_one_off_refusal_is_tried_again_and_raises_no_alarm(service, sender, transport, clock, ticks):
    await register(service, "900", Role.ADMIN)
    await register(service, "1", Role.FOCAL, "kt")
    await settle_replies(service)
    transport.failures["1"] = [Unreachable("Forbidden: bot was blocked by the user")]  # once: a platform's hiccup
    await put(service, "1")
    await sender.drain()
    clock.now, ticks.now = clock.now + CONFIRM_UNREACHABLE, ticks.now + CONFIRM_UNREACHABLE.total_seconds()
    await sender.drain()
    assert await statuses(service) == {"1": "sent"} and sent(transport) == [("1", "Nhắc")]  # no admin was told
    async with inspecting(service.db) as session:
        assert [r.chat_id for r in await chats.list_department_recipients(session, 1, ["kt"])] == ["1"]


async def test_a_refused_reply_is_said_once_in_a_plain_message(service, sender, transport):
    async with inspecting(service.db) as session:
        recipient = chats.Recipient("test", "1", False)
        parts = [outbox.ReplyPart("Đã ghi #1 <b>")]
        await outbox.enqueue_reply(session, recipient, "1:m1", parts, now=NOW, day=NOW.date())
        await session.commit()
    transport.failures["1"] = [Rejected("Bad Request: can't parse entities")] * 2  # the plain message too
    await sender.drain()
    async with inspecting(service.db) as session:
        rows = await outbox.list_outbox(session)
    assert [(r.stage, r.status, r.text) for r in rows] == [
        ("1", "failed", "Đã ghi #1 <b>"),
        (f"{REFUSED_REPLY}1", "failed", text("reply.refused")),  # refused too: nothing more is written
    ]
    transport.failures["1"] = [Rejected("Bad Request: can't parse entities")]
    async with inspecting(service.db) as session:
        await outbox.enqueue_reply(session, recipient, "1:m2", parts, now=NOW, day=NOW.date())
        await session.commit()
    await sender.drain()
    assert sent(transport) == [("1", text("reply.refused"))]  # the asker is told


async def test_retry_after_pauses_everything_then_resends(service, sender, transport, clock, ticks):
    transport.failures["1"] = [RetryLater(30)]
    await put(service, "1")
    assert await sender.step() == 30
    assert transport.sent == [] and sender.limiters["test"].paused_for() == 30
    await put(service, "2", subject="after")  # chats are sent side by side: one queued once the 429 was known
    assert await sender.step() == 30 and transport.sent == [], "nothing goes out during the pause"
    clock.now, ticks.now = NOW.replace(minute=1), ticks.now + 30
    await sender.drain()
    assert sorted(c for c, _ in sent(transport)) == ["1", "2"]


async def test_a_pause_on_one_channel_holds_only_that_channel(service, clock, ticks):
    telegram, zalo = FakeTransport("telegram"), FakeTransport("zalo")
    zalo.failures["z1"] = [RetryLater(60)]
    clock.now = NOW
    both = {"telegram": telegram, "zalo": zalo}
    sender = OutboxSender(
        service.db, both, clock, service.config.communes[0].commune.tz, timedelta(hours=24), monotonic=ticks
    )

    async def queue(subject: str, *recipients: chats.Recipient) -> None:
        async with inspecting(service.db) as session:
            key = outbox.OutboxKey(OutboxKind.TASK, subject, "st", NOW.date())
            await outbox.enqueue(session, key, list(recipients), "Nhắc", due_at=NOW, now=NOW)
            await session.commit()

    await queue("s", chats.Recipient("zalo", "z1", False))
    await queue("s2", chats.Recipient("zalo", "z1", False))  # behind the first in its chat: held by the 429 too
    await sender.step()
    assert zalo.sent == [] and sender.limiters["zalo"].paused_for() == 60
    await queue("t", chats.Recipient("zalo", "z2", False), chats.Recipient("telegram", "t1", False))
    await sender.step()
    assert telegram.texts("t1") == ["Nhắc"], "Zalo's 429 does not hold Telegram"
    assert zalo.sent == [], "but holds every Zalo chat"
    ticks.now += 60
    clock.now = NOW + timedelta(minutes=1)
    await sender.drain()
    assert sorted(s.chat_id for s in zalo.sent) == ["z1", "z1", "z2"] and len(telegram.sent) == 1


async def test_chats_are_sent_side_by_side_each_in_its_order(service, sender, transport):
    """A send waits on the platform's answer, not on the sends to other chats before it; a chat's own messages
    still go one after another, in the order they were queued."""
    transport.hold = asyncio.Event()
    for subject in "AB":
        await put(service, "1", "2", "3", subject=subject, body=f"Nhắc {subject}")
    step = asyncio.create_task(sender.step())
    async with asyncio.timeout(10):  # a guard: one send at a time would leave two chats waiting forever
        await transport.waiting_for(3)
    assert sorted(transport.in_flight) == ["1", "2", "3"], "one send per chat at a time, all three chats at once"
    transport.hold.set()
    assert await step == 0.0
    assert [transport.texts(chat) for chat in "123"] == [["Nhắc A", "Nhắc B"]] * 3


async def test_running_a_slow_answer_holds_up_no_other_chat(service, sender, transport):
    """`run` does not wait for one pass's sends before the next: while one chat's answer is slow in coming, the
    others are sent, and so is a message queued meanwhile."""
    transport.hold, transport.holding = asyncio.Event(), lambda chat_id: chat_id == "1"
    await put(service, "1", "2", "3")
    running = asyncio.create_task(sender.run())
    async with asyncio.timeout(10):  # a guard: the test waits on events, never on time
        await transport.waiting_for(1)
        while len(transport.sent) < 2:
            await transport.next_send()
        await put(service, "4", subject="later")
        sender.wake()
        while "4" not in {s.chat_id for s in transport.sent}:
            await transport.next_send()
    assert transport.in_flight == ["1"], "chat 1's send still waiting on the platform all along"
    transport.hold.set()
    async with asyncio.timeout(10):
        while len(transport.sent) < 4:
            await transport.next_send()
    sender.stop()
    await running
    assert await statuses(service) == dict.fromkeys("1234", "sent")


async def test_a_send_counts_in_the_limits_from_its_answer_not_from_its_record(service, sender, transport, monkeypatch):
    """The window and the chat's pace start when the platform answered: timed from when the outcome was written,
    every send would hold its slot a disk write longer, and the platform's rate would go partly unused."""
    events: list[str] = []
    limiter, finish = sender.limiters["test"], sending.finish_message
    settle = limiter.settle

    def settling(reservation):
        events.append("counted")
        settle(reservation)

    async def finishing(*args, **kwargs):
        events.append("recorded")
        return await finish(*args, **kwargs)

    monkeypatch.setattr(limiter, "settle", settling)
    monkeypatch.setattr(sending, "finish_message", finishing)
    await put(service, "1")
    await sender.drain()
    assert events == ["counted", "recorded"] and sent(transport) == [("1", "Nhắc")]


async def test_timeouts_connect_retried_read_marked_unknown(service, sender, transport, clock, ticks):
    transport.failures["1"] = [NotSent("connect timeout")]
    transport.failures["2"] = [MaybeSent("read timeout")]
    await put(service, "1", "2")
    await sender.step()
    assert await statuses(service) == {"1": "pending", "2": "unknown"}
    clock.now, ticks.now = NOW.replace(minute=5), ticks.now + 300
    await sender.drain()
    assert await statuses(service) == {"1": "sent", "2": "unknown"}
    assert [c for c, _ in sent(transport)] == ["1"]


async def test_a_migrated_group_gets_its_new_id_and_one_retry(service, sender, transport, focal, ticks):
    await focal.say("/lienket vhxh", chat_id="-10")
    await settle_replies(service)
    transport.failures["-10"] = [ChatMoved("-10010")]
    await put(service, "-10")
    await sender.drain()
    assert ("-10010", "Nhắc") in sent(transport) and ("-10", "Nhắc") not in sent(transport)
    async with inspecting(service.db) as session:
        assert await chats.get_group(session, "test", "-10010") == chats.Group(1, "vhxh")


async def test_a_row_left_sending_by_a_crash_becomes_unknown(service, sender, transport):
    await put(service, "1")
    async with inspecting(service.db) as session:
        row = (await outbox.list_outbox(session))[0]
        assert await sending.claim_message(session, row.id)
        await session.commit()
    assert await sender.recover() == 1
    await sender.drain()
    assert transport.sent == [] and await statuses(service) == {"1": "unknown"}


async def test_private_chat_gets_a_burst_then_one_a_second(service, sender, transport, clock, ticks):
    for subject in "abcdefg":
        await put(service, "1", subject=subject)
    assert await sender.step() == 0.0 and len(transport.sent) == 5, "a burst of five goes at once"
    assert await sender.step() == 1.0 and len(transport.sent) == 5
    ticks.now += 1.0  # a second passes, on both clocks (replicas pace chats by the wall clock)
    clock.now += timedelta(seconds=1)
    assert await sender.step() == 0.0 and len(transport.sent) == 6
    assert await sender.step() == 1.0 and len(transport.sent) == 6
    ticks.now += 1.0
    clock.now += timedelta(seconds=1)
    await sender.drain()
    assert len(transport.sent) == 7


async def test_a_quick_burst_of_five_replies_goes_at_once_the_sixth_waits(service, sender, transport):
    replies = []
    for n in range(6):
        async with inspecting(service.db) as session:
            parts = [outbox.ReplyPart(f"Trả lời {n}")]
            recipient = chats.Recipient("test", "1", False)
            replies.append(await outbox.enqueue_reply(session, recipient, f"1:m{n}", parts, now=NOW, day=NOW.date()))
            await session.commit()
    for ids in replies:
        await sender.deliver_now(ids)
    assert transport.texts("1") == [f"Trả lời {n}" for n in range(5)]
    assert await sender.step() == 1.0, "the sixth waits for the chat's bucket to refill"


async def test_a_message_that_waited_past_the_cutoff_expires_instead_of_going_late(service, sender, transport, clock):
    await put(service, "1")  # queued at 08:00 Friday, then the bot was down until Monday
    clock.now = datetime.fromisoformat("2026-11-30T08:00+07:00")
    await sender.drain()
    assert transport.sent == [] and await statuses(service) == {"1": "expired"}


async def test_connect_failures_never_lose_the_message(service, sender, transport, clock, ticks):
    transport.failures["1"] = [NotSent("connect error")] * 8  # a network outage of several minutes
    await put(service, "1")
    for minute in range(1, 30):
        await sender.step()
        clock.now, ticks.now = NOW + timedelta(minutes=minute), ticks.now + 60
    assert sent(transport) == [("1", "Nhắc")] and await statuses(service) == {"1": "sent"}


async def test_a_reminder_says_what_is_true_when_it_goes_out(service, sender, transport, clock):
    from jobs.sweep import sweep

    await register(service, "1", Role.FOCAL, "kt")
    await settle_replies(service)
    settings = reminder_settings(service)
    await sweep(service.db, settings, datetime.fromisoformat("2026-11-27T08:00+07:00"))  # Friday: "còn 3 ngày"
    clock.now = datetime.fromisoformat("2026-11-28T07:00+07:00")  # the bot was down until Saturday morning
    await sender.drain()
    [text] = [t for c, t in sent(transport) if c == "1"]
    assert "Thứ Hai, 30/11/2026 – còn 2 ngày" in text


async def test_a_new_task_notice_that_waited_says_what_is_true_when_it_goes_out(service, sender, transport, clock):
    await register(service, "1", Role.FOCAL, "kt")
    leader = await register(service, "2", Role.LEADER)
    await settle_replies(service)
    clock.now = NOW
    assert "Đã giao việc V1" in await leader.say("/giaoviec kt 04/12/2026 Rà soát hồ sơ")
    clock.now = NOW + timedelta(days=1)  # the notice could not go until the next day
    await sender.drain()
    [text] = [t for c, t in sent(transport) if c == "1"]
    assert text.startswith("📌 Việc mới V1") and "04/12/2026 – còn 6 ngày" in text


async def test_a_last_day_reminder_is_dropped_the_day_after(service, sender, transport, clock):
    from jobs.sweep import sweep

    await register(service, "1", Role.FOCAL, "kt")
    await settle_replies(service)
    await sweep(service.db, reminder_settings(service), datetime.fromisoformat("2026-11-30T08:00+07:00"))
    clock.now = datetime.fromisoformat("2026-12-01T07:30+07:00")
    await sender.drain()
    assert sent(transport) == [] and set((await statuses(service)).values()) == {"expired"}
