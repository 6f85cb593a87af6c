"""Sending at the platform's rate, against the fake Bot API enforcing Telegram's limits in real time: a push to
many private chats through the OutboxSender (its rate as a share of Telegram's 30/s; 429s, duplicates and missed
messages), the same with three senders sharing one PostgreSQL database (each its own engine, limiter and bot, in
one process), and a person's quick burst of five replies (seconds until the last arrived).

Each push sender runs in a process of its own (as a replica does); the burst's, in this one.
The push is BENCH_PUSH recipients (2,000 by default: a minute at 30/s; 10,000 takes 5.6 minutes a run).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from telegram import Bot

from bench.harness import Figure
from bot.channels.telegram_send import TelegramTransport
from bot.core.clock import utc_now
from jobs.sender import OutboxSender
from storage import chats, outbox
from storage.db import Database
from storage.models.messaging import OutboxKind, OutboxMessage, OutboxStatus
from tests.fakes.bot_api_server import FakeBotApi

os.environ.setdefault("PTB_TIMEDELTA", "1")  # python-telegram-bot warns on every RetryAfter otherwise
PUSH = int(os.environ.get("BENCH_PUSH", "2000"))
TELEGRAM_RATE = 30
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BURST = 5
BURST_CHAT = 9_000_001
ROOT = Path(__file__).resolve().parent.parent


class Sender:
    """One replica: its own engine, bot and OutboxSender."""

    def __init__(self, url: str, fake: FakeBotApi | SimpleNamespace, name: str) -> None:
        self.db = Database(url)
        self.bot = Bot(fake.token, base_url=fake.base_url)
        transport = TelegramTransport(self.bot, TELEGRAM_RATE)
        self.sender = OutboxSender(self.db, {"telegram": transport}, utc_now, TZ, timedelta(hours=24), owner=name)

    async def __aenter__(self) -> Sender:
        await self.bot.initialize()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.bot.shutdown()
        await self.db.dispose()


async def _queue_push(db: Database, count: int, first_chat: int) -> None:
    now = utc_now()
    async with db.unit_of_work() as session:
        recipients = [chats.Recipient("telegram", str(first_chat + n), False) for n in range(count)]
        key = outbox.OutboxKey(OutboxKind.TASK, f"push{first_chat}", "due", now.date())
        await outbox.enqueue(session, key, recipients, "Nhắc: việc V1 đến hạn hôm nay.", due_at=now, now=now)
        await session.commit()


async def _settled(db: Database) -> bool:
    async with db.reading() as session:
        waiting = (OutboxStatus.PENDING, OutboxStatus.SENDING)
        return not await session.scalar(select(func.count()).where(OutboxMessage.status.in_(waiting)))


async def _push(url: str, fake: FakeBotApi, replicas: int, first_chat: int) -> list[Figure]:
    """PUSH reminders to as many chats, sent by `replicas` sender processes running side by side (each its own
    interpreter, as replicas are: the fake's threads here do not share a CPU lock with them). The rate is timed
    from the first send the fake received to the last."""
    db = Database(url)
    try:
        await _queue_push(db, PUSH, first_chat)
        refused_before, sent_before = fake.too_many_requests, len(fake.sent())
        command = [sys.executable, "-m", "bench.sending", url, fake.base_url, fake.token]
        children = [await asyncio.create_subprocess_exec(*command, f"replica-{n}", cwd=ROOT) for n in range(replicas)]
        try:
            await asyncio.to_thread(fake.wait_for, lambda m: m["chat_id"] >= first_chat, 120.0, since=sent_before)
            started = time.perf_counter()
            while not await _settled(db):  # noqa: ASYNC110 - only the outbox says when all have gone
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - started
        finally:
            for child in children:
                child.send_signal(signal.SIGTERM)
            for child in children:
                await asyncio.wait_for(child.wait(), 30)
    finally:
        await db.dispose()
    pushed = [m["chat_id"] for m in fake.sent()[sent_before:] if m["chat_id"] >= first_chat]
    rate = (len(pushed) - 1) / elapsed
    who = "one sender" if replicas == 1 else f"{replicas} senders on one database"
    note = f"{PUSH:,} chats, {who}, {rate:.1f}/s"
    return [
        Figure(f"push, {who}: rate of Telegram's 30/s", 100 * rate / TELEGRAM_RATE, "%", 95, True, note),
        Figure(f"push, {who}: 429 answers", fake.too_many_requests - refused_before, "", 0, note=note),
        Figure(f"push, {who}: duplicates", len(pushed) - len(set(pushed)), "", 0, note=note),
        Figure(f"push, {who}: missed", PUSH - len(set(pushed)), "", 0, note=note),
    ]


async def _send_until_stopped(url: str, base_url: str, token: str, name: str) -> None:
    """One replica's sender, in a process of its own, until SIGTERM."""
    fake = SimpleNamespace(base_url=base_url, token=token)
    async with Sender(url, fake, name) as sender:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, sender.sender.stop)
        await sender.sender.run()


async def _burst(url: str, fake: FakeBotApi) -> Figure:
    """Five replies to one person, each delivered as the pipeline delivers one; seconds until the fifth arrived."""
    async with Sender(url, fake, "burst") as sender:
        recipient = chats.Recipient("telegram", str(BURST_CHAT), False)
        started = time.perf_counter()
        for n in range(BURST):
            now = utc_now()
            async with sender.db.unit_of_work() as session:
                parts = [outbox.ReplyPart(f"Đã ghi nhận cuộc họp #{n + 1}.")]
                subject = f"{BURST_CHAT}:{n}"
                ids = await outbox.enqueue_reply(session, recipient, subject, parts, now=now, day=now.date())
                await session.commit()
            await sender.sender.deliver_now(ids)
        running = asyncio.create_task(sender.sender.run())  # what could not go at once
        await asyncio.to_thread(fake.wait_for_count, BURST_CHAT, BURST, 30.0)
        elapsed = time.perf_counter() - started
        sender.sender.stop()
        await running
    return Figure("a burst of 5 replies to one chat: the last after", elapsed, "s", 2, note="Telegram's limits on")


async def measure(database_url: str) -> list[Figure]:
    """The push with one sender (and with three on PostgreSQL), and the burst, on a fake enforcing Telegram's
    limits."""
    with FakeBotApi() as fake:
        fake.telegram_limits()
        figures = [await _burst(database_url, fake)]
        figures += await _push(database_url, fake, 1, first_chat=1_000_000)
        if not database_url.startswith("sqlite"):
            figures += await _push(database_url, fake, 3, first_chat=2_000_000)
    return figures


if __name__ == "__main__":
    asyncio.run(_send_until_stopped(*sys.argv[1:5]))
