"""The figures of a period, loaded from storage and computed by the core: what /chitieu, the leaders'
digest, the chart, the workbook and the drafted report all show, so they cannot disagree."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.core.periods import Period, year_period
from bot.core.reports import tracking_start
from bot.core.targets import Counts, TargetReport, compute_target_report
from bot.core.views import DepartmentTable
from storage import entries, settings, tasks


async def counting_since(session: AsyncSession, config: Config, today: date) -> date:
    """The day the bot began counting: the configured start, else the day its database was created."""
    stored = await settings.get_setting(session, settings.TRACKING_START)
    return tracking_start(config.reminders.start, date.fromisoformat(stored) if stored else None, today)


async def target_report(
    session: AsyncSession, config: Config, period: Period, department: str | None, today: date
) -> TargetReport:
    """The standing of the commune (department None) or one department over `period`, as of `today`."""
    plan = config.plan()
    counts = await entries.tally(session, period.start, period.end, department)
    task_counts = await tasks.tally_tasks(session, period.start, period.end, today, department)
    first = await entries.first_day(session, period.start, period.end)
    since = await counting_since(session, config, today)
    data_from = min(since, first) if first else since
    commune = department is None
    baseline = None
    if commune:
        own = None
        if period.year - 1 not in plan.baselines:
            last_year = year_period(period.year - 1)
            own = await entries.tally(session, last_year.start, last_year.end)
        baseline = plan.baseline_for(period.year, own)
    scope = config.commune.name if commune else config.department_names.get(department, department)
    return compute_target_report(
        counts,
        plan.targets,
        period=period,
        today=today,
        **({"baseline": baseline} if baseline else {}),
        scope=scope,
        data_from=data_from,
        tasks=task_counts,
        configured_baseline=plan.baselines.get(period.year) if commune and period == year_period(period.year) else None,
    )


async def department_table(session: AsyncSession, config: Config, period: Period) -> DepartmentTable:
    """Every configured department's counts over `period`, in one query."""
    counts = await entries.tally_by_department(session, period.start, period.end)
    return DepartmentTable(tuple((code, counts.get(code, Counts())) for code in config.department_codes))
