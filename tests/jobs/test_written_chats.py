"""The sweep's lookup of what was already written: for any keys, exactly the chats the outbox holds for each."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import text

from storage import chats, outbox
from storage.models.messaging import OutboxKind, OutboxStatus
from tests.support.clock import instant
from tests.support.db import inspecting

NOW = instant("2026-11-27T08:00")
KINDS = [OutboxKind.TASK, OutboxKind.TASK_ESCALATION, OutboxKind.REPORT, OutboxKind.DIGEST]
STAGES = ["d-3", "due", "late-1"]


def random_key(rng: random.Random) -> outbox.OutboxKey:
    day = date(2026, 11, 25) + timedelta(days=rng.randrange(3))
    return outbox.OutboxKey(rng.choice(KINDS), str(rng.randrange(700)), rng.choice(STAGES), day)


async def test_written_chats_finds_exactly_what_the_outbox_holds(service):
    rng = random.Random(17)
    written = {random_key(rng) for _ in range(900)}
    async with inspecting(service.db) as session:
        messages = []
        for key in written:
            recipients = [chats.Recipient(rng.choice(["telegram", "zalo"]), str(rng.randrange(50)), False)]
            recipients += [chats.Recipient("telegram", "-1", True)] if rng.random() < 0.3 else []
            messages.append((key, recipients, "Nhắc", NOW, None))
        await outbox.enqueue_many(session, messages, status=OutboxStatus.PENDING, now=NOW)
        await session.commit()
    asked = list(written) + [random_key(rng) for _ in range(900)]  # many subjects under one kind, stage and day
    async with inspecting(service.db) as session:
        rows = await outbox.list_outbox(session)
        found = await outbox.written_chats(session, asked)
    expected: dict[outbox.OutboxKey, set[tuple[str, str]]] = {}
    for row in rows:
        key = outbox.OutboxKey(row.kind, row.subject, row.stage, row.day)
        if key in written:  # every written key is asked for
            expected.setdefault(key, set()).add((row.channel, row.chat_id))
    assert found == expected
    assert len(found) == len(written) and max(len(chats) for chats in found.values()) == 2


async def test_written_chats_of_no_keys_is_empty(service):
    async with inspecting(service.db) as session:
        assert await outbox.written_chats(session, []) == {}


async def test_written_chats_seeks_the_outbox_key_index_once_a_key(service):
    """The lookup a restart's first pass makes for every key is one seek of the key index a key, never a scan of the
    outbox (on PostgreSQL, with sequential scans priced out: a tiny table may rightly be scanned)."""
    keys = [outbox.OutboxKey(OutboxKind.TASK, str(n), "due", date(2026, 11, 27)) for n in range(3)]
    async with inspecting(service.db) as session:
        statement, parameters = outbox._written_query(session, keys)
        postgresql = session.get_bind().dialect.name == "postgresql"
        if postgresql:
            await session.execute(text("SET LOCAL enable_seqscan = off"))
        explain = "EXPLAIN " if postgresql else "EXPLAIN QUERY PLAN "
        plan = "\n".join(str(row[-1]) for row in await session.execute(text(explain + statement.text), parameters))
    if postgresql:
        assert "uq_outbox_key" in plan and "Seq Scan on outbox" not in plan, plan
    else:
        assert "SEARCH o USING COVERING INDEX sqlite_autoindex_outbox_1" in plan, plan
        assert "(kind=? AND subject=? AND stage=? AND day=?)" in plan, plan
