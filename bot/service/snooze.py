"""/hoanlai: one item of the last reminder is not said again in this chat for some days."""

from __future__ import annotations

from datetime import timedelta

from bot.core.bundle import item_of, label_of
from bot.core.features.snooze import OFFERED, Snooze, parse_snooze
from bot.core.messages import Option
from bot.core.notices import from_body
from bot.core.outcomes import Question, Refused, Say
from bot.core.permissions import ANY_MEMBER
from bot.core.registry import Command, Feature
from bot.core.texts.catalogue import text
from bot.core.texts.format import format_date, format_weekday
from bot.service.context import Context
from storage import snoozes


def _option(item: str, days: int) -> Option:
    label = text("option.snooze_week") if days == 7 else text("option.snooze_days", days=days)
    return Option(label, f"/hoanlai {item} {days}")


async def snooze(ctx: Context, command: Snooze) -> Question | Refused | Say:
    source = ctx.source
    bodies = await snoozes.last_bundle_bodies(ctx.session, source.channel, source.chat_id)
    notices = [from_body(body) for body in bodies]
    items = {item_of(n): label_of(n) for n in notices}
    if not items:
        return Refused.of("snooze.nothing")
    item = command.item
    if item is None and len(items) == 1:
        item = next(iter(items))
    if item is None:
        suffix = f" {command.days}" if command.days else ""
        options = tuple(Option(label, f"/hoanlai {key}{suffix}") for key, label in items.items())
        return Question("ask.snooze_item", options)
    if item not in items:
        return Refused.of("snooze.not_listed", item=item)
    if command.days is None:
        return Question("ask.snooze_days", tuple(_option(item, d) for d in OFFERED), {"item": items[item]})
    until = ctx.today + timedelta(days=command.days)
    await snoozes.add_snooze(
        ctx.session, ctx.here.id, channel=source.channel, chat_id=source.chat_id, person_id=ctx.me.person_id,
        item=item, until=until, now=ctx.now,
    )  # fmt: skip
    await ctx.audit("snooze", "reminder", item, until=until.isoformat(), chat=source.chat_id)
    return Say.of("snooze.done", item=items[item], weekday=format_weekday(until), until=format_date(until))


FEATURE = Feature(
    "snooze",
    order=75,
    commands=(Command("hoanlai", parse_snooze, snooze, ANY_MEMBER, writes=True, aliases=("nhaclai",)),),
)
