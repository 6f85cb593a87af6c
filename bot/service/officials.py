"""/ketqua: each official's year for the yearly evaluation; the leader, the admin and the consolidating
department's people see every official of the commune, a focal person the officials of their own department."""

from __future__ import annotations

from bot.core.features.officials import OfficialResults, ShowResults, parse_results
from bot.core.permissions import ANY_MEMBER, sees_every_department
from bot.core.registry import Command, Feature
from bot.core.texts.catalogue import text
from bot.figures import official_results
from bot.service.context import Context


async def show_results(ctx: Context, command: ShowResults) -> OfficialResults:
    """The officials the asker may see, sorted as asked; facts only."""
    rows = await official_results(ctx.session, ctx.here, command.year, ctx.today)
    if sees_every_department(ctx.me, ctx.here.consolidating):
        scope = text("officials.scope_all")
    else:
        mine = set(ctx.me.focal_departments)
        rows = tuple(r for r in rows if r.person_id == ctx.me.person_id or mine & set(r.departments))
        scope = text("officials.scope_mine")
    rows = tuple(sorted(rows, key=lambda row: row.key(command.sort)))
    as_of = min(ctx.today, ctx.today.replace(year=command.year, month=12, day=31))
    return OfficialResults(command.year, as_of, scope, rows)


FEATURE = Feature(
    "officials",
    order=65,
    commands=(
        Command(
            "ketqua", parse_results, show_results, ANY_MEMBER, writes=False, private=True, aliases=("ketquacanbo",)
        ),
    ),
)
