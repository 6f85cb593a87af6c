"""Reports and tasks through the chat: submit, withdraw, status, assign, progress, close."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.permissions import Role
from bot.core.texts import text
from storage import reports
from tests.support.clock import instant
from tests.support.db import inspecting
from tests.support.texts import receipt
from tests.support.users import register


@pytest.fixture
async def kt(service):
    return await register(service, "1001", Role.FOCAL, "kt")


async def test_submit_without_a_year_takes_the_oldest_outstanding_period(service, kt, leader, clock):
    # The plan's first day is 1/1/2026: the annual report 2026 is the oldest annual report owed.
    reply = await kt.say("/nopbaocao nam Đã gửi bản ký số")
    assert reply.startswith(receipt(1) + ": Phòng Kinh tế đã nộp Báo cáo năm 2026") and "Đã gửi bản ký số" in reply
    already = await kt.say("/nopbaocao nam 2026")
    assert already.startswith("Phòng Kinh tế đã nộp Báo cáo năm 2026 ngày 27/11/2026 (Người dùng 1001 ghi nhận, #1)")
    # The 2027 period reports on data from 15/12/2026: it cannot be submitted in November 2026.
    again = await kt.say("/nopbaocao nam")
    assert again.startswith("Phòng Kinh tế đã nộp Báo cáo năm 2026 ngày 27/11/2026") and "chưa đến lúc" in again
    assert await kt.say("/nopbaocao nam 2027") == "Báo cáo năm 2027 chưa đến kỳ: nhận từ ngày 15/12/2026."
    assert await kt.say("/nopbaocao 6thang 2027") == "Báo cáo 6 tháng 2027 chưa đến kỳ: nhận từ ngày 15/12/2026."
    status = await leader.say("/baocao nam 2026")
    assert "📑 Báo cáo năm 2026 – hạn Thứ Hai, 30/11/2026 (còn 3 ngày):" in status
    assert "✅ Phòng Kinh tế – 27/11/2026, Người dùng 1001" in status and "⏳ Phòng Văn hóa – Xã hội" in status
    assert "Đã nộp 1/4 phòng;" in status and "Công an xã" not in status, "CA and QS owe no report"


async def test_a_submission_can_be_withdrawn(service, kt, leader, clock):
    await kt.say("/nopbaocao nam 2026")
    assert "Đã hủy #1 (Báo cáo năm 2026)" in await kt.say("/huy")
    clock.now = instant("2026-12-02T09:00")
    assert "⚠️ Phòng Kinh tế – chưa nộp, trễ 2 ngày" in await leader.say("/baocao nam 2026")
    again = await kt.say("/nopbaocao nam 2026")
    assert again.startswith(receipt(2)) and "nộp muộn 2 ngày (hạn 30/11/2026)" in again
    assert "🕓 Phòng Kinh tế – 02/12/2026, Người dùng 1001: nộp muộn 2 ngày" in await leader.say("/baocao nam 2026")


async def test_a_period_due_before_the_plan_began_is_refused(service, kt):
    assert "trước ngày đầu của Kế hoạch (01/01/2026)" in await kt.say("/nopbaocao 6thang 2025")


async def test_tasks_one_lead_progress_and_close(service, kt, focal, leader, admin, clock):
    assert "Đã giao việc V1 cho Phòng Kinh tế" in await admin.say("/giaoviec kt 01/12/2026 Báo cáo đất đai")
    await leader.say("/giaoviec vhxh 30/11/2026 Kế hoạch tuyên truyền")
    assert text("task.not_yours", id=1) == await focal.say("/tiendo 1 50")
    assert await admin.say("/tiendo 1 50") == text("access.denied", command="tiendo")
    assert "Đã ghi tiến độ việc V1: 40% – Đang tổng hợp" in await kt.say("/tiendo V1 40 Đang tổng hợp")
    listing = await leader.say("/viec")
    assert listing.splitlines()[1].startswith("V2 VHXH") and "40%" in listing.splitlines()[2]
    assert "V1" in await kt.say("/viec") and "V2" not in await kt.say("/viec")
    clock.now = instant("2026-12-03T09:00")
    assert "trễ 2 ngày làm việc" in await kt.say("/xong V1")  # 02/12 and 03/12
    assert "đã hoàn thành ngày 03/12/2026" in await kt.say("/xong 1")
    report = await leader.say("/chitieu chitiet")
    assert "Nhiệm vụ đến hạn: 2, đúng hạn 0 (0,0%); quá hạn chưa xong: 1 🔴" in report


async def test_a_report_sent_as_a_file_keeps_its_file(service, kt):
    reply = await service.handle(replace(kt.incoming("/nopbaocao nam"), attachment="FILE-1"))
    assert "(kèm tệp)" in reply.text
    async with inspecting(service.db) as session:
        assert (await reports.list_submissions(session, 1, "nam", 2026))[0].file_id == "FILE-1"


async def test_a_period_before_tracking_is_shown_as_untracked(service, leader):
    assert "bot không theo dõi kỳ này" in await leader.say("/baocao nam 2025")
