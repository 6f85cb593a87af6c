"""Every query the application runs: functions that take a session and never commit.

A commune scope, when the deployment serves many communes, is added here and only here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, and_, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import (
    AuditEvent,
    ChatAccount,
    Department,
    Entry,
    GroupBinding,
    HandledMessage,
    Invite,
    InviteFailure,
    Membership,
    Person,
)


@dataclass(frozen=True)
class Source:
    """Where a change came from: (channel, chat id, message id) identifies a message for good."""

    channel: str
    chat_id: str
    message_id: str


# --- departments -------------------------------------------------------------------------


async def sync_departments(session: AsyncSession, departments: Iterable[tuple[str, str]]) -> None:
    """Make the departments table match the config: add, rename, and retire by code."""
    wanted = dict(departments)
    existing = {d.code: d for d in (await session.scalars(select(Department))).all()}
    for code, name in wanted.items():
        if code in existing:
            existing[code].name, existing[code].active = name, True
        else:
            session.add(Department(code=code, name=name, active=True))
    for code, department in existing.items():
        if code not in wanted:
            department.active = False
    await session.flush()


async def get_department(session: AsyncSession, code: str) -> Department | None:
    """The active department with this code."""
    return await session.scalar(select(Department).where(Department.code == code, Department.active))


async def list_departments(session: AsyncSession) -> Sequence[Department]:
    """Active departments, by code."""
    return (await session.scalars(select(Department).where(Department.active).order_by(Department.id))).all()


# --- people and accounts -----------------------------------------------------------------


async def get_account(session: AsyncSession, channel: str, external_id: str) -> ChatAccount | None:
    """A chat account with its person and their active memberships loaded."""
    return await session.scalar(
        select(ChatAccount)
        .where(ChatAccount.channel == channel, ChatAccount.external_id == external_id)
        .options(
            selectinload(ChatAccount.person)
            .selectinload(Person.memberships.and_(Membership.active))
            .selectinload(Membership.department)
        )
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


async def add_membership(
    session: AsyncSession, *, person_id: int, role: str, department_id: int | None, now: datetime
) -> Membership:
    """Grant a role."""
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


# --- invites -----------------------------------------------------------------------------


async def add_invite(
    session: AsyncSession,
    *,
    code_hash: str,
    role: str,
    department_id: int | None,
    now: datetime,
    expires_at: datetime,
    created_by: str,
) -> Invite:
    """Store a new invite (its hash only)."""
    invite = Invite(
        code_hash=code_hash,
        role=role,
        department_id=department_id,
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


async def count_invite_failures(session: AsyncSession, channel: str, external_id: str, since: datetime) -> int:
    """Wrong codes from one sender since an instant."""
    return await session.scalar(
        select(func.count())
        .select_from(InviteFailure)
        .where(InviteFailure.channel == channel, InviteFailure.external_id == external_id, InviteFailure.at >= since)
    )


async def add_invite_failure(session: AsyncSession, channel: str, external_id: str, now: datetime) -> None:
    """Remember a wrong code."""
    session.add(InviteFailure(channel=channel, external_id=external_id, at=now))
    await session.flush()


# --- idempotency -------------------------------------------------------------------------


async def get_handled_reply(session: AsyncSession, source: Source) -> str | None:
    """The reply a message already got, if it changed something before."""
    return await session.scalar(
        select(HandledMessage.reply).where(
            HandledMessage.channel == source.channel,
            HandledMessage.chat_id == source.chat_id,
            HandledMessage.message_id == source.message_id,
        )
    )


async def add_handled_reply(session: AsyncSession, source: Source, reply: str, now: datetime) -> None:
    """Record the reply to a message in the same transaction as the change it made."""
    session.add(
        HandledMessage(
            channel=source.channel, chat_id=source.chat_id, message_id=source.message_id, reply=reply, handled_at=now
        )
    )
    await session.flush()


# --- entries -----------------------------------------------------------------------------


async def add_entry(session: AsyncSession, entry: Entry) -> Entry:
    """Store a meeting, document or dossier tally; its id is the #N users see."""
    session.add(entry)
    await session.flush()
    return entry


