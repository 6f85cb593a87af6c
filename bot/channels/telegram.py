"""Telegram: python-telegram-bot wiring. Handlers only translate; the Service decides."""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler, filters
from telegram.request import BaseRequest

from bot.config import Config
from bot.core.commands import CommandName
from bot.core.messages import Incoming, Reply
from bot.core.permissions import PUBLIC_COMMANDS
from bot.core.texts import text
from bot.service import Service
from jobs.delivery import ChatMoved, MaybeSent, NotSent, Rejected, RetryLater, Unreachable
from jobs.ratelimit import Limits
from jobs.schedule import ReminderRuntime

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
MENU = [name for name in CommandName if name not in PUBLIC_COMMANDS]


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons as an inline keyboard; a tap sends the button's command back."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.command) for b in row] for row in reply.buttons]
    )


def menu_commands() -> list[BotCommand]:
    """The command menu shown by Telegram clients, in Vietnamese."""
    commands = []
    for name in MENU:
        description = text(f"help.{name}").split(" – ", 1)[1]
        commands.append(BotCommand(name.value, description[0].upper() + description[1:]))
    return commands


class TelegramTransport:
    """Sends outbox messages through the Bot API and says exactly how a failure happened."""

    channel = CHANNEL
    limits = Limits(global_per_second=20, private_per_second=1, group_per_minute=17)

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: str, text: str) -> str:
        """Send one text; the Telegram message id."""
        try:
            message = await self.bot.send_message(int(chat_id), text)
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
        return str(message.message_id)


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


class TelegramChannel:
    """The handlers, bound to one Service."""

    def __init__(self, service: Service) -> None:
        self.service = service

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any message: hand it to the Service and send back what it says."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or user.is_bot or _addressed_elsewhere(message, context.bot.username):
            return
        reply = await self.service.handle(
            Incoming(
                channel=CHANNEL,
                chat_id=str(message.chat_id),
                message_id=str(message.message_id),
                sender_id=str(user.id),
                sender_name=user.full_name,
                text=message.text or message.caption or "",
                is_group=message.chat.type != ChatType.PRIVATE,
                attachment=_attachment(message),
            )
        )
        if reply is not None:
            await message.reply_text(
                reply.text, reply_markup=keyboard(reply), do_quote=message.chat.type != ChatType.PRIVATE
            )

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button tap runs its command; the question is replaced by the answer (one tap, one entry)."""
        query = update.callback_query
        message = query.message
        asker = message.reply_to_message.from_user if message and message.reply_to_message else None
        if asker is not None and asker.id != query.from_user.id:
            await query.answer(text("button.not_yours"), show_alert=True)  # in a group, only the asker taps
            return
        await query.answer()
        if message is None or not query.data:
            return
        reply = await self.service.handle(
            Incoming(
                channel=CHANNEL,
                chat_id=str(message.chat.id),
                message_id=f"button:{message.message_id}",  # every tap on one keyboard is one entry
                sender_id=str(query.from_user.id),
                sender_name=query.from_user.full_name,
                text=query.data,
                is_group=message.chat.type != ChatType.PRIVATE,
            )
        )
        if reply is not None:
            try:
                await query.edit_message_text(reply.text, reply_markup=keyboard(reply))
            except BadRequest as err:
                if "not modified" not in str(err).lower():  # a second tap shows the same receipt: fine
                    raise

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure with its traceback and still answer the user with an apology."""
        logger.error("handling an update failed", exc_info=context.error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        try:
            await context.bot.send_message(update.effective_chat.id, text("error.internal"))
        except TelegramError:
            logger.warning("could not send the apology", exc_info=True)


async def register_menu(application: Application) -> None:
    """Publish the Vietnamese command menu; a failure is logged, not fatal."""
    try:
        await application.bot.set_my_commands(menu_commands())
    except TelegramError:
        logger.warning("could not register the command menu", exc_info=True)


def build_application(
    config: Config,
    service: Service,
    token: str,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> Application:
    """The python-telegram-bot Application: handlers, error handler, start and stop hooks."""
    channel = TelegramChannel(service)
    runtime: list[ReminderRuntime] = []

    async def post_init(application: Application) -> None:
        await service.prepare()
        await register_menu(application)
        # The sender always runs (a task notice must go out); the sweeper only when reminders are on.
        runtime.append(ReminderRuntime(service, {CHANNEL: TelegramTransport(application.bot)}))
        await runtime[0].start(sweep=config.reminders.enabled)

    async def post_stop(application: Application) -> None:
        for item in runtime:
            await item.stop()

    async def post_shutdown(application: Application) -> None:
        await service.db.dispose()

    builder: ApplicationBuilder = (
        Application.builder()
        .token(token)
        .base_url(config.telegram.base_url)
        .job_queue(None)
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
    )
    if config.telegram.base_file_url:
        builder = builder.base_file_url(config.telegram.base_file_url)
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    else:
        builder = builder.get_updates_read_timeout(config.telegram.poll_timeout + 10)
    application = builder.build()
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, channel.on_message))
    application.add_handler(CallbackQueryHandler(channel.on_button))
    application.add_error_handler(channel.on_error)
    return application


def run_polling(config: Config, service: Service, token: str) -> None:
    """Long-poll until SIGINT or SIGTERM, then shut down cleanly."""
    application = build_application(config, service, token)
    application.run_polling(
        allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY],
        timeout=config.telegram.poll_timeout,
        bootstrap_retries=-1,
    )
