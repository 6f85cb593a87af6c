"""Chats the bot writes to: people's private chats, departments' group chats, and whether they still listen.

A group chat is bound to one department of one commune; what is looked up by the chat itself (which commune and
department a group is for, whether it still listens) is the edge and reaches across communes (`EDGE`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.core.permissions import Role
from storage import departments
from storage.models.messaging import GroupBinding
from storage.models.people import ChatAccount, Department, Membership, Person
from storage.people import EDGE


@dataclass(frozen=True)
class Recipient:
    """A chat a message can go to: a person's private chat or a department's group."""

    channel: str
    chat_id: str
    is_group: bool
    department: str | None = None


@dataclass(frozen=True)
class Group:
    """What a group chat is bound to: one department (by code) of one commune."""

    commune_id: int
    department: str


async def bind_group(
    session: AsyncSession, commune_id: int, *, channel: str, chat_id: str, department: str, by_id: int, now: datetime
) -> None:
    """Bind a group chat to one of the commune's departments, replacing an earlier binding of that chat in it (a
    group bound in another commune is the caller's to refuse: see `get_group`)."""
    binding = await session.scalar(
        select(GroupBinding).where(
            GroupBinding.commune_id == commune_id, GroupBinding.channel == channel, GroupBinding.chat_id == chat_id
        )
    )
    if binding is None:
        binding = GroupBinding(commune_id=commune_id, channel=channel, chat_id=chat_id)
        session.add(binding)
    binding.department_id = departments.id_of(commune_id, department)
    binding.bound_by_id, binding.bound_at = by_id, now
    binding.unreachable_at = None  # binding again means the bot is back in the group
    await session.flush()


async def get_group(session: AsyncSession, channel: str, chat_id: str) -> Group | None:
    """The commune and the (active) department a group chat is bound to, if it is."""
    query = select(GroupBinding.commune_id, Department.code).where(
        GroupBinding.channel == channel, GroupBinding.chat_id == chat_id
    )
    query = departments.joined(query.select_from(GroupBinding), GroupBinding.department_id)
    row = (await session.execute(query.execution_options(**EDGE))).first()
    return Group(*row) if row else None


async def move_group(session: AsyncSession, channel: str, old_chat_id: str, new_chat_id: str) -> None:
    """A group that became a supergroup keeps its binding under its new id (bound anew there, that one wins)."""
    already = await session.scalar(
        select(GroupBinding.id)
        .where(GroupBinding.channel == channel, GroupBinding.chat_id == new_chat_id)
        .execution_options(**EDGE)
    )
    if already is not None:
        await session.execute(
            delete(GroupBinding)
            .where(GroupBinding.channel == channel, GroupBinding.chat_id == old_chat_id)
            .execution_options(**EDGE)
        )
        return
    await session.execute(
        update(GroupBinding)
        .where(GroupBinding.channel == channel, GroupBinding.chat_id == old_chat_id)
        .values(chat_id=new_chat_id)
        .execution_options(**EDGE)
    )


def _wanted():
    """An account the person wants reminders on: the app they chose, or every app if they chose none
    or the chosen one can no longer be reached (a reminder must land somewhere)."""
    chosen = aliased(ChatAccount)
    chosen_reachable = (
        select(chosen.id)
        .where(
            chosen.person_id == Person.id,
            chosen.channel == Person.notify_channel,
            chosen.unreachable_at.is_(None),
        )
        .exists()
    )
    return or_(Person.notify_channel.is_(None), Person.notify_channel == ChatAccount.channel, ~chosen_reachable)


async def list_department_recipients(session: AsyncSession, commune_id: int, codes: Iterable[str]) -> list[Recipient]:
    """Private chats of the commune's departments' active focal people, and their bound groups, unless unreachable."""
    codes = list(codes)
    people = select(Department.code, ChatAccount.channel, ChatAccount.external_id).where(
        Membership.commune_id == commune_id,
        Membership.active,
        Membership.role == Role.FOCAL,
        Department.code.in_(codes),
        ChatAccount.unreachable_at.is_(None),
        _wanted(),
    )
    people = departments.joined(
        people.select_from(Membership)
        .join(ChatAccount, ChatAccount.person_id == Membership.person_id)
        .join(Person, Person.id == Membership.person_id),
        Membership.department_id,
    ).order_by(Membership.department_id, ChatAccount.id)
    groups = select(Department.code, GroupBinding.channel, GroupBinding.chat_id).where(
        GroupBinding.commune_id == commune_id, Department.code.in_(codes), GroupBinding.unreachable_at.is_(None)
    )
    groups = departments.joined(groups.select_from(GroupBinding), GroupBinding.department_id).order_by(GroupBinding.id)
    return [Recipient(channel, chat_id, False, code) for code, channel, chat_id in await session.execute(people)] + [
        Recipient(channel, chat_id, True, code) for code, channel, chat_id in await session.execute(groups)
    ]


async def list_role_recipients(session: AsyncSession, commune_id: int | None, role: Role) -> list[Recipient]:
    """Private chats of everyone active in a commune-wide role (the province's role: commune None), unless
    unreachable."""
    rows = await session.execute(
        select(ChatAccount.channel, ChatAccount.external_id)
        .join(Membership, Membership.person_id == ChatAccount.person_id)
        .join(Person, Person.id == ChatAccount.person_id)
        .where(
            Membership.commune_id.is_not_distinct_from(commune_id),
            Membership.active,
            Membership.role == role,
            ChatAccount.unreachable_at.is_(None),
            _wanted(),
        )
        .distinct()
        .order_by(ChatAccount.external_id)
    )
    return [Recipient(channel, chat_id, False) for channel, chat_id in rows]


@dataclass(frozen=True)
class ChatOwner:
    """Whose a chat is: a person's (their name) or a department's group (its name), and in which commune."""

    commune_id: int | None
    person: str | None = None
    department: str | None = None


async def describe_chat(session: AsyncSession, channel: str, chat_id: str) -> ChatOwner | None:
    """Whose a chat is, whichever it is (None: nobody's the bot knows)."""
    person = (
        await session.execute(
            select(Person.commune_id, Person.full_name)
            .join(ChatAccount, ChatAccount.person_id == Person.id)
            .where(ChatAccount.channel == channel, ChatAccount.external_id == chat_id)
            .execution_options(**EDGE)
        )
    ).first()
    if person is not None:
        return ChatOwner(person[0], person=person[1])
    query = select(GroupBinding.commune_id, Department.name).where(
        GroupBinding.channel == channel, GroupBinding.chat_id == chat_id
    )
    query = departments.joined(query.select_from(GroupBinding), GroupBinding.department_id, retired_too=True)
    group = (await session.execute(query.execution_options(**EDGE))).first()
    return ChatOwner(group[0], department=group[1]) if group else None


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
        .execution_options(**EDGE)
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
        .execution_options(**EDGE)
    )
    return bool(result.rowcount)
