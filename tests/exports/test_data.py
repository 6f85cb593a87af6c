"""What the exports load: the same figures as /chitieu, last year's, each department's, the months, and one
row per record, cancelled ones included."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from bot.core.periods import Period, month_period, year_before, year_period
from bot.core.texts import render
from bot.exports.data import export_data
from bot.figures import target_report
from tests.exports import (
    KT_DIFFICULTY,
    KT_NOTE,
    KT_RESULT,
    TODAY,
    VHXH_DIFFICULTY,
    VHXH_PROPOSAL,
    VHXH_RESULT,
    log_a_year,
    report_data,
    year_data,
)
from tests.support.db import inspecting
from tests.support.users import first_commune


async def test_the_figures_are_the_ones_chitieu_shows(service, clock):
    leader = await log_a_year(service, clock)
    data = await year_data(service)
    async with inspecting(service.db, write=False) as session:
        assert data.report == await target_report(session, first_commune(service), year_period(2026), None, TODAY)
    assert render(data.report) in await leader.say("/chitieu 2026 chitiet")
    assert (data.report.line("meetings").count, data.report.line("online").part) == (4, 2), (
        "the cancelled one is not counted"
    )
    assert data.last_year.period == year_period(2025)
    assert (data.last_year.line("meetings").count, data.last_year.line("meetings").own) == (120, 1), (
        "2025's configured total is its figure of record; the bot's own count is kept beside it"
    )
    assert [d.code for d in data.departments] == [d.code for d in service.config.communes[0].departments]
    assert {d.code: d.report.line("meetings").count for d in data.departments}["vhxh"] == 3


async def test_months_split_online_and_in_person_against_the_prorated_cap(service, clock):
    await log_a_year(service, clock)
    data = await year_data(service)
    march, may = data.months[2], data.months[4]
    assert (march.online, march.in_person, may.online, may.in_person) == (1, 1, 1, 0)
    assert len(data.months) == 12 and data.months[10].online == 0, "the cancelled November meeting is not counted"
    assert march.cap == Fraction(108 * 31, 365), "the configured 120 of 2025 less 10%, over March's days"


async def test_every_record_is_listed_once_with_its_department_and_person(service, clock):
    await log_a_year(service, clock)
    records = (await year_data(service)).records
    assert len(records.meetings) == 5, "four live and the cancelled one; 2025's is outside the period"
    cancelled = [m for m in records.meetings if m.cancelled_on is not None]
    assert [(m.summary, m.cancelled_on, m.department_name) for m in cancelled] == [
        ("Họp ghi nhầm", TODAY, "Phòng Kinh tế")
    ]
    secret = next(d for d in records.documents if d.document_kind == "secret")
    assert (secret.number, secret.summary, secret.person) == (None, "", "Người dùng 101")
    assert [(t.online, t.paper) for t in records.dossiers] == [(40, 2), (30, 1)]
    assert [(t.id, t.completed_on) for t in records.tasks] == [(1, date(2026, 5, 24)), (2, None)]


async def test_reports_due_in_the_period_say_who_submitted_on_time_and_what_they_wrote(service, clock):
    await log_a_year(service, clock)
    data = await year_data(service)
    half, year = data.reports
    assert (half.name, half.year, half.due) == ("Báo cáo 6 tháng", 2026, date(2026, 5, 31))
    assert half.on_time == ("Phòng Văn hóa – Xã hội",) and half.late == (("Phòng Kinh tế", 5),)
    assert half.not_submitted == ("Văn phòng HĐND và UBND xã", "Trung tâm Phục vụ hành chính công")
    assert (year.name, year.owing, year.on_time) == ("Báo cáo năm", 4, ())
    assert data.answers == (), "a calendar year is no report's window: no department wrote for it"
    half_year = await report_data(service, "6thang")
    assert [(a.department, a.part, a.task_group, a.body) for a in half_year.answers] == [
        ("vhxh", "difficulty", 0, VHXH_DIFFICULTY),
        ("vhxh", "proposal", 0, VHXH_PROPOSAL),
        ("vhxh", "result", 1, VHXH_RESULT),
        ("kt", "difficulty", 0, KT_DIFFICULTY),
        ("kt", "proposal", 0, ""),
        ("kt", "result", 4, KT_RESULT),
    ]
    assert KT_NOTE not in [a.body for a in half_year.answers], "a delivery note is no part of the report"


async def test_a_month_has_its_own_cap_and_no_report_of_next_year(service, clock):
    await log_a_year(service, clock)
    async with inspecting(service.db, write=False) as session:
        data = await export_data(session, first_commune(service), month_period(2026, 3), TODAY)
    assert [(m.online, m.in_person) for m in data.months] == [(1, 1)]
    assert data.report.line("meetings").count == 2 and data.last_year.line("meetings").count == 1
    assert [(r.name, r.year) for r in data.reports] == [("Báo cáo 6 tháng", 2026), ("Báo cáo năm", 2026)]


def test_the_year_before_keeps_the_shape_of_the_period():
    leap = Period(date(2024, 2, 1), date(2024, 2, 29), 2024, month=2)
    assert year_before(leap) == Period(date(2023, 2, 1), date(2023, 2, 28), 2023, month=2)
    window = Period(date(2025, 12, 15), date(2026, 5, 14), 2026, report="6thang", name="Báo cáo 6 tháng")
    assert year_before(window).start == date(2024, 12, 15) and year_before(window).report == "6thang"
