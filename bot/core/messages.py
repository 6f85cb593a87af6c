"""What a channel hands the core and what it gets back: plain data, no channel types."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Incoming:
    """One message (or button tap) as any channel sees it."""

    channel: str
    chat_id: str
    message_id: str
    sender_id: str
    sender_name: str
    text: str
    is_group: bool = False
    attachment: str | None = None  # a channel's id of a file sent with the message


@dataclass(frozen=True)
class Button:
    """A choice a channel may show as a button; tapping it sends `command` as if typed."""

    label: str
    command: str


@dataclass(frozen=True)
class Reply:
    """The answer: text, and buttons where the channel has them."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default=())
