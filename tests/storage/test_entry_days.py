"""The per-day summary of entries always equals what the entries themselves add up to: after any sequence of
entries logged, imported, undone, cancelled by number, abandoned with their transaction, or changed or deleted by
hand in SQL (the database keeps it, by triggers), in two communes that share their department codes; after the
migration fills it from an older database; and after `db rebuild-summary` makes it again."""

from __future__ import annotations

import asyncio
import itertools
import shutil
import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from bot.core.permissions import Role
from bot.core.targets import Counts
from bot.service import Service
from storage import departments, entries, entry_days, more_entries
from storage.db import Database
from storage.models.entries import (
    Document,
    DossierTally,
    Entry,
    EntryDay,
    IncomingDocument,
    Meeting,
    ReportSubmission,
    ResolvedTally,
)
from storage.models.people import Person
from tests.conftest import province_config
from tests.storage.test_copy import cli, write_config
from tests.support.clock import MutableClock, instant
from tests.support.db import inspecting
from tests.support.users import register

COMMUNES = ("binhlu", "tamduong")
CODES = ("vp", "vhxh", "kt")
FIRST = date(2026, 1, 1)
NOW = instant("2026-06-30T10:00")
_messages = itertools.count(1)


def expected(rows: list[Entry]) -> dict[tuple[date, int], Counter]:
    """What the summary should hold, computed here from the entry rows alone, by (day, department)."""
    days: dict[tuple[date, int], Counter] = {}
    for e in rows:
        if e.cancelled_at is not None or e.kind == "report":
            continue
        c = days.setdefault((e.occurred_on, e.department_id), Counter())
        c["entries"] += 1
        c["dossiers_online"] += e.dossiers_online or 0
        c["dossiers_paper"] += e.dossiers_paper or 0
        if e.kind == "meeting":
            c["meetings"] += 1
            c["online_meetings"] += bool(e.meeting_online)
        elif e.kind == "document":
            c["documents"] += 1
            c[f"{e.document_kind}_documents"] += 1
        elif e.kind == "incoming":
            c[f"incoming_{e.document_kind}"] += 1
        elif e.kind == "resolved":
            for how in ("online", "paper", "late"):
                c[f"resolved_{how}"] += getattr(e, f"resolved_{how}") or 0
    return days


async def held(session, commune_id: int) -> dict[tuple[date, int], Counter]:
    """The summary's rows of a commune, zero counters left out as a Counter leaves them."""
    found = {}
    for row in await session.scalars(select(EntryDay).where(EntryDay.commune_id == commune_id)):
        counters = {name: getattr(row, name) for name in entry_days.COUNTERS}
        found[(row.day, row.department_id)] = Counter({k: v for k, v in counters.items() if v})
    return found


async def check(db: Database, commune_id: int) -> None:
    """The summary equals the entries' own sums, row by row, and the tallies read from it agree over a period."""
    async with inspecting(db, write=False) as session:
        rows = list(await session.scalars(select(Entry).where(Entry.commune_id == commune_id)))
        want = expected(rows)
        assert await held(session, commune_id) == want
        start, end = FIRST + timedelta(days=1), FIRST + timedelta(days=3)
        period = Counter()
        for (day, _), c in want.items():
            if start <= day <= end:
                period.update(c)
        counts = await entries.tally(session, commune_id, start, end)
        assert counts == Counts(*(period[name] for name in entries.COUNTS))
        resolved, incoming = await more_entries.tally_more(session, commune_id, start, end)
        assert (*vars(resolved).values(), *vars(incoming).values()) == tuple(
            period[name] for name in (*more_entries.RESOLVED, *more_entries.INCOMING)
        )


async def check_grouped(db: Database, commune_ids: list[int]) -> None:
    """The province table's grouped queries agree with each commune's own: the tally over each commune's own
    period (two periods, so two groups), and the day its records begin."""
    periods = {c: (FIRST + timedelta(days=n), FIRST + timedelta(days=3 + n)) for n, c in enumerate(commune_ids)}
    async with inspecting(db, write=False) as session:
        grouped = await entries.tally_communes(session, periods)
        assert grouped == {c: await entries.tally(session, c, *period) for c, period in periods.items()}
        firsts = await entries.first_days(session, commune_ids)
        assert firsts == {c: await entries.first_day(session, c) for c in commune_ids}


def made(kind: str, day: int, a: int, b: int, person_id: int) -> Entry:
    """An entry of `kind` on the `day`-th day of the year; `a` and `b` choose its mode and its numbers."""
    n = next(_messages)
    common = dict(person_id=person_id, occurred_on=FIRST + timedelta(days=day), year=2026, created_at=NOW,
                  source_channel="test", source_chat_id="p", source_message_id=str(n))  # fmt: skip
    kinds = ("electronic", "paper", "secret")
    match kind:
        case "meeting":
            return Meeting(**common, meeting_online=a % 2 == 0)
        case "document":
            return Document(**common, document_kind=kinds[a % 3])
        case "incoming":
            return IncomingDocument(**common, document_kind=kinds[b % 3])
        case "dossiers":
            return DossierTally(**common, dossiers_online=a, dossiers_paper=b)
        case "resolved":
            return ResolvedTally(**common, resolved_online=a, resolved_paper=b, resolved_late=min(a, b))
    return ReportSubmission(**common, report_code=f"r{n}", report_year=2026)


