"""The figures of a period, loaded from storage and computed by the core: what /chitieu, the leaders' digest, the
chart, the workbook, the drafted report and the web page all show, so they cannot disagree. Every function takes
the commune it speaks of.

Three days are kept apart: the plan's first day (every report period due from then on is tracked), the first day
reminders chase (never earlier), and the day the records begin (a fact of the data: the admin's `data_from` after
importing history, else the earliest live entry); until the records cover a period, its figures say so.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commune import Commune, Communes
from bot.core.features.feedback import FeedbackRow
from bot.core.features.officials import OfficialYear
from bot.core.features.plan_facts import PlanFacts
from bot.core.features.province import CommuneStanding
from bot.core.features.targets import DepartmentTable
from bot.core.periods import Period, month_period, year_period
from bot.core.permissions import Role
from bot.core.targets import CapLine, Counts, TargetReport, TaskCounts, compute_target_report
from storage import communes, entries, feedback, more_entries, officials, people, tasks


async def tracked_from(session: AsyncSession, commune: Commune) -> date:
    """The plan's first day: report periods due from then on are tracked, however late the bot came."""
    return commune.tracked_from(await communes.started_on(session, commune.id))


async def reminders_from(session: AsyncSession, commune: Commune) -> date:
    """The first due day reminders chase: `reminders.start`, else the day the bot began keeping the commune."""
    return commune.reminders_from(await communes.started_on(session, commune.id))


async def records_begin(session: AsyncSession, commune: Commune) -> date | None:
    """The day the commune's records are complete from: configured after an import, else its first live entry."""
    return commune.data_from or await entries.first_day(session, commune.id)


async def target_report(
    session: AsyncSession, commune: Commune, period: Period, department: str | None, today: date
) -> TargetReport:
    """The standing of the commune (department None) or one of its departments over `period`, as of `today`."""
    counts = await entries.tally(session, commune.id, period.start, period.end, department)
    task_counts = await tasks.tally_tasks(session, commune.id, period.start, period.end, today, department)
    own = None
    if (last_year := _own_baseline_year(commune, period)) is not None:
        own = await entries.tally(session, commune.id, last_year.start, last_year.end)
    data_from = await records_begin(session, commune)
    return _report(commune, period, department, today, counts, task_counts, own, data_from)


def _own_baseline_year(commune: Commune, period: Period) -> Period | None:
    """The year before `period`'s, when the plan records no baseline for it: the commune's own tally is the base."""
    return year_period(period.year - 1) if period.year - 1 not in commune.plan.baselines else None


def _report(
    commune: Commune,
    period: Period,
    department: str | None,
    today: date,
    counts: Counts,
    task_counts: TaskCounts,
    own: Counts | None,
    data_from: date | None,
) -> TargetReport:
    """The standing computed from what storage counted (one commune's queries, or the province's grouped ones)."""
    plan = commune.plan
    baseline = plan.baseline_for(period.year, own)
    whole = department is None
    recorded = plan.baselines.get(period.year) if whole and period == year_period(period.year) else None
    return compute_target_report(
        counts,
        plan.targets,
        period=period,
        today=today,
        **({"baseline": baseline} if whole else {}),
        scope=commune.name if whole else commune.department_name(department),
        data_from=data_from,
        tasks=task_counts,
        recorded=recorded,
        commune_caps=not whole and (baseline.meetings, baseline.documents) != (None, None),
    )


async def department_table(session: AsyncSession, commune: Commune, period: Period) -> DepartmentTable:
    """Every configured department's counts over `period`, in one query."""
    counts = await entries.tally_by_department(session, commune.id, period.start, period.end)
    return DepartmentTable(tuple((code, counts.get(code, Counts())) for code in commune.codes), commune.plan.targets)


def commune_period(commune: Commune, year: int, report: str | None, month: int | None) -> Period | None:
    """The period a province-wide command names, in one commune (None: that commune has no such report)."""
    if report is not None:
        kind = commune.report(report)
        return kind.window(year) if kind is not None else None
    return month_period(year, month) if month is not None else year_period(year)


