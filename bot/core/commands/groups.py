"""/lienket: binding a department's group chat, where its reminders then go too."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.commands.registry import CommandSpec, ParseContext
from bot.core.commands.tokens import Ask, Missing, ParseError, Tokens, echo
from bot.core.permissions import FOCAL_OR_ADMIN


@dataclass(frozen=True)
class LinkGroup:
    department: str


def parse_link(tokens: Tokens, ctx: ParseContext) -> LinkGroup:
    if not tokens.raw:
        raise Missing(Ask.DEPARTMENT, "/lienket {}")
    department = tokens.department(ctx.departments)
    if department is None:
        raise ParseError("parse.unknown_department", value=echo(tokens.raw[0]), codes=", ".join(ctx.departments))
    tokens.no_more()
    return LinkGroup(department)


COMMANDS = (CommandSpec("lienket", parse_link, FOCAL_OR_ADMIN, writes=True),)
