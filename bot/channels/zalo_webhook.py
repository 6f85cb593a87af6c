"""What Zalo sends the bot: updates read into Delivery and Incoming, by polling or through the webhook.

An update is `{event_name, message: {from, chat, message_id, date, text | caption | photo_url ...}}`. Zalo
posts one update per request, as `{"ok": true, "result": update}` (the documented sample) or as the bare
update (what some clients assume); both are accepted. The webhook itself is bot/channels/webhook.py's.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from bot.channels.webhook import WebhookReceiver
from bot.config.channels import WebhookConfig
from bot.core.messages import Incoming
from bot.http_server import HttpServer
from bot.ports import Delivery

CHANNEL = "zalo"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_ATTACHMENT = 200  # the length an attachment reference is stored with
MAX_KEY = 128  # the length an inbox key is stored with


def _sent_at(value: object) -> datetime | None:
    """A Zalo `date` (milliseconds since the epoch; plain seconds are read too) as an aware instant."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
        return datetime.fromtimestamp(number / 1000 if number >= 1e11 else number, UTC) if number > 0 else None
    except (ValueError, OverflowError, OSError):
        return None


def message_of(update: dict) -> dict:
    """The update's message, or an empty one."""
    message = update.get("message")
    return message if isinstance(message, dict) else {}


def delivery_of(update: dict) -> Delivery:
    """An update for the inbox, keyed by its message id (a redelivery has the same one)."""
    message = message_of(update)
    key = message.get("message_id")
    key = str(key) if isinstance(key, str | int) and str(key) else ""
    if not key or len(key) > MAX_KEY:
        key = "sha1:" + hashlib.sha1(json.dumps(update, sort_keys=True).encode()).hexdigest()
    chat = message.get("chat")
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    chat_id = str(chat_id)[:64] if isinstance(chat_id, str | int) and not isinstance(chat_id, bool) else None
    return Delivery(key, update, _sent_at(message.get("date")), chat_id)


def strip_mention(message_text: str, names: tuple[str, ...]) -> str:
    """A group message without the leading @mention of the bot (Zalo forwards only those)."""
    stripped = message_text.lstrip()
    if not stripped.startswith("@"):
        return message_text
    for name in sorted(names, key=len, reverse=True):
        tag = "@" + name
        if stripped[: len(tag)].casefold() == tag.casefold():
            return stripped[len(tag) :].lstrip(" \u00a0:,")
    slash = stripped.find("/")  # the bot's name as this group shows it: the command after it is still ours
    return stripped[slash:] if slash > 0 else message_text


def _attachment(message: dict, message_id: str) -> str | None:
    """The photo of an image message: its URL (`photo_url` or `photo`), or a reference when it is too long."""
    url = message.get("photo_url") or message.get("photo")
    if not isinstance(url, str) or not url:
        return None
    return url if len(url) <= MAX_ATTACHMENT else f"zalo:image:{message_id}"[:MAX_ATTACHMENT]


def incoming_of(update: dict, bot_names: tuple[str, ...] = ()) -> Incoming | None:
    """The channel-neutral form of a message; None for what is not a person's message to us.

    Text is the text, or an image's caption; an image without one, a sticker, a voice or an unsupported
    message comes with no text, so the service says it only understands commands.
    """
    message = message_of(update)
    sender, chat = message.get("from"), message.get("chat")
    if not isinstance(sender, dict) or not isinstance(chat, dict) or sender.get("is_bot") is True:
        return None
    sender_id, chat_id, message_id = (
        str(v or "") for v in (sender.get("id"), chat.get("id"), message.get("message_id"))
    )
    if not sender_id or not chat_id or not message_id:
        return None
    is_group = chat.get("chat_type") == "GROUP"
    said = next((v for v in (message.get("text"), message.get("caption")) if isinstance(v, str) and v.strip()), "")
    name = next((v for k in ("display_name", "name", "first_name") if isinstance(v := sender.get(k), str) and v), "")
    return Incoming(
        channel=CHANNEL,
        chat_id=chat_id,
        message_id=message_id,
        sender_id=sender_id,
        sender_name=name,
        text=strip_mention(said, bot_names) if is_group else said,
        sent_at=_sent_at(message.get("date")),
        is_group=is_group,
        attachment=_attachment(message, message_id),
    )


def unwrap(body: object) -> dict | None:
    """The update in a webhook body, wrapped or bare; None when the body is not an update."""
    if not isinstance(body, dict):
        return None
    if "result" in body and "ok" in body:
        result = body["result"]
        return result if isinstance(result, dict) and isinstance(result.get("message"), dict) else None
    return body if isinstance(body.get("message"), dict) else None


def read_body(body: object) -> Delivery | None:
    """The update a webhook body carries, for the inbox; None when it carries none."""
    update = unwrap(body)
    return delivery_of(update) if update is not None else None


def receiver(hook: WebhookConfig, server: HttpServer | None = None) -> WebhookReceiver:
    """Zalo's webhook: the secret in SECRET_HEADER, one update (wrapped or bare) per body."""
    return WebhookReceiver(CHANNEL, SECRET_HEADER, read_body, hook, server)
