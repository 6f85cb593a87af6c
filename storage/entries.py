"""Entries (meetings, documents, dossier tallies, report submissions) of one commune, and their tallies in SQL
(read from the per-day summary the database keeps, `storage/entry_days.py`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from datetime import date, datetime

from sqlalchemy import Select, and_, case, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached, selectinload

from bot.core.targets import Counts
from storage import communes, departments, entry_days
from storage.models.entries import Entry, EntryDay
from storage.models.people import Commune, Department


async def add_entry(
    session: AsyncSession, commune_id: int, entry: Entry, department: str, *, unless: Select | None = None
) -> Entry | None:
    """Store an entry for one of the commune's departments, in one statement: numbered the commune's next (the #N
    users see; its counter row locked until commit, so two writers never take one number, and moved by a
    trigger), unless the query `unless` finds a row (a twin), read in that statement too: then None, nothing
    stored. The entry's day in the summary follows by the database's triggers too."""
    table = Entry.__table__
    entry.commune_id = commune_id
    given = {c.name: _value(entry, c.name) for c in table.columns if c.name not in ("id", "number", "department_id")}
    row = select(
        *(literal(value, table.c[name].type) for name, value in given.items()),
        communes.next_number_of(commune_id),
        departments.id_of(commune_id, department),
    )
    if unless is not None:
        row = row.where(~unless.exists())
    stored = insert(table).from_select([*given, "number", "department_id"], row)
    returned = (await session.execute(stored.returning(table.c.id, table.c.number, table.c.department_id))).first()
    if returned is None:
        return None
    for name, value in [*given.items(), *zip(("id", "number", "department_id"), returned, strict=True)]:
        setattr(entry, name, value)
    make_transient_to_detached(entry)  # as though it were loaded with these values: stored, no second insert
    session.add(entry)
    return entry


def _value(entry: Entry, name: str) -> object:
    """A column's value on an entry not yet stored: what was set, else the column's own default."""
    value = getattr(entry, name)
    default = Entry.__table__.c[name].default
    return default.arg if value is None and default is not None and default.is_scalar else value


async def add_entries(session: AsyncSession, commune_id: int, rows: Sequence[tuple[Entry, str]]) -> None:
    """Store many entries (each with its department's code) at once, numbered in their order: one counter
    update and one flush, however many there are (an import)."""
    if not rows:
        return
    last = await communes.next_number(session, commune_id, count=len(rows))
    codes = {code for _, code in rows}
    query = select(Department.code, Department.id).where(
        Department.commune_id == commune_id, Department.code.in_(codes), departments.active()
    )
    ids = dict((await session.execute(query)).all())
    for number, (entry, code) in enumerate(rows, start=last - len(rows) + 1):
        entry.commune_id, entry.number, entry.department_id = commune_id, number, ids[code]
    session.add_all([entry for entry, _ in rows])
    await session.flush()


def _loaded(query):
    return query.options(selectinload(Entry.department))


async def find_document_number(session: AsyncSession, commune_id: int, year: int, number_key: str) -> Entry | None:
    """A live document of the commune, of that year, with that số ký hiệu."""
    return await session.scalar(
        select(Entry).where(
            Entry.commune_id == commune_id,
            Entry.kind == "document",
            Entry.year == year,
            Entry.document_number_key == number_key,
            Entry.cancelled_at.is_(None),
        )
    )


async def get_entry(session: AsyncSession, commune_id: int, number: int) -> Entry | None:
    """An entry by the number users see, with its department."""
    return await session.scalar(_loaded(select(Entry).where(Entry.commune_id == commune_id, Entry.number == number)))


async def get_latest_entry(session: AsyncSession, commune_id: int, person_id: int) -> Entry | None:
    """The person's latest entry, cancelled or not."""
    query = select(Entry).where(Entry.commune_id == commune_id, Entry.person_id == person_id)
    return await session.scalar(_loaded(query.order_by(Entry.id.desc()).limit(1)))


def recent_meeting(
    commune_id: int, *, department: str, online: bool, day: date, summary: str, since: datetime
) -> Select[tuple[Entry]]:
    """A live meeting of a department with this mode, day and summary, logged since an instant: the query, to run
    (`find`) or to check in the statement that numbers a new entry (`add_entry`'s `unless`)."""
    return select(Entry).where(
        Entry.commune_id == commune_id,
        Entry.kind == "meeting",
        Entry.department_id == departments.id_of(commune_id, department),
        Entry.meeting_online.is_(online),
        Entry.occurred_on == day,
        Entry.summary == summary,
        Entry.created_at >= since,
        Entry.cancelled_at.is_(None),
    )


async def find(session: AsyncSession, query: Select[tuple[Entry]]) -> Entry | None:
    """The first entry a query finds, with its department."""
    return await session.scalar(_loaded(query.limit(1)))


async def cancel_entry(session: AsyncSession, entry: Entry, *, by_id: int, now: datetime) -> None:
    """Mark an entry cancelled, out of the summary too; the row stays for the audit."""
    entry.cancelled_at = now
    entry.cancelled_by_id = by_id
    await session.flush()


def count_where(*conditions) -> object:
    """SUM(CASE WHEN … THEN 1 ELSE 0 END), 0 on no rows: a count that runs on SQLite and PostgreSQL."""
    return func.coalesce(func.sum(case((and_(*conditions), 1), else_=0)), 0)


COUNTS = tuple(field.name for field in fields(Counts))  # the summary's counters /chitieu's counts are named by


async def tally(
    session: AsyncSession, commune_id: int, start: date, end: date, department: str | None = None
) -> Counts:
    """Aggregate the live entries dated within [start, end] in one SQL query over the per-day summary, for the
    commune or a department."""
    query = select(*entry_days.sums(*COUNTS)).where(*entry_days.within(commune_id, start, end, department))
    row = (await session.execute(query)).one()
    return Counts(*(int(value) for value in row))


async def tally_by_department(session: AsyncSession, commune_id: int, start: date, end: date) -> dict[str, Counts]:
    """The same aggregate for every department at once (GROUP BY), by department code."""
    query = select(Department.code, *entry_days.sums(*COUNTS)).where(*entry_days.within(commune_id, start, end))
    rows = await session.execute(departments.joined(query, EntryDay.department_id).group_by(Department.code))
    return {code: Counts(*(int(value) for value in values)) for code, *values in rows}


async def tally_communes(session: AsyncSession, periods: Mapping[int, tuple[date, date]]) -> dict[int, Counts]:
    """`tally` of many communes at once, each over its own [start, end] (commune id → period): one query grouped
    by commune over the per-day summary for all the communes sharing a period (the province table: one in all)."""
    found: dict[int, Counts] = {}
    for (start, end), ids in communes.sharing_periods(periods).items():
        query = select(EntryDay.commune_id, *entry_days.sums(*COUNTS)).where(
            EntryDay.commune_id.in_(ids), EntryDay.day.between(start, end)
        )
        rows = await session.execute(query.group_by(EntryDay.commune_id))
        found.update((commune_id, Counts(*(int(value) for value in values))) for commune_id, *values in rows)
    return {commune_id: found.get(commune_id, Counts()) for commune_id in periods}


def _earliest(commune_id) -> object:
    """The earliest day of the commune's live entries (a submission aside), as SQL: an index seek, not a scan."""
    return select(func.min(Entry.occurred_on)).where(
        Entry.commune_id == commune_id, Entry.cancelled_at.is_(None), Entry.kind != "report"
    )


async def first_day(session: AsyncSession, commune_id: int) -> date | None:
    """The date of the commune's earliest live entry (a submission aside): from when its records begin."""
    return await session.scalar(_earliest(commune_id))


async def first_days(session: AsyncSession, commune_ids: Iterable[int]) -> dict[int, date | None]:
    """`first_day` of many communes in one query: a correlated subquery a commune, so each is still the seek
    `first_day` makes (a MIN grouped by commune would read every entry of them all)."""
    ids = list(commune_ids)
    if not ids:
        return {}
    earliest = _earliest(Commune.id).correlate(Commune).scalar_subquery()
    return dict((await session.execute(select(Commune.id, earliest).where(Commune.id.in_(ids)))).all())
