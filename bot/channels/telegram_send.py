"""Sending to Telegram: the outbox's transport, which says precisely how a send failed, and the keyboards."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.core.messages import ChannelProfile, Outgoing
from bot.core.replies import split_text
from bot.ports import ChatMoved, Limits, MaybeSent, NotSent, Rejected, RetryLater, Unreachable

CHANNEL = "telegram"
PROFILE = ChannelProfile(CHANNEL, max_text=4096, buttons=True, files=True)
CAPTION_LIMIT = 1024
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
ONE_ROW = 24  # buttons whose labels fit this many characters together share a row


def keyboard(message: Outgoing) -> InlineKeyboardMarkup | None:
    """The message's buttons as an inline keyboard: short ones side by side, long ones one a row."""
    if not message.buttons:
        return None
    buttons = [InlineKeyboardButton(b.label, callback_data=b.token) for b in message.buttons]
    if sum(len(b.label) for b in message.buttons) <= ONE_ROW:
        return InlineKeyboardMarkup([buttons])
    return InlineKeyboardMarkup([[b] for b in buttons])


class TelegramTransport:
    """Sends outbox messages through the Bot API and says exactly how a failure happened."""

    channel = CHANNEL
    profile = PROFILE

    def __init__(self, bot: Bot, messages_per_second: int = Limits.global_per_second) -> None:
        self.bot = bot
        # Telegram's limits: 30 a second overall, a short burst then 1 a second to a chat, 20 a minute to a group.
        self.limits = Limits(global_per_second=messages_per_second)

    async def send(
        self, chat_id: str, message: Outgoing, *, reply_to: str | None = None, edit: str | None = None
    ) -> str:
        """Send one message (or put it in place of the tapped question); the Telegram message id."""
        try:
            if message.attachment is not None:
                return await self._send_file(chat_id, message)
            if edit is not None:
                return await self._edit(chat_id, edit, message)
            reply = ReplyParameters(int(reply_to), allow_sending_without_reply=True) if reply_to else None
            sent = await self.bot.send_message(
                int(chat_id),
                message.text,
                reply_markup=keyboard(message),
                reply_parameters=reply,
                link_preview_options=None if message.link_preview else NO_PREVIEW,
            )
        except RetryAfter as err:
            wait = err.retry_after
            raise RetryLater(wait.total_seconds() if isinstance(wait, timedelta) else float(wait)) from err
        except Forbidden as err:
            raise Unreachable(str(err)) from err
        except ChatMigrated as err:
            raise ChatMoved(str(err.new_chat_id)) from err
        except BadRequest as err:
            raise Rejected(str(err)) from err
        except (TimedOut, NetworkError) as err:
            # Only a request that never left is safe to repeat; a read or write timeout may have delivered it.
            never_sent = isinstance(err.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout | httpx.ConnectError)
            raise (NotSent if never_sent else MaybeSent)(str(err)) from err
        return str(sent.message_id)

    async def _send_file(self, chat_id: str, message: Outgoing) -> str:
        """A chart as a photo, a workbook or a report as a document, with the text as its caption."""
        attachment = message.attachment
        content = await asyncio.to_thread(Path(attachment.path).read_bytes)
        caption = split_text(message.text, CAPTION_LIMIT)[0]  # Telegram counts UTF-16 units, as this does
        if attachment.kind == "photo":
            sent = await self.bot.send_photo(int(chat_id), content, caption=caption)
        else:
            sent = await self.bot.send_document(int(chat_id), content, filename=attachment.name, caption=caption)
        return str(sent.message_id)

    async def _edit(self, chat_id: str, message_id: str, message: Outgoing) -> str:
        try:
            await self.bot.edit_message_text(
                message.text, chat_id=int(chat_id), message_id=int(message_id), reply_markup=keyboard(message)
            )
        except BadRequest as err:
            if "not modified" in str(err).lower():
                return message_id  # a second tap shows the same answer: it is already there
            sent = await self.bot.send_message(int(chat_id), message.text, reply_markup=keyboard(message))
            return str(sent.message_id)
        return message_id
