"""A sweep: plan from a read-only snapshot, then write only what is new, in one short transaction."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from jobs.planner import Planned, plan
from jobs.snapshot import ReminderSettings, load_snapshot
from storage import outbox
from storage.db import Database
from storage.models import OutboxStatus


@dataclass(frozen=True)
class SweepResult:
    """What a pass wrote to the outbox."""

    queued: int
    expired: int


async def sweep(
    db: Database, settings: ReminderSettings, now: datetime, *, dry_run: bool = False
) -> tuple[SweepResult, list[Planned]]:
    """Derive what is due at `now` and write what is new to the outbox (dry: only list it, writing nothing)."""
    async with db.reading() as session:
        snapshot = await load_snapshot(session, settings, now)
        planned = plan(snapshot, settings)
        written = await outbox.written_chats(session, [item.key for item in planned])
    if dry_run:
        return SweepResult(0, 0), [item for item in planned if item.key not in written]
    new = []
    for item in planned:
        done = written.get(item.key, set())
        missing = tuple(r for r in item.recipients if (r.channel, r.chat_id) not in done)
        if missing:
            new.append(replace(item, recipients=missing))
    if not new:
        return SweepResult(0, 0), []
    queued = expired = 0
    async with db.unit_of_work() as session:
        for item in new:
            count = await outbox.enqueue(
                session, item.key, item.recipients, item.text, due_at=item.due_at, now=now, status=item.status
            )
            if item.status is OutboxStatus.EXPIRED:
                expired += count
            else:
                queued += count
        await session.commit()
    return SweepResult(queued, expired), new
