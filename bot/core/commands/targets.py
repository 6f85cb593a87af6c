"""/chitieu: where the commune, or one department, stands against the plan's targets, over a period."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.commands.registry import CommandSpec, ParseContext
from bot.core.commands.tokens import (
    ParseError,
    Tokens,
    checked_year,
    compact,
    department_code,
    echo,
    is_number,
    looks_like_year,
)
from bot.core.permissions import ANY_MEMBER

MONTH_WORDS = frozenset({"thang", "t"})


@dataclass(frozen=True)
class ShowTargets:
    year: int
    department: str | None
    report: str | None = None  # a report's data window instead of the calendar year
    month: int | None = None


def _month(token: str | None) -> int:
    if token is None or not is_number(token) or not 1 <= int(token) <= 12:
        raise ParseError("parse.bad_month", value=echo(token or ""))
    return int(token)


def parse_targets(tokens: Tokens, ctx: ParseContext) -> ShowTargets:
    year = report = month = department = None
    reports = {compact(code): code for code in ctx.reports}
    while tokens.raw:
        token = tokens.take()[0]
        key = compact(token)
        if looks_like_year(token) and year is None:
            year = checked_year(token, ctx.today)
        elif key in reports and report is None and month is None:
            report = reports[key]
        elif key in MONTH_WORDS and month is None and report is None:
            month = _month(tokens.take()[0] if tokens.raw else None)
        elif key.startswith("thang") and key[5:].isdigit() and month is None and report is None:
            month = _month(key[5:])
        elif department is None and (code := department_code(token)) in ctx.departments:
            department = code
        else:
            raise ParseError("parse.unknown_department", value=echo(token), codes=", ".join(ctx.departments))
    year = year or ctx.today.year
    if report is None and year > ctx.today.year or month is not None and (year, month) > ctx.today.timetuple()[:2]:
        raise ParseError("parse.future_period", value=f"{month:02d}/{year}" if month else str(year))
    return ShowTargets(year, department, report, month)


COMMANDS = (CommandSpec("chitieu", parse_targets, ANY_MEMBER, writes=False, aliases=("baocaochitieu",)),)
