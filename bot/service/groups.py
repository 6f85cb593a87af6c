"""/lienket: binding a group chat to a department."""

from __future__ import annotations

from bot.core.commands.groups import LinkGroup
from bot.core.permissions import may_act_for, may_link
from bot.core.views import Refusal, Say
from bot.service.context import Request
from storage import chats


async def link_group(req: Request, command: LinkGroup) -> Say:
    incoming, code = req.incoming, command.department
    if not incoming.is_group:
        raise Refusal("link.private_chat")
    if not may_act_for(req.me, code):
        raise Refusal("link.not_your_department")
    current = await chats.get_group_department(req.session, incoming.channel, incoming.chat_id)
    if not may_link(req.me, code, current):
        raise Refusal("link.taken", department=req.settings.name(current))
    await chats.bind_group(
        req.session,
        channel=incoming.channel,
        chat_id=incoming.chat_id,
        department=code,
        by_id=req.me.person_id,
        now=req.now,
    )
    await req.audit("link", "group", incoming.chat_id, department=code, channel=incoming.channel)
    return Say.of("link.done", department=req.settings.name(code))


HANDLERS = {LinkGroup: link_group}
