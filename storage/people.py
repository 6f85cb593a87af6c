"""People, their chat accounts and roles, and the invites that register them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.core.permissions import Role
from storage import departments
from storage.models import ChatAccount, Invite, InviteFailure, Membership, Person


async def get_account(session: AsyncSession, channel: str, external_id: str) -> ChatAccount | None:
    """A chat account with its person and their active memberships (and departments) loaded."""
    return await session.scalar(
        select(ChatAccount)
        .where(ChatAccount.channel == channel, ChatAccount.external_id == external_id)
        .options(
            selectinload(ChatAccount.person)
            .selectinload(Person.memberships.and_(Membership.active))
            .selectinload(Membership.department)
        )
        .execution_options(populate_existing=True)
    )


async def add_person_with_account(
    session: AsyncSession, *, name: str, channel: str, external_id: str, now: datetime
) -> ChatAccount:
    """A new person and their first chat account."""
    person = Person(full_name=name, created_at=now)
    account = ChatAccount(person=person, channel=channel, external_id=external_id, created_at=now)
    session.add(account)
    await session.flush()
    return account


async def add_account(
    session: AsyncSession, *, person_id: int, channel: str, external_id: str, now: datetime
) -> ChatAccount:
    """Another app's account for an existing person."""
    account = ChatAccount(person_id=person_id, channel=channel, external_id=external_id, created_at=now)
    session.add(account)
    await session.flush()
    return account


async def account_channels(session: AsyncSession, person_id: int) -> list[str]:
    """The apps a person uses, in the order they were linked."""
    rows = await session.scalars(
        select(ChatAccount.channel).where(ChatAccount.person_id == person_id).order_by(ChatAccount.id)
    )
    return list(dict.fromkeys(rows.all()))


async def set_notify_channel(session: AsyncSession, person_id: int, channel: str | None) -> None:
    """Where a person's reminders go (None: every app they use)."""
    await session.execute(update(Person).where(Person.id == person_id).values(notify_channel=channel))


async def add_membership(
    session: AsyncSession, *, person_id: int, role: Role, department: str | None, now: datetime
) -> Membership:
    """Grant a role (in a department, for a focal person)."""
    department_id = departments.id_of(department) if department else None
    membership = Membership(person_id=person_id, role=role, department_id=department_id, active=True, created_at=now)
    session.add(membership)
    await session.flush()
    return membership


async def list_active_people(session: AsyncSession) -> Sequence[Person]:
    """People with at least one active membership, memberships and departments loaded."""
    return (
        await session.scalars(
            select(Person)
            .where(Person.memberships.any(Membership.active))
            .options(selectinload(Person.memberships.and_(Membership.active)).selectinload(Membership.department))
            .order_by(Person.id)
        )
    ).all()


async def revoke_person(session: AsyncSession, person_id: int, *, by_id: int | None, now: datetime) -> int:
    """Deactivate every active membership of a person; the number deactivated."""
    result = await session.execute(
        update(Membership)
        .where(Membership.person_id == person_id, Membership.active)
        .values(active=False, revoked_at=now, revoked_by_id=by_id)
    )
    return result.rowcount or 0


async def get_person(session: AsyncSession, person_id: int) -> Person | None:
    """A person by id."""
    return await session.get(Person, person_id)


async def get_active_person(session: AsyncSession, person_id: int) -> Person | None:
    """A person by id, if they hold at least one active membership."""
    return await session.scalar(select(Person).where(Person.id == person_id, Person.memberships.any(Membership.active)))


async def add_invite(
    session: AsyncSession,
    *,
    code_hash: str,
    role: str,
    department: str | None,
    now: datetime,
    expires_at: datetime,
    created_by: str,
    person_id: int | None = None,
) -> Invite:
    """Store a new invite (its hash only); with `person_id`, it links another app's account to that person."""
    invite = Invite(
        code_hash=code_hash,
        role=role,
        person_id=person_id,
        department_id=departments.id_of(department) if department else None,
        created_at=now,
        expires_at=expires_at,
        created_by=created_by,
    )
    session.add(invite)
    await session.flush()
    return invite


async def get_invite(session: AsyncSession, code_hash: str) -> Invite | None:
    """The invite with this hash, department loaded."""
    return await session.scalar(
        select(Invite).where(Invite.code_hash == code_hash).options(selectinload(Invite.department))
    )


async def claim_invite(session: AsyncSession, invite_id: int, *, account_id: int, now: datetime) -> bool:
    """Mark an invite used, atomically: of two claims at once exactly one wins."""
    result = await session.execute(
        update(Invite)
        .where(Invite.id == invite_id, Invite.used_at.is_(None), Invite.expires_at > now)
        .values(used_at=now, used_by_account_id=account_id)
    )
    return result.rowcount == 1


async def count_invite_failures(
    session: AsyncSession, since: datetime, channel: str | None = None, external_id: str | None = None
) -> int:
    """Wrong codes since an instant, from one sender or from everyone."""
    query = select(func.count()).select_from(InviteFailure).where(InviteFailure.at >= since)
    if channel is not None:
        query = query.where(InviteFailure.channel == channel, InviteFailure.external_id == external_id)
    return await session.scalar(query)


async def add_invite_failure(
    session: AsyncSession, channel: str, external_id: str, now: datetime, *, keep: timedelta
) -> None:
    """Remember a wrong code, and forget those older than `keep` (no throttle looks further back)."""
    await session.execute(delete(InviteFailure).where(InviteFailure.at < now - keep))
    session.add(InviteFailure(channel=channel, external_id=external_id, at=now))
    await session.flush()


async def system_person(session: AsyncSession, name: str, now: datetime) -> int:
    """The id of a person with no chat account or role who stands for a tool (the command-line import)."""
    person_id = await session.scalar(
        select(Person.id).where(Person.full_name == name, ~Person.accounts.any(), ~Person.memberships.any())
    )
    if person_id is None:
        person = Person(full_name=name, created_at=now)
        session.add(person)
        await session.flush()
        person_id = person.id
    return person_id
