"""A commune's feedback (citizens', organisations', the Mặt trận's), who answers it, the answers, and their tally
in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.features.plan_facts import FeedbackCounts
from storage import departments
from storage.entries import count_where
from storage.models.feedback import Feedback
from storage.models.people import Department


async def add_feedback(session: AsyncSession, commune_id: int, feedback: Feedback) -> Feedback:
    """Store a piece of feedback under the next G number of the commune (the unique number guards a race)."""
    last = await session.scalar(select(func.max(Feedback.number)).where(Feedback.commune_id == commune_id))
    feedback.commune_id, feedback.number = commune_id, (last or 0) + 1
    session.add(feedback)
    await session.flush()
    return feedback


def _with_department(query):
    return query.add_columns(Department.code).outerjoin(
        Department, (Department.id == Feedback.department_id) & (Department.commune_id == Feedback.commune_id)
    )


async def get_feedback(session: AsyncSession, commune_id: int, number: int) -> tuple[Feedback, str | None] | None:
    """A piece of feedback by its G number, with its answering department's code."""
    query = _with_department(select(Feedback).where(Feedback.commune_id == commune_id, Feedback.number == number))
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None


async def list_feedback(
    session: AsyncSession,
    commune_id: int,
    *,
    department_codes: Sequence[str] | None = None,
    recorded_by: int | None = None,
    open_only: bool = True,
    start: date | None = None,
    end: date | None = None,
) -> list[tuple[Feedback, str | None]]:
    """The commune's feedback, soonest deadline first: open only or all, received within [start, end], answered
    by some departments or recorded by one person (both given: either)."""
    query = _with_department(select(Feedback).where(Feedback.commune_id == commune_id))
    if open_only:
        query = query.where(Feedback.answered_on.is_(None))
    if start is not None and end is not None:
        query = query.where(Feedback.received_on >= start, Feedback.received_on <= end)
    mine = []
    if department_codes is not None:
        mine.append(Feedback.department_id.in_(departments.ids_of(commune_id, department_codes)))
    if recorded_by is not None:
        mine.append(Feedback.recorded_by_id == recorded_by)
    if department_codes is not None or recorded_by is not None:
        query = query.where(or_(false(), *mine))
    rows = await session.execute(query.order_by(Feedback.due_on, Feedback.number))
    return [(row[0], row[1]) for row in rows]


async def set_department(session: AsyncSession, feedback: Feedback, department: str, due: date, task_id: int) -> None:
    """Hand it to one department, with the task that chases the answer."""
    feedback.department_id = departments.id_of(feedback.commune_id, department)
    feedback.due_on, feedback.task_id = due, task_id
    await session.flush()


async def set_answer(
    session: AsyncSession, feedback: Feedback, *, answer: str, day: date, now: datetime, by_id: int
) -> None:
    """Record the answer given."""
    feedback.answer, feedback.answered_on, feedback.answered_at, feedback.answered_by_id = answer, day, now, by_id
    await session.flush()


async def tally_feedback(
    session: AsyncSession, commune_id: int, start: date, end: date, today: date, department: str | None = None
) -> FeedbackCounts:
    """Aggregate, in SQL, the feedback received within [start, end] (answered by `today`'s records)."""
    answered = Feedback.answered_on.is_not(None)
    query = select(
        func.count(),
        count_where(answered, Feedback.answered_on <= Feedback.due_on),
        count_where(answered, Feedback.answered_on > Feedback.due_on),
        count_where(Feedback.answered_on.is_(None)),
        count_where(Feedback.answered_on.is_(None), Feedback.due_on < today),
    ).where(Feedback.commune_id == commune_id, Feedback.received_on >= start, Feedback.received_on <= end)
    if department is not None:
        query = query.where(Feedback.department_id == departments.id_of(commune_id, department))
    row = (await session.execute(query)).one()
    return FeedbackCounts(*(int(value) for value in row))
