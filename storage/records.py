"""The rows behind a period's figures, one per record and cancelled ones included, as plain data for the
exports to list (the counts themselves are aggregated in SQL by `entries.tally` and `tasks.tally_tasks`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from storage import departments
from storage.models.entries import Entry
from storage.models.people import Department, Person
from storage.models.tasks import Task
from storage.tasks import is_open


@dataclass(frozen=True)
class MeetingRecord:
    """One meeting as logged."""

    id: int
    occurred_on: date
    department: str
    department_name: str
    person: str
    online: bool
    summary: str
    source_channel: str
    cancelled_on: date | None
    logged_at: datetime | None = None  # when it was logged


@dataclass(frozen=True)
class DocumentRecord:
    """One issued document as logged: electronic, paper or secret (a secret one has no number nor abstract)."""

    id: int
    occurred_on: date
    department: str
    department_name: str
    person: str
    document_kind: str
    number: str | None
    summary: str
    source_channel: str
    cancelled_on: date | None
    logged_at: datetime | None = None  # when it was logged


@dataclass(frozen=True)
class DossierRecord:
    """One day's tally of administrative-procedure dossiers."""

    id: int
    occurred_on: date
    department: str
    department_name: str
    person: str
    online: int
    paper: int
    source_channel: str
    cancelled_on: date | None
    logged_at: datetime | None = None  # when it was logged


@dataclass(frozen=True)
class TaskRecord:
    """One task: its lead department, deadline, progress and how it ended."""

    id: int
    department: str
    department_name: str
    title: str
    due_on: date
    progress: int
    completed_on: date | None
    cancelled_on: date | None


@dataclass(frozen=True)
class SubmissionRecord:
    """One department's report for one period, with the note it came with."""

    id: int
    report_code: str
    report_year: int
    department: str
    department_name: str
    person: str
    submitted_on: date
    note: str
    with_file: bool
    cancelled_on: date | None
    logged_at: datetime | None = None  # when it was logged


@dataclass(frozen=True)
class PeriodRecords:
    """Every record a period's figures rest on."""

    meetings: tuple[MeetingRecord, ...]
    documents: tuple[DocumentRecord, ...]
    dossiers: tuple[DossierRecord, ...]
    tasks: tuple[TaskRecord, ...]
    submissions: tuple[SubmissionRecord, ...]


def _day(instant: datetime | None, tz: tzinfo) -> date | None:
    return None if instant is None else instant.astimezone(tz).date()


async def _entries(session: AsyncSession, commune_id: int, kind: str, condition, *columns):
    """Entries of one kind meeting `condition`, with their department and person, by date then number.

    The department is reached by id, retired or not: a retired department's records still count in the commune's
    figures, and the listing must add up to them."""
    query = departments.joined(
        select(Entry.number, Department.code, Department.name, Person.full_name, Entry.cancelled_at, *columns),
        Entry.department_id,
        retired_too=True,
    )
    query = query.join(Person, Person.id == Entry.person_id)
    query = query.where(Entry.commune_id == commune_id, Entry.kind == kind, condition)
    query = query.order_by(Entry.occurred_on, Entry.id)
    return (await session.execute(query)).all()


async def period_records(
    session: AsyncSession,
    commune_id: int,
    start: date,
    end: date,
    *,
    report_periods: Collection[tuple[str, int]],
    tz: tzinfo,
) -> PeriodRecords:
    """Meetings, documents and tallies dated within [start, end], tasks due then or still open, and the
    submissions of the given (report code, year) periods; cancelled ones too, each with its commune date (`tz`)."""
    dated = Entry.occurred_on.between(start, end)
    meetings = [
        MeetingRecord(id_, day, code, name, person, bool(online), summary, channel, _day(cancelled, tz), logged)
        for id_, code, name, person, cancelled, day, online, summary, channel, logged in await _entries(
            session,
            commune_id,
            "meeting",
            dated,
            Entry.occurred_on,
            Entry.meeting_online,
            Entry.summary,
            Entry.source_channel,
            Entry.created_at,
        )
    ]
    documents = [
        DocumentRecord(id_, day, code, name, person, kind, number, summary, channel, _day(cancelled, tz), logged)
        for id_, code, name, person, cancelled, day, kind, number, summary, channel, logged in await _entries(
            session,
            commune_id,
            "document",
            dated,
            Entry.occurred_on,
            Entry.document_kind,
            Entry.document_number,
            Entry.summary,
            Entry.source_channel,
            Entry.created_at,
        )
    ]
    dossiers = [
        DossierRecord(id_, day, code, name, person, online or 0, paper or 0, channel, _day(cancelled, tz), logged)
        for id_, code, name, person, cancelled, day, online, paper, channel, logged in await _entries(
            session,
            commune_id,
            "dossiers",
            dated,
            Entry.occurred_on,
            Entry.dossiers_online,
            Entry.dossiers_paper,
            Entry.source_channel,
            Entry.created_at,
        )
    ]
    submissions = []
    if report_periods:
        periods = tuple_(Entry.report_code, Entry.report_year).in_(list(report_periods))
        submissions = [
            SubmissionRecord(
                id_, report, year, code, name, person, day, note, bool(file_id), _day(cancelled, tz), logged
            )
            for id_, code, name, person, cancelled, report, year, day, note, file_id, logged in await _entries(
                session,
                commune_id,
                "report",
                periods,
                Entry.report_code,
                Entry.report_year,
                Entry.occurred_on,
                Entry.summary,
                Entry.file_id,
                Entry.created_at,
            )
        ]
    return PeriodRecords(
        tuple(meetings),
        tuple(documents),
        tuple(dossiers),
        await _tasks(session, commune_id, start, end, tz),
        tuple(submissions),
    )


async def _tasks(session: AsyncSession, commune_id: int, start: date, end: date, tz: tzinfo) -> tuple[TaskRecord, ...]:
    """Tasks due within [start, end] (cancelled ones too) and every task still open, by deadline."""
    query = departments.joined(
        select(
            Task.number,
            Department.code,
            Department.name,
            Task.title,
            Task.due_on,
            Task.progress,
            Task.completed_on,
            Task.cancelled_at,
        ),
        Task.department_id,
        retired_too=True,
    )
    query = query.where(Task.commune_id == commune_id, or_(Task.due_on.between(start, end), is_open()))
    query = query.order_by(Task.due_on, Task.id)
    rows = await session.execute(query)
    return tuple(TaskRecord(*row[:7], _day(row[7], tz)) for row in rows)
