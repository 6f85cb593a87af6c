"""What a channel hands the core and what it gets back: plain data, no channel types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Incoming:
    """One message (or a tap on a choice) as any channel sees it."""

    channel: str
    chat_id: str
    message_id: str
    sender_id: str
    sender_name: str
    text: str
    sent_at: datetime | None = None  # when the sender sent it (the message's date), if the channel says
    is_group: bool = False
    attachment: str | None = None  # a channel's id of a file sent with the message
    edit_message_id: str | None = None  # a tapped question, replaced by its answer where the channel can
    inbox_id: int | None = None  # the stored update it came from: marked handled with its effects
    upload: str | None = None  # where the channel saved a file sent for import
    upload_bytes: int | None = None  # its size as the channel announced it, known before (or instead of) saving it
    bot_name: str | None = None  # the bot's own username where the channel has one (a Telegram deep link)


@dataclass(frozen=True)
class Option:
    """One answer to a question: its label, and the command that runs when it is chosen."""

    label: str
    command: str
    confirmed: bool = False  # run as already confirmed (the answer to "are you sure?")


@dataclass(frozen=True)
class Reply:
    """The answer: text, and the options it offers (buttons or numbered lines, as the channel can)."""

    text: str
    options: tuple[Option, ...] = ()
    secret: bool = False  # a one-time link or code: sent without a link preview, not kept once it is sent


@dataclass(frozen=True)
class ChannelProfile:
    """What a channel can show: the longest text it accepts, whether it has buttons, whether it takes files."""

    name: str
    max_text: int = 4096
    buttons: bool = False
    files: bool = False


@dataclass(frozen=True)
class Attachment:
    """A file made for a chat: where the server keeps it, the name users see, a photo or a document."""

    path: str
    name: str
    kind: str = "document"  # photo | document


@dataclass(frozen=True)
class Button:
    """A button as a channel draws it: the label, and the token a tap sends back."""

    label: str
    token: str


@dataclass(frozen=True)
class Outgoing:
    """One message to send: text under the channel's limit, buttons where the channel has them, maybe a file."""

    text: str
    buttons: tuple[Button, ...] = ()
    attachment: Attachment | None = None
    link_preview: bool = True  # False: no preview of a link in the text (a one-time sign-in link)
