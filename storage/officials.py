"""Each official's year in SQL: the tasks naming them answerable, the progress updates they gave, the report
submissions they recorded; one query each, grouped by person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.entries import count_where
from storage.models.entries import Entry
from storage.models.tasks import Task, TaskUpdate


@dataclass(frozen=True)
class TaskFacts:
    """A person's tasks due in a year: how many, done on time, and still open past the deadline."""

    led: int = 0
    on_time: int = 0
    overdue: int = 0


async def task_facts(
    session: AsyncSession, commune_id: int, start: date, end: date, today: date
) -> dict[int, TaskFacts]:
    """Per responsible official, the live tasks due within [start, end] (overdue: open, deadline before today)."""
    query = (
        select(
            Task.responsible_id,
            func.count(),
            count_where(Task.completed_on.is_not(None), Task.completed_on <= Task.due_on),
            count_where(Task.completed_at.is_(None), Task.due_on < today),
        )
        .where(
            Task.commune_id == commune_id,
            Task.responsible_id.is_not(None),
            Task.cancelled_at.is_(None),
            Task.due_on >= start,
            Task.due_on <= end,
        )
        .group_by(Task.responsible_id)
    )
    return {row[0]: TaskFacts(*(int(v) for v in row[1:])) for row in await session.execute(query)}


async def late_tasks(session: AsyncSession, commune_id: int, start: date, end: date) -> list[tuple[int, date, date]]:
    """(person, deadline, day done) of each live task due within [start, end] done after its deadline: the
    working days late are counted by the commune's calendar."""
    query = select(Task.responsible_id, Task.due_on, Task.completed_on).where(
        Task.commune_id == commune_id,
        Task.responsible_id.is_not(None),
        Task.cancelled_at.is_(None),
        Task.due_on >= start,
        Task.due_on <= end,
        Task.completed_on > Task.due_on,
    )
    return [(row[0], row[1], row[2]) for row in await session.execute(query)]


async def update_counts(session: AsyncSession, commune_id: int, since: datetime, until: datetime) -> dict[int, int]:
    """Per person, the progress updates (closing ones too) given within [since, until)."""
    query = (
        select(TaskUpdate.person_id, func.count())
        .where(TaskUpdate.commune_id == commune_id, TaskUpdate.at >= since, TaskUpdate.at < until)
        .group_by(TaskUpdate.person_id)
    )
    return {row[0]: int(row[1]) for row in await session.execute(query)}


async def submissions_by_person(session: AsyncSession, commune_id: int, year: int) -> list[tuple[int, str, date]]:
    """(person, report code, day submitted) of each live report submission of a year's periods."""
    query = select(Entry.person_id, Entry.report_code, Entry.occurred_on).where(
        Entry.commune_id == commune_id,
        Entry.kind == "report",
        Entry.report_year == year,
        Entry.cancelled_at.is_(None),
    )
    return [(row[0], row[1], row[2]) for row in await session.execute(query)]
