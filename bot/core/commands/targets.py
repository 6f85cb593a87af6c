"""/chitieu: where the commune, or one department, stands against the plan's targets."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.commands.registry import CommandSpec, ParseContext
from bot.core.commands.tokens import ParseError, Tokens, echo, fold, is_number
from bot.core.permissions import ANY_MEMBER


@dataclass(frozen=True)
class ShowTargets:
    year: int
    department: str | None


def parse_targets(tokens: Tokens, ctx: ParseContext) -> ShowTargets:
    year, department = ctx.today.year, None
    while tokens.raw:
        token = tokens.take()[0]
        code = fold(token).replace("-", "_")
        if is_number(token) and len(token) == 4:
            year = int(token)
            if not 2000 <= year <= ctx.today.year:
                raise ParseError("parse.bad_year", value=token)
        elif code in ctx.departments and department is None:
            department = code
        else:
            raise ParseError("parse.unknown_department", value=echo(token), codes=", ".join(ctx.departments))
    return ShowTargets(year, department)


COMMANDS = (CommandSpec("chitieu", parse_targets, ANY_MEMBER, writes=False, aliases=("baocaochitieu",)),)
