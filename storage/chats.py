"""Chats the bot writes to: people's private chats, departments' group chats, and whether they still listen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.core.permissions import Role
from storage import departments
from storage.models import ChatAccount, Department, GroupBinding, Membership, Person


@dataclass(frozen=True)
class Recipient:
    """A chat a message can go to: a person's private chat or a department's group."""

    channel: str
    chat_id: str
    is_group: bool
    department: str | None = None


async def bind_group(
    session: AsyncSession, *, channel: str, chat_id: str, department: str, by_id: int, now: datetime
) -> None:
    """Bind a group chat to a department, replacing an earlier binding of that chat."""
    binding = await session.scalar(
        select(GroupBinding).where(GroupBinding.channel == channel, GroupBinding.chat_id == chat_id)
    )
    if binding is None:
        binding = GroupBinding(channel=channel, chat_id=chat_id)
        session.add(binding)
    binding.department_id, binding.bound_by_id, binding.bound_at = departments.id_of(department), by_id, now
    binding.unreachable_at = None  # binding again means the bot is back in the group
    await session.flush()


async def get_group_department(session: AsyncSession, channel: str, chat_id: str) -> str | None:
    """The code of the department a group chat is bound to."""
    query = select(Department.code).where(GroupBinding.channel == channel, GroupBinding.chat_id == chat_id)
    return await session.scalar(departments.joined(query.select_from(GroupBinding), GroupBinding.department_id))


async def move_group(session: AsyncSession, channel: str, old_chat_id: str, new_chat_id: str) -> None:
    """A group that became a supergroup keeps its binding under its new id (bound anew there, that one wins)."""
    already = await session.scalar(
        select(GroupBinding.id).where(GroupBinding.channel == channel, GroupBinding.chat_id == new_chat_id)
    )
    if already is not None:
        await session.execute(
            delete(GroupBinding).where(GroupBinding.channel == channel, GroupBinding.chat_id == old_chat_id)
        )
        return
    await session.execute(
        update(GroupBinding)
        .where(GroupBinding.channel == channel, GroupBinding.chat_id == old_chat_id)
        .values(chat_id=new_chat_id)
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


async def list_department_recipients(session: AsyncSession, codes: Iterable[str]) -> list[Recipient]:
    """Private chats of the departments' active focal people, and their bound groups, unless unreachable."""
    codes = list(codes)
    people = select(Department.code, ChatAccount.channel, ChatAccount.external_id).where(
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
        Department.code.in_(codes), GroupBinding.unreachable_at.is_(None)
    )
    groups = departments.joined(groups.select_from(GroupBinding), GroupBinding.department_id).order_by(GroupBinding.id)
    return [Recipient(channel, chat_id, False, code) for code, channel, chat_id in await session.execute(people)] + [
        Recipient(channel, chat_id, True, code) for code, channel, chat_id in await session.execute(groups)
    ]


async def list_role_recipients(session: AsyncSession, role: Role) -> list[Recipient]:
    """Private chats of everyone active in a commune-wide role, unless unreachable."""
    rows = await session.execute(
        select(ChatAccount.channel, ChatAccount.external_id)
        .join(Membership, Membership.person_id == ChatAccount.person_id)
        .join(Person, Person.id == ChatAccount.person_id)
        .where(Membership.active, Membership.role == role, ChatAccount.unreachable_at.is_(None), _wanted())
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
    query = select(Department.name).where(GroupBinding.channel == channel, GroupBinding.chat_id == chat_id)
    department = await session.scalar(departments.joined(query.select_from(GroupBinding), GroupBinding.department_id))
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
