"""Chat users talking to the service, in private or in a group, registered through real invites."""

from __future__ import annotations

import itertools

from bot.core.messages import Incoming
from bot.core.permissions import Role
from bot.service import Answer, Service
from tests.support.db import inspecting

_message_ids = itertools.count(1)


class User:
    """A chat user talking to the service."""

    def __init__(self, service: Service, user_id: str, name: str, channel: str = "test") -> None:
        self.service = service
        self.user_id = user_id
        self.name = name
        self.channel = channel

    def incoming(self, text: str, *, chat_id: str | None = None, message_id: str | None = None, **more) -> Incoming:
        return Incoming(
            channel=self.channel,
            chat_id=chat_id or self.user_id,
            message_id=message_id or str(next(_message_ids)),
            sender_id=self.user_id,
            sender_name=self.name,
            text=text,
            is_group=chat_id is not None and chat_id.startswith("-"),
            **more,
        )

    async def send(self, text: str, **where) -> Answer | None:
        return await self.service.handle(self.incoming(text, **where))

    async def say(self, text: str, **where) -> str:
        answer = await self.send(text, **where)
        assert answer is not None
        return answer.text


async def new_invite(
    service: Service,
    role: Role | None,
    department: str | None = None,
    *,
    commune: str | None = None,
    hours: int = 72,
    person_id: int | None = None,
):
    """An invite to a commune (by code; the first one by default; none for the province role), made as the CLI
    makes it."""
    from bot.service.access import create_invite

    place = (
        None
        if role is Role.PROVINCE
        else (service.communes.by_code(commune) if commune else next(iter(service.communes)))
    )
    async with service.db.unit_of_work() as session:
        invite = await create_invite(
            session, place, role, department, created_by="test", ttl_hours=hours, now=service.clock(),
            person_id=person_id,
        )  # fmt: skip
        await session.commit()
    return invite


async def register(
    service: Service, user_id: str, role: Role, department: str | None = None, *, commune: str | None = None
) -> User:
    """A user registered through a real invite."""
    user = User(service, user_id, f"Người dùng {user_id}")
    invite = await new_invite(service, role, department, commune=commune)
    assert "Chào mừng" in await user.say(f"/start {invite.code}")
    return user


async def member_list(service: Service, commune: str | None = None) -> str:
    """The member list of a commune, as the CLI prints it."""
    from bot.core.texts import render
    from bot.service.members import member_list as members

    place = service.communes.by_code(commune) if commune else next(iter(service.communes))
    async with service.db.reading() as session:
        return render(await members(session, place))


async def settle_replies(service: Service) -> None:
    """Mark the users' replies as delivered, so a test about reminders sees only reminders go out."""
    from sqlalchemy import update

    from storage.models.messaging import OutboxKind, OutboxMessage, OutboxStatus

    async with inspecting(service.db) as session:
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.kind == OutboxKind.REPLY).values(status=OutboxStatus.SENT)
        )
        await session.commit()


async def revoke(service: Service, person_id: int, commune: str | None = None) -> str:
    """Take a member's roles away, as the CLI does."""
    from bot.core.texts import render
    from bot.service.members import revoke as revoke_member

    place = service.communes.by_code(commune) if commune else next(iter(service.communes))
    async with service.db.unit_of_work() as session:
        outcome = await revoke_member(session, place, person_id, actor_id=None, label="test", now=service.clock())
        await session.commit()
    return render(outcome)


def first_commune(service: Service):
    """The (first) commune the service serves, as a value."""
    return next(iter(service.communes))


def reminder_settings(service: Service, commune: str | None = None):
    """A commune as the reminder planner sees it, with the configured catch-up."""
    from datetime import timedelta

    from jobs.snapshot import ReminderSettings

    place = service.communes.by_code(commune) if commune else first_commune(service)
    return ReminderSettings(place, timedelta(hours=service.config.reminders.catch_up_hours))
