"""Faults of a deployment of replicas on PostgreSQL, end to end against the fake Bot API on 127.0.0.1, the updates
POSTed to the replicas' webhooks as Telegram posts them (sent again until one answers 200):

- PostgreSQL restarted in the middle of a burst: the webhooks answer 503 while it is down, what is redelivered is
  stored once, nothing is lost, and the same processes carry on once it is back;
- a thousand due reminders sent by three processes sharing one outbox, one of them killed with SIGKILL half way:
  each of the thousand people gets one message, none twice, none missed.

Both run in the PostgreSQL pass only (`--database postgresql`): on SQLite only one process may run."""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from bot.config import load_config
from bot.core.clock import fixed_clock
from bot.core.permissions import Role
from bot.service import Service
from storage.db import Database
from storage.models.messaging import InboxUpdate, OutboxKind, OutboxMessage, OutboxStatus
from storage.models.people import ChatAccount, Department, Membership, Person
from tests.e2e.conftest import environment
from tests.e2e.test_replicas import LEADER, SECRET, free_port, meetings, start_replicas, wait_for_answer
from tests.fakes.telegram_like import TelegramLikeFake
from tests.support.clock import instant
from tests.support.db import inspecting
from tests.support.private_postgres import private_postgres

REPLICAS, CHATS, PER_CHAT = 3, 3, 20  # 60 meetings, PostgreSQL stopped after the 30th
PEOPLE, FIRST_CHAT = 1000, 500_000  # one reminder each: one bundle per person and reminder time
SLOTS = 30  # Telegram's sends a second, the deployment's budget the three senders share
DUE = "2026-11-27T08:00"  # a Friday: every focal person is reminded of the year's report due Monday 30/11


@pytest.fixture
def fake():
    """The Bot API as the replicas reach it (overrides the e2e one: a held send a killed process made arrives)."""
    with TelegramLikeFake() as server:
        yield server


@pytest.fixture
def on_postgresql(database_backend):
    if database_backend != "postgresql":
        pytest.skip("replicas share a PostgreSQL database: this runs in the PostgreSQL pass (--database postgresql)")


@pytest.fixture
def server(on_postgresql):
    """A PostgreSQL server of the test's own, to stop and start (never the machine's shared one)."""
    with private_postgres() as running:
        yield running


def post_once(fake, port: int, update_id: int) -> int | None:
    """One delivery of an update to one replica, not retried: its status (None: no answer)."""
    body = json.dumps(fake.update(update_id)).encode()
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("POST", "/telegram", body, headers)
        status = connection.getresponse().status
        connection.close()
    except OSError:
        return None
    return status


async def stored_updates(url: str) -> tuple[int, int]:
    """(rows, distinct update ids) of Telegram's updates in the inbox."""
    db = Database(url)
    try:
        async with inspecting(db, write=False) as session:
            query = select(func.count(), func.count(InboxUpdate.update_key.distinct())).where(
                InboxUpdate.channel == "telegram"
            )
            return tuple((await session.execute(query)).one())
    finally:
        await db.dispose()


def test_postgresql_restarted_mid_burst_webhooks_answer_503_and_nothing_is_lost_or_doubled(
    tmp_path, fake, config_path, server
):
    ports = [free_port() for _ in range(REPLICAS)]
    bots, front, focals = start_replicas(tmp_path, fake, config_path, server.url, ports, CHATS)
    pids = [bot.process.pid for bot in bots]
    try:
        acknowledged: list[int] = []  # updates answered 200 just before the restart: their answers may be lost
        refused: list[int] = []
        for n in range(1, PER_CHAT + 1):
            for user in focals:
                fake.push_text(user, f"/hop tructuyen Họp tổ {user} số {n}", first_name="Lan")
                if server.running():
                    front.post(fake.last_update_id)
                    acknowledged = [*acknowledged[-2:], fake.last_update_id]
                    if n == PER_CHAT // 2 and user == focals[-1]:
                        fake.hold("sendMessage")  # a receipt in flight when the database goes
                        fake.wait_held(timeout=60)
                        server.stop()  # mid-burst: updates stored and not yet handled, receipts not yet sent
                        fake.release("sendMessage")  # it arrives; that it did cannot be recorded now
                    continue
                statuses = {post_once(fake, port, fake.last_update_id) for port in ports}
                assert statuses == {503}, f"every webhook answers 503 while the database is down: {statuses}"
                refused.append(fake.last_update_id)
                if len(refused) == CHATS:
                    server.start()
                    for update_id in [*refused, *acknowledged]:  # Telegram sends them again, in order
                        front.post(update_id, deadline=180)

        for user in focals:
            fake.wait_for_count(user, 1 + PER_CHAT, timeout=120)  # the welcome, then one receipt each
        since = len(fake.sent())
        front.say(LEADER, "/chitieu", "Hùng")
        counted = int(re.search(r"Cuộc họp: (\d+)", wait_for_answer(fake, LEADER, since))[1])
        for user in focals:
            assert meetings(fake, user) == list(range(1, PER_CHAT + 1)), "each answered once, in its chat's order"
            assert len(fake.sent(user)) == 1 + PER_CHAT, "nothing else said to a writer (no apology, no repeat)"
        assert counted == CHATS * PER_CHAT, "each meeting counted once"
        assert asyncio.run(stored_updates(server.url)) == (fake.last_update_id,) * 2, "each update stored once"
        assert [bot.process.poll() for bot in bots] == [None] * REPLICAS, "no replica died or had to be restarted"
        assert [bot.process.pid for bot in bots] == pids
        for bot in bots:
            assert bot.terminate() == 0
    finally:
        for bot in bots:
            if bot.process.poll() is None:
                bot.kill()
    assert fake.errors == []


