"""Free-text answers the bot is waiting for: one open question per person and chat, newest first, answered once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.report_content import AwaitedAnswer


async def await_answer(
    session: AsyncSession,
    commune_id: int,
    *,
    channel: str,
    chat_id: str,
    person_id: int,
    topic: str,
    context: dict,
    now: datetime,
    expires_at: datetime,
) -> None:
    """Wait for this person's next words in this chat, in place of any question still open there."""
    await drop_awaited(session, commune_id, channel=channel, chat_id=chat_id, person_id=person_id, now=now)
    session.add(
        AwaitedAnswer(
            commune_id=commune_id, channel=channel, chat_id=chat_id, person_id=person_id, topic=topic,
            context=context, created_at=now, expires_at=expires_at,
        )
    )  # fmt: skip
    await session.flush()


async def open_awaited(
    session: AsyncSession, commune_id: int, *, channel: str, chat_id: str, person_id: int, now: datetime
) -> AwaitedAnswer | None:
    """The question this person was last asked in this chat, if still unanswered and unexpired."""
    return await session.scalar(
        select(AwaitedAnswer)
        .where(
            AwaitedAnswer.commune_id == commune_id,
            AwaitedAnswer.channel == channel,
            AwaitedAnswer.chat_id == chat_id,
            AwaitedAnswer.person_id == person_id,
            AwaitedAnswer.answered_at.is_(None),
            AwaitedAnswer.expires_at > now,
        )
        .order_by(AwaitedAnswer.id.desc())
        .limit(1)
    )


async def answer_awaited(session: AsyncSession, commune_id: int, awaited_id: int, now: datetime) -> bool:
    """Mark a question answered, atomically: of two answers exactly one wins."""
    result = await session.execute(
        update(AwaitedAnswer)
        .where(
            AwaitedAnswer.commune_id == commune_id,
            AwaitedAnswer.id == awaited_id,
            AwaitedAnswer.answered_at.is_(None),
        )
        .values(answered_at=now)
    )
    return result.rowcount == 1


async def drop_awaited(
    session: AsyncSession, commune_id: int, *, channel: str, chat_id: str, person_id: int, now: datetime
) -> None:
    """Stop waiting for this person's words in this chat (a new question, or a pick that answered it)."""
    await session.execute(
        update(AwaitedAnswer)
        .where(
            AwaitedAnswer.commune_id == commune_id,
            AwaitedAnswer.channel == channel,
            AwaitedAnswer.chat_id == chat_id,
            AwaitedAnswer.person_id == person_id,
            AwaitedAnswer.answered_at.is_(None),
        )
        .values(answered_at=now)
    )
