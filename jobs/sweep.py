"""A sweep: plan from a read-only snapshot, then write only what is new, in one short transaction.

The sweeper remembers, between passes, the open tasks and when it last planned them: a task is planned
again only when it changed, when the day's reminder time (or the digest's) has come, or when the
people a reminder goes to changed. A steady pass is a handful of small queries.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from jobs.bundle import PlannedBundle, gather
from jobs.planner import Planned, Planner
from jobs.snapshot import ReminderSettings, load_world
from storage import outbox, snoozes, tasks
from storage.db import Database
from storage.models.messaging import OutboxStatus
from storage.tasks import OpenTask

# Changes are read from a little before the last pass: a transaction that stamped its change a moment
# earlier may have committed after that pass read.
OVERLAP = timedelta(minutes=5)
BIG_PLAN = 200  # tasks: plan in a worker thread so commands keep their answers quick
PLAN_CHUNK = 5_000  # tasks a worker thread plans while the database looks up the chunk before
WRITE_BATCH = 300  # planned messages a write transaction


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a big pass makes its few hundred thousand small, acyclic objects
    (plans, keys, notices; freed by reference counting as ever): each collection it would start meanwhile walks the
    whole process's heap again (half of a restart's planning time at ten times a large commune)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


@dataclass(frozen=True)
class SweepResult:
    """What a pass wrote to the outbox."""

    queued: int
    expired: int


class Sweeper:
    """Derives what is due and writes what is new; keeps what it knows of the tasks between passes."""

    def __init__(self, db: Database, settings: ReminderSettings) -> None:
        self.db = db
        self.settings = settings
        self.tasks: dict[int, OpenTask] = {}
        self._epoch: tuple | None = None
        self._world: tuple | None = None
        self._watermark: datetime | None = None

    def _epoch_of(self, now: datetime) -> tuple:
        """What the reminders of an unchanged task depend on: the day, and whether its hours have come."""
        local = now.astimezone(self.settings.tz)
        return (
            local.date(),
            local.timetz().replace(tzinfo=None) >= self.settings.at,
            local.time() >= self.settings.digest_at,
        )

    async def run(self, now: datetime, *, dry_run: bool = False) -> tuple[SweepResult, list[Planned]]:
        """Plan what is due at `now` and write what is new (dry: only list what is new, writing nothing)."""
        async with self.db.reading() as session:
            world = await load_world(session, self.settings, now)
            known = self._watermark is not None and not dry_run
            since = self._watermark - OVERLAP if known else None
            changed = await tasks.list_task_rows(session, self.settings.commune.id, since)
            open_tasks = dict(self.tasks) if known else {}
            for task in changed:
                if task.open:
                    open_tasks[task.id] = task
                else:
                    open_tasks.pop(task.id, None)
            everything = not known or self._epoch != self._epoch_of(now) or self._world != world.fingerprint()
            stale = open_tasks.values() if everything else [t for t in changed if t.open and self.tasks.get(t.id) != t]
            planner = Planner(world, self.settings)
            task_plans, written = await self._plan_tasks(session, planner, list(stale))
            report_plans, digest = planner.reports(), planner.digest(open_tasks.values())
            written |= await outbox.written_chats(session, [item.key for item in report_plans + digest])
            planned = report_plans + task_plans + digest
            today = now.astimezone(self.settings.tz).date()
            held = await snoozes.active_snoozes(session, self.settings.commune.id, today)
        new = []
        # A department's tasks share one recipients tuple and, once written, one set of chats: what is missing is
        # found once for each pair (by identity: both live as long as this loop), not once for each of 80,000 keys.
        nothing: frozenset[tuple[str, str]] = frozenset()
        missing_of: dict[tuple[int, int], tuple] = {}
        for item in planned:
            done = written.get(item.key, nothing)
            pair = (id(item.recipients), id(done))
            if (missing := missing_of.get(pair)) is None:
                missing = tuple(r for r in item.recipients if (r.channel, r.chat_id) not in done)
                missing_of[pair] = missing
            if missing:
                new.append(replace(item, recipients=missing))
        alone, bundles = gather(new, held, self.settings.tz)
        if dry_run:
            return SweepResult(0, 0), [*alone, *bundles]
        result = await self._write(alone, bundles, now) if alone or bundles else SweepResult(0, 0)
        self.tasks, self._epoch, self._world = open_tasks, self._epoch_of(now), world.fingerprint()
        self._watermark = now
        return result, [*alone, *bundles]

    async def _plan_tasks(
        self, session: AsyncSession, planner: Planner, stale: list[OpenTask]
    ) -> tuple[list[Planned], dict[outbox.OutboxKey, frozenset[tuple[str, str]]]]:
        """The tasks' plans, and the chats already written for their keys.

        A big pass (the first after a restart: 40,000 tasks at ten times a large commune) plans a chunk in a worker
        thread while the database looks up the keys of the chunk before (SQLite works in its own thread, PostgreSQL
        in its own process, neither holding the interpreter), so it costs about the longer of the two, not their sum.
        """
        if len(stale) <= BIG_PLAN:
            plans = planner.tasks(stale)
            return plans, await outbox.written_chats(session, [item.key for item in plans])
        plans: list[Planned] = []
        written: dict[outbox.OutboxKey, frozenset[tuple[str, str]]] = {}
        looking: asyncio.Task | None = None
        with _collector_paused():
            try:
                for start in range(0, len(stale), PLAN_CHUNK):
                    part = await asyncio.to_thread(planner.tasks, stale[start : start + PLAN_CHUNK])
                    if looking is not None:
                        written |= await looking
                    plans += part
                    looking = asyncio.ensure_future(outbox.written_chats(session, [item.key for item in part]))
                written |= await looking
            finally:
                if looking is not None and not looking.done():
                    looking.cancel()
        return plans, written

    async def _write(self, new: list[Planned], bundles: list[PlannedBundle], now: datetime) -> SweepResult:
        """Write in short transactions, so a big pass (the first after an install) never holds writers up long.

        Each key is written at most once, so a pass cut short is finished by the next one.
        """
        counts = {OutboxStatus.PENDING: 0, OutboxStatus.EXPIRED: 0}
        for status in counts:
            batch = [(i.key, i.recipients, i.text, i.due_at, i.body) for i in new if i.status is status]
            for start in range(0, len(batch), WRITE_BATCH):
                async with self.db.unit_of_work() as session:
                    part = batch[start : start + WRITE_BATCH]
                    counts[status] += await outbox.enqueue_many(session, part, status=status, now=now)
                    await session.commit()
        for start in range(0, len(bundles), WRITE_BATCH // 10):
            async with self.db.unit_of_work() as session:
                for bundle in bundles[start : start + WRITE_BATCH // 10]:
                    items = [(i.key, i.text, i.body) for i in bundle.items]
                    counts[OutboxStatus.PENDING] += await snoozes.enqueue_bundle(
                        session, bundle.key, bundle.recipient, bundle.text, bundle.body, items,
                        due_at=bundle.due_at, now=now, buttons=bundle.buttons,
                    )  # fmt: skip
                await session.commit()
        return SweepResult(counts[OutboxStatus.PENDING], counts[OutboxStatus.EXPIRED])


async def sweep(
    db: Database, settings: ReminderSettings, now: datetime, *, dry_run: bool = False
) -> tuple[SweepResult, list[Planned]]:
    """One pass with nothing remembered (the CLI's `remind`, and tests)."""
    return await Sweeper(db, settings).run(now, dry_run=dry_run)
