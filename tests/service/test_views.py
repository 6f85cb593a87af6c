"""Who sees what, worded as a view; /help per command; reports offered and listed as officials expect;
and the wording officials asked for."""

from __future__ import annotations

import pytest

from bot.core.permissions import Role
from bot.core.texts import CATALOGUE, text
from tests.support.texts import receipt, receipts_agree
from tests.support.users import User, register


@pytest.fixture
async def kt(service):
    return await register(service, "1001", Role.FOCAL, "kt")


@pytest.mark.parametrize("command", ["/chitieu kt", "/viec kt", "/baocao"])
async def test_the_consolidating_department_sees_every_department(service, focal, kt, leader, command):
    await leader.say("/giaoviec kt 10/12/2026 Rà soát")
    reply = await focal.say(command)  # VH-XH guides, chases and consolidates (§IV.2)
    assert "Phòng Kinh tế" in reply or "V1 KT" in reply
    assert not reply.startswith("Bạn chỉ")


async def test_another_focal_person_is_refused_a_view_as_a_view(service, kt):
    assert await kt.say("/chitieu vhxh") == text("view.not_your_department", codes="kt")
    assert await kt.say("/viec vhxh") == text("view.not_your_department", codes="kt")
    assert text("view.not_your_department", codes="kt").startswith("Bạn chỉ xem được")


async def test_help_for_one_command_shows_its_syntax_and_an_example(service, focal):
    reply = await focal.say("/help hop")
    assert reply.startswith("/hop – ghi một cuộc họp\nCách dùng: /hop tructuyen|tructiep")
    assert "Ví dụ: /hop tructuyen 12/11 Giao ban tuần" in reply
    assert "tructuyen" in text("usage.hop") and "online" in text("usage.hop") and "trực tuyến" in text("usage.hop")
    assert await focal.say("/help xyz") == text("access.unknown_command", command="xyz")


async def test_bare_nopbaocao_offers_the_open_periods(service, kt, clock):
    question = await kt.send("/nopbaocao")
    assert question.text == "Phòng Kinh tế nộp báo cáo kỳ nào?"
    # Installed on 27/11/2026, the bot still tracks the plan's 6-month report due 31/5; no 2027 period is open yet.
    assert [o.label for o in question.options] == ["Báo cáo 6 tháng 2026", "Báo cáo năm 2026"]
    assert "Phòng Kinh tế đã nộp Báo cáo 6 tháng 2026 – nộp muộn 180 ngày" in await kt.say("1")
    assert [o.label for o in (await kt.send("/nopbaocao")).options] == ["Báo cáo năm 2026"]
    assert "Phòng Kinh tế đã nộp Báo cáo năm 2026." in await kt.say("1")
    assert await kt.say("/nopbaocao") == text("ask.report_period_none", department="Phòng Kinh tế")


async def test_baocao_lists_the_period_due_soonest_first(service, kt):
    reply = await kt.say("/baocao")
    assert reply.index("Báo cáo năm 2026") < reply.index("Báo cáo 6 tháng 2027")


async def test_a_submission_recorded_by_a_leader_says_who_recorded_it(service, leader):
    answer = await leader.say("/nopbaocao kt nam Bản ký số")
    assert answer == receipt(1) + ": Phòng Kinh tế đã nộp Báo cáo năm 2026: Bản ký số, do Người dùng 201 ghi nhận."


async def test_only_the_departments_the_plan_names_owe_reports(service):
    ca = await register(service, "1002", Role.FOCAL, "cax")
    assert await ca.say("/nopbaocao nam") == text("report.not_required", department="Công an xã", report="Báo cáo năm")


async def test_the_wording_officials_asked_for(service, focal, leader, clock):
    """Said in replies, not only kept in the catalogue: the words each kind of official asked for."""
    assert "• Nhiệm vụ: chưa có việc đến hạn" in await leader.say("/chitieu chitiet")
    assert "hồ sơ (19 trực tuyến, 1 trực tiếp)" in (await focal.say("/hoso 19 1"), await focal.say("/huy"))[1]
    assert "Văn phòng HĐND và UBND xã" in await User(service, "999", "Khách").say("/toi")
    assert "do Người dùng 201 ghi nhận" in await leader.say("/nopbaocao kt nam")
    await focal.say("/hop tructuyen 01/01/2026 Họp đầu năm")  # logged back to 1 January: the year's records are whole
    for n in range(1, 6):
        await focal.say(f"/hop tructuyen {n:02d}/10/2026 Họp {n}")
    targets = await focal.say("/chitieu chitiet")
    assert "chỉ tiêu ≥60%" in targets and "🟢 đúng tiến độ" in targets
    await leader.say("/giaoviec vhxh 30/11/2026 Tổng hợp")
    clock.advance(days=7)
    from bot.core.features.tasks import TaskRow
    from bot.core.notices import TaskNotice, render_notice

    late = render_notice(
        TaskNotice("late", TaskRow(1, "vhxh", "Phòng Văn hóa – Xã hội", "Tổng hợp", clock().date(), 0)), clock().date()
    )
    assert "Khi hoàn thành, gõ: /xong V1" in late


def test_retired_wording_is_gone():
    every = "\n".join(CATALOGUE.values())
    for old in ["Thiếu hình thức.", "(={target})", "Xong rồi, gõ", "quá hạn chưa xong: 0", "{online} + {paper}", "🟡"]:
        assert old not in every, old


def test_every_receipt_of_an_entry_begins_alike():
    assert receipts_agree() and receipt(7) == "Đã ghi #7"


async def test_a_dossier_count_over_the_limit_says_the_limit(service, focal):
    assert (await focal.say("/hoso 100001 0")).startswith("Số hồ sơ “100001” quá lớn: mỗi lần ghi tối đa 100.000")
