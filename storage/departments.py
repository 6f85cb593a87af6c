"""Departments, kept in line with the configuration; the one way other queries reach a department by code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, ScalarSelect, Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Department


def active() -> ColumnElement[bool]:
    """The condition every department lookup carries (and a commune scope will join)."""
    return Department.active.is_(True)


def id_of(code: str) -> ScalarSelect[int]:
    """The id of the active department with this code, as a subquery other queries embed."""
    return select(Department.id).where(Department.code == code, active()).scalar_subquery()


def ids_of(codes: Iterable[str]):
    """The ids of the active departments with these codes, as a subquery."""
    return select(Department.id).where(Department.code.in_(list(codes)), active())


def joined(query: Select, department_id: ColumnElement[int], *, retired_too: bool = False) -> Select:
    """`query` joined to the department a row belongs to, so it may select or filter `Department.code`: an
    active one, or (for records kept for the archive) one since removed from the configuration too."""
    on = Department.id == department_id
    return query.join(Department, on if retired_too else and_(on, active()))


async def sync_departments(session: AsyncSession, departments: Iterable[tuple[str, str]]) -> None:
    """Make the departments table match the config: add, rename, and retire by code."""
    wanted = dict(departments)
    existing = {d.code: d for d in (await session.scalars(select(Department))).all()}
    for code, name in wanted.items():
        if code in existing:
            existing[code].name, existing[code].active = name, True
        else:
            session.add(Department(code=code, name=name, active=True))
    for code, department in existing.items():
        if code not in wanted:
            department.active = False
    await session.flush()


async def list_departments(session: AsyncSession) -> Sequence[Department]:
    """Active departments, in the order they were configured."""
    return (await session.scalars(select(Department).where(active()).order_by(Department.id))).all()
