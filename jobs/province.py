"""The province officer's Monday digest: every commune's figures, who is behind first, planned once a week
from the database like every other reminder (its outbox key says whether this week's was written)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.calendar import last_weekly
from bot.core.commune import Communes
from bot.core.features.province import PAGE, ProvinceTable, ranked
from bot.core.notices import ProvinceDigest
from bot.core.permissions import Role
from bot.figures import standings, totals
from jobs.planner import Planned
from jobs.snapshot import DIGEST_WEEKDAY
from storage import chats, outbox
from storage.db import Database
from storage.models.messaging import OutboxKind, OutboxStatus


@dataclass(frozen=True)
class ProvinceSettings:
    """What the province digest needs: the communes, whom they belong to, when and how late it may go."""

    communes: Communes
    name: str
    tz: ZoneInfo
    digest_at: time
    catch_up: timedelta

    def key(self, now: datetime) -> tuple[outbox.OutboxKey, datetime]:
        """This week's digest key, and the moment it falls due."""
        monday = last_weekly(now.astimezone(self.tz), DIGEST_WEEKDAY, self.digest_at)
        return outbox.OutboxKey(OutboxKind.DIGEST, "province", "weekly", monday.date()), monday


async def plan_province_digest(db: Database, settings: ProvinceSettings, now: datetime) -> list[Planned]:
    """This week's province digest for the province officers, unless it was written already."""
    key, monday = settings.key(now)
    async with db.reading() as session:
        if await outbox.outbox_has(session, key):
            return []
        officers = tuple(await chats.list_role_recipients(session, None, Role.PROVINCE))
        if not officers:
            return []
        day = monday.date()
        found = await standings(session, settings.communes, day.year, None, None, day)
    if not found:
        return []
    rows = ranked(found)
    table = ProvinceTable(
        settings.name, found[0].report.period, day, tuple(rows[:PAGE]), 1, math.ceil(len(rows) / PAGE), 1, totals(found)
    )
    stale = now - monday > settings.catch_up
    status = OutboxStatus.EXPIRED if stale else OutboxStatus.PENDING
    return [Planned(key, officers, ProvinceDigest(day, table), monday, status)]
