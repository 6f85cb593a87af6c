"""/chitieu: the figures against the plan's targets, for the commune and for departments."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commands.targets import ShowTargets
from bot.core.permissions import may_view
from bot.core.targets import TargetReport
from bot.core.views import Many, Refusal
from bot.service.context import Request, Settings
from storage import entries, tasks


async def target_report(
    session: AsyncSession, settings: Settings, year: int, department: str | None, today: date
) -> TargetReport:
    """The standing of the commune (department None) or one department in `year`, as of `today`."""
    counts = await entries.tally_year(session, year, department)
    task_counts = await tasks.tally_tasks(session, year, today, department)
    scope = settings.config.commune.name if department is None else settings.name(department)
    return settings.plan.report(counts, task_counts, year=year, today=today, scope=scope, commune=department is None)


async def show_targets(req: Request, command: ShowTargets) -> Many:
    if command.department is not None:
        if not may_view(req.me, command.department):
            raise Refusal("entry.not_your_department", codes=", ".join(req.me.focal_departments))
        scopes: list[str | None] = [command.department]
    else:
        scopes = [None, *([] if req.me.is_commune_wide else req.me.focal_departments)]
    return Many(tuple([await target_report(req.session, req.settings, command.year, s, req.today) for s in scopes]))


HANDLERS = {ShowTargets: show_targets}
