"""/chitieu: the figures against the plan's targets, for the commune and for departments, over a period."""

from __future__ import annotations

from dataclasses import replace

from bot.core.features.targets import ShowTargets, parse_targets
from bot.core.outcomes import FileJob, Many, Refused, WithFile
from bot.core.permissions import EVERYONE, may_view, sees_every_department
from bot.core.registry import Command, Feature
from bot.figures import department_table, plan_facts, target_report
from bot.service import province
from bot.service.context import Context
from bot.service.files import begun_period


async def show_targets(ctx: Context, command: ShowTargets) -> object:
    """Where the commune (and the asker's departments) stand; for the province officer, every commune."""
    if ctx.commune is None:
        if command.commune is None:
            return await province.table(ctx, command)
        ctx = replace(ctx, commune=ctx.deployment.communes.by_code(command.commune))  # as its chairman sees it
    commune = ctx.here
    consolidating = commune.consolidating
    if command.department is not None:
        if not may_view(ctx.me, command.department, consolidating):
            return Refused.of("view.not_your_department", codes=", ".join(ctx.me.focal_departments))
        scopes: list[str | None] = [command.department]
    else:
        scopes = [None, *([] if ctx.me.is_commune_wide else ctx.me.focal_departments)]
    period = begun_period(ctx, command.year, command.report, command.month)
    if isinstance(period, Refused):
        return period
    views: list[object] = [await target_report(ctx.session, commune, period, s, ctx.today) for s in scopes]
    if command.department is None and sees_every_department(ctx.me, consolidating):
        views.append(await department_table(ctx.session, commune, period))
    facts = await plan_facts(ctx.session, commune, period, scopes[0], ctx.today)
    if not facts.empty:  # the plan's other obligations, once anything of them is recorded
        views.append(facts)
    reports = Many(tuple(views))
    if ctx.deployment.exports.charts and command.department is None:
        return WithFile(reports, FileJob("chart", period, commune_id=commune.id))  # the commune's figures, drawn
    return reports


FEATURE = Feature(
    "targets",
    order=30,
    commands=(Command("chitieu", parse_targets, show_targets, EVERYONE, writes=False, aliases=("baocaochitieu",)),),
)
