"""The tallies in SQL of dossiers resolved and documents received, and their rows for the workbook."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.features.plan_facts import IncomingCounts, ResolvedCounts
from storage import departments, entry_days
from storage.models.entries import Entry
from storage.models.people import Department, Person

RESOLVED = ("resolved_online", "resolved_paper", "resolved_late")
INCOMING = ("incoming_electronic", "incoming_paper", "incoming_secret")


async def tally_more(
    session: AsyncSession, commune_id: int, start: date, end: date, department: str | None = None
) -> tuple[ResolvedCounts, IncomingCounts]:
    """Dossiers resolved and documents received within [start, end], live ones, in one query over the per-day
    summary."""
    query = select(*entry_days.sums(*RESOLVED, *INCOMING)).where(*entry_days.within(commune_id, start, end, department))
    row = [int(value) for value in (await session.execute(query)).one()]
    return ResolvedCounts(*row[:3]), IncomingCounts(*row[3:])


async def list_more(session: AsyncSession, commune_id: int, kind: str, start: date, end: date) -> list[tuple]:
    """Every entry of one kind (resolved | incoming) dated within [start, end], cancelled ones too: (number, day,
    department code, department name, person, entry) by day then number."""
    query = (
        select(Entry.number, Entry.occurred_on, Department.code, Department.name, Person.full_name, Entry)
        .join(Person, Person.id == Entry.person_id)
        .where(Entry.commune_id == commune_id, Entry.kind == kind, Entry.occurred_on.between(start, end))
        .order_by(Entry.occurred_on, Entry.number)
    )
    return [
        tuple(row) for row in await session.execute(departments.joined(query, Entry.department_id, retired_too=True))
    ]
