"""A commune's tasks and their progress, and the task tally in SQL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.core.targets import TaskCounts
from storage import communes, departments
from storage.entries import count_where
from storage.models.people import Department
from storage.models.tasks import Task, TaskUpdate


def is_open():
    """A task neither done nor withdrawn."""
    return and_(Task.completed_at.is_(None), Task.cancelled_at.is_(None))


async def add_task(session: AsyncSession, commune_id: int, task: Task, department: str) -> Task:
    """Store a new task led by one of the commune's departments; its number is the V N users see."""
    task.commune_id = commune_id
    task.number = await communes.next_number(session, commune_id, task=True)
    task.department_id = departments.id_of(commune_id, department)
    task.updated_at = task.created_at
    session.add(task)
    await session.flush()
    return task


async def get_task(session: AsyncSession, commune_id: int, number: int, *, refresh: bool = False) -> Task | None:
    """A task by the number users see, with its department (`refresh`: read again after a change)."""
    query = select(Task).where(Task.commune_id == commune_id, Task.number == number)
    query = query.options(selectinload(Task.department)).execution_options(populate_existing=refresh)
    return await session.scalar(query)


async def change_task(
    session: AsyncSession,
    task: Task,
    *,
    now: datetime,
    due: date | None = None,
    department: str | None = None,
    title: str | None = None,
    responsible: int | None = None,
) -> None:
    """A leader's change: a new deadline, lead department, title or responsible official."""
    if due is not None:
        task.due_on = due
    if department is not None:
        task.department_id = departments.id_of(task.commune_id, department)
    if title is not None:
        task.title = title
    if responsible is not None:
        task.responsible_id = responsible
    task.updated_at = now
    await session.flush()


async def cancel_task(session: AsyncSession, task: Task, *, by_id: int, now: datetime) -> None:
    """Withdraw a task; the row stays for the audit."""
    task.cancelled_at, task.cancelled_by_id, task.updated_at = now, by_id, now
    await session.flush()


async def list_open_tasks(
    session: AsyncSession, commune_id: int, department_codes: Iterable[str] | None = None
) -> Sequence[Task]:
    """A commune's open tasks by deadline, overdue first, for some departments or all."""
    query = select(Task).where(Task.commune_id == commune_id, is_open()).options(selectinload(Task.department))
    if department_codes is not None:
        query = query.where(Task.department_id.in_(departments.ids_of(commune_id, department_codes)))
    return (await session.scalars(query.order_by(Task.due_on, Task.id))).all()


@dataclass(frozen=True)
class OpenTask:
    """A task as the reminder planner sees it: plain data, its department's code and name, open or not."""

    id: int  # the row's id: what the outbox keys a task's notices by
    number: int  # what users see (V N)
    department: str
    department_name: str
    title: str
    due_on: date
    progress: int
    created_at: datetime
    last_progress_at: datetime | None
    open: bool = True


async def list_task_rows(
    session: AsyncSession, commune_id: int, changed_since: datetime | None = None
) -> list[OpenTask]:
    """Every open task of the commune, or every task changed since an instant (closed ones too, marked)."""
    query = select(
        Task.id,
        Task.number,
        Department.code,
        Department.name,
        Task.title,
        Task.due_on,
        Task.progress,
        Task.created_at,
        Task.last_progress_at,
        is_open(),
    ).where(Task.commune_id == commune_id)
    query = query.where(is_open() if changed_since is None else Task.updated_at >= changed_since)
    rows = await session.execute(departments.joined(query, Task.department_id).order_by(Task.due_on, Task.id))
    return [OpenTask(*row[:-1], open=bool(row[-1])) for row in rows]


async def add_task_update(
    session: AsyncSession, task: Task, *, person_id: int, progress: int, note: str, now: datetime, day: date | None
) -> None:
    """Record progress on a task; with `day`, the task is closed on that day."""
    session.add(
        TaskUpdate(
            commune_id=task.commune_id, task_id=task.id, person_id=person_id, at=now, progress=progress, note=note
        )
    )
    task.progress, task.last_progress_at, task.updated_at = progress, now, now
    if day is not None:
        task.completed_on, task.completed_at, task.completed_by_id = day, now, person_id
    await session.flush()


def _task_tally(start: date, end: date, today: date) -> tuple[list, list]:
    """The three counts `TaskCounts` holds over [start, end] as of `today`, and the rows they read (live tasks
    due by `end`), as SQL."""
    live = Task.cancelled_at.is_(None)
    due_by_today = and_(Task.due_on >= start, Task.due_on <= min(today, end))
    counts = [
        count_where(due_by_today),
        count_where(due_by_today, Task.completed_on.is_not(None), Task.completed_on <= Task.due_on),
        count_where(Task.completed_at.is_(None), Task.due_on < today, Task.due_on >= start),
    ]
    return counts, [Task.due_on <= end, live]


async def tally_tasks(
    session: AsyncSession, commune_id: int, start: date, end: date, today: date, department: str | None = None
) -> TaskCounts:
    """Aggregate, in SQL, the commune's live tasks due within [start, end] by `today`."""
    counts, conditions = _task_tally(start, end, today)
    query = select(*counts).where(Task.commune_id == commune_id, *conditions)
    if department is not None:
        query = query.where(Task.department_id == departments.id_of(commune_id, department))
    row = (await session.execute(query)).one()
    return TaskCounts(*(int(value) for value in row))


async def tally_tasks_communes(
    session: AsyncSession, periods: Mapping[int, tuple[date, date]], today: date
) -> dict[int, TaskCounts]:
    """`tally_tasks` of many communes at once, each over its own [start, end] (commune id → period): one query
    grouped by commune for all the communes sharing a period."""
    found: dict[int, TaskCounts] = {}
    for (start, end), ids in communes.sharing_periods(periods).items():
        counts, conditions = _task_tally(start, end, today)
        query = select(Task.commune_id, *counts).where(Task.commune_id.in_(ids), *conditions)
        rows = await session.execute(query.group_by(Task.commune_id))
        found.update((commune_id, TaskCounts(*(int(value) for value in values))) for commune_id, *values in rows)
    return {commune_id: found.get(commune_id, TaskCounts()) for commune_id in periods}


async def get_task_by_id(session: AsyncSession, commune_id: int, task_id: int) -> Task | None:
    """A task of the commune by its row's id (what another record keeps), with its department."""
    query = select(Task).where(Task.commune_id == commune_id, Task.id == task_id)
    return await session.scalar(query.options(selectinload(Task.department)))
