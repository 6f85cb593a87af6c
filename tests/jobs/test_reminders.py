"""Reminders derived from the database at a fixed instant: what is due, to whom, once."""

from __future__ import annotations

import pytest

from bot.core.permissions import Role
from jobs import sweep as sweeping
from storage import outbox as stored
from storage.models.messaging import OutboxKind
from tests.support.clock import instant
from tests.support.db import inspecting
from tests.support.texts import receipt
from tests.support.users import register, reminder_settings


async def outbox(service, **where):
    """Reminders in the outbox (replies to the users' own messages left out)."""
    async with inspecting(service.db) as session:
        rows = await stored.list_outbox(session)
    rows = [r for r in rows if r.kind != OutboxKind.REPLY]
    return [r for r in rows if all(getattr(r, k) == v for k, v in where.items())]


async def sweep(service, now, **kwargs):
    return await sweeping.sweep(service.db, reminder_settings(service), now, **kwargs)


@pytest.fixture
async def people(service):
    # The database was created on 27/11/2026 (the service fixture's clock): tracking starts that day.
    return {
        "kt": await register(service, "1001", Role.FOCAL, "kt"),
        "vhxh": await register(service, "1002", Role.FOCAL, "vhxh"),
        "leader": await register(service, "2001", Role.LEADER),
        "admin": await register(service, "3001", Role.ADMIN),
    }


async def test_three_days_before_the_annual_report(service, people, clock):
    clock.now = instant("2026-11-20T10:00")
    await people["vhxh"].say("/nopbaocao nam")
    result, _ = await sweep(service, instant("2026-11-27T08:00"))
    rows = await outbox(service, kind="report", stage="before")
    kt = [r for r in rows if r.chat_id == "1001"]
    assert len(kt) == 1 and kt[0].subject == "1:nam:2026:kt" and kt[0].status == "bundled"
    assert "Thứ Hai, 30/11/2026 – còn 3 ngày" in kt[0].text and "/nopbaocao nam 2026" in kt[0].text
    [bundle] = await outbox(service, kind="bundle", chat_id="1001")
    assert bundle.status == "pending" and "Thứ Hai, 30/11/2026 – còn 3 ngày" in bundle.text
    assert "/nopbaocao nam 2026" in bundle.text
    assert not [r for r in rows if r.chat_id == "1002"], "a department that submitted is not chased"
    assert result.queued == len(await outbox(service, kind="bundle"))
    again, _ = await sweep(service, instant("2026-11-27T08:05"))
    assert again.queued == 0 and len(await outbox(service, kind="report")) == len(rows)


async def test_nothing_before_eight_and_a_missed_old_stage_is_only_recorded(service, people):
    result, _ = await sweep(service, instant("2026-11-27T07:59"))
    assert result.queued == 0
    assert result.expired > 0  # Monday 23/11's 7-day stage, four days old: recorded, never sent
    assert {r.status for r in await outbox(service, kind="report")} == {"expired"}


async def test_after_downtime_the_current_stage_is_sent_once(service, people):
    result, _ = await sweep(service, instant("2026-11-30T15:30"))  # down since before Friday's stage
    rows = await outbox(service, kind="report", chat_id="1001")
    assert [(r.stage, str(r.day), r.status) for r in rows] == [("before", "2026-11-30", "bundled")]
    assert "hạn cuối hôm nay" in rows[0].text
    [bundle] = await outbox(service, kind="bundle", chat_id="1001")
    assert bundle.status == "pending" and "hạn cuối hôm nay" in bundle.text


async def test_late_departments_are_chased_and_escalated(service, people, clock):
    result, _ = await sweep(service, instant("2026-12-01T08:00"))
    late = await outbox(service, kind="report", stage="late", chat_id="1001")
    assert len(late) == 1 and "đã trễ 1 ngày" in late[0].text
    escalations = await outbox(service, kind="report_escalation")
    assert {r.chat_id for r in escalations} == {"2001", "1002"}  # leaders and Phòng VH-XH
    assert "Phòng Kinh tế" in escalations[0].text and "/baocao nam 2026" in escalations[0].text
    await sweep(service, instant("2026-12-02T08:00"))
    assert len(await outbox(service, kind="report_escalation")) == 2, "escalation is weekly, not daily"
    clock.now = instant("2026-12-02T09:00")
    assert receipt() in await people["kt"].say("/nopbaocao nam")
    await sweep(service, instant("2026-12-03T08:00"))
    assert [r.day.isoformat() for r in await outbox(service, kind="report", stage="late", chat_id="1001")] == [
        "2026-12-01",
        "2026-12-02",
    ]


async def test_a_submission_settles_what_is_still_queued(service, people, clock):
    await sweep(service, instant("2026-11-27T08:00"))
    clock.now = instant("2026-11-27T08:01")
    await people["kt"].say("/nopbaocao nam")
    assert {r.status for r in await outbox(service, subject="1:nam:2026:kt")} == {"superseded"}
    assert {r.status for r in await outbox(service, subject="1:nam:2026:vhxh")} == {"bundled"}


async def test_group_gets_one_message_for_the_department(service, people):
    await people["kt"].say("/lienket kt", chat_id="-500")
    await sweep(service, instant("2026-11-27T08:00"))
    rows = await outbox(service, kind="report", subject="1:nam:2026:kt")
    assert sorted((r.chat_id, r.is_group) for r in rows) == [("-500", True), ("1001", False)]


