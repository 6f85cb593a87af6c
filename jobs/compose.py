"""What an outbox row says when it goes: a notice rendered for the day it is sent (none once no longer true), cut to
the channel's length, its buttons and file on the last part, no link preview for a secret."""

from __future__ import annotations

from datetime import date

from bot.core.messages import Attachment, Button, Outgoing
from bot.core.notices import from_body, is_stale, render_notice
from bot.core.replies import split_text
from storage.models.messaging import OutboxKind, OutboxMessage


def compose(row: OutboxMessage, today: date, max_text: int, text: str | None = None) -> list[Outgoing] | None:
    """The messages `row` sends today (`text` in place of its stored text: a bundle as it reads now); None if it is
    no longer true."""
    text = text or row.text
    if row.body is not None and row.kind != OutboxKind.BUNDLE:
        notice = from_body(row.body)
        if is_stale(notice, today):
            return None
        text = render_notice(notice, today)
    parts = split_text(text, max_text)
    buttons = tuple(Button(label, token) for label, token in row.buttons or ())
    attachment = Attachment(**row.attachment) if row.attachment else None
    preview = not row.secret
    last = Outgoing(parts[-1], buttons, attachment, link_preview=preview)
    return [Outgoing(part, link_preview=preview) for part in parts[:-1]] + [last]
