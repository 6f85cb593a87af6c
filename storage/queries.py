"""Every query the application runs: functions that take a session and never commit.

A commune scope, when the deployment serves many communes, is added here and only here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Integer, and_, case, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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
    OutboxMessage,
    Person,
    Setting,
    Task,
    TaskUpdate,
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
    binding.unreachable_at = None  # binding again means the bot is back in the group
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
            actor_label=actor_label[:100],
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            detail=detail or {},
        )
    )
    await session.flush()


# --- settings ----------------------------------------------------------------------------


async def get_setting(session: AsyncSession, key: str) -> str | None:
    """A stored setting."""
    return await session.scalar(select(Setting.value).where(Setting.key == key))


async def set_setting_once(session: AsyncSession, key: str, value: str) -> str:
    """Store a setting unless it already exists; the value in force."""
    existing = await get_setting(session, key)
    if existing is not None:
        return existing
    session.add(Setting(key=key, value=value))
    await session.flush()
    return value


# --- reports -----------------------------------------------------------------------------


async def list_submissions(session: AsyncSession, report_code: str, year: int) -> Sequence[Entry]:
    """Live submissions of one period, with department and person."""
    return (
        await session.scalars(
            select(Entry)
            .where(
                Entry.kind == "report",
                Entry.report_code == report_code,
                Entry.report_year == year,
                Entry.cancelled_at.is_(None),
            )
            .options(selectinload(Entry.department), selectinload(Entry.person))
        )
    ).all()


async def submitted_years(session: AsyncSession, department_id: int, report_code: str) -> set[int]:
    """The years of a report kind a department has a live submission for."""
    rows = await session.scalars(
        select(Entry.report_year).where(
            Entry.kind == "report",
            Entry.department_id == department_id,
            Entry.report_code == report_code,
            Entry.cancelled_at.is_(None),
        )
    )
    return set(rows.all())


# --- tasks -------------------------------------------------------------------------------


async def add_task(session: AsyncSession, task: Task) -> Task:
    """Store a new task; its id is the number users see."""
    session.add(task)
    await session.flush()
    return task


async def get_task(session: AsyncSession, task_id: int) -> Task | None:
    """A task with its department."""
    return await session.get(Task, task_id, options=[selectinload(Task.department)])


async def list_open_tasks(session: AsyncSession, department_codes: Iterable[str] | None = None) -> Sequence[Task]:
    """Open tasks by deadline, overdue first, for some departments or all."""
    query = select(Task).where(Task.completed_at.is_(None)).options(selectinload(Task.department))
    if department_codes is not None:
        query = query.join(Department, Department.id == Task.department_id).where(
            Department.code.in_(list(department_codes))
        )
    return (await session.scalars(query.order_by(Task.due_on, Task.id))).all()


async def add_task_update(
    session: AsyncSession, task: Task, *, person_id: int, progress: int, note: str, now: datetime, day: date | None
) -> None:
    """Record progress on a task; with `day`, the task is closed on that day."""
    session.add(TaskUpdate(task_id=task.id, person_id=person_id, at=now, progress=progress, note=note))
    task.progress, task.last_progress_at = progress, now
    if day is not None:
        task.completed_on, task.completed_at, task.completed_by_id = day, now, person_id
    await session.flush()


@dataclass(frozen=True)
class TaskTally:
    """Tasks of a year due by a day: due, closed on time, open and overdue."""

    due: int
    on_time: int
    overdue_open: int


async def tally_tasks(session: AsyncSession, year: int, today: date, department_code: str | None = None) -> TaskTally:
    """Aggregate, in SQL, the tasks of `year` due by `today`."""
    due_by_today = and_(Task.due_on >= date(year, 1, 1), Task.due_on <= min(today, date(year, 12, 31)))
    query = select(
        _count_where(due_by_today),
        _count_where(due_by_today, Task.completed_on.is_not(None), Task.completed_on <= Task.due_on),
        _count_where(Task.completed_at.is_(None), Task.due_on < today, Task.due_on >= date(year, 1, 1)),
    ).where(Task.due_on <= date(year, 12, 31))
    if department_code is not None:
        query = query.join(Department, Department.id == Task.department_id).where(Department.code == department_code)
    row = (await session.execute(query)).one()
    return TaskTally(*(int(value) for value in row))


# --- recipients --------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """A chat a message can go to: a person's private chat or a department's group."""

    channel: str
    chat_id: str
    is_group: bool
    department_id: int | None = None


async def list_department_recipients(session: AsyncSession, department_ids: Iterable[int]) -> list[Recipient]:
    """Private chats of the departments' active focal people, and their bound groups, unless unreachable."""
    ids = list(department_ids)
    people = await session.execute(
        select(Membership.department_id, ChatAccount.channel, ChatAccount.external_id)
        .join(ChatAccount, ChatAccount.person_id == Membership.person_id)
        .where(
            Membership.active,
            Membership.role == "focal",
            Membership.department_id.in_(ids),
            ChatAccount.unreachable_at.is_(None),
        )
        .order_by(Membership.department_id, ChatAccount.id)
    )
    groups = await session.execute(
        select(GroupBinding.department_id, GroupBinding.channel, GroupBinding.chat_id)
        .where(GroupBinding.department_id.in_(ids), GroupBinding.unreachable_at.is_(None))
        .order_by(GroupBinding.id)
    )
    return [Recipient(channel, chat_id, False, dept) for dept, channel, chat_id in people] + [
        Recipient(channel, chat_id, True, dept) for dept, channel, chat_id in groups
    ]


