"""The communes a deployment serves, kept in line with the configuration, and the numbers their records get.

Communes are the one table every query can reach without a commune scope: it is the scope.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import ScalarSelect, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.people import Commune


async def sync_communes(
    session: AsyncSession, wanted: Sequence[tuple[str, str]], today: date, *, renamed_from_any: bool = False
) -> dict[str, int]:
    """Make the communes table hold every configured (code, name); the id of each code.

    With `renamed_from_any` (one commune, its code derived rather than configured), a database holding exactly
    one other commune is that commune under its new code: renamed, never duplicated."""
    existing = {c.code: c for c in (await session.scalars(select(Commune).order_by(Commune.id))).all()}
    if renamed_from_any and len(wanted) == 1 and len(existing) == 1 and wanted[0][0] not in existing:
        (only,) = existing.values()
        existing = {wanted[0][0]: only}
        only.code = wanted[0][0]
    for code, name in wanted:
        if code in existing:
            existing[code].name = name
        else:
            existing[code] = Commune(code=code, name=name, started_on=today, last_entry_number=0, last_task_number=0)
            session.add(existing[code])
    await session.flush()
    return {code: existing[code].id for code, _ in wanted}


async def started_on(session: AsyncSession, commune_id: int) -> date:
    """The day the bot began keeping this commune."""
    return await session.scalar(select(Commune.started_on).where(Commune.id == commune_id))


async def next_number(session: AsyncSession, commune_id: int, *, task: bool = False, count: int = 1) -> int:
    """The next #N of an entry (or V N of a task) in this commune, the last of `count` taken together; the counter
    row is locked until commit, so two writers never take one number."""
    column = Commune.last_task_number if task else Commune.last_entry_number
    return await session.scalar(
        update(Commune).where(Commune.id == commune_id).values({column: column + count}).returning(column)
    )


def next_number_of(commune_id: int) -> ScalarSelect[int]:
    """The next #N of an entry, as a subquery for the statement that stores it: the counter row is locked (FOR
    UPDATE, where the database can; SQLite writes one at a time) and a trigger moves it past the number stored."""
    return select(Commune.last_entry_number + 1).where(Commune.id == commune_id).with_for_update().scalar_subquery()


def sharing_periods(periods: Mapping[int, tuple[date, date]]) -> dict[tuple[date, date], list[int]]:
    """Communes (id → their (start, end)) by the period they share: a province-wide query groups the communes of
    each period in one statement, and a command that names a year or a month gives them all one."""
    shared: dict[tuple[date, date], list[int]] = {}
    for commune_id, period in periods.items():
        shared.setdefault(period, []).append(commune_id)
    return shared
