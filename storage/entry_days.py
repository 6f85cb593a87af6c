"""The per-day summary of a commune's entries (`entry_days`): one row a department a day holding what its live
entries add up to, so a period's tallies read a row a department a day instead of every entry.

The database keeps it: triggers on `entries` (migration 0023) add a stored entry's counters to its day, take a
cancelled or deleted one's away (a row left with no entry is deleted) and move them when a fix changes an entry,
in the entry's own statement, so no writer can forget it. `rebuild` makes a commune's rows again from the entries,
with the counters defined here in SQL over the entry rows (the triggers' are the same, frozen in the migration)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Integer, and_, case, delete, func, insert, literal, select
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


def _summed(*conditions):
    """The entries matching `conditions` (reports aside: no tally counts a submission) summed a department a
    day: the summary's rows."""
    sums = [func.sum(value).label(name) for name, value in _counters().items()]
    key = (Entry.commune_id, Entry.occurred_on, Entry.department_id)
    return select(*key, *sums).where(Entry.kind != "report", *conditions).group_by(*key).order_by(*key)


async def rebuild(session: AsyncSession, commune_id: int) -> int:
    """Make the commune's summary again from its live entries; the number of rows it now holds."""
    await session.execute(delete(EntryDay).where(EntryDay.commune_id == commune_id))
    live = _summed(Entry.commune_id == commune_id, Entry.cancelled_at.is_(None))
    await session.execute(insert(EntryDay).from_select([*KEY, *COUNTERS], live))
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
