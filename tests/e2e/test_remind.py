"""`python -m bot remind --at` against a fake Bot API: delivered once, stopped by a submission, escalated."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from telegram import Bot

from bot.channels.telegram_send import TelegramTransport
from bot.config import load_config
from bot.core.clock import fixed_clock, running_clock
from bot.core.messages import Incoming
from bot.core.permissions import Role
from bot.service import Service
from jobs.sender import OutboxSender
from storage import chats, outbox
from storage.db import Database
from storage.models.messaging import OutboxKind, OutboxStatus
from tests.e2e.conftest import PATIENCE, environment
from tests.fakes.bot_api_server import FakeBotApi
from tests.support.clock import instant
from tests.support.db import inspecting
from tests.support.texts import receipt
from tests.support.users import new_invite

KT, VHXH, VP, LEADER, ADMIN = 1001, 1002, 1003, 2001, 3001


def remind(config: Path, fake: FakeBotApi, when: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "remind", "--config", str(config), "--at", when],
        env=environment(fake),
        capture_output=True,
        text=True,
        timeout=PATIENCE,
    )
    assert result.returncode == 0, result.stderr
    assert fake.token not in result.stderr
    return result.stdout


async def say(service: Service, user: int, text: str, n: list[int] = [0]) -> str:  # noqa: B006
    n[0] += 1
    reply = await service.handle(Incoming("telegram", str(user), f"t{n[0]}", str(user), f"Cán bộ {user}", text))
    return reply.text


@pytest.fixture
def setup(config_path: Path) -> Path:
    # Tracking starts on 1/6/2026: the six-month report due 31/5 is never chased, the annual one is.
    text = config_path.read_text(encoding="utf-8").replace("# start = 2026-01-01", "start = 2026-06-01")
    config_path.write_text(text, encoding="utf-8")

    async def register() -> None:
        config = load_config(config_path)
        service = Service(config, Database(config.database.url), fixed_clock(instant("2026-11-20T10:00")))
        await service.prepare()
        for user, role, department in [
            (KT, Role.FOCAL, "kt"),
            (VHXH, Role.FOCAL, "vhxh"),
            (VP, Role.FOCAL, "vp"),
            (LEADER, Role.LEADER, None),
            (ADMIN, Role.ADMIN, None),
        ]:
            invite = await new_invite(service, role, department)
            assert "Chào mừng" in await say(service, user, f"/start {invite.code}")
        await service.db.dispose()

    asyncio.run(register())
    return config_path


def texts_to(fake: FakeBotApi, chat: int, since: int = 0) -> list[str]:
    return [m["text"] for m in fake.sent()[since:] if m["chat_id"] == chat]


def submit(config: Path, user: int, line: str, when: str) -> str:
    async def run() -> str:
        config_ = load_config(config)
        service = Service(config_, Database(config_.database.url), fixed_clock(instant(when)))
        await service.prepare()
        try:
            return await say(service, user, line)
        finally:
            await service.db.dispose()

    return asyncio.run(run())


def test_remind_delivers_once_stops_after_submission_and_escalates(setup, fake):
    remind(setup, fake, "2026-11-27T08:00")
    for chat in (KT, VHXH, VP):
        [message] = texts_to(fake, chat)
        assert "Báo cáo năm 2026" in message and "Thứ Hai, 30/11/2026 – còn 3 ngày" in message
        assert "/nopbaocao nam 2026" in message
    first = len(fake.sent())
    remind(setup, fake, "2026-11-27T08:00")
    assert len(fake.sent()) == first, "a second run at the same moment sends nothing"

    assert receipt() in submit(setup, VHXH, "/nopbaocao nam", "2026-11-27T10:00")
    remind(setup, fake, "2026-11-30T08:00")
    assert texts_to(fake, VHXH, first) == []
    assert any("hạn cuối hôm nay" in t for t in texts_to(fake, KT, first))
    assert any("Tổng hợp tuần" in t for t in texts_to(fake, LEADER, first)), "Monday's digest"

    fake.block_chat(VP)
    second = len(fake.sent())
    remind(setup, fake, "2026-12-01T08:00")
    assert any("đã trễ 1 ngày" in t for t in texts_to(fake, KT, second)), "the blocked chat did not stop the others"
    escalation = [t for t in texts_to(fake, LEADER, second) if "còn 3 phòng chưa nộp" in t]  # VP, KT, TTHCC
    assert escalation and "Văn phòng HĐND và UBND xã" in escalation[0] and "Phòng Kinh tế" in escalation[0]
    assert not any("Cán bộ 1003" in t for t in texts_to(fake, ADMIN, second)), "one refusal is not yet a block"
    remind(setup, fake, "2026-12-01T08:02")  # refused again when tried a minute later: blocked
    assert any("Cán bộ 1003" in t for t in texts_to(fake, ADMIN, second)), "admins are told who is unreachable"
    assert fake.errors == []


async def test_sender_obeys_the_limits_and_a_429(config_path, fake):
    config = load_config(config_path)
    db = Database(config.database.url)
    clock = running_clock(instant("2026-11-27T08:00"))  # the test's own time, running on from a fixed instant
    service = Service(config, db, clock)
    await service.prepare()
    fake.telegram_limits()  # 30/s overall, a burst of 5 then 1/s to a chat, 20/min to a group
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", {"retry_after": 1})
    now = service.clock()
    async with inspecting(db) as session:
        everyone = [chats.Recipient("telegram", str(5000 + i), False) for i in range(35)]
        key = outbox.OutboxKey(OutboxKind.TASK, "a", "x", now.date())
        await outbox.enqueue(session, key, everyone, "Tin A", due_at=now, now=now)
        for n in range(7):  # past the chat's burst
            one = [chats.Recipient("telegram", "4000", False)]
            key = outbox.OutboxKey(OutboxKind.TASK, f"b{n}", "x", now.date())
            await outbox.enqueue(session, key, one, f"Tin B{n}", due_at=now, now=now)
        await session.commit()
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        sender = OutboxSender(
            db, {"telegram": TelegramTransport(bot)}, clock, config.communes[0].commune.tz, timedelta(hours=24)
        )
        await sender.drain()
    delivered = fake.sent()
    assert len(delivered) == 42 and len({(m["chat_id"], m["text"]) for m in delivered}) == 42
    assert fake.too_many_requests == 0, "the sender itself kept within every limit"
    async with inspecting(db) as session:
        assert {r.status for r in await outbox.list_outbox(session)} == {OutboxStatus.SENT}
    await db.dispose()


def test_a_monday_morning_is_one_message_per_person_grouped(setup, fake):
    assert "Đã giao việc V1" in submit(setup, LEADER, "/giaoviec kt 25/11/2026 Rà soát hồ sơ đất đai",
                                       "2026-11-16T10:00")  # fmt: skip
    assert "Đã giao việc V2" in submit(setup, LEADER, "/giaoviec kt 03/12/2026 Lập danh sách hộ nghèo",
                                       "2026-11-16T10:05")  # fmt: skip
    since = len(fake.sent())
    remind(setup, fake, "2026-11-30T08:00")  # Monday: the annual report due today, V1 late and quiet, V2 due soon
    [bundle] = texts_to(fake, KT, since)
    assert bundle.startswith("☀️ Nhắc việc Thứ Hai, 30/11/2026")
    sections = ["📄 Báo cáo chưa nộp:", "⚠️ Việc quá hạn:", "⏰ Việc sắp đến hạn:"]
    assert [bundle.index(s) for s in sections] == sorted(bundle.index(s) for s in sections)
    assert bundle.count("V1 Rà soát") == 1 and "7 ngày chưa cập nhật" in bundle
    [button] = [m for m in fake.sent()[since:] if m["chat_id"] == KT]
    assert button["reply_markup"]["inline_keyboard"][0][0]["text"] == "Nhắc lại sau"
    [digest] = texts_to(fake, LEADER, since)  # V1 was escalated on Thursday 26/11: next on Thursday 03/12
    assert "Tổng hợp tuần" in digest
    second = len(fake.sent())
    remind(setup, fake, "2026-11-30T08:00")
    assert len(fake.sent()) == second, "nothing twice"
