"""A channel's sends per second, and each chat's pace, for the whole deployment, kept in the database that
replicas share.

Each send takes a slot and frees it a second after the platform answered, so however many processes send, at
most `per_second` sends reach the platform in any second. Each send counts against its chat's pace too: a
private chat gets its burst, then one a second; a group a burst of two, then one every 60/`group_per_minute`
seconds (at most nineteen in any minute, under Telegram's twenty). A 429 pauses every replica. One process on
its own store (SQLite) needs none of this: its RateLimiter alone knows every send.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.clock import Clock
from bot.ports import Limits, Transport
from storage import sending
from storage.db import Database
from storage.sending import Pace, Slot

SLOT_LEASE = timedelta(seconds=30)  # a slot taken by a process that died mid-send is free again after this
PRUNE_EVERY = timedelta(minutes=1)  # how often the chats whose bucket is full again are forgotten


@dataclass(frozen=True)
class Outcome:
    """What came of trying to send a row: whether it was attempted, and how long its channel must now wait (a 429's
    pause, or the deployment's budget spent)."""

    attempted: bool
    wait: float | None = None
    spent: bool = False  # the whole channel waits (its budget spent or paused), not only this chat


@dataclass(frozen=True)
class Busy:
    """No send now: the seconds until one may go, and whether the whole channel waits or only this chat."""

    seconds: float
    channel: bool


def paces(limits: Limits) -> tuple[Pace, Pace]:
    """A private chat's pace and a group's, from the channel's limits."""
    private = timedelta(seconds=1 / limits.private_per_second)
    group = timedelta(seconds=60 / limits.group_per_minute)
    return Pace(private, (limits.private_burst - 1) * private), Pace(group, group)


class SharedBudget:
    """One channel's slots and chats' paces: take before a send, settle once answered (or when it did not go)."""

    def __init__(self, db: Database, channel: str, limits: Limits, clock: Clock, holder: str) -> None:
        self.db, self.channel, self.per_second = db, channel, limits.global_per_second
        self.clock, self.holder = clock, holder
        self.private, self.group = paces(limits)
        self._ready = False
        self._prune_at = None
        self._spent_until: datetime | None = None  # no slot before then, as the last ask found: not asked again

    def _pace(self, is_group: bool) -> Pace:
        return self.group if is_group else self.private

    async def take(self, chat_id: str, is_group: bool) -> Slot | Busy:
        """A slot to send to `chat_id` with now, its chat's pace counted; or how long until one may go."""
        if not self._ready:  # once, committed on its own: an ask that finds no slot rolls back
            async with self.db.unit_of_work() as session:
                await sending.add_slots(session, self.channel, self.per_second)
                await session.commit()
            self._ready = True
        now = self.clock()
        if self._spent_until is not None and now < self._spent_until:  # every waiting send of this process asks
            return Busy((self._spent_until - now).total_seconds(), channel=True)
        async with self.db.unit_of_work() as session:
            # The slot first: it never waits (another replica's is skipped), and a replica that finds none has
            # locked no chat's pace that another, with a slot, is about to count.
            slot = await sending.take_slot(session, self.channel, self.per_second, self.holder, now, SLOT_LEASE)
            if slot is None:
                free_at = await sending.next_slot_at(session, self.channel, self.per_second, now)
                await session.rollback()
                # Free already, yet skipped: another replica is taking it. Look again when the next may come free
                # at the full rate, not at once (replicas asking in a loop slow the one sending).
                wait = (free_at - now).total_seconds()
                wait = wait if wait > 0 else 1 / self.per_second
                self._spent_until = now + timedelta(seconds=wait)
                return Busy(wait, channel=True)
            chat_free_at = await sending.take_pace(session, self.channel, chat_id, self._pace(is_group), now)
            if chat_free_at is not None:
                await session.rollback()  # the slot is not spent on a send that waits
                return Busy(max((chat_free_at - now).total_seconds(), 0.001), channel=False)
            await session.commit()
        if self._prune_at is None or now >= self._prune_at:  # by one send of this process, holding no other lock
            self._prune_at = now + PRUNE_EVERY
            async with self.db.unit_of_work() as session:
                await sending.prune_paces(session, now)
                await session.commit()
        return slot

    async def settle(
        self, slot: Slot, chat_id: str, is_group: bool, *, used: bool = True, answered: datetime | None = None
    ) -> None:
        """The send was answered (at `answered`, else now), or, not `used`, never made: the slot's next use, and the
        chat's pace, timed from then. (A send not made keeps its chat's pace spent: slower for a moment, never
        faster.)"""
        async with self.db.unit_of_work() as session:
            now = answered or self.clock()
            await sending.settle_slot(session, slot, now, used=used)
            if used:
                await sending.settle_pace(session, self.channel, chat_id, self._pace(is_group), now)
            await session.commit()

    async def pause(self, seconds: float) -> None:
        """Hold every replica's sends on this channel for `seconds` (a 429's retry_after)."""
        async with self.db.unit_of_work() as session:
            await sending.pause_slots(session, self.channel, self.clock() + timedelta(seconds=seconds))
            await session.commit()


def shared_budgets(db: Database, transports: Mapping[str, Transport], clock: Clock, holder: str) -> dict:
    """Each channel's budget where replicas share the store; none where one process owns it (SQLite)."""
    if not db.shared:
        return {}
    return {name: SharedBudget(db, name, t.limits, clock, holder) for name, t in transports.items()}
