"""/moi: an admin makes a one-time invite in a private chat, as `python -m bot invite` does."""

from __future__ import annotations

from bot.core.features.invites import ROLE_WORD, Invite, InviteMade, parse_invite
from bot.core.messages import Option
from bot.core.outcomes import Question, Refused, Say
from bot.core.permissions import ADMINS, Grant, Role
from bot.core.registry import Command, Feature
from bot.service.access import create_invite, role_view
from bot.service.context import Context


async def invite(ctx: Context, command: Invite) -> InviteMade | Question | Refused:
    if command.role is None:
        options = tuple(
            Option(Say.of(f"option.role_{role}"), f"/moi {ROLE_WORD[role]}")
            for role in (Role.FOCAL, Role.LEADER, Role.ADMIN)
        )
        return Question("ask.invite_role", options)
    made = await create_invite(
        ctx.session, ctx.here, command.role, command.department, created_by=f"chat:{ctx.me.person_id}",
        ttl_hours=ctx.deployment.invites.ttl_hours, now=ctx.now,
    )  # fmt: skip
    await ctx.audit("invite", "invite", command.role, department=command.department)
    view = role_view(Grant(command.role, command.department), ctx.here)
    bot_name = ctx.source.bot_name if ctx.source.channel == "telegram" else None
    return InviteMade(view, made.code, made.expires_at.astimezone(ctx.here.tz), bot_name)


FEATURE = Feature(
    "invites",
    order=79,
    commands=(Command("moi", parse_invite, invite, ADMINS, writes=True, private=True, aliases=("moithanhvien",)),),
)