async def test_a_period_due_before_reminders_began_is_owed_but_never_chased(service, people):
    await sweep(service, instant("2026-11-27T08:00"))
    assert await outbox(service, subject="1:nam:2026:kt")
    assert not [r for r in await outbox(service) if r.subject.startswith("1:6thang:2026")], "due 31/5, before 27/11"
    reply = await people["kt"].say("/nopbaocao 6thang 2026")
    assert reply.startswith(receipt()) and "nộp muộn 180 ngày (hạn 31/05/2026)" in reply, "tracked all the same"


async def test_task_notice_reminders_escalation_and_close(service, people, clock):
    clock.now = instant("2026-11-27T10:00")
    reply = await people["leader"].say("/giaoviec kt 04/12/2026 Rà soát hồ sơ đất đai")
    assert reply.startswith("Đã giao việc V1 cho Phòng Kinh tế, hạn Thứ Sáu, 04/12/2026")
    notice = await outbox(service, kind="task_assigned")
    assert [r.chat_id for r in notice] == ["1001"] and "/tiendo V1" in notice[0].text
    await sweep(service, instant("2026-12-01T08:00"))
    before = await outbox(service, kind="task", stage="before")
    assert len(before) == 1 and "còn 3 ngày" in before[0].text
    await sweep(service, instant("2026-12-07T08:00"))
    assert len(await outbox(service, kind="task", stage="late")) == 1
    assert [r.chat_id for r in await outbox(service, kind="task_escalation")] == ["2001"]
    clock.now = instant("2026-12-07T09:00")
    assert "trễ 1 ngày làm việc" in await people["kt"].say("/xong V1")  # due Fri 04/12, done Mon 07/12
    await sweep(service, instant("2026-12-08T08:00"))
    assert len(await outbox(service, kind="task", stage="late")) == 1


async def test_stale_task_gets_the_monday_nudge(service, people, clock):
    clock.now = instant("2026-11-02T10:00")
    await people["leader"].say("/giaoviec kt 31/12/2026 Kế hoạch năm 2027")
    clock.now = instant("2026-11-20T10:00")
    await people["kt"].say("/tiendo 1 30")
    await sweep(service, instant("2026-11-23T08:00"))
    assert not await outbox(service, kind="task_nudge"), "progress three days ago"
    await sweep(service, instant("2026-11-30T08:00"))
    assert len(await outbox(service, kind="task_nudge")) == 1


async def test_weekly_digest_for_leaders(service, people, clock):
    await sweep(service, instant("2026-11-30T07:45"))
    digest = await outbox(service, kind="digest")
    assert [r.chat_id for r in digest] == ["2001"]
    assert "Tổng hợp tuần – Thứ Hai, 30/11/2026" in digest[0].text and "Chỉ tiêu năm 2026" in digest[0].text
    assert "• Báo cáo năm 2026: 4 phòng chưa nộp (hạn cuối hôm nay)" in digest[0].text
    # Due before the bot came, the 6-month report is still owed: the chairman is told so, never "nothing owed".
    assert "• Báo cáo 6 tháng 2026: 4 phòng chưa nộp (đã trễ 183 ngày)" in digest[0].text
    assert "Không có việc quá hạn hay báo cáo chưa nộp" not in digest[0].text
    assert len(digest[0].text) < 2000  # fits a Zalo message too


async def test_the_digest_tells_the_reports_that_came_late_that_week(service, people, clock):
    clock.now = instant("2026-12-02T09:00")
    assert "nộp muộn 2 ngày" in await people["kt"].say("/nopbaocao nam 2026")
    await sweep(service, instant("2026-12-07T07:45"))
    [digest] = await outbox(service, kind="digest")
    assert "🕓 Phòng Kinh tế – Báo cáo năm 2026: nộp muộn 2 ngày" in digest.text
    assert "• Báo cáo năm 2026: 3 phòng chưa nộp (đã trễ 7 ngày)" in digest.text


async def test_dry_run_lists_and_writes_nothing(service, people):
    result, new = await sweep(service, instant("2026-11-27T08:00"), dry_run=True)
    assert new and result.queued == 0 and not await outbox(service)


async def test_a_big_pass_planned_in_chunks_plans_and_writes_what_one_pass_would(service, people, clock, monkeypatch):
    """The first pass after a restart plans its tasks in chunks while the keys of the chunk before are looked up:
    the same messages as one piece, each written once, and nothing again after a second restart."""
    clock.now = instant("2026-11-27T10:00")
    for n in range(5):
        await people["leader"].say(f"/giaoviec kt {n + 1:02d}/12/2026 Việc {n}")
    at = instant("2026-12-07T08:00")
    whole = [(p.key, p.recipients) for p in (await sweep(service, at, dry_run=True))[1]]
    monkeypatch.setattr(sweeping, "BIG_PLAN", 1)
    monkeypatch.setattr(sweeping, "PLAN_CHUNK", 2)
    chunked = [(p.key, p.recipients) for p in (await sweep(service, at, dry_run=True))[1]]
    assert chunked == whole and whole
    first, _ = await sweep(service, at)
    again, _ = await sweep(service, at)
    assert first.queued + first.expired > 0 and (again.queued, again.expired) == (0, 0)