async def list_role_recipients(session: AsyncSession, role: str) -> list[Recipient]:
    """Private chats of everyone active in a commune-wide role, unless unreachable."""
    rows = await session.execute(
        select(ChatAccount.channel, ChatAccount.external_id)
        .join(Membership, Membership.person_id == ChatAccount.person_id)
        .where(Membership.active, Membership.role == role, ChatAccount.unreachable_at.is_(None))
        .distinct()
        .order_by(ChatAccount.external_id)
    )
    return [Recipient(channel, chat_id, False) for channel, chat_id in rows]


async def describe_chat(session: AsyncSession, channel: str, chat_id: str) -> tuple[str | None, str | None]:
    """(person's name, group's department name) for a chat, whichever it is."""
    person = await session.scalar(
        select(Person.full_name)
        .join(ChatAccount, ChatAccount.person_id == Person.id)
        .where(ChatAccount.channel == channel, ChatAccount.external_id == chat_id)
    )
    department = await session.scalar(
        select(Department.name)
        .join(GroupBinding, GroupBinding.department_id == Department.id)
        .where(GroupBinding.channel == channel, GroupBinding.chat_id == chat_id)
    )
    return person, department


async def mark_unreachable(session: AsyncSession, channel: str, chat_id: str, now: datetime) -> None:
    """A chat that blocked the bot (or removed it) gets no more messages until it writes again."""
    await session.execute(
        update(ChatAccount)
        .where(ChatAccount.channel == channel, ChatAccount.external_id == chat_id)
        .values(unreachable_at=now)
    )
    await session.execute(
        update(GroupBinding)
        .where(GroupBinding.channel == channel, GroupBinding.chat_id == chat_id)
        .values(unreachable_at=now)
    )


async def clear_account_unreachable(session: AsyncSession, channel: str, external_id: str) -> None:
    """A person who wrote to the bot in private has unblocked it."""
    await session.execute(
        update(ChatAccount)
        .where(ChatAccount.channel == channel, ChatAccount.external_id == external_id)
        .values(unreachable_at=None)
    )


async def clear_group_unreachable(session: AsyncSession, channel: str, chat_id: str) -> bool:
    """A group the bot hears from again is reachable; whether it had been marked otherwise."""
    result = await session.execute(
        update(GroupBinding)
        .where(
            GroupBinding.channel == channel,
            GroupBinding.chat_id == chat_id,
            GroupBinding.unreachable_at.is_not(None),
        )
        .values(unreachable_at=None)
    )
    return bool(result.rowcount)


