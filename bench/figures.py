"""`/chitieu` at province size, through the Service as a chat message reaches it: a leader's (the commune, every
department's table, the plan's other obligations) and a focal person's (the commune and their department) in a
commune of 1,000,000 entries (40 departments, 5 years), and the province officer's table over 38 communes.

The entries are seeded in bulk (straight through the driver, as no chat could), then each commune's per-day summary
is rebuilt from them, as `python -m bot db rebuild-summary` does."""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from itertools import count
from pathlib import Path

from sqlalchemy import func, select, text, update

from bench.harness import Figure, percentile
from bot.config import Config, DepartmentConfig, load_config
from bot.core.clock import fixed_clock
from bot.core.messages import Incoming
from bot.core.permissions import Role
from bot.service import Service
from bot.service.access import create_invite
from storage import entry_days
from storage.db import Database
from storage.models.people import Commune, Department, Person

PROVINCE = Path(__file__).resolve().parent.parent / "examples" / "province" / "province.toml"
NOW = datetime.fromisoformat("2026-11-27T09:00+07:00")
COMMUNES = 38
DEPARTMENTS = 40
FIRST_DAY, DAYS = date(2022, 1, 1), (NOW.date() - date(2022, 1, 1)).days + 1  # five years, up to today
ENTRIES = 1_000_000  # in the measured commune
OTHER_ENTRIES = 20_000  # in each of the 37 others
CHUNK = 20_000
RUNS = 30
KINDS = ("meeting", "meeting", "document", "document", "dossiers", "resolved", "incoming")
GOALS = {"leader": 50.0, "focal": 50.0, "province": 200.0}


def _config(url: str) -> Config:
    """The province example with 38 communes of 40 departments each, on `url`."""
    config = load_config(PROVINCE)
    first = config.communes[0]
    extra = [DepartmentConfig(code=f"p{n}", name=f"Phòng số {n}") for n in range(DEPARTMENTS - len(first.departments))]
    communes = tuple(
        first.model_copy(
            update={
                "commune": first.commune.model_copy(update={"code": f"xa{n:02}", "name": f"UBND xã Số {n}"}),
                "departments": [*first.departments, *extra],
            }
        )
        for n in range(COMMUNES)
    )
    database = config.database.model_copy(update={"url": url})
    return config.model_copy(update={"communes": communes, "database": database})


def _row(rng: random.Random, commune_id: int, number: int, day: date, departments: list[int], person_id: int) -> dict:
    kind = rng.choice(KINDS)
    row = dict(commune_id=commune_id, number=number, kind=kind, department_id=rng.choice(departments),
               person_id=person_id, occurred_on=day, year=day.year, summary="", created_at=NOW,
               source_channel="bench", source_chat_id="seed", source_message_id=f"{number:07}",
               meeting_online=None, document_kind=None, dossiers_online=None, dossiers_paper=None,
               resolved_online=None, resolved_paper=None, resolved_late=None)  # fmt: skip
    if kind == "meeting":
        row["meeting_online"] = rng.random() < 0.6
    elif kind in ("document", "incoming"):
        row["document_kind"] = rng.choice(("electronic", "electronic", "paper", "secret"))
    elif kind == "dossiers":
        row["dossiers_online"], row["dossiers_paper"] = rng.randrange(20), rng.randrange(3)
    else:
        row["resolved_online"], row["resolved_paper"], row["resolved_late"] = rng.randrange(15), rng.randrange(3), 0
    return row


COLUMNS = ("commune_id", "number", "kind", "department_id", "person_id", "occurred_on", "year", "summary",
           "created_at", "source_channel", "source_chat_id", "source_message_id", "meeting_online", "document_kind",
           "dossiers_online", "dossiers_paper", "resolved_online", "resolved_paper", "resolved_late")  # fmt: skip


