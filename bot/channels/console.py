"""The console: the same service in a terminal, one line in, the reply printed; choices are typed as numbers."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import threading
from collections.abc import Awaitable, Callable, Iterator

from bot.core.messages import ChannelProfile, Incoming, Outgoing
from bot.core.texts import text
from bot.ports import Limits
from bot.service import Answer

CHANNEL = "console"
PROFILE = ChannelProfile(CHANNEL, max_text=4096, buttons=False, files=True)  # a file: where it is on this machine

Dispatch = Callable[[Incoming], Awaitable[Answer | None]]


class ConsoleTransport:
    """Prints what the bot sends to the terminal."""

    channel = CHANNEL
    profile = PROFILE
    limits = Limits(global_per_second=1000, private_per_second=1000, group_per_minute=1000)

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write
        self._muted = False
        self._listening: str | None = None
        self._ids = itertools.count(1)

    def listen_to(self, chat_id: str) -> None:
        """Show only what is sent to this chat (the person at the keyboard)."""
        self._listening = chat_id

    @contextlib.contextmanager
    def muted(self) -> Iterator[None]:
        """Send without printing (the demo's sample data is entered through the chat, quietly)."""
        self._muted = True
        try:
            yield
        finally:
            self._muted = False

    async def send(
        self, chat_id: str, message: Outgoing, *, reply_to: str | None = None, edit: str | None = None
    ) -> str:
        if not self._muted and self._listening in (None, chat_id):
            file = message.attachment
            self.write(message.text if file is None else f"{message.text}\n{text('demo.file', path=file.path)}")
        return str(next(self._ids))


class ConsoleChannel:
    """A channel without a network: the demo's chats, and a transport that prints."""

    name = CHANNEL
    profile = PROFILE

    def __init__(self, write: Callable[[str], None] = print) -> None:
        self.transport = ConsoleTransport(write)
        self._dispatch: Dispatch | None = None

    async def open(self) -> None:
        """Nothing to connect."""

    async def start(self, inlet) -> None:
        """Remember where messages go: straight to the service (a terminal needs no durable queue)."""
        self._dispatch = inlet.dispatch

    async def stop(self) -> None:
        """Nothing to stop receiving."""

    async def close(self) -> None:
        """Nothing to close."""

    def platform_now(self) -> None:
        """A terminal has no clock of its own."""

    async def handle(self, payload: dict, dispatch) -> None:
        """Nothing is stored for the console: its lines go straight to the service (see `start`)."""

    async def apologise(self, payload: dict) -> None:
        """Nothing is stored for the console, so nothing can fail to be."""

    def chat(self, user_id: str, user_name: str) -> ConsoleChat:
        """A private chat with the bot for one console user."""
        assert self._dispatch is not None, "start the channel first"
        return ConsoleChat(self._dispatch, user_id, user_name)


class ConsoleChat:
    """One user's private chat: each line is a message; its reply is printed by the transport."""

    def __init__(self, dispatch: Dispatch, user_id: str, user_name: str) -> None:
        self.dispatch = dispatch
        self.user_id = user_id
        self.user_name = user_name
        self._message_ids = itertools.count(1)

    async def send(self, line: str) -> Answer | None:
        """Send one line; the answer (already printed by the time this returns)."""
        return await self.dispatch(
            Incoming(
                channel=CHANNEL,
                chat_id=self.user_id,
                message_id=f"{self.user_id}:{next(self._message_ids)}",
                sender_id=self.user_id,
                sender_name=self.user_name,
                text=line.strip(),
            )
        )


async def read_aside(read: Callable[[str], str], prompt: str) -> str:
    """`read(prompt)` on a thread of its own, so the event loop (the web pages, the sender) runs while the
    terminal waits; a daemon thread, so a Ctrl-C never waits for a line that will not come."""
    loop = asyncio.get_running_loop()
    line: asyncio.Future[str] = loop.create_future()

    def settle(outcome: BaseException | str) -> None:
        if line.done():
            return
        if isinstance(outcome, BaseException):
            line.set_exception(outcome)
        else:
            line.set_result(outcome)

    def work() -> None:
        try:
            outcome = read(prompt)
        except BaseException as err:  # EOFError above all: the terminal closed
            outcome = err
        loop.call_soon_threadsafe(settle, outcome)

    threading.Thread(target=work, name="console-input", daemon=True).start()
    return await line


async def repl(chat: ConsoleChat, read: Callable[[str], str]) -> None:
    """Read lines until EOF or /thoat; each reply is printed as it is delivered."""
    while True:
        try:
            line = await read_aside(read, "> ")
        except EOFError:
            return
        if line.strip() in {"/thoat", "/exit", "/quit"}:
            return
        if line.strip():
            await chat.send(line)