async def move_group(session: AsyncSession, channel: str, old_chat_id: str, new_chat_id: str) -> None:
    """A group that became a supergroup keeps its binding under its new id (bound anew there, that one wins)."""
    already = await session.scalar(
        select(GroupBinding.id).where(GroupBinding.channel == channel, GroupBinding.chat_id == new_chat_id)
    )
    if already is not None:
        await session.execute(
            GroupBinding.__table__.delete().where(GroupBinding.channel == channel, GroupBinding.chat_id == old_chat_id)
        )
        return
    await session.execute(
        update(GroupBinding)
        .where(GroupBinding.channel == channel, GroupBinding.chat_id == old_chat_id)
        .values(chat_id=new_chat_id)
    )


# --- outbox ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxKey:
    """What a message is about, at which stage, on which day: with the chat, sent at most once."""

    kind: str
    subject: str
    stage: str
    day: date


async def enqueue(
    session: AsyncSession,
    key: OutboxKey,
    recipients: Iterable[Recipient],
    text: str,
    *,
    due_at: datetime,
    now: datetime,
    status: str = "pending",
) -> int:
    """Write a message for each recipient unless its key is already there; the number written."""
    rows = [
        {
            "kind": key.kind,
            "subject": key.subject,
            "stage": key.stage,
            "day": key.day,
            "channel": r.channel,
            "chat_id": r.chat_id,
            "is_group": r.is_group,
            "text": text,
            "status": status,
            "attempts": 0,
            "due_at": due_at,
            "next_attempt_at": due_at,
            "created_at": now,
        }
        for r in recipients
    ]
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(OutboxMessage).on_conflict_do_nothing(
        index_elements=["kind", "subject", "stage", "day", "channel", "chat_id"]
    )
    # One multi-row INSERT: its rowcount is the number of rows actually written on SQLite and PostgreSQL.
    return (await session.execute(statement.values(rows))).rowcount or 0


async def outbox_has(session: AsyncSession, key: OutboxKey) -> bool:
    """Whether any message with this key was already written."""
    return bool(
        await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.kind == key.kind,
                OutboxMessage.subject == key.subject,
                OutboxMessage.stage == key.stage,
                OutboxMessage.day == key.day,
            )
        )
    )


async def list_sendable(session: AsyncSession, now: datetime, limit: int = 200) -> Sequence[OutboxMessage]:
    """Pending messages whose next attempt has come, oldest first."""
    return (
        await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
    ).all()


async def next_attempt_at(session: AsyncSession, after: datetime) -> datetime | None:
    """When the earliest pending message not yet due (after `after`) may be tried."""
    return await session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == "pending", OutboxMessage.next_attempt_at > after
        )
    )


async def claim_message(session: AsyncSession, outbox_id: int, now: datetime) -> bool:
    """Mark a pending message as being sent; of two senders exactly one wins."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status == "pending")
        .values(status="sending", attempts=OutboxMessage.attempts + 1)
    )
    return result.rowcount == 1


async def finish_message(session: AsyncSession, outbox_id: int, status: str, **values: object) -> None:
    """Record the outcome of an attempt."""
    await session.execute(update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(status=status, **values))


async def expire_stale(session: AsyncSession, *, due_before: datetime) -> int:
    """Pending messages that fell due too long ago (the bot was down): recorded as expired, never sent."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.due_at < due_before)
        .values(status="expired")
    )
    return result.rowcount or 0


async def supersede(session: AsyncSession, kinds: Iterable[str], subject: str) -> int:
    """Pending messages about something now settled (a report submitted, a task closed) are not sent."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == "pending",
            OutboxMessage.kind.in_(list(kinds)),
            OutboxMessage.subject == subject,
        )
        .values(status="superseded")
    )
    return result.rowcount or 0


async def recover_sending(session: AsyncSession) -> int:
    """Messages left 'sending' by a crash may have arrived: mark them 'unknown', never resend blindly."""
    result = await session.execute(
        update(OutboxMessage).where(OutboxMessage.status == "sending").values(status="unknown")
    )
    return result.rowcount or 0


async def list_outbox(session: AsyncSession, *, status: str | None = None) -> Sequence[OutboxMessage]:
    """Outbox rows, oldest first (for the CLI and tests)."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return (await session.scalars(query)).all()
