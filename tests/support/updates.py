"""python-telegram-bot update factories (after PTB's tests/auxil/build_messages.py): real objects, not dicts."""

from __future__ import annotations

import itertools
from datetime import datetime

from telegram import Bot, CallbackQuery, Chat, Document, Message, MessageEntity, Update, User

from tests.support.clock import DEFAULT_NOW

_ids = itertools.count(1)
BOT_USER = User(42, "Trợ lý Bình Lư", is_bot=True, username="binhlu_test_bot")


def make_user(user_id: int, first_name: str = "Lan", last_name: str | None = "Nguyễn") -> User:
    return User(user_id, first_name, is_bot=False, last_name=last_name)


def make_chat(chat_id: int, chat_type: str = Chat.PRIVATE) -> Chat:
    return Chat(chat_id, chat_type)


def make_message(
    bot: Bot,
    text: str | None,
    *,
    user: User,
    chat: Chat | None = None,
    date: datetime = DEFAULT_NOW,
    caption: str | None = None,
    document: Document | None = None,
    reply_to: Message | None = None,
) -> Message:
    """A message as Telegram delivers it, with a bot_command entity when it starts with '/'."""
    entities = None
    if text and text.startswith("/"):
        entities = [MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split()[0]))]
    message = Message(
        next(_ids),
        date,
        chat or make_chat(user.id),
        from_user=user,
        text=text,
        entities=entities,
        caption=caption,
        document=document,
        reply_to_message=reply_to,
    )
    message.set_bot(bot)
    return message


def make_message_update(bot: Bot, text: str | None, **kwargs) -> Update:
    update = Update(next(_ids), message=make_message(bot, text, **kwargs))
    update.set_bot(bot)
    return update


def make_callback_update(bot: Bot, data: str, *, user: User, message: Message) -> Update:
    """A tap on a button of `message` (a message the bot sent)."""
    query = CallbackQuery(str(next(_ids)), user, "instance", data=data, message=message)
    query.set_bot(bot)
    update = Update(next(_ids), callback_query=query)
    update.set_bot(bot)
    return update


def bot_message(bot: Bot, chat: Chat, message_id: int, text: str = "?") -> Message:
    """A message the bot sent (a question with buttons)."""
    message = Message(message_id, DEFAULT_NOW, chat, from_user=BOT_USER, text=text)
    message.set_bot(bot)
    return message