async def find_document_number(session: AsyncSession, year: int, number_key: str) -> Entry | None:
    """A live document of that year with that số ký hiệu."""
    return await session.scalar(
        select(Entry).where(
            Entry.kind == "document",
            Entry.year == year,
            Entry.document_number_key == number_key,
            Entry.cancelled_at.is_(None),
        )
    )


async def get_entry(session: AsyncSession, entry_id: int) -> Entry | None:
    """An entry by its number."""
    return await session.get(Entry, entry_id, options=[selectinload(Entry.department)])


async def get_last_entry(session: AsyncSession, person_id: int) -> Entry | None:
    """The person's latest entry that is not cancelled."""
    return await session.scalar(
        select(Entry)
        .where(Entry.person_id == person_id, Entry.cancelled_at.is_(None))
        .order_by(Entry.id.desc())
        .limit(1)
        .options(selectinload(Entry.department))
    )


async def cancel_entry(session: AsyncSession, entry: Entry, *, by_id: int, now: datetime) -> None:
    """Mark an entry cancelled; the row stays for the audit."""
    entry.cancelled_at = now
    entry.cancelled_by_id = by_id
    await session.flush()


@dataclass(frozen=True)
class Tally:
    """A year's live entries, aggregated."""

    meetings: int
    online_meetings: int
    documents: int
    electronic_documents: int
    paper_documents: int
    secret_documents: int
    dossiers_online: int
    dossiers_paper: int


def _count_where(*conditions) -> object:
    return func.coalesce(func.sum(case((and_(*conditions), 1), else_=0)), 0)


async def tally_year(session: AsyncSession, year: int, department_code: str | None = None) -> Tally:
    """Aggregate a year's live entries in one SQL query, for the commune or one department."""
    is_meeting = Entry.kind == "meeting"
    is_document = Entry.kind == "document"
    query = select(
        _count_where(is_meeting),
        _count_where(is_meeting, Entry.meeting_online.is_(True)),
        _count_where(is_document),
        _count_where(is_document, Entry.document_kind == "electronic"),
        _count_where(is_document, Entry.document_kind == "paper"),
        _count_where(is_document, Entry.document_kind == "secret"),
        func.coalesce(func.sum(Entry.dossiers_online), 0).cast(Integer),
        func.coalesce(func.sum(Entry.dossiers_paper), 0).cast(Integer),
    ).where(Entry.year == year, Entry.cancelled_at.is_(None))
    if department_code is not None:
        query = query.join(Department, Department.id == Entry.department_id).where(Department.code == department_code)
    row = (await session.execute(query)).one()
    return Tally(*(int(value) for value in row))


# --- groups ------------------------------------------------------------------------------


async def bind_group(
    session: AsyncSession, *, channel: str, chat_id: str, department_id: int, by_id: int, now: datetime
) -> GroupBinding:
    """Bind a group chat to a department, replacing an earlier binding of that chat."""
    binding = await session.scalar(
        select(GroupBinding).where(GroupBinding.channel == channel, GroupBinding.chat_id == chat_id)
    )
    if binding is None:
        binding = GroupBinding(channel=channel, chat_id=chat_id)
        session.add(binding)
    binding.department_id, binding.bound_by_id, binding.bound_at = department_id, by_id, now
    await session.flush()
    return binding


async def get_group_department(session: AsyncSession, channel: str, chat_id: str) -> str | None:
    """The code of the department a group chat is bound to."""
    return await session.scalar(
        select(Department.code)
        .join(GroupBinding, GroupBinding.department_id == Department.id)
        .where(GroupBinding.channel == channel, GroupBinding.chat_id == chat_id)
    )


# --- audit -------------------------------------------------------------------------------


async def add_audit(
    session: AsyncSession,
    *,
    now: datetime,
    action: str,
    entity: str,
    entity_id: object = None,
    actor_id: int | None = None,
    actor_label: str = "",
    detail: dict | None = None,
) -> None:
    """Record who did what, when, in the transaction of the change."""
    session.add(
        AuditEvent(
            at=now,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            detail=detail or {},
        )
    )
    await session.flush()


async def list_audit(session: AsyncSession, limit: int = 100) -> Sequence[AuditEvent]:
    """The latest audit events, newest first."""
    return (await session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))).all()
