"""The province officer's side of /chitieu, /baocao and /xuat: every commune side by side, from the same code as
each commune's own answers. The commands' features call these when the asker belongs to no commune."""

from __future__ import annotations

import math
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commune import Commune, Communes
from bot.core.features.province import PAGE, CommuneStanding, ProvinceTable, ranked
from bot.core.features.targets import ShowTargets
from bot.core.messages import Option
from bot.core.outcomes import Question, Refused, Say
from bot.core.periods import Period, month_period, year_period
from bot.core.targets import CapLine
from bot.figures import target_report
from bot.service.context import Context


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
