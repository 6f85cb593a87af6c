"""What the bot remembers of a conversation: the answer each change got, and questions awaiting a pick."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.messaging import HandledMessage, PendingChoice


@dataclass(frozen=True)
class Source:
    """Where a change came from: (channel, chat id, message id) identifies a message for good."""

    channel: str
    chat_id: str
    message_id: str


def handled_reply(source: Source):
    """The reply a message already got, if it changed something before, as a scalar subquery (NULL if none)."""
    return (
        select(HandledMessage.reply)
        .where(
            HandledMessage.channel == source.channel,
            HandledMessage.chat_id == source.chat_id,
            HandledMessage.message_id == source.message_id,
        )
        .scalar_subquery()
    )


async def get_handled_reply(session: AsyncSession, source: Source) -> str | None:
    """The reply a message already got, if it changed something before."""
    return await session.scalar(select(handled_reply(source)))


def open_question(channel: str, chat_id: str, now: datetime):
    """Whether a question asked of anyone in this chat is still open, as SQL: when not, a new command there has
    none to withdraw (`withdraw_choices` needs not run)."""
    return exists().where(
        PendingChoice.channel == channel,
        PendingChoice.chat_id == chat_id,
        PendingChoice.consumed_at.is_(None),
        PendingChoice.expires_at > now,
    )


async def add_handled_reply(session: AsyncSession, source: Source, reply: str, now: datetime) -> None:
    """Record the reply to a message in the same transaction as the change it made."""
    session.add(
        HandledMessage(
            channel=source.channel, chat_id=source.chat_id, message_id=source.message_id, reply=reply, handled_at=now
        )
    )
    await session.flush()


async def add_choice(
    session: AsyncSession,
    *,
    channel: str,
    chat_id: str,
    person_id: int,
    options: list[dict],
    now: datetime,
    expires_at: datetime,
) -> int:
    """Remember a question's options for the person asked; the id its answers refer to."""
    choice = PendingChoice(
        channel=channel, chat_id=chat_id, person_id=person_id, options=options, created_at=now, expires_at=expires_at
    )
    session.add(choice)
    await session.flush()
    return choice.id


async def get_choice(session: AsyncSession, choice_id: int) -> PendingChoice | None:
    """A question by id."""
    return await session.get(PendingChoice, choice_id)


async def latest_open_choice(
    session: AsyncSession, channel: str, chat_id: str, person_id: int, now: datetime
) -> PendingChoice | None:
    """The newest question asked of this person in this chat that is still unanswered and unexpired."""
    return await session.scalar(
        select(PendingChoice)
        .where(
            PendingChoice.channel == channel,
            PendingChoice.chat_id == chat_id,
            PendingChoice.person_id == person_id,
            PendingChoice.consumed_at.is_(None),
            PendingChoice.expires_at > now,
        )
        .order_by(PendingChoice.id.desc())
        .limit(1)
    )


async def consume_choice(session: AsyncSession, choice_id: int, now: datetime) -> bool:
    """Mark a question answered, atomically: of two answers exactly one wins."""
    result = await session.execute(
        update(PendingChoice)
        .where(PendingChoice.id == choice_id, PendingChoice.consumed_at.is_(None))
        .values(consumed_at=now)
    )
    return result.rowcount == 1


async def withdraw_choices(session: AsyncSession, channel: str, chat_id: str, person_id: int, now: datetime) -> int:
    """A new command was typed: the questions still open for this person in this chat can no longer be answered."""
    result = await session.execute(
        update(PendingChoice)
        .where(
            PendingChoice.channel == channel,
            PendingChoice.chat_id == chat_id,
            PendingChoice.person_id == person_id,
            PendingChoice.consumed_at.is_(None),
            PendingChoice.expires_at > now,
        )
        .values(expires_at=now)
    )
    return result.rowcount or 0


async def latest_choice_since(
    session: AsyncSession, channel: str, chat_id: str, person_id: int, since: datetime
) -> PendingChoice | None:
    """The newest question asked of this person in this chat since `since`, answered or not."""
    return await session.scalar(
        select(PendingChoice)
        .where(
            PendingChoice.channel == channel,
            PendingChoice.chat_id == chat_id,
            PendingChoice.person_id == person_id,
            PendingChoice.created_at > since,
        )
        .order_by(PendingChoice.id.desc())
        .limit(1)
    )
