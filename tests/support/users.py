"""Chat users talking to the service, in private or in a group, registered through real invites."""

from __future__ import annotations

import itertools

from bot.core.messages import Incoming
from bot.core.permissions import Role
from bot.service import Answer, Service

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


async def register(service: Service, user_id: str, role: Role, department: str | None = None) -> User:
    """A user registered through a real invite."""
    user = User(service, user_id, f"Người dùng {user_id}")
    invite = await service.create_invite(role, department, created_by="test")
    assert "Chào mừng" in await user.say(f"/start {invite.code}")
    return user


async def settle_replies(service: Service) -> None:
    """Mark the users' replies as delivered, so a test about reminders sees only reminders go out."""
    from sqlalchemy import update

    from storage.models import OutboxKind, OutboxMessage, OutboxStatus

    async with service.db.unit_of_work() as session:
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.kind == OutboxKind.REPLY).values(status=OutboxStatus.SENT)
        )
        await session.commit()
