"""Members: the list, and taking a member's roles away (in chat or from the CLI)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commune import Commune
from bot.core.features.access import describe_role
from bot.core.features.members import (
    ListMembers,
    MemberList,
    MemberRow,
    Restore,
    Revoke,
    parse_members,
    parse_restore,
    parse_revoke,
)
from bot.core.grammar import Ask, Missing
from bot.core.messages import Option
from bot.core.outcomes import Question, Refused, Say
from bot.core.permissions import ADMINS, MANAGERS, Grant, Role, may_revoke
from bot.core.registry import Command, Feature
from bot.service.access import role_view
from bot.service.context import Context
from storage import audit, people, web

MAX_OPTIONS = 12
GUARDED = {Role.LEADER: "lanhdao", Role.ADMIN: "quantri"}  # a commune always keeps one of each: the invite to send


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
    if person is not None and commune is not None and (last := await _last_of_role(session, commune, person_id)):
        role, invite = last
        return Refused.of("revoke.last_role", name=person.full_name, role=role, invite=invite)
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


async def _last_of_role(session: AsyncSession, commune: Commune, person_id: int) -> tuple[str, str] | None:
    """(role, invite word) when this person is the commune's last active leader or admin."""
    members = (await member_list(session, commune)).members
    held = {r.role for m in members if m.person_id == person_id for r in m.roles}
    for role, invite in GUARDED.items():
        if role in held and not any(r.role is role for m in members if m.person_id != person_id for r in m.roles):
            return describe_role(role_view(Grant(role, None), commune)), invite
    return None


def _roles(member: MemberRow) -> str:
    return ", ".join(describe_role(r) for r in member.roles)


async def list_members(ctx: Context, command: ListMembers) -> MemberList:
    return await member_list(ctx.session, ctx.here)


async def revoke_member(ctx: Context, command: Revoke) -> Say | Refused | Question:
    if not may_revoke(ctx.me, command.person_id):
        return Refused.of("revoke.self")
    if not ctx.confirmed:  # one digit must not lock someone out: the person and their roles are named first
        members = {m.person_id: m for m in (await member_list(ctx.session, ctx.here)).members}
        member = members.get(command.person_id)
        if member is None:
            return Refused.of("revoke.not_found", person_id=command.person_id)
        if last := await _last_of_role(ctx.session, ctx.here, member.person_id):
            return Refused.of("revoke.last_role", name=member.name, role=last[0], invite=last[1])
        options = (
            Option(Say.of("option.revoke", name=member.name), f"/thuhoi {member.person_id}", confirmed=True),
            Option(Say.of("option.dont"), ""),
        )
        return Question("confirm.revoke", options, {"name": member.name, "roles": _roles(member)})
    return await revoke(ctx.session, ctx.here, command.person_id, actor_id=ctx.me.person_id, label=ctx.me.name,
                        now=ctx.now)  # fmt: skip


async def member_options(ctx: Context, missing: Missing) -> list[Option]:
    """Active members other than the asker."""
    members = (await member_list(ctx.session, ctx.here)).members
    others = [m for m in members if may_revoke(ctx.me, m.person_id)][:MAX_OPTIONS]
    return [Option(f"{m.name} – {_roles(m)}", missing.template.format(m.person_id)) for m in others]


async def restore_member(ctx: Context, command: Restore) -> Say | Refused | Question:
    """An admin gives back the roles taken at a person's last revocation."""
    revoked = await people.list_revoked_people(ctx.session, ctx.here.id)
    if command.person_id is None:
        if not revoked:
            return Refused.of("restore.none")
        options = tuple(Option(p.full_name, f"/khoiphuc {p.id}") for p in revoked[:MAX_OPTIONS])
        return Question("ask.restore", options)
    person = next((p for p in revoked if p.id == command.person_id), None)
    if person is None or not await people.restore_person(ctx.session, ctx.here.id, person.id):
        return Refused.of("restore.not_found", person_id=command.person_id)
    await ctx.audit("restore", "person", person.id)
    restored = (await member_list(ctx.session, ctx.here)).members
    member = next(m for m in restored if m.person_id == person.id)
    return Say.of("restore.done", name=person.full_name, roles=_roles(member))


FEATURE = Feature(
    "members",
    order=80,
    commands=(
        Command("thanhvien", parse_members, list_members, MANAGERS, writes=False, private=True),
        Command("thuhoi", parse_revoke, revoke_member, ADMINS, writes=True),
        Command("khoiphuc", parse_restore, restore_member, ADMINS, writes=True),
    ),
    asks={Ask.MEMBER: member_options},
)
