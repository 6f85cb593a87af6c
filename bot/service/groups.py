"""/lienket: binding a group chat to a department."""

from __future__ import annotations

from bot.core.features.groups import LinkGroup, parse_link
from bot.core.outcomes import Refused, Say
from bot.core.permissions import FOCAL_OR_ADMIN, may_act_for, may_link
from bot.core.registry import Command, Feature
from bot.service.context import Context
from storage import chats


async def link_group(ctx: Context, command: LinkGroup) -> Say | Refused:
    source, code, commune = ctx.source, command.department, ctx.here
    if not source.is_group:
        return Refused.of("link.private_chat")
    if not may_act_for(ctx.me, code):
        return Refused.of("link.not_your_department")
    bound = await chats.get_group(ctx.session, source.channel, source.chat_id)
    if bound is not None and bound.commune_id != commune.id:
        return Refused.of("link.other_commune")
    current = bound.department if bound is not None else None
    if not may_link(ctx.me, code, current):
        return Refused.of("link.taken", department=ctx.department_name(current))
    await chats.bind_group(
        ctx.session,
        commune.id,
        channel=source.channel,
        chat_id=source.chat_id,
        department=code,
        by_id=ctx.me.person_id,
        now=ctx.now,
    )
    await ctx.audit("link", "group", source.chat_id, department=code)
    return Say.of("link.done", department=ctx.department_name(code))


FEATURE = Feature(
    "groups", order=70, commands=(Command("lienket", parse_link, link_group, FOCAL_OR_ADMIN, writes=True),)
)
