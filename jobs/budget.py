"""A channel's sends per second for the whole deployment, kept in the database that replicas share.

Each send takes a slot and frees it a second after the platform answered, so however many processes send, at
most `per_second` sends reach the platform in any second. A 429 pauses every replica. One process on its own
store (SQLite) needs none of this: its RateLimiter alone knows every send.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot.core.clock import Clock
from bot.ports import Transport
from storage import sending
from storage.db import Database
from storage.sending import Slot

SLOT_LEASE = timedelta(seconds=30)  # a slot taken by a process that died mid-send is free again after this


@dataclass(frozen=True)
class Outcome:
    """What came of trying to send a row: whether it was attempted, and how long its channel must now wait (a 429's
    pause, or the deployment's budget spent)."""

    attempted: bool
    wait: float | None = None


class SharedBudget:
    """One channel's slots: take one before a send, settle it once answered, release it if the send did not go."""

    def __init__(self, db: Database, channel: str, per_second: int, clock: Clock, holder: str) -> None:
        self.db, self.channel, self.per_second = db, channel, per_second
        self.clock, self.holder = clock, holder
        self._ready = False

    async def take(self) -> Slot | float:
        """A slot to send with now, or the seconds until one may be free."""
        async with self.db.unit_of_work() as session:
            if not self._ready:
                await sending.add_slots(session, self.channel, self.per_second)
                self._ready = True
            now = self.clock()
            slot = await sending.take_slot(session, self.channel, self.per_second, self.holder, now, SLOT_LEASE)
            if slot is None:
                free_at = await sending.next_slot_at(session, self.channel, self.per_second)
            await session.commit()
        if slot is not None:
            return slot
        return max((free_at - now).total_seconds(), 0.001)  # another replica took the last one meanwhile

    async def settle(self, slot: Slot, *, used: bool = True) -> None:
        """The send was answered (or, not `used`, never made): the slot's next use is timed from now."""
        async with self.db.unit_of_work() as session:
            await sending.settle_slot(session, slot, self.clock(), used=used)
            await session.commit()

    async def pause(self, seconds: float) -> None:
        """Hold every replica's sends on this channel for `seconds` (a 429's retry_after)."""
        async with self.db.unit_of_work() as session:
            await sending.pause_slots(session, self.channel, self.clock() + timedelta(seconds=seconds))
            await session.commit()


def shared_budgets(db: Database, transports: Mapping[str, Transport], clock: Clock, holder: str) -> dict:
    """Each channel's budget where replicas share the store; none where one process owns it (SQLite)."""
    if not sending.shared_by_replicas(db):
        return {}
    return {name: SharedBudget(db, name, t.limits.global_per_second, clock, holder) for name, t in transports.items()}
