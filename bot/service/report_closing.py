"""What the consolidating department does with the departments' reports: close a period's answers (asked to
confirm) or open it again, and remind, once a day, the departments that have not answered."""

from __future__ import annotations

from bot.core.features.report_closing import (
    CloseReport,
    Nudged,
    NudgeReport,
    parse_close,
    parse_nudge,
    parse_reopen,
)
from bot.core.features.report_content import due_values
from bot.core.messages import Option
from bot.core.outcomes import Question, Refused, Say
from bot.core.permissions import MANAGERS
from bot.core.registry import Command, Feature
from bot.core.reports import REPORT_PARTS, ReportKind, open_years, parts_answered
from bot.core.texts import render
from bot.core.texts.format import format_date
from bot.figures import tracked_from
from bot.service.context import Context
from bot.service.report_content import writable_periods
from storage import chats, outbox, report_content
from storage.models.messaging import OutboxKind


async def _period_of(ctx: Context, report: str | None, year: int | None) -> tuple[ReportKind, int] | Refused:
    """The period a command of the consolidating department names: the given one, else the nearest open."""
    commune = ctx.here
    if report is not None:
        kind = commune.report(report)
        start = await tracked_from(ctx.session, commune)
        years = open_years(kind, (), start, ctx.today)
        return kind, year or min(years, key=lambda y: abs((kind.due(y) - ctx.today).days), default=ctx.today.year)
    everyone = {p for code in commune.codes for p in await writable_periods(ctx, code) if year in (None, p[1])}
    if not everyone:
        return Refused.of("nudge.none_open")
    return min(everyone, key=lambda p: abs((p[0].due(p[1]) - ctx.today).days))


async def _answered(ctx: Context, kind: ReportKind, year: int) -> dict[str, int]:
    rows = await report_content.list_answers(ctx.session, ctx.here.id, kind.code, year)
    return parts_answered((row.department, row.part, row.body) for row in rows)


async def close(ctx: Context, command: CloseReport) -> object:
    """Close a period's answers (asked to confirm), or open a closed one again."""
    found = await _period_of(ctx, command.report, command.year)
    if isinstance(found, Refused):
        return found
    kind, year = found
    commune, values = ctx.here, {"report": kind.name, "year": year, "code": kind.code}
    closure = await report_content.get_closure(ctx.session, commune.id, kind.code, year)
    if command.reopen:
        if not await report_content.reopen_period(ctx.session, commune.id, kind.code, year):
            return Refused.of("close.not_closed", **values)
        await ctx.audit("reopen", "report", f"{kind.code}:{year}")
        return Say.of("close.reopened", **values)
    if closure is not None:
        return Refused.of("close.already", day=format_date(closure.closed_at.astimezone(commune.tz).date()), **values)
    answered = await _answered(ctx, kind, year)
    owing = kind.owing(commune.codes)
    count = {"answered": sum(answered.get(code, 0) == len(REPORT_PARTS) for code in owing), "total": len(owing)}
    if not ctx.confirmed:
        options = (
            Option(Say.of("option.close", **values), f"/chotbaocao {kind.code} {year}", confirmed=True),
            Option(Say.of("option.keep_open"), ""),
        )
        return Question("close.confirm", options, {**values, **count})
    await report_content.close_period(ctx.session, commune.id, kind.code, year, person_id=ctx.me.person_id, now=ctx.now)
    await ctx.audit("close", "report", f"{kind.code}:{year}")
    return Say.of("close.done", **values, **count)


async def nudge(ctx: Context, command: NudgeReport) -> object:
    """Remind, once a day, each owing department that has not answered all three parts of a period."""
    found = await _period_of(ctx, command.report, command.year)
    if isinstance(found, Refused):
        return found
    kind, year = found
    commune = ctx.here
    answered = await _answered(ctx, kind, year)
    late = [code for code in kind.owing(commune.codes) if answered.get(code, 0) < len(REPORT_PARTS)]
    if not late:
        return Refused.of("nudge.nobody", report=kind.name, year=year)
    sent, already, unreachable = [], [], []
    for code in late:
        key = outbox.OutboxKey(
            OutboxKind.REPORT, outbox.report_subject(commune.id, kind.code, year, code), "nudge", ctx.today
        )
        if await outbox.outbox_has(ctx.session, key):
            already.append(ctx.department_name(code))
            continue
        message = Say.of(
            "nudge.text", department=ctx.department_name(code), report=kind.name, year=year, code=kind.code,
            **due_values(kind.due(year), ctx.today),
        )  # fmt: skip
        recipients = await chats.list_department_recipients(ctx.session, commune.id, [code])
        if not recipients:
            unreachable.append(ctx.department_name(code))
            continue
        await ctx.tell(key, recipients, render(message))
        sent.append(ctx.department_name(code))
    await ctx.audit("nudge", "report", f"{kind.code}:{year}", departments=late)
    return Nudged(kind.name, year, tuple(sent), tuple(already), tuple(unreachable))


FEATURE = Feature(
    "report_closing",
    order=42,
    commands=(
        Command("chotbaocao", parse_close, close, MANAGERS, writes=True, consolidating=True),
        Command("mobaocao", parse_reopen, close, MANAGERS, writes=True, consolidating=True),
        Command("nhacbaocao", parse_nudge, nudge, MANAGERS, writes=True, consolidating=True),
    ),
)
