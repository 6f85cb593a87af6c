"""What a send's outcome changes beyond its own row, each in the transaction that records it: a refused reply told to
its asker, a blocked chat marked and its admins told, a group that moved followed."""

from __future__ import annotations

from datetime import datetime, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import local_date
from bot.core.notices import Unreachable as UnreachableNotice
from bot.core.notices import render_notice
from bot.core.texts import text
from storage import chats, outbox, sending
from storage.models.messaging import OutboxKind, OutboxMessage, OutboxStatus

REFUSED_REPLY = "refused"  # the stage of the plain message that says a reply could not be shown


async def failed(session: AsyncSession, row: OutboxMessage, now: datetime, err: Exception) -> None:
    """A send refused for good (a 400) or a bug: recorded; the asker of a refused reply is told, once, in a plain
    message (what they sent was done: only its answer could not be shown)."""
    await sending.finish_message(session, row.id, OutboxStatus.FAILED, error=f"{type(err).__name__}: {err}"[:300])
    if row.kind == OutboxKind.REPLY and not row.stage.startswith(REFUSED_REPLY):
        recipient = chats.Recipient(row.channel, row.chat_id, row.is_group)
        told = [outbox.ReplyPart(text("reply.refused"))]
        await outbox.enqueue_reply(session, recipient, row.subject, told, now=now, day=row.day, stage=REFUSED_REPLY)


async def unreachable(session: AsyncSession, row: OutboxMessage, now: datetime, error: str, tz: tzinfo) -> None:
    """Mark the chat unreachable and tell its commune's admins, with the row's outcome."""
    await sending.finish_message(session, row.id, OutboxStatus.UNREACHABLE, error=error[:300])
    await chats.mark_unreachable(session, row.channel, row.chat_id, now)
    owner = await chats.describe_chat(session, row.channel, row.chat_id)
    if owner is not None and owner.commune_id is not None:
        today = local_date(now, tz)
        notice = render_notice(UnreachableNotice(owner.person, owner.department, row.chat_id), today)
        key = outbox.OutboxKey(OutboxKind.UNREACHABLE, outbox.chat_subject(row.channel, row.chat_id), "blocked", today)
        about = chats.Recipient(row.channel, row.chat_id, row.is_group)
        await outbox.notify_admins(session, owner.commune_id, key, notice, now=now, about=about)


async def moved(session: AsyncSession, row: OutboxMessage, new_chat_id: str, now: datetime) -> None:
    """Store the group's new id and try once more there."""
    await chats.move_group(session, row.channel, row.chat_id, new_chat_id)
    status = OutboxStatus.FAILED if row.error == "moved" else OutboxStatus.PENDING  # once only
    await sending.finish_message(session, row.id, status, chat_id=new_chat_id, next_attempt_at=now, error="moved")
