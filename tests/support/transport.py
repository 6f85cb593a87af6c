"""One fake transport: records what the outbox sender sends, and fails on cue per chat."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.messages import ChannelProfile, Outgoing
from bot.ports import Limits


@dataclass(frozen=True)
class Sent:
    chat_id: str
    text: str
    buttons: tuple = ()
    reply_to: str | None = None
    edit: str | None = None
    link_preview: bool = True


class FakeTransport:
    """A channel's transport that sends nowhere."""

    def __init__(self, channel: str = "test", *, limits: Limits | None = None, buttons: bool = False) -> None:
        self.channel = channel
        self.limits = limits or Limits()
        self.profile = ChannelProfile(channel, buttons=buttons)
        self.sent: list[Sent] = []
        self.failures: dict[str, list[Exception]] = {}
        self.arrived = asyncio.Event()
        self.hold: asyncio.Event | None = None  # when set to an event, each send waits for it (a slow platform)
        self.holding: Callable[[str], bool] = lambda chat_id: True  # which chats' sends wait on `hold`
        self.in_flight: list[str] = []  # the chats of the sends waiting on `hold`
        self._moved = asyncio.Condition()

    async def send(
        self, chat_id: str, message: Outgoing, *, reply_to: str | None = None, edit: str | None = None
    ) -> str:
        if self.hold is not None and self.holding(chat_id):
            async with self._moved:
                self.in_flight.append(chat_id)
                self._moved.notify_all()
            await self.hold.wait()
            self.in_flight.remove(chat_id)
        if self.failures.get(chat_id):
            raise self.failures[chat_id].pop(0)
        self.sent.append(Sent(chat_id, message.text, message.buttons, reply_to, edit, message.link_preview))
        self.arrived.set()
        return str(len(self.sent))

    async def next_send(self) -> None:
        """Until the next message is sent."""
        self.arrived.clear()
        await self.arrived.wait()

    async def waiting_for(self, count: int) -> None:
        """Until `count` sends wait on `hold` at once."""
        async with self._moved:
            await self._moved.wait_for(lambda: len(self.in_flight) >= count)

    def texts(self, chat_id: str | None = None) -> list[str]:
        """What was sent (to one chat), in order."""
        return [s.text for s in self.sent if chat_id is None or s.chat_id == chat_id]


class FakeChannel:
    """A channel with no network: its transport records; messages are handed in by the test."""

    def __init__(self, name: str = "test", *, buttons: bool = False) -> None:
        self.name = name
        self.transport = FakeTransport(name, buttons=buttons)
        self.profile = self.transport.profile
        self.dispatch = None

    async def open(self) -> None:
        pass

    async def start(self, dispatch) -> None:
        self.dispatch = dispatch

    async def stop(self) -> None:
        pass

    async def close(self) -> None:
        pass

    def platform_now(self):
        return None

    async def handle(self, payload: dict, dispatch) -> None:
        pass

    async def apologise(self, payload: dict) -> None:
        pass
