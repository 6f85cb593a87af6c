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
from datetime import datetime, timedelta

from bot.config import Config
from bot.core.clock import Clock, local_date, utc_now
from bot.core.messages import Incoming
from bot.core.texts import text
from bot.http_server import HttpServers
from bot.inbox import ClockWatch, Inbox, dead_here, process_name
from bot.metrics import Metrics, mount_health
from bot.ports import Channel
from bot.service import Answer, Service
from jobs.province import ProvinceSettings
from jobs.schedule import JobsRuntime
from jobs.sender import OutboxSender
from jobs.snapshot import ReminderSettings
from storage import chats, inbox, outbox
from storage.db import Database
from storage.locks import AlreadyRunning, only_process, server_time

__all__ = ["AlreadyRunning", "App", "only_process"]
from storage.models.messaging import OutboxKind

logger = logging.getLogger(__name__)


class App:
    """Everything one process runs, started and stopped in order."""

    def __init__(
        self,
        config: Config,
        channels: Sequence[Channel] = (),
        *,
        clock: Clock = utc_now,
        servers: HttpServers | None = None,
        reference_clock: bool | None = None,
    ) -> None:
        """`servers` are the HTTP servers the channels' webhooks are on; the web pages join them (or get their
        own), and every one of them answers /healthz and /metrics. `reference_clock`: check the clock before each sweep
        against one no user can move (`reference_time`); by default only on real time (a test's own clock is not
        the servers')."""
        self.config = config
        self.clock = clock
        reference_clock = clock is utc_now if reference_clock is None else reference_clock
        self.channels = list(channels)
        self.db = Database(config.database.url)
        self.catch_up = timedelta(hours=config.reminders.catch_up_hours)
        self.tz = config.communes[0].commune.tz  # a province keeps one time
        self.metrics = Metrics(inbox_depth=self._depth(inbox.depth), outbox_depth=self._depth(outbox.depth))
        self.name = process_name()  # this process among the replicas sharing the database
        transports = {c.name: c.transport for c in self.channels}
        self.sender = OutboxSender(
            self.db, transports, clock, self.tz, self.catch_up, observer=self.metrics, owner=self.name,
            gone=lambda owners: dead_here(owners, self.name),
        )  # fmt: skip
        self.service = Service(config, self.db, clock, profiles={c.name: c.profile for c in self.channels})
        self._files: set[asyncio.Task] = set()  # files being made for answers already sent
        self.watch = ClockWatch(clock, self._tell_admins_about_the_clock)
        self.inbox = Inbox(
            self.db,
            {c.name: c.handle for c in self.channels},
            {c.name: c.apologise for c in self.channels},
            self.dispatch,
            clock,
            self.watch,
            self._tell_admins_of_a_set_aside_update,
            observer=self.metrics,
            owner=self.name,
        )
        self.jobs = JobsRuntime(
            self.db,
            (),
            self.sender,
            clock,
            sweep_seconds=config.reminders.sweep_seconds,
            tz=self.tz,
            trusted=lambda: self.watch.trusted,
            check_clock=self.watch.compare if reference_clock else None,
            reference=self.reference_time,
        )
        self.servers = HttpServers() if servers is None else servers
        if config.web.enabled:
            from bot import web

            web.mount(self.servers.at(config.web.listen, config.web.port), service=self.service)
        for server in self.servers:
            self.metrics.mount(server)
            mount_health(server, self.db.ping)

    def _depth(self, count):
        """A gauge's reading: `count` over a snapshot of the database."""

        async def read() -> int:
            async with self.db.reading() as session:
                return await count(session)

        return read

    async def reference_time(self) -> datetime | None:
        """A clock no user and no wrong server clock can move: the database server's (PostgreSQL), else a
        platform's by the Date header of its latest answer (SQLite has no clock of its own)."""
        if (database := await server_time(self.db)) is not None:
            return database
        return next((now for channel in self.channels if (now := channel.platform_now()) is not None), None)

    async def dispatch(self, incoming: Incoming) -> Answer | None:
        """Handle one message and send its reply at once (what cannot go now, the sender retries); a file it
        promised (a chart, a workbook) is made after, beside the next messages, and sent when it is ready."""
        answer = await self.service.answer(incoming)
        if answer is not None:
            await self.sender.deliver_now(answer.outbox_ids)  # what it cannot send now, the sender is woken for
            if answer.told_others:  # woken only once the answer went: its pass never races the answer's sending
                self.sender.wake()
            if answer.files:
                task = asyncio.create_task(self._send_files(incoming, answer), name="files")
                self._files.add(task)
                task.add_done_callback(self._files.discard)
        return answer

    async def files_made(self) -> None:
        """Wait until every file promised by an answer already sent has been made and handed to the sender."""
        while self._files:
            await asyncio.gather(*self._files, return_exceptions=True)

    async def _send_files(self, incoming: Incoming, answer: Answer) -> None:
        try:
            await self.sender.deliver_now(await self.service.make_files(incoming, answer))
        except Exception:
            logger.exception("making or sending the files of a message failed")

    @property
    def communes(self):
        """Every commune served, once the database is open."""
        return self.service.communes

    def reminders(self) -> list[ReminderSettings]:
        """Each commune as the reminder planner sees it."""
        return [ReminderSettings(commune, self.catch_up) for commune in self.communes]

    def province(self) -> ProvinceSettings:
        """The province officers' weekly digest: the deployment's communes, at the first commune's digest time."""
        first = next(iter(self.communes))
        return ProvinceSettings(self.communes, self.config.name, self.tz, first.reminders.digest_at, self.catch_up)

    async def open(self) -> None:
        """The database brought up to date, and every channel connected."""
        await self.service.prepare()
        self.jobs.plan(self.reminders(), self.province())
        for channel in self.channels:
            await channel.open()

    async def start(self, *, sweep: bool | None = None) -> None:
        """The sender, the sweeper and the inbox (what a crash left goes first), the HTTP servers, then the
        channels' receiving."""
        # The sender always runs (a receipt or a task notice must go out); the sweeper only when reminders are on.
        await self.jobs.start(sweep=self.config.reminders.enabled if sweep is None else sweep)
        await self.inbox.start()
        await self.servers.start()  # a webhook answers 503 until its channel starts: the platform sends again
        for channel in self.channels:
            await channel.start(self.inbox)

    async def stop(self) -> None:
        """Everything, in reverse order: receiving, the HTTP servers, the inbox (the update in hand is answered),
        jobs, the channels' connections (nothing is in flight on them any more), the database."""
        await self._each_channel("stopping", lambda channel: channel.stop())
        await self.servers.stop()
        await self.inbox.stop()
        await self.files_made()  # a file in the making is finished and queued
        await self.jobs.stop()
        await self._each_channel("closing", lambda channel: channel.close())
        await self.db.dispose()

    async def _each_channel(self, doing: str, step) -> None:
        for channel in reversed(self.channels):
            try:
                await step(channel)
            except Exception:
                logger.exception("%s the %s channel failed", doing, channel.name)

    async def _tell_admins_about_the_clock(self, skew) -> None:
        """Once a day at most: every commune's admins learn that the server's clock is off."""
        now = self.clock()
        today = local_date(now, self.tz)
        notice = text("remind.clock", minutes=round(skew.total_seconds() / 60))
        async with self.db.unit_of_work() as session:
            for commune in self.communes:
                key = outbox.OutboxKey(OutboxKind.CLOCK, f"{commune.id}:server", "skew", today)
                await outbox.notify_admins(session, commune.id, key, notice, now=now)
            await session.commit()
        self.sender.wake()

    async def _tell_admins_of_a_set_aside_update(self, inbox_id: int, channel: str, chat_id: str | None) -> None:
        """An update crashed the bot twice and was set aside: the admins of its chat's commune (every commune's,
        when nobody knows the chat) are told, through the outbox, without what it said."""
        now = self.clock()
        async with self.db.unit_of_work() as session:
            owner = await chats.describe_chat(session, channel, chat_id) if chat_id else None
            communes = [owner.commune_id] if owner is not None and owner.commune_id else [c.id for c in self.communes]
            who = owner.person or owner.department if owner is not None else None
            notice = text("inbox.set_aside", channel=channel, who=who or chat_id or "?")
            for commune_id in communes:
                subject = f"{commune_id}:inbox:{inbox_id}"
                key = outbox.OutboxKey(OutboxKind.DEAD_LETTER, subject, "set_aside", local_date(now, self.tz))
                await outbox.notify_admins(session, commune_id, key, notice, now=now)
            await session.commit()
        self.sender.wake()

    async def run_until_signalled(self) -> None:
        """Run until SIGINT or SIGTERM, then shut down cleanly."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            await self.run_until(stop)
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(Exception):
                    loop.remove_signal_handler(signum)

    async def run_until(self, stop: asyncio.Event) -> None:
        """Open, start and run until `stop` is set; a stop while still connecting (a platform that cannot be
        reached is retried without end) is obeyed too, and whatever happens everything is shut down."""
        starting = asyncio.create_task(self._open_and_start())
        stopping = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if starting.done():
                starting.result()  # a platform that refused us (a wrong token) ends the run here
                logger.info("running on %s", ", ".join(c.name for c in self.channels))
                await stopping
        finally:
            for task in (starting, stopping):
                if not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            logger.info("stopping")
            await self.stop()

    async def _open_and_start(self) -> None:
        await self.open()
        await self.start()
