"""/thanhvien and /thuhoi: who is registered, and taking a member's roles away."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.commands.registry import CommandSpec, ParseContext
from bot.core.commands.tokens import Ask, Missing, Tokens, positive_int
from bot.core.permissions import ADMINS, MANAGERS


@dataclass(frozen=True)
class ListMembers:
    pass


@dataclass(frozen=True)
class Revoke:
    person_id: int


def parse_revoke(tokens: Tokens, ctx: ParseContext) -> Revoke:
    if not tokens.raw:
        raise Missing(Ask.MEMBER, "/thuhoi {}")
    person_id = positive_int(tokens.take()[0], "parse.bad_member_id")
    tokens.no_more()
    return Revoke(person_id)


COMMANDS = (
    CommandSpec("thanhvien", lambda tokens, ctx: ListMembers(), MANAGERS, writes=False),
    CommandSpec("thuhoi", parse_revoke, ADMINS, writes=True),
)
