"""The content of a commune's periodic reports: each department's answers, and which periods are closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import departments
from storage.models.people import Department
from storage.models.report_content import ReportAnswer, ReportClosure


@dataclass(frozen=True)
class AnswerRow:
    """One part of one department's report, as the views and the exports read it."""

    department: str
    department_name: str
    part: str
    task_group: int
    body: str
    with_file: bool


async def save_answer(
    session: AsyncSession,
    commune_id: int,
    department: str,
    period: tuple[str, int],
    part: str,
    *,
    task_group: int = 0,
    body: str,
    file_id: str | None,
    person_id: int,
    now: datetime,
) -> None:
    """Write a department's answer to one part of a period's report, replacing what it wrote there before."""
    code, year = period
    department_id = await session.scalar(departments.ids_of(commune_id, [department]))
    found = await session.scalar(
        select(ReportAnswer).where(
            ReportAnswer.commune_id == commune_id,
            ReportAnswer.department_id == department_id,
            ReportAnswer.report_code == code,
            ReportAnswer.report_year == year,
            ReportAnswer.part == part,
            ReportAnswer.task_group == task_group,
        )
    )
    if found is None:
        found = ReportAnswer(
            commune_id=commune_id,
            department_id=department_id,
            report_code=code,
            report_year=year,
            part=part,
            task_group=task_group,
        )
        session.add(found)
    found.body, found.file_id, found.person_id, found.updated_at = body, file_id, person_id, now
    await session.flush()


async def list_answers(
    session: AsyncSession, commune_id: int, report: str, year: int, department: str | None = None
) -> list[AnswerRow]:
    """A period's answers (of one department, if named), in the configured order of departments, then by part
    and task group."""
    query = select(
        Department.code, Department.name, ReportAnswer.part, ReportAnswer.task_group, ReportAnswer.body,
        ReportAnswer.file_id,
    ).where(
        ReportAnswer.commune_id == commune_id, ReportAnswer.report_code == report, ReportAnswer.report_year == year
    )  # fmt: skip
    if department is not None:
        query = query.where(Department.code == department)
    query = departments.joined(query, ReportAnswer.department_id).order_by(
        Department.id, ReportAnswer.part, ReportAnswer.task_group
    )
    rows = await session.execute(query)
    return [AnswerRow(code, name, part, group, body, bool(file_id)) for code, name, part, group, body, file_id in rows]


async def get_closure(session: AsyncSession, commune_id: int, report: str, year: int) -> ReportClosure | None:
    """When (and by whom) a period was closed, if it was."""
    return await session.scalar(
        select(ReportClosure).where(
            ReportClosure.commune_id == commune_id,
            ReportClosure.report_code == report,
            ReportClosure.report_year == year,
        )
    )


async def closed_periods(session: AsyncSession, commune_id: int) -> set[tuple[str, int]]:
    """(report, year) of every closed period of the commune."""
    query = select(ReportClosure.report_code, ReportClosure.report_year).where(ReportClosure.commune_id == commune_id)
    return {(code, year) for code, year in await session.execute(query)}


async def close_period(
    session: AsyncSession, commune_id: int, report: str, year: int, *, person_id: int, now: datetime
) -> None:
    """Close a period: its answers are final."""
    closure = ReportClosure(
        commune_id=commune_id, report_code=report, report_year=year, closed_by_id=person_id, closed_at=now
    )
    session.add(closure)
    await session.flush()


async def reopen_period(session: AsyncSession, commune_id: int, report: str, year: int) -> bool:
    """Open a closed period again; whether it was closed."""
    result = await session.execute(
        delete(ReportClosure).where(
            ReportClosure.commune_id == commune_id,
            ReportClosure.report_code == report,
            ReportClosure.report_year == year,
        )
    )
    return result.rowcount == 1