ENTRY = st.tuples(
    st.sampled_from(["meeting", "document", "incoming", "dossiers", "resolved", "report"]),
    st.sampled_from(CODES),
    st.integers(0, 4),
    st.integers(0, 7),
    st.integers(0, 7),
)
STEP = st.tuples(
    st.sampled_from(COMMUNES),
    st.one_of(
        st.tuples(st.just("add"), ENTRY),
        st.tuples(st.just("import"), st.lists(ENTRY, min_size=1, max_size=6)),
        st.tuples(st.just("abandon"), ENTRY),
        st.tuples(st.just("undo"), st.none()),
        st.tuples(st.just("cancel"), st.integers(1, 12)),
        st.tuples(st.just("fix"), st.tuples(st.integers(1, 12), st.integers(0, 4), st.sampled_from(CODES))),
        st.tuples(st.just("delete"), st.integers(1, 12)),
    ),
)


async def step(db: Database, commune_id: int, person_id: int, action: str, arg) -> None:
    """One write as the use cases make it: a unit of work, committed unless abandoned."""
    async with db.unit_of_work() as session:
        match action:
            case "add" | "abandon":
                kind, code, *rest = arg
                await entries.add_entry(session, commune_id, made(kind, *rest, person_id), code)
            case "import":
                rows = [(made(kind, *rest, person_id), code) for kind, code, *rest in arg]
                await entries.add_entries(session, commune_id, rows)
            case "undo":  # /huy: the person's latest entry, if it is live
                latest = await entries.get_latest_entry(session, commune_id, person_id)
                if latest is not None and latest.cancelled_at is None:
                    await entries.cancel_entry(session, latest, by_id=person_id, now=NOW)
            case "cancel":  # /huy N
                entry = await entries.get_entry(session, commune_id, arg)
                if entry is not None and entry.cancelled_at is None:
                    await entries.cancel_entry(session, entry, by_id=person_id, now=NOW)
            case "fix":  # by hand, in SQL: an entry moved to another day and department, its numbers changed
                number, day, code = arg
                await session.execute(
                    update(Entry)
                    .where(Entry.commune_id == commune_id, Entry.number == number)
                    .values(
                        occurred_on=FIRST + timedelta(days=day),
                        department_id=departments.id_of(commune_id, code),
                        dossiers_online=Entry.dossiers_online + day,
                        resolved_late=day,
                    )
                )
            case "delete":  # by hand, in SQL
                await session.execute(delete(Entry).where(Entry.commune_id == commune_id, Entry.number == arg))
        if action != "abandon":
            await session.commit()


async def people_of(service: Service) -> dict[str, tuple[int, int]]:
    """Each commune's (id, the id of a focal person registered in it)."""
    found = {}
    for n, code in enumerate(COMMUNES):
        await register(service, f"{n}1", Role.FOCAL, "vhxh", commune=code)
        commune_id = service.communes.by_code(code).id
        async with inspecting(service.db, write=False) as session:
            person = await session.scalar(select(Person.id).where(Person.commune_id == commune_id))
        found[code] = (commune_id, person)
    return found


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(STEP, max_size=14))
def test_after_any_writes_the_summary_equals_the_entries_own_tally(databases, steps):
    async def run() -> None:
        folder = Path(tempfile.mkdtemp())
        url = databases.create(folder, "p")
        try:
            service = Service(province_config(url, folder), Database(url), MutableClock())
            await service.prepare()
            people = await people_of(service)
            for code, (action, arg) in steps:
                await step(service.db, *people[code], action, arg)
            for commune_id, _ in people.values():
                await check(service.db, commune_id)
            await check_grouped(service.db, [commune_id for commune_id, _ in people.values()])
            await service.db.dispose()
        finally:
            databases.drop(url)
            shutil.rmtree(folder, ignore_errors=True)

    asyncio.run(run())


async def test_rebuild_summary_makes_it_again_from_the_entries(tmp_path, province, capsys):
    people = await people_of(province)
    for n, (kind, code) in enumerate(itertools.product(("meeting", "document", "dossiers", "resolved"), CODES)):
        await step(province.db, *people["binhlu"], "add", (kind, code, n % 4, n, 7 - n % 7))
    await step(province.db, *people["binhlu"], "cancel", 3)
    await step(province.db, *people["tamduong"], "import", [("incoming", "vp", 1, 2, 1), ("meeting", "kt", 2, 1, 0)])
    binhlu, tamduong = people["binhlu"][0], people["tamduong"][0]
    async with inspecting(province.db) as session:  # the summary spoilt: a day lost, a day wrong
        await session.execute(delete(EntryDay).where(EntryDay.commune_id == binhlu, EntryDay.day == FIRST))
        await session.execute(update(EntryDay).where(EntryDay.commune_id == tamduong).values(meetings=40))
        await session.commit()
    with pytest.raises(AssertionError):
        await check(province.db, binhlu)
    config = write_config(tmp_path, province.config.database.url, province=True)
    assert await cli(["db", "rebuild-summary", "--config", str(config)]) == 0
    printed = capsys.readouterr().out
    assert "UBND xã Bình Lư: đã tính lại bảng tổng hợp theo ngày" in printed and "UBND xã Tam Đường" in printed
    for commune_id in (binhlu, tamduong):
        await check(province.db, commune_id)


@pytest.mark.sqlite_only("the release before communes wrote only SQLite files; this is that file's upgrade")
async def test_the_migration_fills_the_summary_from_the_entries_already_there(tmp_path):
    from tests.storage.test_upgrade import upgraded

    service = await upgraded(tmp_path, "2026-11-27T10:00")
    try:
        (commune,) = service.communes
        await check(service.db, commune.id)
        async with inspecting(service.db, write=False) as session:
            assert await held(session, commune.id), "the old database's entries are in the summary"
    finally:
        await service.db.dispose()
