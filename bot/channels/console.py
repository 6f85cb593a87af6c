"""The demo chat: the same Service in a terminal, one line in, one reply out."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from bot.core.messages import Incoming, Reply
from bot.service import Service

CHANNEL = "console"


class ConsoleChat:
    """A private chat with the bot for one console user; numbered buttons are typed as numbers."""

    def __init__(self, service: Service, user_id: str, user_name: str) -> None:
        self.service = service
        self.user_id = user_id
        self.user_name = user_name
        self._message_ids = itertools.count(1)
        self._buttons: list[str] = []

    async def send(self, line: str) -> Reply | None:
        """Send one line (or the number of a button shown last) and return the bot's reply."""
        line = line.strip()
        if line.isdigit() and 0 < int(line) <= len(self._buttons):
            line = self._buttons[int(line) - 1]
        reply = await self.service.handle(
            Incoming(
                channel=CHANNEL,
                chat_id=self.user_id,
                message_id=f"{self.user_id}:{next(self._message_ids)}",
                sender_id=self.user_id,
                sender_name=self.user_name,
                text=line,
            )
        )
        self._buttons = [b.command for row in (reply.buttons if reply else ()) for b in row]
        return reply


def render(reply: Reply | None) -> str:
    """A reply as terminal text, buttons as numbered choices."""
    if reply is None:
        return ""
    buttons = [b.label for row in reply.buttons for b in row]
    choices = "  ".join(f"[{i}] {label}" for i, label in enumerate(buttons, 1))
    return reply.text + (f"\n{choices}" if choices else "")


async def repl(chat: ConsoleChat, read: Callable[[str], str], write: Callable[[str], None]) -> None:
    """Read lines until EOF or /thoat and print each reply."""
    while True:
        try:
            line = read("> ")
        except EOFError:
            return
        if line.strip() in {"/thoat", "/exit", "/quit"}:
            return
        if line.strip():
            write(render(await chat.send(line)))
