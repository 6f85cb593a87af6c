"""The composition root: the database, the service, every configured channel and one jobs runtime.

`run`, `remind` and `demo` all build an App. Channels receive what they need and start nothing of
their own; the outbox sender gets every channel's transport, so a reminder reaches any channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Sequence
from typing import Protocol

from bot.channels.ports import Transport
from bot.config import Config
from bot.core.clock import Clock, utc_now
from bot.core.messages import ChannelProfile, Incoming
from bot.service import Answer, Service
from jobs.schedule import JobsRuntime
from jobs.sender import OutboxSender
from jobs.snapshot import ReminderSettings
from storage.db import Database

logger = logging.getLogger(__name__)


class Channel(Protocol):
    """A chat app the bot is reachable on."""

    name: str
    profile: ChannelProfile
    transport: Transport

    async def open(self) -> None:
        """Connect, before anything is sent."""

    async def start(self, dispatch) -> None:
        """Begin receiving; every message goes to `dispatch`."""

    async def stop(self) -> None:
        """Stop receiving and close."""


class App:
    """Everything one process runs, started and stopped in order."""

    def __init__(self, config: Config, channels: Sequence[Channel] = (), *, clock: Clock = utc_now) -> None:
        self.config = config
        self.clock = clock
        self.channels = list(channels)
        self.db = Database(config.database.url)
        self.reminders = ReminderSettings.of(config)
        self.sender = OutboxSender(
            self.db,
            {c.name: c.transport for c in self.channels},
            clock,
            config.commune.tz,
            self.reminders.catch_up,
        )
        self.service = Service(
            config, self.db, clock, profiles={c.name: c.profile for c in self.channels}, notify=self.sender.wake
        )
        self.jobs = JobsRuntime(
            self.db, self.reminders, self.sender, clock, sweep_seconds=config.reminders.sweep_seconds
        )

    async def dispatch(self, incoming: Incoming) -> Answer | None:
        """Handle one message and send its reply at once (what cannot go now, the sender retries)."""
        answer = await self.service.handle(incoming)
        if answer is not None:
            await self.sender.deliver_now(answer.outbox_ids)
        return answer

    async def open(self) -> None:
        """The database brought up to date, and every channel connected."""
        await self.service.prepare()
        for channel in self.channels:
            await channel.open()

    async def start(self, *, sweep: bool | None = None) -> None:
        """The sender and the sweeper, then the channels' receiving."""
        # The sender always runs (a receipt or a task notice must go out); the sweeper only when reminders are on.
        await self.jobs.start(sweep=self.config.reminders.enabled if sweep is None else sweep)
        for channel in self.channels:
            await channel.start(self.dispatch)

    async def stop(self) -> None:
        """Everything, in reverse order: receiving, jobs, channels' connections, the database."""
        for channel in reversed(self.channels):
            try:
                await channel.stop()
            except Exception:
                logger.exception("stopping the %s channel failed", channel.name)
        await self.jobs.stop()
        await self.db.dispose()

    async def run_until_signalled(self) -> None:
        """Run until SIGINT or SIGTERM, then shut down cleanly."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await self.open()
        await self.start()
        logger.info("running on %s", ", ".join(c.name for c in self.channels))
        try:
            await stop.wait()
        finally:
            logger.info("stopping")
            await self.stop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(Exception):
                    loop.remove_signal_handler(signum)