async def seed_people(config_path: Path) -> set[str]:
    """PEOPLE focal people, spread over three departments, each with a Telegram chat; their chat ids."""
    config = load_config(config_path)
    db = Database(config.database.url)
    service = Service(config, db, fixed_clock(instant(DUE)))
    await service.prepare()  # the commune and its departments
    now = instant(DUE).astimezone(UTC)
    commune = next(iter(service.communes))
    chats = [str(FIRST_CHAT + n) for n in range(PEOPLE)]
    try:
        async with inspecting(db) as session:
            departments = (
                await session.scalars(
                    select(Department.id)
                    .where(Department.commune_id == commune.id, Department.code.in_(["kt", "vhxh", "vp"]))
                    .order_by(Department.id)
                )
            ).all()
            people = [{"commune_id": commune.id, "full_name": f"Cán bộ {chat}", "created_at": now} for chat in chats]
            ids = (
                await session.scalars(insert(Person).returning(Person.id, sort_by_parameter_order=True), people)
            ).all()
            accounts = [
                {"person_id": i, "channel": "telegram", "external_id": chat, "created_at": now}
                for i, chat in zip(ids, chats, strict=True)
            ]
            await session.execute(insert(ChatAccount), accounts)
            memberships = [
                {"commune_id": commune.id, "person_id": i, "role": Role.FOCAL, "active": True, "created_at": now,
                 "department_id": departments[n % len(departments)]}
                for n, i in enumerate(ids)
            ]  # fmt: skip
            await session.execute(insert(Membership), memberships)
            await session.commit()
    finally:
        await db.dispose()
    return set(chats)


async def bundles_by_status(url: str) -> Counter:
    db = Database(url)
    try:
        async with inspecting(db, write=False) as session:
            rows = await session.execute(
                select(OutboxMessage.status, func.count())
                .where(OutboxMessage.kind == OutboxKind.BUNDLE)
                .group_by(OutboxMessage.status)
            )
            return Counter({OutboxStatus(status): count for status, count in rows})
    finally:
        await db.dispose()


def remind_process(config_path: Path, fake, log: Path) -> subprocess.Popen:
    """`python -m bot remind --at DUE`: sweeps what is due then (written once, whoever writes it) and sends from the
    outbox it shares with the others until nothing due is left."""
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "remind", "--config", str(config_path), "--at", DUE],
            env=environment(fake),
            stdout=output,
            stderr=output,
        )


def test_a_thousand_reminders_three_senders_one_killed_half_way_each_sent_exactly_once(
    tmp_path, fake, config_path, on_postgresql
):
    text = config_path.read_text(encoding="utf-8").replace("# start = 2026-01-01", "start = 2026-06-01")
    config_path.write_text(text, encoding="utf-8")  # tracking from 1/6: only the year's report is due
    chats = asyncio.run(seed_people(config_path))
    log = tmp_path / "remind.log"
    senders = [remind_process(config_path, fake, log) for _ in range(REPLICAS)]
    try:
        fake.wait_for(lambda m: True, timeout=90, since=PEOPLE // 2 - 1)  # half of them sent
        fake.hold("sendMessage")
        # Every slot of the deployment's 30 a second held at the platform: no process can claim another message,
        # and each (the victim too, all but surely) has sends on their way, which the platform carries out.
        fake.wait_held(SLOTS, timeout=30)
        senders[0].send_signal(9)
        senders[0].wait(timeout=10)
        fake.release("sendMessage")
        for survivor in senders[1:]:
            assert survivor.wait(timeout=90) == 0, log.read_text(encoding="utf-8")[-3000:]
    finally:
        for process in senders:
            if process.poll() is None:
                process.kill()
                process.wait()
    per_chat = Counter(m["chat_id"] for m in fake.sent())
    twice = sorted(chat for chat, n in per_chat.items() if n > 1)
    missed = chats - {str(chat) for chat in per_chat}
    print(f"reminders: {len(fake.sent())} sent to {len(per_chat)} people, {len(twice)} twice, {len(missed)} missed")
    assert (len(fake.sent()), twice, missed) == (PEOPLE, [], set())
    assert all("Báo cáo năm 2026" in m["text"] for m in fake.sent())
    # The victim's last sends went out but were never marked sent: they stay claimed, or once their lease ran out
    # are taken over as "unknown", and are never sent again.
    statuses = asyncio.run(bundles_by_status(load_config(config_path).database.url))
    unmarked = statuses[OutboxStatus.SENDING] + statuses[OutboxStatus.UNKNOWN]
    assert set(statuses) <= {OutboxStatus.SENT, OutboxStatus.SENDING, OutboxStatus.UNKNOWN}
    assert statuses[OutboxStatus.SENT] + unmarked == PEOPLE and unmarked >= 1
    assert fake.errors == []
