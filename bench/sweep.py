"""The reminder sweep at ten times a large commune (400 departments, 3,000 people, 40,000 open tasks): a steady
pass (the scheduler's, every minute, remembering the tasks) and the first pass after a restart (nothing
remembered: every task planned again, every key looked up, nothing new written).

Scale through BENCH_SWEEP_SCALE (10 by default; 1 for a quick look while developing).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bench.harness import Figure, median, timed
from bot.config import load_config
from bot.core.clock import fixed_clock
from bot.core.permissions import Role
from bot.service import Service
from jobs.snapshot import ReminderSettings
from jobs.sweep import Sweeper
from storage.db import Database
from storage.models.people import ChatAccount, Department, Membership, Person
from storage.models.tasks import Task

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime.fromisoformat("2026-11-27T09:00+07:00")
SCALE = int(os.environ.get("BENCH_SWEEP_SCALE", "10"))
DEPARTMENTS, PEOPLE, TASKS = 40 * SCALE, 300 * SCALE, 4_000 * SCALE
LEADERS = 5


def _config_file(folder: Path, url: str) -> Path:
    """The example commune with DEPARTMENTS departments on the bench's database."""
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    text = text.replace('url = "sqlite+aiosqlite:///data/binhlu.db"', f'url = "{url}"')
    extra = "".join(f'\n[[departments]]\ncode = "p{n}"\nname = "Phòng số {n}"\n' for n in range(DEPARTMENTS - 6))
    path = folder / "bench.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


async def _seed(db: Database, commune_id: int) -> None:
    """People (a few leaders, the rest focal people spread over the departments) with a chat each, and open
    tasks due around now, so that every stage of their reminders comes up."""
    rng = random.Random(17)
    async with db.unit_of_work() as session:
        departments = list(await session.scalars(select(Department.id).where(Department.commune_id == commune_id)))
        people = [{"commune_id": commune_id, "full_name": f"Cán bộ {n}", "created_at": NOW} for n in range(PEOPLE)]
        await session.execute(insert(Person), people)
        ids = list(await session.scalars(select(Person.id).order_by(Person.id)))
        accounts = [{"person_id": i, "channel": "telegram", "external_id": str(i), "created_at": NOW} for i in ids]
        await session.execute(insert(ChatAccount), accounts)
        memberships = [
            {
                "commune_id": commune_id,
                "person_id": person,
                "role": (Role.LEADER if n < LEADERS else Role.FOCAL).value,
                "department_id": None if n < LEADERS else departments[n % len(departments)],
                "created_at": NOW,
            }
            for n, person in enumerate(ids)
        ]
        await session.execute(insert(Membership), memberships)
        tasks = [
            {
                "commune_id": commune_id,
                "number": n + 1,
                "department_id": rng.choice(departments),
                "title": f"Việc {n}",
                "due_on": date(2026, 11, 15) + timedelta(days=rng.randrange(30)),
                "progress": 0,
                "created_by_id": ids[0],
                "created_at": NOW - timedelta(days=30),
                "source_channel": "bench",
                "source_chat_id": "seed",
                "source_message_id": str(n),
            }
            for n in range(TASKS)
        ]
        for start in range(0, len(tasks), 5_000):
            await session.execute(insert(Task), tasks[start : start + 5_000])
        await session.commit()


async def measure(database_url: str) -> list[Figure]:
    """Seed, sweep once (everything new), then time steady passes and a first pass after a restart."""
    scale = f"{DEPARTMENTS} departments, {PEOPLE:,} people, {TASKS:,} open tasks"
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as folder:
        config = load_config(_config_file(Path(folder), database_url))
        db = Database(database_url)
        try:
            service = Service(config, db, fixed_clock(NOW))
            await service.prepare()
            commune = next(iter(service.communes))
            await _seed(db, commune.id)
            settings = ReminderSettings(commune, timedelta(hours=24))
            sweeper = Sweeper(db, settings)  # as the scheduler's job keeps one
            started = time.perf_counter()
            first, _ = await sweeper.run(NOW)
            install = time.perf_counter() - started
            print(f"  sweep: the very first pass took {install:.1f} s ({scale})", file=sys.stderr, flush=True)
            steady = await timed(lambda i: sweeper.run(NOW + timedelta(minutes=i + 1)), 10)
            restarts = await timed(lambda i: Sweeper(db, settings).run(NOW + timedelta(minutes=20 + i)), 3)
            unvacuumed = None
            if db.engine.dialect.name == "postgresql":
                # The tests' server runs with autovacuum off; a deployment's autovacuum visits a table soon after
                # 400,000 rows went in, marking its pages all-visible, so that the key lookup reads the index only
                # (without, it fetches every row's page too). Measured both ways, the goal read on the second.
                unvacuumed = restarts
                async with db.engine.connect() as connection:
                    await connection.execution_options(isolation_level="AUTOCOMMIT")
                    await connection.exec_driver_sql("VACUUM (ANALYZE) outbox")
                restarts = await timed(lambda i: Sweeper(db, settings).run(NOW + timedelta(minutes=30 + i)), 3)
        finally:
            await db.dispose()
    return [
        Figure("reminder sweep, steady pass", median(steady) * 1000, "ms", 100, note=scale),
        Figure(
            "reminder sweep, first pass after a restart",
            median(restarts),
            "s",
            2,
            note=scale if unvacuumed is None else f"{scale}; outbox vacuumed, as autovacuum would have",
        ),
        *(
            []
            if unvacuumed is None
            else [
                Figure(
                    "reminder sweep, first pass after a restart, not vacuumed",
                    median(unvacuumed),
                    "s",
                    2,
                    note="the tests' server has autovacuum off: every row's page fetched too",
                )
            ]
        ),
        Figure(
            "reminder sweep, the very first pass (all new)",
            install,
            "s",
            60,
            note=f"{first.queued:,} messages written; no goal of its own",
        ),
    ]
