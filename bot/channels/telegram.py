"""Telegram: long polling or a webhook with python-telegram-bot's Bot, updates turned into Incoming, replies sent.

Handlers only translate; the service decides. The outbox sender sends every reply through
`TelegramTransport`, which says precisely how a send failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    CallbackQuery,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.error import (
    InvalidToken,
    TelegramError,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.channels.platform_time import PlatformTime
from bot.channels.telegram_send import CHANNEL, PROFILE, TelegramTransport
from bot.channels.telegram_webhook import delivery_of, receiver, register_webhook, use_polling
from bot.config import TelegramConfig
from bot.core.messages import Incoming
from bot.core.texts import text
from bot.exports.limits import LIMITS
from bot.http_server import HttpServer
from bot.ports import Backoff, Inlet
from bot.service import Answer
from bot.service.registry import registry

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
MAX_BACKOFF = 60.0


def menu_commands(names: tuple[str, ...] | None = None) -> list[BotCommand]:
    """A command menu in Vietnamese: these commands (by default those every member may run), in registry order,
    each with what it does."""
    commands = registry()
    names = commands.for_every_member() if names is None else names
    menu = []
    for command in commands:
        if command.name in names:
            summary = text(command.summary_key)
            menu.append(BotCommand(command.name, summary[0].upper() + summary[1:]))
    return menu


def _addressed_elsewhere(message: Message, bot_username: str) -> bool:
    """'/hop@OtherBot' in a group is not for us."""
    word = (message.text or "").split(maxsplit=1)[0] if (message.text or "").startswith("/") else ""
    _, at, addressee = word.partition("@")
    return bool(at) and addressee.lower() != bot_username.lower()


def _attachment(message: Message) -> str | None:
    """The file id of a document or photo sent with the message (a report submitted with its file)."""
    if message.document is not None:
        return message.document.file_id
    return message.photo[-1].file_id if message.photo else None


def incoming_of(update: Update, bot_username: str) -> Incoming | None:
    """The channel-neutral form of a message or a button tap; None for what is not for us."""
    query, message, user = update.callback_query, update.effective_message, update.effective_user
    if message is None or user is None or user.is_bot:
        return None
    is_group = message.chat.type != ChatType.PRIVATE
    if query is not None:
        return Incoming(
            channel=CHANNEL,
            chat_id=str(message.chat.id),
            message_id=f"tap:{query.id}",
            sender_id=str(user.id),
            sender_name=user.full_name,
            text=query.data or "",
            is_group=is_group,
            edit_message_id=str(message.message_id),
            bot_name=bot_username,
        )
    if _addressed_elsewhere(message, bot_username):
        return None
    return Incoming(
        channel=CHANNEL,
        chat_id=str(message.chat_id),
        message_id=str(message.message_id),
        sender_id=str(user.id),
        sender_name=user.full_name,
        text=message.text or message.caption or "",
        sent_at=message.date,
        is_group=is_group,
        attachment=_attachment(message),
        bot_name=bot_username,
    )


class TelegramChannel:
    """Receives updates by long polling or webhook into the inbox; handles each stored update; sends replies."""

    name = CHANNEL
    profile = PROFILE
    first_backoff = 1.0  # seconds before receiving is tried again, doubling up to MAX_BACKOFF

    def __init__(
        self,
        config: TelegramConfig,
        token: str,
        *,
        request: BaseRequest | None = None,
        get_updates_request: BaseRequest | None = None,
        uploads: Path | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        server: HttpServer | None = None,
    ) -> None:
        """`server` is the process's HTTP server the webhook is mounted on; without one, the channel runs its own."""
        self.config = config
        self._sleep = sleep  # how it waits before trying Telegram again
        self.uploads = uploads  # where a file sent for import (/nhap) is saved
        files = {"base_file_url": config.base_file_url} if config.base_file_url else {}
        self.time = PlatformTime()  # Telegram's clock, from the Date header of every answer
        request = request or self._dated_request()
        get_updates_request = get_updates_request or self._dated_request(connection_pool_size=1)
        self.bot = Bot(
            token, base_url=config.base_url, request=request, get_updates_request=get_updates_request, **files
        )
        self.transport = TelegramTransport(self.bot, config.messages_per_second)
        self.webhook = receiver(config.webhook, server) if config.mode == "webhook" else None
        self._polling: asyncio.Task | None = None
        self._menus: dict[str, tuple[str, ...]] = {}  # private chat -> the menu last set there

    def _dated_request(self, **pool) -> HTTPXRequest:
        """python-telegram-bot's own default request (a pool for sends, one connection for getUpdates), reading
        the Date header of every answer."""
        return HTTPXRequest(**pool, httpx_kwargs={"event_hooks": {"response": [self.time.on_response]}})

    def platform_now(self):
        """Telegram's time by its latest answer (None before the first)."""
        return self.time.current()

    async def open(self) -> None:
        """Connect (retrying until Telegram answers) and publish the command menu."""
        backoff = Backoff(self.first_backoff, MAX_BACKOFF)
        while True:
            try:
                await self.bot.initialize()
                break
            except InvalidToken:
                raise
            except TelegramError as err:
                delay = backoff.next()
                logger.warning("Telegram is not reachable (%s); retrying in %.0fs", err, delay)
                await self._sleep(delay)
        await register_menu(self.bot)

    async def start(self, inlet: Inlet) -> None:
        """Begin receiving into `inlet`: poll, or take the webhook's calls and then register it with Telegram.

        A shared server is started by its owner before this; a webhook's own one is started here.
        """
        if self.webhook is None:
            with contextlib.suppress(TelegramError):
                await use_polling(self.bot)
            self._polling = asyncio.create_task(self._poll(inlet), name="telegram-polling")
            return
        await self.webhook.open(inlet.accept)  # listening before Telegram is told where to post
        await register_webhook(
            self.bot, self.config.webhook, ALLOWED_UPDATES, inlet.once, first_backoff=self.first_backoff
        )

    async def stop(self) -> None:
        """Stop receiving (the webhook stays registered: Telegram keeps what comes)."""
        if self.webhook is not None:
            await self.webhook.close()
        if self._polling is not None:
            self._polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._polling
            self._polling = None

    async def close(self) -> None:
        """Close the connection: a reply in flight when the stop came has been sent and recorded by now."""
        await self.bot.shutdown()

    async def _poll(self, inlet: Inlet) -> None:
        """Long-poll; commit each batch to the inbox before the next getUpdates acknowledges it."""
        offset, backoff = None, Backoff(self.first_backoff, MAX_BACKOFF)
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset,
                    timeout=self.config.poll_timeout,
                    allowed_updates=ALLOWED_UPDATES,
                    read_timeout=self.config.poll_timeout + 10,
                )
                if updates:
                    await inlet.accept(CHANNEL, [delivery_of(u) for u in updates])
            except InvalidToken:
                logger.error("Telegram refused the bot token; stopped receiving")
                return
            except Exception as err:  # Telegram unreachable, or a batch not saved (so not acknowledged: sent again)
                unreachable = isinstance(err, TelegramError)
                delay = backoff.next()
                logger.warning("receiving failed (%s); retrying in %.0fs", err, delay, exc_info=not unreachable)
                inlet.polled(CHANNEL, ok=False)
                await self._sleep(delay)
                continue
            backoff.reset()
            if updates:
                offset = updates[-1].update_id + 1  # acknowledged by the next getUpdates, after the commit
            inlet.polled(CHANNEL, ok=True)

    async def handle(self, payload: dict, dispatch) -> None:
        """One stored update: a message answered through the outbox, a tap answered and its question replaced."""
        update = Update.de_json(payload, self.bot)
        incoming = incoming_of(update, self.bot.username)
        query = update.callback_query
        if incoming is not None and incoming.attachment and registry().takes_file(incoming.text):
            incoming = await self._download(update.effective_message, incoming)
        if incoming is None:
            if query is not None:
                await _answer_tap(query)
            return
        answer: Answer | None = await dispatch(incoming)
        if query is not None:
            await _answer_tap(query, answer.text if answer is not None and answer.alert else None)
        if answer is not None and answer.commands and not incoming.is_group:
            await self._set_menu(incoming.chat_id, answer.commands)

    async def _download(self, message: Message, incoming: Incoming) -> Incoming:
        """Save a file sent for import, unless Telegram says it is over the size an import may be."""
        document = message.document
        if self.uploads is None or document is None:
            return incoming
        if document.file_size is not None and document.file_size > LIMITS.file_bytes:
            return replace(incoming, upload_bytes=document.file_size)  # refused by its size, never fetched
        telegram_file = await self.bot.get_file(document.file_id)
        name = Path(document.file_name or "tep").name
        path = self.uploads / f"{incoming.chat_id}-{incoming.message_id}-{name}"
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        await telegram_file.download_to_drive(path)
        return replace(incoming, upload=str(path), upload_bytes=document.file_size)

    async def apologise(self, payload: dict) -> None:
        """The update could not be saved: say so, so the official sends it again."""
        update = Update.de_json(payload, self.bot)
        if update.callback_query is not None:
            await update.callback_query.answer(text("error.not_saved"), show_alert=True)
        elif update.effective_chat is not None:
            await self.bot.send_message(update.effective_chat.id, text("error.not_saved"))

    async def _set_menu(self, chat_id: str, commands: tuple[str, ...]) -> None:
        """Each person's menu shows what their roles allow (a focal person sees no /giaoviec)."""
        if self._menus.get(chat_id) == commands:
            return
        try:
            await self.bot.set_my_commands(menu_commands(commands), scope=BotCommandScopeChat(int(chat_id)))
            self._menus[chat_id] = commands
        except TelegramError:
            logger.warning("could not set a chat's command menu", exc_info=True)


async def _answer_tap(query: CallbackQuery, alert: str | None = None) -> None:
    """Stop the button's spinner (with an alert for a tap that does not count)."""
    try:
        await query.answer(alert, show_alert=alert is not None)
    except TelegramError:
        logger.warning("could not answer a button tap", exc_info=True)


async def register_menu(bot: Bot) -> None:
    """Publish the Vietnamese command menu; a failure is logged, not fatal."""
    try:
        await bot.set_my_commands(menu_commands())
    except TelegramError:
        logger.warning("could not register the command menu", exc_info=True)
