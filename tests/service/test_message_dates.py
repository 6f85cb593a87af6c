"""Entries take the date the message was sent in the commune, not the date the server handles it."""

from __future__ import annotations

from datetime import UTC, date

from sqlalchemy import select

from bot.core.texts import text
from storage.models.entries import Entry
from tests.support.clock import instant
from tests.support.db import inspecting

MEETINGS_NONE = text("targets.no_data", what=text("figure.meetings"))


async def occurred_on(service) -> list[date]:
    async with inspecting(service.db) as session:
        return list(await session.scalars(select(Entry.occurred_on).order_by(Entry.id)))


async def test_a_message_sent_before_midnight_and_handled_after_keeps_its_day(service, focal, clock):
    clock.now = instant("2026-11-28T00:10")
    receipt = await focal.say("/hop truc_tuyen", sent_at=instant("2026-11-27T23:50"))
    assert "ngày 27/11/2026" in receipt
    assert await occurred_on(service) == [date(2026, 11, 27)]


async def test_the_message_date_is_read_in_the_commune_time_zone(service, focal, clock):
    clock.now = instant("2026-11-28T06:35")
    sent_at = instant("2026-11-28T06:30").astimezone(UTC)  # still 27/11 in UTC
    assert "ngày 28/11/2026" in await focal.say("/hop truc_tuyen", sent_at=sent_at)


async def test_a_message_sent_on_new_years_eve_counts_in_the_old_year(service, focal, leader, clock):
    clock.now = instant("2027-01-01T00:05")
    receipt = await focal.say("/hop truc_tuyen Tổng kết", sent_at=instant("2026-12-31T23:59"))
    assert "ngày 31/12/2026" in receipt
    old_year = (await leader.say("/chitieu 2026 chitiet")).splitlines()
    new_year = (await leader.say("/chitieu 2027 chitiet")).splitlines()
    assert old_year[0].startswith("📊 Chỉ tiêu năm 2026") and old_year[1].startswith("• Cuộc họp: 1 –")
    assert new_year[0].startswith("📊 Chỉ tiêu năm 2027") and new_year[1] == MEETINGS_NONE


async def test_a_date_written_in_the_command_wins_over_the_message_date(service, focal, clock):
    clock.now = instant("2026-11-28T00:10")
    sent_at = instant("2026-11-27T23:50")
    assert "ngày 12/11/2026" in await focal.say("/hop truc_tuyen 12/11 Giao ban", sent_at=sent_at)
    assert "ngày 26/11/2026" in await focal.say("/hop truc_tiep hôm qua", sent_at=sent_at), "relative to the message"
    assert await occurred_on(service) == [date(2026, 11, 12), date(2026, 11, 26)]


async def test_without_a_message_date_the_clock_dates_the_entry(service, focal, clock):
    clock.now = instant("2026-11-28T00:10")
    assert "ngày 28/11/2026" in await focal.say("/hop truc_tuyen")
    assert await occurred_on(service) == [date(2026, 11, 28)]
