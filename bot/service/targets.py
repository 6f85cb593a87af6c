"""/chitieu: the figures against the plan's targets, for the commune and for departments, over a period."""

from __future__ import annotations

from dataclasses import replace

from bot.core.features.targets import ShowTargets, parse_targets
from bot.core.features.targets_short import ShortTargets, is_empty
from bot.core.messages import Option
from bot.core.outcomes import FileJob, Many, Question, Refused, Say, WithFile
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
    every = command.department is None and sees_every_department(ctx.me, consolidating)
    if command.screen == "departments":
        if not every:
            return Refused.of("view.not_your_department", codes=", ".join(ctx.me.focal_departments))
        return await department_table(ctx.session, commune, period)
    views: list[object] = [await target_report(ctx.session, commune, period, s, ctx.today) for s in scopes]
    if command.screen == "short":
        return _first_screen(command, views, every)
    if every:
        views.append(await department_table(ctx.session, commune, period))
    facts = await plan_facts(ctx.session, commune, period, scopes[0], ctx.today)
    if not facts.empty:  # the plan's other obligations, once anything of them is recorded
        views.append(facts)
    reports = Many(tuple(views))
    if ctx.deployment.exports.charts and command.department is None:
        return WithFile(reports, FileJob("chart", period, commune_id=commune.id))  # the commune's figures, drawn
    return reports


def _args(command: ShowTargets) -> str:
    """The command's own arguments, for the commands its choices run."""
    words = [command.report, f"thang {command.month}" if command.month else None, str(command.year),
             command.department, command.commune]  # fmt: skip
    return " ".join(w for w in words if w)


def _first_screen(command: ShowTargets, views: list, every: bool) -> ShortTargets | Question:
    """Five lines a scope; an empty period in one line; the details and the departments behind a choice."""
    if is_empty(views[0]):
        return ShortTargets((views[0],))  # nothing recorded in the commune: nothing in any department either
    screen = ShortTargets(tuple(views))
    args = _args(command)
    options = [Option(Say.of("option.targets_detail"), f"/chitieu {args} chitiet")]
    if every:
        options.append(Option(Say.of("option.targets_departments"), f"/chitieu {args} theophong"))
    options.append(Option(Say.of("option.targets_tasks"), "/viec"))
    return Question("targets.screen", tuple(options), {"body": screen})


FEATURE = Feature(
    "targets",
    order=30,
    commands=(Command("chitieu", parse_targets, show_targets, EVERYONE, writes=False, aliases=("baocaochitieu",)),),
)
