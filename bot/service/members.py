"""Members: the list, and taking a member's roles away (in chat or from the CLI)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commune import Commune
from bot.core.features.members import ListMembers, MemberList, MemberRow, Revoke, parse_members, parse_revoke
from bot.core.grammar import Ask, Missing
from bot.core.messages import Option
from bot.core.outcomes import Refused, Say
from bot.core.permissions import ADMINS, MANAGERS, Grant, Role, may_revoke
from bot.core.registry import Command, Feature
from bot.service.access import role_view
from bot.service.context import Context
from storage import audit, people, web

MAX_OPTIONS = 12


async def member_list(session: AsyncSession, commune: Commune | None) -> MemberList:
    """Everyone with an active role in a commune (None: the province's officers)."""
    rows = []
    for person in await people.list_active_people(session, commune.id if commune else None):
        grants = (Grant(Role(m.role), m.department.code if m.department else None) for m in person.memberships)
        rows.append(MemberRow(person.id, person.full_name, tuple(role_view(g, commune) for g in grants)))
    return MemberList(tuple(rows))


async def revoke(
    session: AsyncSession, commune: Commune | None, person_id: int, *, actor_id: int | None, label: str, now: datetime
) -> Say | Refused:
    """Take every role from one of the commune's people; their chat accounts are then treated as unregistered."""
    commune_id = commune.id if commune else None
    person = await people.get_person(session, commune_id, person_id)
    if person is None or not await people.revoke_person(session, commune_id, person_id, by_id=actor_id, now=now):
        return Refused.of("revoke.not_found", person_id=person_id)
    await web.end_sessions(session, commune_id, person_id, now)  # their web pages close with the chat
    await audit.add_audit(
        session,
        commune_id,
        now=now,
        actor_id=actor_id,
        actor_label=label,
        action="revoke",
        entity="person",
        entity_id=person_id,
    )
    return Say.of("revoke.done", name=person.full_name, person_id=person_id)


async def list_members(ctx: Context, command: ListMembers) -> MemberList:
    return await member_list(ctx.session, ctx.here)


async def revoke_member(ctx: Context, command: Revoke) -> Say | Refused:
    if not may_revoke(ctx.me, command.person_id):
        return Refused.of("revoke.self")
    return await revoke(ctx.session, ctx.here, command.person_id, actor_id=ctx.me.person_id, label=ctx.me.name,
                        now=ctx.now)  # fmt: skip


async def member_options(ctx: Context, missing: Missing) -> list[Option]:
    """Active members other than the asker."""
    members = (await member_list(ctx.session, ctx.here)).members
    others = [m for m in members if may_revoke(ctx.me, m.person_id)][:MAX_OPTIONS]
    return [Option(f"{m.person_id}. {m.name}", missing.template.format(m.person_id)) for m in others]


FEATURE = Feature(
    "members",
    order=80,
    commands=(
        Command("thanhvien", parse_members, list_members, MANAGERS, writes=False, private=True),
        Command("thuhoi", parse_revoke, revoke_member, ADMINS, writes=True),
    ),
    asks={Ask.MEMBER: member_options},
)
