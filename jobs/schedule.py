"""The one place jobs are declared: a single sweeper on APScheduler, and the outbox sender beside it.

No job per reminder and no persistent job store: the database knows what is due and what was sent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, tzinfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.core.clock import Clock, utc_now
from jobs.province import ProvinceSettings, plan_province_digest
from jobs.sender import OutboxSender
from jobs.snapshot import ReminderSettings
from jobs.sweep import Sweeper, SweepResult
from storage import outbox
from storage.db import Database
from storage.locks import ProcessLock, server_time
from storage.models.messaging import OutboxStatus

logger = logging.getLogger(__name__)

SWEEP_JOB = "sweep_reminders"


class JobsRuntime:
    """Starts and stops the sweeper job (one sweeper a commune) and the sender, whatever channels it serves."""

    def __init__(
        self,
        db: Database,
        settings: Sequence[ReminderSettings],
        sender: OutboxSender,
        clock: Clock,
        *,
        sweep_seconds: int,
        tz: tzinfo,
        trusted: Callable[[], bool] = lambda: True,
        check_clock: Callable[[datetime | None], Awaitable[None]] | None = None,
        reference: Callable[[], Awaitable[datetime | None]] | None = None,
    ) -> None:
        """`check_clock(reference())` runs before each sweep, before `trusted` is asked: `reference` is a clock no
        user can move (the database server's by default)."""
        self.check_clock = check_clock
        self.reference = reference or (lambda: server_time(db))
        self.db = db
        self.trusted = trusted  # reminders are never planned from a clock known to be off
        self.sender = sender
        self.clock = clock
        self.sweep_seconds = sweep_seconds
        self.tz = tz
        self.scheduler = AsyncIOScheduler(timezone=tz)
        self._sender_task: asyncio.Task | None = None
        self.sweepers = [Sweeper(db, s) for s in settings]
        self.province: ProvinceSettings | None = None
        self._sweeping = asyncio.Lock()  # held during a sweep, so stop() can wait for it to end
        self.lock = ProcessLock(db)  # one sweeper among replicas sharing the database

    def plan(self, settings: Sequence[ReminderSettings], province: ProvinceSettings | None = None) -> None:
        """Sweep these communes (and the province's digest) from now on: they are known only once the database
        has given them their ids."""
        self.sweepers = [Sweeper(self.db, s) for s in settings]
        self.province = province

    async def job_sweep_reminders(self) -> None:
        """Derive and enqueue what is due in every commune; safe to run twice, from any number of processes."""
        if self.check_clock is not None:
            try:
                await self.check_clock(await self.reference())
            except Exception:
                logger.exception("could not check the clock against a reference clock")
        if not self.trusted():
            logger.warning("the server clock is off; no reminders planned until it is right")
            return
        queued = expired = 0
        began = time.perf_counter()
        async with self._sweeping:
            try:
                if not await self.lock.hold():
                    return  # another replica sweeps; this one takes over if that one dies
            except Exception:
                logger.exception("could not reach the database to take the sweep lock; the next run will try again")
                return
            for sweeper in self.sweepers:
                try:
                    result, _ = await sweeper.run(self.clock())
                except Exception:
                    logger.exception("the reminder sweep of a commune failed; the next run will try again")
                    continue
                queued, expired = queued + result.queued, expired + result.expired
            if self.province is not None:
                try:
                    result = await self._write_province(self.clock())
                except Exception:
                    logger.exception("planning the province digest failed; the next run will try again")
                else:
                    queued, expired = queued + result.queued, expired + result.expired
        self.sender.observer.swept(time.perf_counter() - began)
        if queued or expired:
            logger.info("reminders: %d queued, %d expired", queued, expired)
        if queued:
            self.sender.wake()

    async def _write_province(self, now) -> SweepResult:
        """The province officers' digest of this week, written once."""
        planned = await plan_province_digest(self.db, self.province, now)
        if not planned:
            return SweepResult(0, 0)
        (item,) = planned
        async with self.db.unit_of_work() as session:
            message = (item.key, item.recipients, item.text, item.due_at, None)
            written = await outbox.enqueue_many(session, [message], status=item.status, now=now)
            await session.commit()
        pending = item.status is OutboxStatus.PENDING
        return SweepResult(written if pending else 0, 0 if pending else written)

    async def start(self, *, sweep: bool = True) -> None:
        """Recover interrupted sends and start the sender; with `sweep`, derive reminders at once, then regularly."""
        await self.sender.recover()
        self._sender_task = asyncio.create_task(self.sender.run(), name="outbox-sender")
        if not sweep:
            return
        self.scheduler.add_job(
            self.job_sweep_reminders,
            IntervalTrigger(seconds=self.sweep_seconds, timezone=self.tz),
            id=SWEEP_JOB,
            name="derive and enqueue due reminders",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=self.sweep_seconds * 2,
            next_run_time=utc_now(),  # the scheduler runs on real time, whatever clock the sweep reads
            replace_existing=True,
        )
        self.scheduler.start()

    async def stop(self) -> None:
        """Stop the sweeper and let the sender finish its current pass."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        async with self._sweeping:  # a sweep under way finishes before the database is closed
            await self.lock.release()
        self.sender.stop()
        if self._sender_task is not None:
            await self._sender_task
