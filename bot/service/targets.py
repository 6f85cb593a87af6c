"""/chitieu: the figures against the plan's targets, for the commune and for departments, over a period."""

from __future__ import annotations

from bot.core.commands.targets import ShowTargets
from bot.core.periods import Period, month_period, year_period
from bot.core.permissions import may_view
from bot.core.views import Many, Refusal
from bot.figures import target_report
from bot.service.context import Request


def period_of(req: Request, command: ShowTargets) -> Period:
    """The period a /chitieu asks about."""
    if command.report is not None:
        return req.settings.config.report(command.report).window(command.year)
    if command.month is not None:
        return month_period(command.year, command.month)
    return year_period(command.year)


async def show_targets(req: Request, command: ShowTargets) -> Many:
    consolidating = req.settings.consolidating
    if command.department is not None:
        if not may_view(req.me, command.department, consolidating):
            raise Refusal("view.not_your_department", codes=", ".join(req.me.focal_departments))
        scopes: list[str | None] = [command.department]
    else:
        scopes = [None, *([] if req.me.is_commune_wide else req.me.focal_departments)]
    period = period_of(req, command)
    if not period.has_begun(req.today):
        raise Refusal("parse.future_period", value=period.start.strftime("%d/%m/%Y"))
    config = req.settings.config
    return Many(tuple([await target_report(req.session, config, period, s, req.today) for s in scopes]))


HANDLERS = {ShowTargets: show_targets}
