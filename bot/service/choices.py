"""Questions asked with options: remembered in the database, answered once, by the person asked, in time."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.grammar import Ask, Missing, YearGuess
from bot.core.messages import Option
from bot.core.outcomes import Question, Refused, Say
from bot.core.permissions import Actor, may_act_for
from bot.core.replies import parse_choice_token
from bot.service.context import Context, Source
from storage import conversations

CHOICE_TTL = timedelta(hours=2)

OptionsFor = Callable[[Context, Missing], Awaitable[list[Option]]]


@dataclass(frozen=True)
class Picked:
    """An answer to a stored question: the option's command, run in the asker's name."""

    choice_id: int
    option: Option | None  # None: the question was answered before


async def department_options(ctx: Context, missing: Missing) -> list[Option]:
    """The departments of the commune the asker may act for."""
    codes = [code for code in ctx.here.codes if may_act_for(ctx.me, code)]
    return [Option(ctx.department_name(code), missing.template.format(code)) for code in codes]


async def ask(ctx: Context, missing: Missing, providers: Mapping[Ask, OptionsFor]) -> Question | Refused:
    """The question for a missing argument, with its options (or why there is nothing to pick)."""
    provider = department_options if missing.ask is Ask.DEPARTMENT else providers[missing.ask]
    options = await provider(ctx, missing)
    if not options:
        return Refused.of(f"ask.{missing.ask}_none", **missing.context)
    return Question(f"ask.{missing.ask}", tuple(options), dict(missing.context))


def confirm_year(guess: YearGuess, message: str) -> Question:
    """Asked when a date typed without its year lands in another year: that year's date, or typing again."""
    typed = re.compile(rf"(?<!\S){re.escape(guess.token)}(?!\S)")
    explicit = typed.sub(guess.day.strftime("%d/%m/%Y"), message, count=1)
    options = (Option(Say.of("option.yes_date", day=guess.day), explicit), Option(Say.of("option.no_retype"), ""))
    return Question(guess.key, options, {"day": guess.day})


async def remember(ctx: Context, options: tuple[Option, ...]) -> int:
    """Store a question's options for the sender in this chat; the id its answers carry."""
    return await conversations.add_choice(
        ctx.session,
        channel=ctx.source.channel,
        chat_id=ctx.source.chat_id,
        person_id=ctx.me.person_id,
        options=[{"label": o.label, "command": o.command, "confirmed": o.confirmed} for o in options],
        now=ctx.now,
        expires_at=ctx.now + CHOICE_TTL,
    )


async def _stale(session: AsyncSession, source: Source, actor: Actor, now: datetime) -> Say | None:
    """A number typed for a question that a later command withdrew: said so, rather than read as a new message."""
    latest = await conversations.latest_choice_since(
        session, source.channel, source.chat_id, actor.person_id, now - CHOICE_TTL
    )
    withdrawn = latest is not None and latest.consumed_at is None and latest.expires_at < latest.created_at + CHOICE_TTL
    return Say.of("choice.stale") if withdrawn else None


async def answer_of(
    session: AsyncSession, source: Source, typed: str, actor: Actor | None, now: datetime, question_open: bool = True
) -> Picked | Say | None:
    """If the message answers a question (a tapped button, or a bare number), the option picked.

    Say when the answer cannot count (expired, someone else's, already answered); None when the message is not
    an answer at all. `question_open` False: the chat is known to have no open question (a command withdraws none).
    """
    typed = typed.strip()
    token = parse_choice_token(typed)
    if token is not None:
        choice = await conversations.get_choice(session, token[0])
        number = token[1]
    elif typed.isascii() and typed.isdigit() and actor is not None and len(typed) <= 2:
        choice = await conversations.latest_open_choice(session, source.channel, source.chat_id, actor.person_id, now)
        if choice is None:
            return await _stale(session, source, actor, now)
        number = int(typed)
    else:
        if typed.startswith("/") and actor is not None and question_open:  # an earlier question no longer holds
            await conversations.withdraw_choices(session, source.channel, source.chat_id, actor.person_id, now)
        return None
    if choice is None or choice.channel != source.channel or choice.chat_id != source.chat_id:
        return Say.of("choice.expired")
    if actor is None or choice.person_id != actor.person_id:
        return Say.of("choice.not_yours")
    if choice.consumed_at is not None:
        return Picked(choice.id, None)  # answered before: the pipeline repeats that answer
    if choice.expires_at <= now:
        return Say.of("choice.expired")
    if not 1 <= number <= len(choice.options):
        return Say.of("choice.out_of_range", count=len(choice.options))
    if not await conversations.consume_choice(session, choice.id, now):
        return Picked(choice.id, None)
    picked = choice.options[number - 1]
    return Picked(choice.id, Option(picked["label"], picked["command"], picked.get("confirmed", False)))
