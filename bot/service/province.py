"""The province officer's side of /chitieu, /baocao and /xuat: every commune side by side, from the same code as
each commune's own answers. The commands' features call these when the asker belongs to no commune."""

from __future__ import annotations

import math

from bot.core.features.province import PAGE, ProvinceTable, ranked
from bot.core.features.targets import ShowTargets
from bot.core.messages import Option
from bot.core.outcomes import Question, Refused, Say
from bot.figures import commune_period, standings, totals
from bot.service.context import Context

__all__ = ["commune_period", "standings", "table", "totals"]


async def table(ctx: Context, command: ShowTargets) -> ProvinceTable | Question | Refused:
    """A page of the province table (who is behind first), with choices to turn the page."""
    found = await standings(ctx.session, ctx.deployment.communes, command.year, command.report, command.month,
                            ctx.today)  # fmt: skip
    if not found:
        return Refused.of("parse.future_period", value=str(command.year))
    rows = ranked(found)
    pages = math.ceil(len(rows) / PAGE)
    page = min(command.page, pages)
    first = (page - 1) * PAGE
    view = ProvinceTable(
        province=ctx.deployment.name,
        period=rows[0].report.period,
        as_of=rows[0].report.as_of,
        rows=tuple(rows[first : first + PAGE]),
        page=page,
        pages=pages,
        first=first + 1,
        totals=totals(found),
    )
    if pages == 1:
        return view
    named = " ".join(str(x) for x in (command.report, command.year) if x is not None)
    turns = [(page - 1, "option.previous_page"), (page + 1, "option.next_page")]
    options = tuple(
        Option(Say.of(key, page=n), " ".join(x for x in ("/chitieu", named, f"trang {n}") if x))
        for n, key in turns
        if 1 <= n <= pages
    )
    return Question("plain", options, {"text": view})
