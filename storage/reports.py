"""Report submissions of a commune: who submitted which period, when, by whom."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage import departments
from storage.models.entries import Entry, ReportSubmission
from storage.models.people import Department


async def list_submissions(
    session: AsyncSession, commune_id: int, report: str, year: int, department: str | None = None
) -> Sequence[ReportSubmission]:
    """Live submissions of one period (by one department, if named), with department and person."""
    query = select(ReportSubmission).where(
        ReportSubmission.commune_id == commune_id,
        ReportSubmission.report_code == report,
        ReportSubmission.report_year == year,
        ReportSubmission.cancelled_at.is_(None),
    )
    if department is not None:
        query = query.where(ReportSubmission.department_id == departments.id_of(commune_id, department))
    return (await session.scalars(query.options(selectinload(Entry.department), selectinload(Entry.person)))).all()


async def submitted_years(session: AsyncSession, commune_id: int, department: str, report: str) -> set[int]:
    """The years of a report kind a department has a live submission for."""
    rows = await session.scalars(
        select(ReportSubmission.report_year).where(
            ReportSubmission.commune_id == commune_id,
            ReportSubmission.department_id == departments.id_of(commune_id, department),
            ReportSubmission.report_code == report,
            ReportSubmission.cancelled_at.is_(None),
        )
    )
    return set(rows.all())


async def list_all_submissions(session: AsyncSession, commune_id: int) -> dict[tuple[str, int, str], date]:
    """(report, year, department code) of every live submission of the commune, and the day it came: what the
    reminder planner reads."""
    query = select(
        ReportSubmission.report_code, ReportSubmission.report_year, Department.code, ReportSubmission.occurred_on
    ).where(ReportSubmission.commune_id == commune_id, ReportSubmission.cancelled_at.is_(None))
    rows = await session.execute(departments.joined(query, ReportSubmission.department_id))
    return {(report, year, code): day for report, year, code, day in rows}
