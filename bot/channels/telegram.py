"""Telegram: python-telegram-bot wiring. Handlers only translate; the Service decides."""

from __future__ import annotations

import logging

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler, filters
from telegram.request import BaseRequest

from bot.config import Config
from bot.core.commands import CommandName
from bot.core.messages import Incoming, Reply
from bot.core.permissions import PUBLIC_COMMANDS
from bot.core.texts import text
from bot.service import Service

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


def _addressed_elsewhere(message: Message, bot_username: str) -> bool:
    """'/hop@OtherBot' in a group is not for us."""
    word = (message.text or "").split(maxsplit=1)[0] if (message.text or "").startswith("/") else ""
    _, at, addressee = word.partition("@")
    return bool(at) and addressee.lower() != bot_username.lower()


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
            )
        )
        if reply is not None:
            await message.reply_text(
                reply.text, reply_markup=keyboard(reply), do_quote=message.chat.type != ChatType.PRIVATE
            )

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button tap runs its command; the question is replaced by the answer (one tap, one entry)."""
        query = update.callback_query
        await query.answer()
        message = query.message
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
            await query.edit_message_text(reply.text, reply_markup=keyboard(reply))

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

    async def post_init(application: Application) -> None:
        await service.prepare()
        await register_menu(application)

    async def post_shutdown(application: Application) -> None:
        await service.db.dispose()

    builder: ApplicationBuilder = (
        Application.builder()
        .token(token)
        .base_url(config.telegram.base_url)
        .job_queue(None)
        .post_init(post_init)
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
