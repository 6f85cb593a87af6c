"""The contract between the chat channels and the rest of the app: what a channel offers (a transport that
sends one message, its limits and errors; receiving into an inlet; handling a stored update) and what it is
offered (the inlet). Channels, jobs and the composition root import it; it imports neither of them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.core.messages import ChannelProfile, Incoming, Outgoing


@dataclass(frozen=True)
class Limits:
    """At most `global_per_second` sends in any second and `group_per_minute` to a group in any minute; a private
    chat gets a burst of `private_burst` at once, then `private_per_second` (a token bucket, as Telegram tolerates).
    The defaults are Telegram's (its 20 a minute to a group kept at 17, a margin)."""

    global_per_second: int = 30
    private_per_second: int = 1
    group_per_minute: int = 17
    private_burst: int = 5

    def __post_init__(self) -> None:
        for name in ("global_per_second", "private_per_second", "group_per_minute", "private_burst"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")


class DeliveryError(Exception):
    """A message that did not go out as asked."""


class RetryLater(DeliveryError):
    """The channel asked us to slow down (a 429): pause everything for `seconds`."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class NotSent(DeliveryError):
    """The request never reached the channel, or the channel failed it (connect error, 5xx): safe to retry."""


class MaybeSent(DeliveryError):
    """The request may have arrived (read or write timeout): never resend a reminder blindly."""


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
    """One channel's way of sending a message to a chat, and the limits it must be paced to."""

    channel: str
    limits: Limits
    profile: ChannelProfile

    async def send(
        self, chat_id: str, message: Outgoing, *, reply_to: str | None = None, edit: str | None = None
    ) -> str:
        """Send `message` (or replace the message `edit` with it); the channel's id of the message.

        Raises a DeliveryError saying precisely why not.
        """
        ...


class Backoff:
    """Seconds to wait before trying a platform again: doubling from `first` up to `most`, reset on success."""

    def __init__(self, first: float, most: float) -> None:
        self.first, self.most = first, most
        self.delay = first

    def next(self) -> float:
        """The wait before the next attempt (the one after waits twice as long)."""
        delay, self.delay = self.delay, min(self.delay * 2, self.most)
        return delay

    def reset(self) -> None:
        self.delay = self.first


@dataclass(frozen=True)
class Delivery:
    """One update as a channel received it: its key (update or message id), its payload, when it was sent."""

    key: str
    payload: dict
    sent_at: datetime | None = None
    chat: str | None = None  # the chat it came from: one chat's updates are handled in order


class Inlet(Protocol):
    """Where a channel hands what it receives."""

    async def accept(self, channel: str, deliveries: Sequence[Delivery]) -> None:
        """Commit updates; the channel acknowledges them to its platform only after this returns."""
        ...

    def polled(self, channel: str, *, ok: bool) -> None:
        """A poll ended (ok) or failed: what arrives next is live, or may be a backlog."""
        ...

    async def dispatch(self, incoming: Incoming) -> object:
        """Handle one message now and deliver its answer (for a channel with no durable queue: the console)."""
        ...

    def once(self, task: str, fingerprint: str) -> AbstractAsyncContextManager[bool]:
        """Setup one process does for every replica (registering a webhook): the block runs while no other process
        is inside one, told whether `task` is still to do for `fingerprint`; a block that ends without an error
        records it done for `fingerprint`."""
        ...


Dispatch = Callable[[Incoming], Awaitable[object]]
Once = Callable[[str, str], AbstractAsyncContextManager[bool]]  # Inlet.once


class Channel(Protocol):
    """A chat app the bot is reachable on: connected, receiving into an inlet, handling what the inlet stored."""

    name: str
    profile: ChannelProfile
    transport: Transport

    async def open(self) -> None:
        """Connect, before anything is sent."""

    async def start(self, inlet: Inlet) -> None:
        """Begin receiving into the inlet."""

    async def stop(self) -> None:
        """Stop receiving (the inbox and the sender still finish what they hold, through `transport`)."""

    async def close(self) -> None:
        """Close the connection, once nothing more will be sent."""

    def platform_now(self) -> datetime | None:
        """The platform's own time by the Date header of its latest answer (None before the first, or none)."""

    async def handle(self, payload: dict, dispatch: Dispatch) -> None:
        """One stored update: turned into an Incoming (or ignored) and handed to `dispatch`."""

    async def apologise(self, payload: dict) -> None:
        """Tell the sender of a stored update that it could not be saved (after every attempt failed)."""


class Observer(Protocol):
    """What the inbox, the sender and the sweep tell a monitor (the /metrics counters): counts and durations."""

    def received(self, channel: str, count: int = 1) -> None: ...
    def handled(self, channel: str, seconds: float) -> None: ...
    def sent(self, channel: str, error: BaseException | None = None) -> None: ...
    def swept(self, seconds: float) -> None: ...


class Unobserved:
    """No monitor: every observation is dropped."""

    def received(self, channel: str, count: int = 1) -> None:
        pass

    def handled(self, channel: str, seconds: float) -> None:
        pass

    def sent(self, channel: str, error: BaseException | None = None) -> None:
        pass

    def swept(self, seconds: float) -> None:
        pass


UNOBSERVED = Unobserved()
