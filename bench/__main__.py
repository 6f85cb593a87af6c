"""Speed and memory of the paths a commune leans on, at the scale of a large commune (run by hand: make bench).

Scale: 40 departments, 300 people, 4,000 open tasks, 200,000 entries. Targets on a 2-core machine:
a steady reminder sweep <= 100 ms; a logged entry answered with p99 <= 100 ms while sweeps run;
a leader's /chitieu (with the 40-department table) well under a second, its chart too; peak Python memory
< 100 MB.
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

from bot.config import DepartmentConfig, load_config
from bot.core.clock import fixed_clock
from bot.core.messages import Incoming
from bot.core.periods import year_period
from bot.core.permissions import Role
from bot.exports.chart import render_chart
from bot.exports.data import export_data
from bot.service import Service
from jobs.snapshot import ReminderSettings
from jobs.sweep import Sweeper
from storage import departments as stored_departments
from storage.db import Database
from storage.models import Entry, Task

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime.fromisoformat("2026-11-27T09:00+07:00")
DEPARTMENTS = 40
PEOPLE = 300
ENTRIES = 200_000
TASKS = 4_000


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"median {statistics.median(samples) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"


def _config(folder: Path):
    config = load_config(ROOT / "config.example.toml")
    extra = [DepartmentConfig(code=f"p{n}", name=f"Phòng số {n}") for n in range(DEPARTMENTS - len(config.departments))]
    database = config.database.model_copy(update={"url": f"sqlite+aiosqlite:///{folder / 'b.db'}"})
    return config.model_copy(update={"database": database, "departments": [*config.departments, *extra]})


async def _people(service: Service, codes: list[str]) -> None:
    for n in range(PEOPLE):
        if n < 5:
            role, code = (Role.LEADER if n < 3 else Role.ADMIN), None
        else:
            role, code = Role.FOCAL, codes[n % len(codes)]
        invite = await service.create_invite(role, code, created_by="bench")
        await service.handle(Incoming("bench", str(n), f"s{n}", str(n), f"Cán bộ {n}", f"/start {invite.code}"))


async def _data(service: Service) -> None:
    rng = random.Random(641)
    async with service.db.unit_of_work() as session:
        ids = [d.id for d in await stored_departments.list_departments(session)]
        for start in range(0, ENTRIES, 20_000):
            rows = []
            for n in range(start, start + 20_000):
                kind = rng.choice(["meeting", "document", "dossiers"])
                day = date(2026, 1, 1) + timedelta(days=rng.randrange(330))
                rows.append(
                    {
                        "kind": kind,
                        "department_id": rng.choice(ids),
                        "person_id": 10,
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
        tasks = [
            {
                "department_id": rng.choice(ids),
                "title": f"Việc {n}",
                "due_on": date(2026, 11, 1) + timedelta(days=rng.randrange(60)),
                "progress": 0,
                "created_by_id": 1,
                "created_at": NOW - timedelta(days=30),
                "source_channel": "bench",
                "source_chat_id": "seed",
                "source_message_id": str(n),
            }
            for n in range(TASKS)
        ]
        await session.execute(insert(Task), tasks)
        await session.commit()


async def _timed(work, n: int) -> list[float]:
    samples = []
    for i in range(n):
        started = time.perf_counter()
        await work(i)
        samples.append(time.perf_counter() - started)
    return samples


async def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-"))
    config = _config(folder)
    service = Service(config, Database(config.database.url), fixed_clock(NOW))
    await service.prepare()
    await _people(service, [d.code for d in config.departments])
    await _data(service)
    settings = ReminderSettings.of(config)

    def hop(i: int):
        return service.handle(Incoming("bench", "7", f"m{i}", "7", "Bench", f"/hop truc_tuyen Giao ban {i}"))

    tracemalloc.start()
    logging_alone = await _timed(hop, 200)
    targets = await _timed(lambda i: service.handle(Incoming("bench", "0", f"c{i}", "0", "L", "/chitieu")), 50)
    sweeper = Sweeper(service.db, settings)  # as the scheduler's job keeps one
    started = time.perf_counter()
    first, _ = await sweeper.run(NOW)
    first_sweep = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    steady = await _timed(lambda i: sweeper.run(NOW + timedelta(minutes=i + 1)), 10)

    stop = asyncio.Event()

    async def sweeping() -> None:  # the scheduler's job, back to back: the worst case for commands
        minute = 20
        while not stop.is_set():
            await sweeper.run(NOW + timedelta(minutes=minute))
            minute += 1
            await asyncio.sleep(0)

    async with service.db.reading() as session:
        year = await export_data(session, config, year_period(2026), NOW.date())
    charts = await _timed(lambda i: asyncio.to_thread(render_chart, year), 5)

    background = asyncio.create_task(sweeping())
    while_sweeping = await _timed(lambda i: hop(1000 + i), 300)
    stop.set()
    await background

    print(f"scale: {DEPARTMENTS} departments, {PEOPLE} people, {TASKS} open tasks, {ENTRIES} entries")
    print(f"log an entry (/hop), 200 runs: {_ms(logging_alone)}")
    print(f"/chitieu, 50 runs: {_ms(targets)}")
    print(f"first sweep (cold, traced): {first_sweep * 1000:.0f} ms, {first.queued} queued")
    print(f"steady reminder sweep, 10 runs: {_ms(steady)}")
    print(f"log an entry while sweeps run back to back, 300 runs: {_ms(while_sweeping)}")
    print(f"/chitieu chart rendered (PNG 1080 px), 5 runs: {_ms(charts)}")
    print(f"peak traced Python memory: {peak / 2**20:.1f} MB")
    await service.db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
