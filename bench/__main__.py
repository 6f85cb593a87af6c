"""Speed and memory of the paths a commune leans on: logging an entry, /chitieu, a reminder sweep.

Targets (a commune of ~30 officials, a few thousand entries a year, on a 2-core machine):
a logged entry answered in < 50 ms, /chitieu in < 100 ms on 50 000 entries, a steady-state sweep
in < 1 s with 500 open tasks, and a peak of < 100 MB of Python memory while doing so.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bot.config import load_config
from bot.core.clock import fixed_clock
from bot.core.messages import Incoming
from bot.core.permissions import Role
from bot.service import Service
from jobs.snapshot import ReminderSettings
from jobs.sweep import sweep
from storage import departments as stored_departments
from storage.db import Database
from storage.models import Entry, Task

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime.fromisoformat("2026-11-27T09:00+07:00")
ENTRIES = 50_000
TASKS = 500


def _ms(samples: list[float]) -> str:
    p95 = sorted(samples)[int(len(samples) * 0.95)]
    return f"median {statistics.median(samples) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


async def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-"))
    config = load_config(ROOT / "config.example.toml")
    config = config.model_copy(
        update={"database": config.database.model_copy(update={"url": f"sqlite+aiosqlite:///{folder / 'b.db'}"})}
    )
    service = Service(config, Database(config.database.url), fixed_clock(NOW))
    await service.prepare()
    invite = await service.create_invite(Role.FOCAL, "kt", created_by="bench")
    await service.handle(Incoming("bench", "1", "0", "1", "Bench", f"/start {invite.code}"))
    leader = await service.create_invite(Role.LEADER, None, created_by="bench")
    await service.handle(Incoming("bench", "2", "0", "2", "Leader", f"/start {leader.code}"))

    rng = random.Random(641)
    async with service.db.unit_of_work() as session:
        departments = [d.id for d in await stored_departments.list_departments(session)]
        rows = []
        for n in range(ENTRIES):
            kind = rng.choice(["meeting", "document", "dossiers"])
            day = date(2026, 1, 1) + timedelta(days=rng.randrange(330))
            rows.append(
                {
                    "kind": kind,
                    "department_id": rng.choice(departments),
                    "person_id": 1,
                    "occurred_on": day,
                    "year": 2026,
                    "summary": "",
                    "created_at": NOW,
                    "source_channel": "bench",
                    "source_chat_id": "seed",
                    "source_message_id": str(n),
                    "meeting_online": rng.random() < 0.6 if kind == "meeting" else None,
                    "document_kind": rng.choice(["electronic", "paper", "secret"]) if kind == "document" else None,
                    "dossiers_online": rng.randrange(20) if kind == "dossiers" else None,
                    "dossiers_paper": rng.randrange(3) if kind == "dossiers" else None,
                }
            )
        await session.execute(insert(Entry), rows)
        await session.execute(
            insert(Task),
            [
                {
                    "department_id": rng.choice(departments),
                    "title": f"Việc {n}",
                    "due_on": date(2026, 11, 1) + timedelta(days=rng.randrange(60)),
                    "progress": 0,
                    "created_by_id": 2,
                    "created_at": NOW - timedelta(days=30),
                    "source_channel": "bench",
                    "source_chat_id": "seed",
                    "source_message_id": str(n),
                }
                for n in range(TASKS)
            ],
        )
        await session.commit()

    tracemalloc.start()
    log, targets = [], []
    for n in range(300):
        started = time.perf_counter()
        await service.handle(Incoming("bench", "1", f"m{n}", "1", "Bench", "/hop truc_tuyen Giao ban"))
        log.append(time.perf_counter() - started)
    for n in range(100):
        started = time.perf_counter()
        await service.handle(Incoming("bench", "2", f"c{n}", "2", "Leader", "/chitieu"))
        targets.append(time.perf_counter() - started)
    started = time.perf_counter()
    settings = ReminderSettings.of(config)
    result, _ = await sweep(service.db, settings, NOW)
    first_sweep = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    sweeps = []
    for minute in range(1, 11):  # the sweeper's steady state: once a minute, nothing new to write
        started = time.perf_counter()
        await sweep(service.db, settings, NOW + timedelta(minutes=minute))
        sweeps.append(time.perf_counter() - started)
    print(f"log an entry (/hop), 300 runs: {_ms(log)}")
    print(f"/chitieu on {ENTRIES} entries and {TASKS} tasks, 100 runs: {_ms(targets)}")
    print(f"first sweep, {TASKS} open tasks (cold, traced): {first_sweep * 1000:.0f} ms, {result.queued} queued")
    print(f"reminder sweep, steady state, 10 runs: {_ms(sweeps)}")
    print(f"peak traced Python memory: {peak / 2**20:.1f} MB")
    await service.db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
