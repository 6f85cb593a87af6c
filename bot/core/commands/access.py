"""Getting in and finding one's way: /start with an invite, /help, /toi."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.commands.registry import CommandSpec, ParseContext
from bot.core.commands.tokens import Ask, Missing, ParseError, Tokens, compact, echo
from bot.core.permissions import ANY_MEMBER

INVITE_CODE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class Start:
    code: str | None


@dataclass(frozen=True)
class Help:
    topic: str | None = None  # a command's name: its syntax and an example


@dataclass(frozen=True)
class WhoAmI:
    pass


@dataclass(frozen=True)
class NotifyVia:
    """`/kenh`: the app reminders go to (None: every app the person uses)."""

    channel: str | None


NOTIFY_CHANNELS = {"telegram": "telegram", "tele": "telegram", "zalo": "zalo", "cahai": None, "tatca": None}


def parse_start(tokens: Tokens, ctx: ParseContext) -> Start:
    code = tokens.rest().strip()
    if not code:
        return Start(None)
    if not INVITE_CODE.match(code):
        raise ParseError("parse.bad_code")
    return Start(code)


def parse_help(tokens: Tokens, ctx: ParseContext) -> Help:
    if not tokens.raw:
        return Help()
    topic = tokens.take()[0].removeprefix("/")
    tokens.no_more()
    return Help(echo(topic))


def parse_notify(tokens: Tokens, ctx: ParseContext) -> NotifyVia:
    if not tokens.raw:
        raise Missing(Ask.CHANNEL, "/kenh {}")
    key = compact(tokens.rest())
    if key not in NOTIFY_CHANNELS:
        raise ParseError("parse.unknown_app", value=echo(key))
    return NotifyVia(NOTIFY_CHANNELS[key])


COMMANDS = (
    CommandSpec("start", parse_start, ANY_MEMBER, writes=True, public=True),
    CommandSpec("help", parse_help, ANY_MEMBER, writes=False, aliases=("trogiup", "huongdan")),
    CommandSpec("toi", lambda tokens, ctx: WhoAmI(), ANY_MEMBER, writes=False),
    CommandSpec("kenh", parse_notify, ANY_MEMBER, writes=True, aliases=("kenhnhac",)),
)
