"""Questions asked with options: remembered in the database, answered once, by the person asked, in time."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.core.commands.tokens import Ask, Missing, YearGuess
from bot.core.messages import Incoming, Option
from bot.core.permissions import may_act_for
from bot.core.replies import parse_choice_token
from bot.core.views import Question, Refusal, Say
from bot.service.context import Request
from storage import conversations

CHOICE_TTL = timedelta(hours=2)

OptionsFor = Callable[[Request, Missing], Awaitable[list[Option]]]


@dataclass(frozen=True)
class Picked:
    """An answer to a stored question: the option's command, run in the asker's name."""

    choice_id: int
    option: Option | None  # None: the question was answered before


async def department_options(req: Request, missing: Missing) -> list[Option]:
    """The departments the asker may act for."""
    codes = [code for code in req.settings.codes if may_act_for(req.me, code)]
    return [Option(req.settings.name(code), missing.template.format(code)) for code in codes]


async def ask(req: Request, missing: Missing, providers: dict[Ask, OptionsFor]) -> Question | Say:
    """The question for a missing argument, with its options (or why there is nothing to pick)."""
    options = await providers[missing.ask](req, missing)
    if not options:
        raise Refusal(f"ask.{missing.ask}_none", **missing.context)
    return Question(f"ask.{missing.ask}", tuple(options), dict(missing.context))


def confirm_year(guess: YearGuess, message: str) -> Question:
    """Asked when a date typed without its year lands in another year: that year's date, or typing again."""
    typed = re.compile(rf"(?<!\S){re.escape(guess.token)}(?!\S)")
    explicit = typed.sub(guess.day.strftime("%d/%m/%Y"), message, count=1)
    options = (Option(Say.of("option.yes_date", day=guess.day), explicit), Option(Say.of("option.no_retype"), ""))
    return Question(guess.key, options, {"day": guess.day})


async def remember(req: Request, options: tuple[Option, ...]) -> int:
    """Store a question's options for the sender in this chat; the id its answers carry."""
    return await conversations.add_choice(
        req.session,
        channel=req.incoming.channel,
        chat_id=req.incoming.chat_id,
        person_id=req.me.person_id,
        options=[{"label": o.label, "command": o.command, "confirmed": o.confirmed} for o in options],
        now=req.now,
        expires_at=req.now + CHOICE_TTL,
    )


async def answer_of(req: Request) -> Picked | Say | None:
    """If the message answers a question (a tapped button, or a bare number), the option picked.

    Say when the answer cannot count (expired, someone else's, already answered); None when the
    message is not an answer at all.
    """
    incoming: Incoming = req.incoming
    text = incoming.text.strip()
    token = parse_choice_token(text)
    if token is not None:
        choice = await conversations.get_choice(req.session, token[0])
        number = token[1]
    elif text.isascii() and text.isdigit() and req.actor is not None and len(text) <= 2:
        choice = await conversations.latest_open_choice(
            req.session, incoming.channel, incoming.chat_id, req.actor.person_id, req.now
        )
        if choice is None:
            return None
        number = int(text)
    else:
        return None
    if choice is None or choice.channel != incoming.channel or choice.chat_id != incoming.chat_id:
        return Say.of("choice.expired")
    if req.actor is None or choice.person_id != req.actor.person_id:
        return Say.of("choice.not_yours")
    if choice.consumed_at is not None:
        return Picked(choice.id, None)  # answered before: the pipeline repeats that answer
    if choice.expires_at <= req.now:
        return Say.of("choice.expired")
    if not 1 <= number <= len(choice.options):
        return Say.of("choice.out_of_range", count=len(choice.options))
    if not await conversations.consume_choice(req.session, choice.id, req.now):
        return Picked(choice.id, None)
    picked = choice.options[number - 1]
    return Picked(choice.id, Option(picked["label"], picked["command"], picked.get("confirmed", False)))
