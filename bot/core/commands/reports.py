"""Periodic reports: /nopbaocao records a department's submission, /baocao shows who has submitted."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.commands.registry import CommandSpec, ParseContext
from bot.core.commands.tokens import ParseError, Tokens, compact, echo, is_number
from bot.core.permissions import ANY_MEMBER


@dataclass(frozen=True)
class AskReportPeriod:
    """`/nopbaocao` without a period: the open periods are offered."""

    department: str | None


@dataclass(frozen=True)
class Submit:
    department: str | None
    report: str
    year: int | None
    note: str


@dataclass(frozen=True)
class ShowReports:
    report: str | None
    year: int | None


def _report(tokens: Tokens, ctx: ParseContext, *, required: bool) -> str | None:
    report = tokens.alias({compact(code): code for code in ctx.reports})
    if report is not None:
        return report
    if required or tokens.raw and not is_number(tokens.raw[0]):
        raise ParseError("parse.unknown_report", value=echo(tokens.raw[0]), codes=", ".join(ctx.reports))
    return None


def parse_submit(tokens: Tokens, ctx: ParseContext) -> AskReportPeriod | Submit:
    department = tokens.department(ctx.departments)
    if not tokens.raw:
        return AskReportPeriod(department)
    report = _report(tokens, ctx, required=True)
    year = tokens.year(ctx.today)
    return Submit(department, report, year, tokens.summary())


def parse_reports(tokens: Tokens, ctx: ParseContext) -> ShowReports:
    report = _report(tokens, ctx, required=False)
    year = tokens.year(ctx.today)
    tokens.no_more()
    return ShowReports(report, year)


COMMANDS = (
    CommandSpec("nopbaocao", parse_submit, ANY_MEMBER, writes=True, aliases=("nop",)),
    CommandSpec("baocao", parse_reports, ANY_MEMBER, writes=False),
)
