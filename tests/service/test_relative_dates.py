"""Days said in words date an entry from the message's own day; words that name no day are asked about."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.core.texts import text
from bot.core.texts.common import usage
from storage.models.entries import Entry
from tests.support.clock import instant
from tests.support.db import inspecting
from tests.support.texts import receipt

SENT = instant("2026-12-02T23:50")  # a Wednesday, handled after midnight


@pytest.fixture(autouse=True)
def after_midnight(clock):
    clock.now = instant("2026-12-03T00:10")


async def entries(service) -> list[tuple[date, str]]:
    async with inspecting(service.db) as session:
        return [(e.occurred_on, e.summary) for e in await session.scalars(select(Entry).order_by(Entry.id))]


async def test_hom_kia_is_two_days_before_the_message_and_not_part_of_the_summary(service, focal):
    answer = await focal.say("/hop tructuyen hôm kia Họp", sent_at=SENT)
    assert answer.startswith(receipt(1) + ": họp trực tuyến ngày 30/11/2026") and answer.endswith(": Họp.")
    assert await entries(service) == [(date(2026, 11, 30), "Họp")]


@pytest.mark.parametrize(
    "message,day,summary",
    [
        ("/hop zoom thứ hai tuần trước Giao ban", date(2026, 11, 23), "Giao ban"),
        ("/hop truc tuyen qua Zalo sang nay Giao ban", date(2026, 12, 2), "Giao ban"),
        ("/hop tructiep chiều qua", date(2026, 12, 1), ""),
        ("/hoso 4 1 đầu tuần", date(2026, 11, 30), ""),
        ("/vanban dientu T2 17/KH-UBND Kế hoạch", date(2026, 11, 30), "Kế hoạch"),
    ],
)
async def test_days_as_said_through_each_command(service, focal, message, day, summary):
    assert f"ngày {day:%d/%m/%Y}" in await focal.say(message, sent_at=SENT)
    assert await entries(service) == [(day, summary)]


@pytest.mark.parametrize(
    "message,reply",
    [
        ("/hop tructuyen hôm trước Họp", text("parse.unclear_date", value="hôm trước")),
        ("/hop tructuyen tuần trước Họp", text("parse.week_not_day", value="tuần trước")),
        ("/hop tructuyen thứ tám Họp", text("parse.unclear_date", value="thứ tám")),
        ("/hop tructuyen mai Họp", text("parse.future_spoken", typed="mai", value="03/12/2026")),
    ],
)
async def test_words_that_name_no_past_day_are_asked_and_write_nothing(service, focal, message, reply):
    assert await focal.say(message, sent_at=SENT) == reply + "\n" + usage("hop")
    assert await entries(service) == []


async def test_a_day_and_month_in_words_later_this_year_is_asked_then_logged_last_year(service, focal):
    question = await focal.send("/hop tructuyen 30 tháng 12 Tổng kết", sent_at=SENT)
    assert question.text == "Ngày 30/12 năm nay chưa tới. Ý bạn là 30/12/2025 (năm trước)?"
    assert await entries(service) == []
    assert "ngày 30/12/2025" in await focal.say("1")
    assert await entries(service) == [(date(2025, 12, 30), "Tổng kết")]
