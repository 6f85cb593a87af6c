"""People, their chat accounts and roles, and the invites that register them.

A chat account is how the edge learns who writes and in which commune (`identify`); everything after that is
scoped to the person's commune (`None` for the province officer, who belongs to none).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.core.permissions import Actor, Grant, Role
from storage import departments
from storage.models.people import ChatAccount, Department, IdentityVersion, Invite, InviteFailure, Membership, Person

EDGE = {"all_communes": True}  # the queries that find a commune from a chat account or an invite code


def _in(column, commune_id: int | None):
    """`column` is this commune (NULL for the province)."""
    return column.is_not_distinct_from(commune_id)


@dataclass(frozen=True)
class Account:
    """A chat account as the pipeline needs it: who it is, in which commune, with which active roles."""

    account_id: int
    person_id: int
    commune_id: int | None
    unreachable: bool
    actor: Actor | None  # None: registered once, every role since taken away


async def identify(session: AsyncSession, channel: str, external_id: str) -> Account | None:
    """The account, its person, commune and active roles, in one query (a retired department's role is none)."""
    query = (
        select(
            ChatAccount.id,
            ChatAccount.unreachable_at,
            Person.id,
            Person.full_name,
            Person.commune_id,
            Membership.role,
            Department.code,
            Department.active,
        )
        .join(Person, Person.id == ChatAccount.person_id)
        .outerjoin(Membership, and_(Membership.person_id == Person.id, Membership.active))
        .outerjoin(Department, Department.id == Membership.department_id)
        .where(ChatAccount.channel == channel, ChatAccount.external_id == external_id)
        .order_by(Membership.id)
    )
    rows = (await session.execute(query.execution_options(**EDGE))).all()
    if not rows:
        return None
    account_id, unreachable_at, person_id, name, commune_id = rows[0][:5]
    actor = _actor(person_id, name, commune_id, rows)
    return Account(account_id, person_id, commune_id, unreachable_at is not None, actor)


def version_now():
    """The identity version as a scalar subquery, for a statement that reads it beside what it does anyway."""
    return select(IdentityVersion.version).where(IdentityVersion.id == 1).scalar_subquery()


async def identity_version(session: AsyncSession) -> int:
    """The identity version: it moves with every change to people, accounts, memberships, departments, communes."""
    return await session.scalar(select(version_now()))


def _actor(person_id: int, name: str, commune_id: int | None, rows) -> Actor | None:
    """A person with the grants of rows ending in (role, department code, department active); None without any
    (a retired department's role is none)."""
    grants = tuple(
        Grant(Role(role), code) for *_, role, code, active in rows if role is not None and (code is None or active)
    )
    return Actor(person_id, name, grants, commune_id) if grants else None


async def person_actor(session: AsyncSession, commune_id: int | None, person_id: int) -> Actor | None:
    """One of the commune's people with their active roles, as `identify` finds them; None once none is left."""
    query = (
        select(Person.full_name, Membership.role, Department.code, Department.active)
        .join(Membership, and_(Membership.person_id == Person.id, Membership.active))
        .outerjoin(Department, Department.id == Membership.department_id)
        .where(_in(Person.commune_id, commune_id), Person.id == person_id)
        .order_by(Membership.id)
    )
    rows = (await session.execute(query)).all()
    return _actor(person_id, rows[0][0], commune_id, rows) if rows else None


async def add_person_with_account(
    session: AsyncSession, commune_id: int | None, *, name: str, channel: str, external_id: str, now: datetime
) -> ChatAccount:
    """A new person of a commune (None: the province) and their first chat account."""
    person = Person(commune_id=commune_id, full_name=name, created_at=now)
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


async def set_notify_channel(
    session: AsyncSession, commune_id: int | None, person_id: int, channel: str | None
) -> None:
    """Where a person's reminders go (None: every app they use)."""
    query = update(Person).where(_in(Person.commune_id, commune_id), Person.id == person_id)
    await session.execute(query.values(notify_channel=channel))


async def add_membership(
    session: AsyncSession, commune_id: int | None, *, person_id: int, role: Role, department: str | None, now: datetime
) -> Membership:
    """Grant a role (in one of the commune's departments, for a focal person)."""
    department_id = departments.id_of(commune_id, department) if department else None
    membership = Membership(
        commune_id=commune_id, person_id=person_id, role=role, department_id=department_id, active=True, created_at=now
    )
    session.add(membership)
    await session.flush()
    return membership


def _active_people(commune_id: int | None):
    return select(Person).where(_in(Person.commune_id, commune_id), Person.memberships.any(Membership.active))


async def list_active_people(session: AsyncSession, commune_id: int | None) -> Sequence[Person]:
    """A commune's people with at least one active membership, memberships and departments loaded."""
    query = _active_people(commune_id).options(
        selectinload(Person.memberships.and_(Membership.active)).selectinload(Membership.department)
    )
    return (await session.scalars(query.order_by(Person.id))).all()


async def revoke_person(
    session: AsyncSession, commune_id: int | None, person_id: int, *, by_id: int | None, now: datetime
) -> int:
    """Deactivate every active membership of one of the commune's people; the number deactivated."""
    result = await session.execute(
        update(Membership)
        .where(_in(Membership.commune_id, commune_id), Membership.person_id == person_id, Membership.active)
        .values(active=False, revoked_at=now, revoked_by_id=by_id)
    )
    return result.rowcount or 0


async def get_person(session: AsyncSession, commune_id: int | None, person_id: int) -> Person | None:
    """One of the commune's people by id."""
    return await session.scalar(select(Person).where(_in(Person.commune_id, commune_id), Person.id == person_id))


async def get_active_person(session: AsyncSession, commune_id: int | None, person_id: int) -> Person | None:
    """One of the commune's people by id, if they hold at least one active membership."""
    return await session.scalar(_active_people(commune_id).where(Person.id == person_id))


async def add_invite(
    session: AsyncSession,
    commune_id: int | None,
    *,
    code_hash: str,
    role: str,
    department: str | None,
    now: datetime,
    expires_at: datetime,
    created_by: str,
    person_id: int | None = None,
) -> Invite:
    """Store a new invite to a commune (its hash only); with `person_id`, it links another app to that person."""
    invite = Invite(
        commune_id=commune_id,
        code_hash=code_hash,
        role=role,
        person_id=person_id,
        department_id=departments.id_of(commune_id, department) if department else None,
        created_at=now,
        expires_at=expires_at,
        created_by=created_by,
    )
    session.add(invite)
    await session.flush()
    return invite


async def get_invite(session: AsyncSession, code_hash: str) -> Invite | None:
    """The invite with this hash, whichever commune it is for (the code decides), department loaded."""
    query = select(Invite).where(Invite.code_hash == code_hash).options(selectinload(Invite.department))
    return await session.scalar(query.execution_options(**EDGE))


async def claim_invite(session: AsyncSession, invite: Invite, *, account_id: int, now: datetime) -> bool:
    """Mark an invite used, atomically: of two claims at once exactly one wins."""
    result = await session.execute(
        update(Invite)
        .where(
            _in(Invite.commune_id, invite.commune_id),
            Invite.id == invite.id,
            Invite.used_at.is_(None),
            Invite.expires_at > now,
        )
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


async def system_person(session: AsyncSession, commune_id: int, name: str, now: datetime) -> int:
    """The id of a person of the commune with no chat account or role who stands for a tool (the CLI's import)."""
    person_id = await session.scalar(
        select(Person.id).where(
            Person.commune_id == commune_id,
            Person.full_name == name,
            ~Person.accounts.any(),
            ~Person.memberships.any(),
        )
    )
    if person_id is None:
        person = Person(commune_id=commune_id, full_name=name, created_at=now)
        session.add(person)
        await session.flush()
        person_id = person.id
    return person_id


async def list_revoked_people(session: AsyncSession, commune_id: int | None) -> Sequence[Person]:
    """A commune's people who hold no active role but once did, their memberships and departments loaded."""
    query = (
        select(Person)
        .where(
            _in(Person.commune_id, commune_id),
            ~Person.memberships.any(Membership.active),
            Person.memberships.any(Membership.revoked_at.is_not(None)),
        )  # fmt: skip
        .options(selectinload(Person.memberships).selectinload(Membership.department))
    )
    return (await session.scalars(query.order_by(Person.id))).all()


async def restore_person(session: AsyncSession, commune_id: int | None, person_id: int) -> int:
    """Give back the roles taken at a person's last revocation (none if they hold one now); the number restored."""
    active = await session.scalar(
        select(Membership.id).where(
            _in(Membership.commune_id, commune_id), Membership.person_id == person_id, Membership.active
        )  # fmt: skip
    )
    last = await session.scalar(
        select(func.max(Membership.revoked_at)).where(
            _in(Membership.commune_id, commune_id), Membership.person_id == person_id
        )
    )
    if active is not None or last is None:
        return 0
    result = await session.execute(
        update(Membership)
        .where(
            _in(Membership.commune_id, commune_id), Membership.person_id == person_id, Membership.revoked_at == last
        )  # fmt: skip
        .values(active=True, revoked_at=None, revoked_by_id=None)
    )
    return result.rowcount or 0