async def _load(session, rows: list[dict]) -> None:
    """Rows into `entries` straight through the driver (SQLite's executemany, PostgreSQL's COPY), in the
    session's transaction: a million rows through the ORM's parameter handling would take minutes."""
    driver = (await (await session.connection()).get_raw_connection()).driver_connection
    if session.get_bind().dialect.name == "postgresql":
        naive = NOW.astimezone(UTC).replace(tzinfo=None)  # as UTCDateTime stores it
        records = [tuple(naive if c == "created_at" else row[c] for c in COLUMNS) for row in rows]
        await driver.copy_records_to_table("entries", records=records, columns=COLUMNS)
        return
    stored = {"created_at": NOW.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")}  # SQLAlchemy's SQLite format
    records = [tuple(stored.get(c, row[c]) for c in COLUMNS) for row in rows]
    records = [(*r[:5], r[5].isoformat(), *r[6:]) for r in records]  # occurred_on, as SQLAlchemy's Date stores it
    marks = ", ".join("?" * len(COLUMNS))
    await driver.executemany(f"INSERT INTO entries ({', '.join(COLUMNS)}) VALUES ({marks})", records)


async def _seed(service: Service, person_ids: dict[int, int]) -> None:
    """Every commune's entries in bulk, numbered as the bot numbers them, then its summary rebuilt."""
    rng = random.Random(641)
    for commune in service.communes:
        async with service.db.unit_of_work() as session:
            departments = list(await session.scalars(select(Department.id).where(Department.commune_id == commune.id)))
            total = ENTRIES if commune.code == "xa00" else OTHER_ENTRIES
            days = sorted(FIRST_DAY + timedelta(days=rng.randrange(DAYS)) for _ in range(total))  # numbered in time
            for start in range(0, total, CHUNK):
                rows = [_row(rng, commune.id, n + 1, days[n], departments, person_ids[commune.id])
                        for n in range(start, min(total, start + CHUNK))]  # fmt: skip
                await _load(session, rows)
            await session.execute(update(Commune).where(Commune.id == commune.id).values(last_entry_number=total))
            await entry_days.rebuild(session, commune.id)
            await session.commit()
    if service.db.engine.dialect.name == "postgresql":
        async with service.db.engine.connect() as connection:  # what autovacuum does after a load like this
            await connection.execute(text("ANALYZE"))
            await connection.commit()


async def _register(service: Service, user: str, role: Role, commune_code: str | None, department: str | None):
    commune = service.communes.by_code(commune_code) if commune_code else None
    async with service.db.unit_of_work() as session:
        invite = await create_invite(session, commune, role, department, created_by="bench", ttl_hours=72,
                                     now=service.clock())  # fmt: skip
        await session.commit()
    await service.handle(Incoming("bench", user, f"start-{user}", user, f"Cán bộ {user}", f"/start {invite.code}"))


async def measure(database_url: str) -> list[Figure]:
    config = _config(database_url)
    service = Service(config, Database(database_url), fixed_clock(NOW))
    try:
        await service.prepare()
        await _register(service, "1", Role.LEADER, "xa00", None)
        await _register(service, "2", Role.FOCAL, "xa00", "vhxh")
        await _register(service, "3", Role.PROVINCE, None, None)
        for commune in list(service.communes)[1:]:
            await _register(service, f"f{commune.code}", Role.FOCAL, commune.code, "vhxh")  # each its person
        async with service.db.reading() as session:
            query = select(Person.commune_id, func.min(Person.id)).where(Person.commune_id.is_not(None))
            person_ids = dict((await session.execute(query.group_by(Person.commune_id))).all())
        started = time.perf_counter()
        await _seed(service, person_ids)
        seeded = time.perf_counter() - started
        messages = count()
        figures = []
        for who, user, what in (("leader", "1", "/chitieu, a leader, 1 M entries"),
                                ("focal", "2", "/chitieu, a focal person, 1 M entries"),
                                ("province", "3", f"/chitieu, the province table, {COMMUNES} communes")):  # fmt: skip
            samples, cpu = [], []
            for _ in range(RUNS):
                incoming = Incoming("bench", user, f"m{next(messages)}", user, "Bench", "/chitieu")
                begun, begun_cpu = time.perf_counter(), time.process_time()
                answer = await service.handle(incoming)
                samples.append((time.perf_counter() - begun) * 1000)
                cpu.append((time.process_time() - begun_cpu) * 1000)  # this process's, SQLite's thread too
                assert answer is not None and answer.text
            p50, p95, cpu50 = percentile(samples, 0.5), percentile(samples, 0.95), percentile(cpu, 0.5)
            note = f"p95 of {RUNS} (p50 {p50:.1f} ms, CPU p50 {cpu50:.1f} ms); seeded in {seeded:.0f} s"
            figures.append(Figure(what, p95, "ms", GOALS[who], note=note))
        return figures
    finally:
        await service.db.dispose()
