"""The morning bundle: one message a chat a reminder time, grouped, the most urgent first; snoozing one item."""

from __future__ import annotations

import pytest

from bot.core.permissions import Role
from jobs import sweep as sweeping
from storage import outbox as stored
from storage.models.messaging import OutboxKind
from tests.support.clock import instant
from tests.support.db import inspecting
from tests.support.users import register, reminder_settings


async def rows(service, **where):
    async with inspecting(service.db) as session:
        found = await stored.list_outbox(session)
    return [r for r in found if r.kind != OutboxKind.REPLY and all(getattr(r, k) == v for k, v in where.items())]


async def sweep(service, when):
    return await sweeping.sweep(service.db, reminder_settings(service), instant(when))


@pytest.fixture
async def people(service, clock):
    found = {
        "kt": await register(service, "1001", Role.FOCAL, "kt"),
        "leader": await register(service, "2001", Role.LEADER),
    }
    clock.now = instant("2026-11-20T10:00")
    await found["leader"].say("/giaoviec kt 27/11/2026 Rà soát hồ sơ đất đai")
    await found["leader"].say("/giaoviec kt 03/12/2026 Lập danh sách hộ nghèo")
    return found


async def test_one_message_a_chat_grouped_and_most_urgent_first(service, people):
    await sweep(service, "2026-11-30T08:00")  # Monday: the annual report due today, V1 late, V2 due in 3 days
    [bundle] = await rows(service, kind="bundle", chat_id="1001")
    assert bundle.status == "pending" and bundle.buttons == [["Nhắc lại sau", "/hoanlai"]]
    lines = bundle.text.splitlines()
    assert lines[0] == "☀️ Nhắc việc Thứ Hai, 30/11/2026"
    order = [lines.index(h) for h in ("📄 Báo cáo chưa nộp:", "⚠️ Việc quá hạn:", "⏰ Việc sắp đến hạn:")]
    assert order == sorted(order), "reports owed, then tasks overdue, then tasks due soon"
    assert "Báo cáo năm 2026: hạn Thứ Hai, 30/11/2026 – hạn cuối hôm nay" in bundle.text
    assert "• V1 Rà soát hồ sơ đất đai: đã trễ 1 ngày làm việc, 0%, 7 ngày chưa cập nhật" in bundle.text
    assert "• V2 Lập danh sách hộ nghèo: còn 3 ngày, 0%, 7 ngày chưa cập nhật" in bundle.text
    assert bundle.text.count("V1") == 1, "the task's Monday nudge is said on its own line, not as another message"
    items = [r for r in await rows(service, chat_id="1001") if r.kind not in ("bundle", "task_assigned")]
    assert {r.status for r in items} == {"bundled"}
    [leaders] = await rows(service, kind="bundle", chat_id="2001")
    assert "• V1 (Phòng Kinh tế) Rà soát hồ sơ đất đai: đã trễ 1 ngày làm việc, 0%" in leaders.text
    assert "/tiendo" not in leaders.text, "leaders are told, not asked to update"
    again, _ = await sweep(service, "2026-11-30T08:05")
    assert again.queued == 0 and len(await rows(service, kind="bundle")) == 2


async def test_a_long_late_report_is_chased_weekly_not_daily(service, people):
    days = [f"2026-12-{d:02d}T08:00" for d in (1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16)]
    for when in days:
        await sweep(service, when)
    late = await rows(service, kind="report", stage="late", chat_id="1001")
    chased = [r.day.isoformat() for r in late if r.status != "expired"]
    # Due Monday 30/11: every working day of the first week, then on its weekly escalation days only.
    assert chased == ["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08", "2026-12-15"]


async def test_snooze_one_item_from_the_bundle_and_hear_of_it_in_the_next(service, people, clock):
    await sweep(service, "2026-12-01T08:00")
    clock.now = instant("2026-12-01T08:30")
    question = await people["kt"].send("/hoanlai")
    assert question.text == "Hoãn nhắc mục nào?"
    labels = [o.label for o in question.options]
    assert labels == ["Báo cáo năm 2026", "V1 Rà soát hồ sơ đất đai", "V2 Lập danh sách hộ nghèo"]
    how_long = await people["kt"].send("/hoanlai V1")
    assert [o.command for o in how_long.options] == ["/hoanlai V1 1", "/hoanlai V1 3", "/hoanlai V1 7"]
    done = await people["kt"].say("/hoanlai V1 3 ngày")
    assert done.startswith("Đã hoãn nhắc V1 Rà soát hồ sơ đất đai đến Thứ Sáu, 04/12/2026")
    await sweep(service, "2026-12-02T08:00")
    [bundle] = [b for b in await rows(service, kind="bundle", chat_id="1001") if b.day.isoformat() == "2026-12-02"]
    assert "• V1" not in bundle.text and "⏸ Đang hoãn nhắc: V1 (đến 04/12/2026)" in bundle.text
    assert "V2 Lập danh sách hộ nghèo" in bundle.text
    await sweep(service, "2026-12-04T08:00")
    [bundle] = [b for b in await rows(service, kind="bundle", chat_id="1001") if b.day.isoformat() == "2026-12-04"]
    assert "• V1 Rà soát hồ sơ đất đai" in bundle.text and "Đang hoãn" not in bundle.text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/hoanlai V1 0", "Hoãn từ 1 đến 30 ngày."),
        ("/hoanlai V1 ba ngày", "“ba” không phải số ngày"),
        ("/hoanlai V9 3", "V9 không có trong tin nhắc gần nhất của bạn."),
    ],
)
async def test_snooze_bad_input_says_what_is_wrong(service, people, clock, typed, expected):
    await sweep(service, "2026-12-01T08:00")
    clock.now = instant("2026-12-01T08:30")
    assert expected in await people["kt"].say(typed)


async def test_nothing_to_snooze_before_any_reminder(service, people):
    assert await people["kt"].say("/hoanlai") == "Bạn chưa nhận tin nhắc nào để hoãn."
