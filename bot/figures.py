"""The figures of a period, loaded from storage and computed by the core: what /chitieu, the leaders' digest, the
chart, the workbook, the drafted report and the web page all show, so they cannot disagree. Every function takes
the commune it speaks of."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commune import Commune, Communes
from bot.core.features.province import CommuneStanding
from bot.core.features.targets import DepartmentTable
from bot.core.periods import Period, month_period, year_period
from bot.core.reports import tracking_start
from bot.core.targets import CapLine, Counts, TargetReport, compute_target_report
from storage import communes, entries, tasks


async def counting_since(session: AsyncSession, commune: Commune, today: date) -> date:
    """The day the bot began counting: the configured start, else the day it began keeping the commune."""
    stored = await communes.started_on(session, commune.id)
    return tracking_start(commune.reminders.start, stored, today)


async def target_report(
    session: AsyncSession, commune: Commune, period: Period, department: str | None, today: date
) -> TargetReport:
    """The standing of the commune (department None) or one of its departments over `period`, as of `today`."""
    plan = commune.plan
    counts = await entries.tally(session, commune.id, period.start, period.end, department)
    task_counts = await tasks.tally_tasks(session, commune.id, period.start, period.end, today, department)
    first = await entries.first_day(session, commune.id, period.start, period.end)
    since = await counting_since(session, commune, today)
    data_from = min(since, first) if first else since
    whole = department is None
    baseline = None
    if whole:
        own = None
        if period.year - 1 not in plan.baselines:
            last_year = year_period(period.year - 1)
            own = await entries.tally(session, commune.id, last_year.start, last_year.end)
        baseline = plan.baseline_for(period.year, own)
    scope = commune.name if whole else commune.department_name(department)
    return compute_target_report(
        counts,
        plan.targets,
        period=period,
        today=today,
        **({"baseline": baseline} if baseline else {}),
        scope=scope,
        data_from=data_from,
        tasks=task_counts,
        configured_baseline=plan.baselines.get(period.year) if whole and period == year_period(period.year) else None,
    )


async def department_table(session: AsyncSession, commune: Commune, period: Period) -> DepartmentTable:
    """Every configured department's counts over `period`, in one query."""
    counts = await entries.tally_by_department(session, commune.id, period.start, period.end)
    return DepartmentTable(tuple((code, counts.get(code, Counts())) for code in commune.codes))


def commune_period(commune: Commune, year: int, report: str | None, month: int | None) -> Period | None:
    """The period a province-wide command names, in one commune (None: that commune has no such report)."""
    if report is not None:
        kind = commune.report(report)
        return kind.window(year) if kind is not None else None
    return month_period(year, month) if month is not None else year_period(year)


async def standings(
    session: AsyncSession, communes: Communes, year: int, report: str | None, month: int | None, today: date
) -> list[CommuneStanding]:
    """Every commune's figures over the period the command names, in the configured order."""
    found = []
    for commune in communes:
        period = commune_period(commune, year, report, month)
        if period is not None and period.has_begun(today):
            report_of = await target_report(session, commune, period, None, today)
            found.append(CommuneStanding(commune.code, commune.name, report_of))
    return found


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
