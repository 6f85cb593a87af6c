"""Telegram's updates as the inbox stores them, whether polled or pushed to the webhook, and the webhook's setup.

Telegram posts one Update per request with the secret in X-Telegram-Bot-Api-Secret-Token, and repeats the
request on any answer but 2xx: the shared WebhookReceiver answers 200 only once the update is stored. The
path carries nothing secret, so the access log may name it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime

from telegram import Bot, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, TelegramError

from bot.channels.telegram_send import CHANNEL
from bot.channels.webhook import WebhookReceiver, fingerprint, task
from bot.config.channels import WebhookConfig
from bot.http_server import HttpServer
from bot.ports import Backoff, Delivery, Once

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BACKOFF = 60.0


def sent_at(update: Update) -> datetime | None:
    """When the user sent what this update carries (a tap has no date of its own)."""
    message = update.message or update.edited_message
    return message.date if message is not None else None


def delivery_of(update: Update) -> Delivery:
    """An update for the inbox, keyed by its update id (a redelivery has the same one), with its chat."""
    chat = update.effective_chat
    return Delivery(str(update.update_id), update.to_dict(), sent_at(update), str(chat.id) if chat else None)


def read_body(body: object) -> Delivery | None:
    """The Update a webhook body carries, read as polling reads it; None when it is not one."""
    update_id = body.get("update_id") if isinstance(body, dict) else None
    if isinstance(update_id, bool) or not isinstance(update_id, int):
        return None
    try:
        return delivery_of(Update.de_json(body, None))
    except Exception:  # python-telegram-bot raises whatever its constructors hit on a malformed object
        return None


def receiver(hook: WebhookConfig, server: HttpServer | None = None) -> WebhookReceiver:
    """Telegram's webhook: the secret in SECRET_HEADER, one Update per body."""
    return WebhookReceiver(CHANNEL, SECRET_HEADER, read_body, hook, server)


async def register_webhook(
    bot: Bot, hook: WebhookConfig, allowed_updates: Sequence[str], once: Once, *, first_backoff: float = 1.0
) -> None:
    """Tell Telegram where to post, with which secret and which updates, unless it was told already: of the
    replicas starting together one calls setWebhook, the others find it recorded and Telegram's webhook at our
    URL. Retried until Telegram answers; a refusal retrying cannot fix (a URL Telegram will not use, a wrong
    token) is raised.
    """
    made_of = fingerprint(bot.token, hook.public_url, hook.secret_value, *allowed_updates)
    async with once(task(CHANNEL), made_of) as todo:
        backoff = Backoff(first_backoff, MAX_BACKOFF)
        while True:
            try:
                if not todo and (await bot.get_webhook_info()).url == hook.public_url:
                    logger.info("Telegram's webhook was registered already, as it is now")
                    return
                await bot.set_webhook(
                    url=hook.public_url, secret_token=hook.secret_value, allowed_updates=list(allowed_updates)
                )
                logger.info("registered Telegram's webhook")
                return
            except (BadRequest, Forbidden, InvalidToken):
                logger.error("Telegram refused the webhook's address or the bot token")
                raise
            except TelegramError as err:
                delay = backoff.next()
                logger.warning("Telegram did not answer about its webhook (%s); retrying in %.0fs", err, delay)
                await asyncio.sleep(delay)


async def use_polling(bot: Bot) -> None:
    """Remove the webhook (Telegram refuses getUpdates while one is set), keeping the updates it holds."""
    await bot.delete_webhook(drop_pending_updates=False)
