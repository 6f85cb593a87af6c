"""Departments, kept in line with each commune's configuration; the one way other queries reach a department by
its code, always within one commune (two communes may both have a `vp`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, ScalarSelect, Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.people import Department


def active() -> ColumnElement[bool]:
    """The condition every department lookup carries."""
    return Department.active.is_(True)


def id_of(commune_id: int, code: str) -> ScalarSelect[int]:
    """The id of the commune's active department with this code, as a subquery other queries embed."""
    return (
        select(Department.id)
        .where(Department.commune_id == commune_id, Department.code == code, active())
        .scalar_subquery()
    )


def ids_of(commune_id: int, codes: Iterable[str]):
    """The ids of the commune's active departments with these codes, as a subquery."""
    return select(Department.id).where(Department.commune_id == commune_id, Department.code.in_(list(codes)), active())


def joined(query: Select, department_id: ColumnElement[int], *, retired_too: bool = False) -> Select:
    """`query` joined to the department a row belongs to, so it may select or filter `Department.code`: an
    active one, or (for records kept for the archive) one since removed from the configuration too. The row's
    own commune condition scopes the department too: a row can only point into its own commune."""
    on = Department.id == department_id
    return query.join(Department, on if retired_too else and_(on, active()))


async def sync_departments(session: AsyncSession, commune_id: int, departments: Iterable[tuple[str, str]]) -> None:
    """Make a commune's departments match its config: add, rename, and retire by code."""
    wanted = dict(departments)
    existing = {
        d.code: d for d in (await session.scalars(select(Department).where(Department.commune_id == commune_id))).all()
    }
    for code, name in wanted.items():
        if code in existing:
            existing[code].name, existing[code].active = name, True
        else:
            session.add(Department(commune_id=commune_id, code=code, name=name, active=True))
    for code, department in existing.items():
        if code not in wanted:
            department.active = False
    await session.flush()


async def list_departments(session: AsyncSession, commune_id: int) -> Sequence[Department]:
    """A commune's active departments, in the order they were configured."""
    query = select(Department).where(Department.commune_id == commune_id, active()).order_by(Department.id)
    return (await session.scalars(query)).all()
