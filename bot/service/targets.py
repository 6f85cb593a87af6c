"""/chitieu: the figures against the plan's targets, for the commune and for departments, over a period."""

from __future__ import annotations

from bot.core.commands.targets import ShowTargets
from bot.core.permissions import may_view, sees_every_department
from bot.core.views import FileJob, Many, Refusal, WithFile
from bot.figures import department_table, target_report
from bot.service import exports
from bot.service.context import Request


async def show_targets(req: Request, command: ShowTargets) -> Many:
    consolidating = req.settings.consolidating
    if command.department is not None:
        if not may_view(req.me, command.department, consolidating):
            raise Refusal("view.not_your_department", codes=", ".join(req.me.focal_departments))
        scopes: list[str | None] = [command.department]
    else:
        scopes = [None, *([] if req.me.is_commune_wide else req.me.focal_departments)]
    period = exports.begun_period(req, command.year, command.report, command.month)
    config = req.settings.config
    views = [await target_report(req.session, config, period, s, req.today) for s in scopes]
    if command.department is None and sees_every_department(req.me, consolidating):
        views.append(await department_table(req.session, config, period))
    reports = Many(tuple(views))
    if config.exports.charts and command.department is None:
        return WithFile(reports, FileJob("chart", period))  # the commune's figures, drawn
    return reports


HANDLERS = {ShowTargets: show_targets}
