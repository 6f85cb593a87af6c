"""What a channel's transport promises the outbox sender: send one text, or say precisely why not."""

from __future__ import annotations

from typing import Protocol

from jobs.ratelimit import Limits


class DeliveryError(Exception):
    """A message that did not go out as asked."""


class RetryLater(DeliveryError):
    """The channel asked us to slow down (Telegram's 429): pause everything for `seconds`."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class NotSent(DeliveryError):
    """The request never reached the channel (connect or pool timeout, refused): safe to retry."""


class MaybeSent(DeliveryError):
    """The request may have arrived (read or write timeout): never resend blindly."""


class Unreachable(DeliveryError):
    """The recipient blocked the bot or removed it from the group."""


class ChatMoved(DeliveryError):
    """A group became a supergroup under a new id."""

    def __init__(self, new_chat_id: str) -> None:
        super().__init__(f"moved to {new_chat_id}")
        self.new_chat_id = new_chat_id


class Rejected(DeliveryError):
    """The channel refused this message for good (chat not found, bad request)."""


class Transport(Protocol):
    """One channel's way of sending a text to a chat, and the limits it must be paced to."""

    channel: str
    limits: Limits

    async def send(self, chat_id: str, text: str) -> str:
        """Send `text`; the channel's id of the sent message. Raises a DeliveryError."""
        ...
