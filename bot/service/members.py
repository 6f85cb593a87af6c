"""Members: the list, and taking a member's roles away (in chat or from the CLI)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commands.members import ListMembers, Revoke
from bot.core.commands.tokens import Ask, Missing
from bot.core.messages import Option
from bot.core.permissions import may_revoke
from bot.core.views import MemberList, MemberRow, Refusal, Say
from bot.service.access import grant_of, role_view
from bot.service.context import Request, Settings
from storage import audit, people

MAX_OPTIONS = 12


async def member_list(session: AsyncSession, settings: Settings) -> MemberList:
    """Everyone with an active role."""
    rows = []
    for person in await people.list_active_people(session):
        roles = tuple(role_view(grant_of(m), settings) for m in person.memberships)
        rows.append(MemberRow(person.id, person.full_name, roles))
    return MemberList(tuple(rows))


async def revoke(session: AsyncSession, person_id: int, *, actor_id: int | None, label: str, now: datetime) -> Say:
    """Take every role from a person; their chat accounts are then treated as unregistered."""
    person = await people.get_person(session, person_id)
    if person is None or not await people.revoke_person(session, person_id, by_id=actor_id, now=now):
        raise Refusal("revoke.not_found", person_id=person_id)
    await audit.add_audit(
        session, now=now, actor_id=actor_id, actor_label=label, action="revoke", entity="person", entity_id=person_id
    )
    return Say.of("revoke.done", name=person.full_name, person_id=person_id)


async def list_members(req: Request, command: ListMembers) -> MemberList:
    return await member_list(req.session, req.settings)


async def revoke_member(req: Request, command: Revoke) -> Say:
    if not may_revoke(req.me, command.person_id):
        raise Refusal("revoke.self")
    return await revoke(req.session, command.person_id, actor_id=req.me.person_id, label=req.me.name, now=req.now)


async def member_options(req: Request, missing: Missing) -> list[Option]:
    """Active members other than the asker."""
    members = (await member_list(req.session, req.settings)).members
    others = [m for m in members if may_revoke(req.me, m.person_id)][:MAX_OPTIONS]
    return [Option(f"{m.person_id}. {m.name}", missing.template.format(m.person_id)) for m in others]


HANDLERS = {ListMembers: list_members, Revoke: revoke_member}
ASKS = {Ask.MEMBER: member_options}
