"""The per-day summary of a commune's entries (`entry_days`): one row a department a day holding what its live
entries add up to, so a period's tallies read a row a department a day instead of every entry.

Every write to `entries` goes through here in its own transaction: a stored entry adds its counters, a cancelled
one takes them away (a row left with no entry is deleted), and `rebuild` makes a commune's rows again from the
entries. Each change is one upsert (INSERT … SELECT … ON CONFLICT DO UPDATE, on SQLite and PostgreSQL) whose
counters are computed in SQL from the entry rows themselves: one definition for a change and for a rebuild."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Integer, and_, case, delete, func, literal, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage import departments
from storage.models.entries import Entry, EntryDay

KEY = ("commune_id", "day", "department_id")


def _counted(*conditions) -> ColumnElement[int]:
    return case((and_(*conditions), 1), else_=0)


def _amount(column, *conditions) -> ColumnElement[int]:
    value = func.coalesce(column, 0)
    return (case((and_(*conditions), value), else_=0) if conditions else value).cast(Integer)


def _counters() -> dict[str, ColumnElement[int]]:
    """What one entry adds to each counter of its day, as SQL over its row (the tallies' old definitions)."""
    meeting, document = Entry.kind == "meeting", Entry.kind == "document"
    resolved, incoming = Entry.kind == "resolved", Entry.kind == "incoming"
    return {
        "entries": literal(1, Integer),
        "meetings": _counted(meeting),
        "online_meetings": _counted(meeting, Entry.meeting_online.is_(True)),
        "documents": _counted(document),
        "electronic_documents": _counted(document, Entry.document_kind == "electronic"),
        "paper_documents": _counted(document, Entry.document_kind == "paper"),
        "secret_documents": _counted(document, Entry.document_kind == "secret"),
        "dossiers_online": _amount(Entry.dossiers_online),
        "dossiers_paper": _amount(Entry.dossiers_paper),
        "resolved_online": _amount(Entry.resolved_online, resolved),
        "resolved_paper": _amount(Entry.resolved_paper, resolved),
        "resolved_late": _amount(Entry.resolved_late, resolved),
        "incoming_electronic": _counted(incoming, Entry.document_kind == "electronic"),
        "incoming_paper": _counted(incoming, Entry.document_kind == "paper"),
        "incoming_secret": _counted(incoming, Entry.document_kind == "secret"),
    }


COUNTERS = tuple(_counters())


def _summed(sign: int, *conditions):
    """The entries matching `conditions` (reports aside: no tally counts a submission) summed a department a
    day, times `sign`: the rows to add to the summary."""
    sums = [(func.sum(value) * sign).label(name) for name, value in _counters().items()]
    key = (Entry.commune_id, Entry.occurred_on, Entry.department_id)
    return select(*key, *sums).where(Entry.kind != "report", *conditions).group_by(*key).order_by(*key)


async def _add(session: AsyncSession, sign: int, *conditions) -> None:
    """One upsert: each (department, day) the matching entries touch gets their counters added."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(EntryDay).from_select([*KEY, *COUNTERS], _summed(sign, *conditions))
    table = EntryDay.__table__
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=list(KEY), set_={name: table.c[name] + statement.excluded[name] for name in COUNTERS}
        )
    )


async def entries_added(session: AsyncSession, commune_id: int, first: int, last: int) -> None:
    """Count the entries just stored, numbered first…last (flushed), in the transaction that stores them."""
    await _add(session, 1, Entry.commune_id == commune_id, Entry.number.between(first, last))


async def entry_cancelled(session: AsyncSession, entry: Entry) -> None:
    """Take a cancelled entry out of its day, in the transaction that cancels it; a day left empty goes."""
    await _add(session, -1, Entry.commune_id == entry.commune_id, Entry.id == entry.id)
    await session.execute(
        delete(EntryDay).where(
            EntryDay.commune_id == entry.commune_id,
            EntryDay.department_id == select(Entry.department_id).where(Entry.id == entry.id).scalar_subquery(),
            EntryDay.day == entry.occurred_on,
            EntryDay.entries == 0,
        )
    )


async def rebuild(session: AsyncSession, commune_id: int) -> int:
    """Make the commune's summary again from its live entries; the number of rows it now holds."""
    await session.execute(delete(EntryDay).where(EntryDay.commune_id == commune_id))
    await _add(session, 1, Entry.commune_id == commune_id, Entry.cancelled_at.is_(None))
    held = select(func.count()).select_from(EntryDay).where(EntryDay.commune_id == commune_id)
    return await session.scalar(held) or 0


def sums(*names: str) -> list[ColumnElement[int]]:
    """SUM of each named counter, 0 over no rows."""
    return [func.coalesce(func.sum(EntryDay.__table__.c[name]), 0).cast(Integer) for name in names]


def within(commune_id: int, start, end, department: str | None = None) -> list:
    """The commune's summary rows of the days within [start, end], of one department if named."""
    conditions = [EntryDay.commune_id == commune_id, EntryDay.day.between(start, end)]
    if department is not None:
        conditions.append(EntryDay.department_id == departments.id_of(commune_id, department))
    return conditions