async def standings(
    session: AsyncSession, communes: Communes, year: int, report: str | None, month: int | None, today: date
) -> list[CommuneStanding]:
    """Every commune's figures over the period the command names, in the configured order: each figure counted for
    all the communes at once, in queries grouped by commune (not a commune's queries times 38)."""
    begun = [
        (commune, period)
        for commune in communes
        if (period := commune_period(commune, year, report, month)) is not None and period.has_begun(today)
    ]
    periods = {commune.id: (period.start, period.end) for commune, period in begun}
    counts = await entries.tally_communes(session, periods)
    task_counts = await tasks.tally_tasks_communes(session, periods, today)
    last_years = {
        commune.id: (last_year.start, last_year.end)
        for commune, period in begun
        if (last_year := _own_baseline_year(commune, period)) is not None
    }
    own = await entries.tally_communes(session, last_years) if last_years else {}
    first = await entries.first_days(session, (commune.id for commune, _ in begun if commune.data_from is None))
    return [
        CommuneStanding(
            commune.code,
            commune.name,
            _report(
                commune,
                period,
                None,
                today,
                counts[commune.id],
                task_counts[commune.id],
                own.get(commune.id),
                commune.data_from or first.get(commune.id),
            ),
        )
        for commune, period in begun
    ]


def totals(rows: list[CommuneStanding]) -> tuple[tuple[str, int, int | None], ...]:
    """The province's counts, and its shares pooled from the communes' parts and wholes."""
    if not rows:
        return ()
    result = []
    for index, line in enumerate(rows[0].report.lines):
        lines = [row.report.lines[index] for row in rows]
        if isinstance(line, CapLine):
            result.append((line.target.key, sum(x.count for x in lines), None))
        else:
            result.append((line.target.key, sum(x.part for x in lines), sum(x.whole for x in lines)))
    return tuple(result)


async def official_results(session: AsyncSession, commune: Commune, year: int, today: date) -> tuple[OfficialYear, ...]:
    """Each active official's facts of a year (tasks naming them, updates, reports), by member number: what
    /ketqua, the workbook's "Cán bộ" sheet and the annual draft's annex show."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    facts = await officials.task_facts(session, commune.id, start, end, today)
    late: dict[int, tuple[int, int]] = {}
    for person, due, done in await officials.late_tasks(session, commune.id, start, end):
        count, days = late.get(person, (0, 0))
        late[person] = (count + 1, days + commune.calendar.working_days_after(due, done))
    since, until = (datetime(y, 1, 1, tzinfo=commune.tz) for y in (year, year + 1))
    updates = await officials.update_counts(session, commune.id, since, until)
    reports: dict[int, list[int]] = {}
    for person, code, day in await officials.submissions_by_person(session, commune.id, year):
        kind = commune.report(code)
        on_time = kind is None or day <= kind.due(year)
        reports.setdefault(person, [0, 0])[0 if on_time else 1] += 1
    rows = []
    for person in await people.list_active_people(session, commune.id):
        roles = {m.role for m in person.memberships}
        if roles <= {Role.FRONT}:
            continue  # the Mặt trận's people are not the commune's officials
        task = facts.get(person.id, officials.TaskFacts())
        late_count, late_days = late.get(person.id, (0, 0))
        on_time_reports, late_reports = reports.get(person.id, (0, 0))
        codes = tuple(sorted(m.department.code for m in person.memberships if m.department is not None))
        rows.append(
            OfficialYear(
                person.id,
                person.full_name,
                codes,
                task.led,
                task.on_time,
                late_count,
                late_days,
                task.overdue,
                updates.get(person.id, 0),
                on_time_reports,
                late_reports,
            )  # fmt: skip
        )
    return tuple(rows)


async def plan_facts(
    session: AsyncSession, commune: Commune, period: Period, department: str | None, today: date
) -> PlanFacts:
    """The plan's obligations beyond its five targets over `period`: what /chitieu adds, and the files too."""
    received = await feedback.tally_feedback(session, commune.id, period.start, period.end, today, department)
    resolved, incoming = await more_entries.tally_more(session, commune.id, period.start, period.end, department)
    begun = await records_begin(session, commune)
    partial = begun is not None and begun > period.start
    closed = period.is_over(today)
    return PlanFacts(received, resolved, incoming, commune.plan.targets, closed=closed, partial=partial)


async def feedback_rows(session: AsyncSession, commune: Commune, period: Period) -> tuple[FeedbackRow, ...]:
    """Every piece of feedback received in `period`, answered or not, as the workbook lists them."""
    found = await feedback.list_feedback(session, commune.id, open_only=False, start=period.start, end=period.end)
    return tuple(
        FeedbackRow(
            f.number,
            f.origin,
            f.channel,
            f.received_on,
            f.subject,
            f.body,
            f.due_on,
            commune.department_name(code) if code else None,
            f.answer,
            f.answered_on,
        )  # fmt: skip
        for f, code in sorted(found, key=lambda item: item[0].number)
    )
