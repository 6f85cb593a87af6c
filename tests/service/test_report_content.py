"""The report's content collected by the bot: results by task group, difficulties, proposals, through choices and
free-text answers; editable until the consolidating department closes the period; a reminder to the rest."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.permissions import Role
from bot.core.texts import text
from storage import report_content, reports
from tests.support.clock import instant
from tests.support.db import inspecting
from tests.support.texts import receipt
from tests.support.users import register, settle_replies


@pytest.fixture
async def kt(service):
    return await register(service, "1001", Role.FOCAL, "kt")


@pytest.fixture
async def vhxh(service):
    return await register(service, "1002", Role.FOCAL, "vhxh")


async def answers(service, department=None):
    async with inspecting(service.db) as session:
        return await report_content.list_answers(session, 1, "nam", 2026, department)


async def test_a_department_answers_the_three_parts_and_has_submitted(service, kt, leader):
    groups = await kt.send("/noidung nam")
    assert groups.text.startswith("📝 Báo cáo năm 2026 – Phòng Kinh tế (hạn Thứ Hai, 30/11/2026 – còn 3 ngày).")
    assert [o.label for o in groups.options][3] == "Đổi mới chế độ hội họp"
    prompt = await kt.say("4")
    assert prompt.startswith("Gõ kết quả thực hiện về “Đổi mới chế độ hội họp”")
    saved = await kt.send(
        "Tổ chức 12 cuộc họp, 8 cuộc trực tuyến qua phần mềm của tỉnh.\nKhông đọc lại báo cáo khi họp."
    )
    assert saved.text == text("content.result_saved", group="Đổi mới chế độ hội họp")
    assert [o.label for o in saved.options] == ["Thêm kết quả nhóm khác", "Tiếp: khó khăn, vướng mắc"]
    assert (await kt.send("2")).text.startswith("Khó khăn, vướng mắc của Phòng Kinh tế trong kỳ?")
    proposal = await kt.send("Đường truyền internet ở các thôn còn yếu")
    assert proposal.text.startswith("Đề xuất, kiến nghị của Phòng Kinh tế?")
    assert [o.label for o in proposal.options] == ["Không có"]
    done = await kt.say("1")  # "Không có"
    assert "3. Đề xuất, kiến nghị: không có" in done and "• Đổi mới chế độ hội họp: Tổ chức 12 cuộc họp" in done
    assert receipt() in done and "Phòng Kinh tế đã nộp Báo cáo năm 2026." in done, "three parts in: submitted"
    rows = await answers(service)
    assert [(r.part, r.task_group, r.body[:9]) for r in rows] == [
        ("difficulty", 0, "Đường tru"),
        ("proposal", 0, ""),
        ("result", 4, "Tổ chức 1"),
    ]
    status = await leader.say("/baocao nam 2026")
    assert "✅ Phòng Kinh tế – 27/11/2026, Người dùng 1001 · nội dung 3/3" in status
    assert "trả lời đủ nội dung 1/4 phòng" in status


async def test_answers_stay_editable_until_the_period_is_closed(service, kt, vhxh, leader):
    await kt.send("/noidung kt nam 2026 ketqua 3")
    await kt.send("Giảm 20% văn bản so với cùng kỳ.")
    menu = await kt.send("/noidung nam")
    assert "• Đổi mới công tác soạn thảo, ban hành văn bản: Giảm 20% văn bản" in menu.text
    assert [o.label for o in menu.options] == [
        "Kết quả (thêm, sửa)",
        "Khó khăn, vướng mắc",
        "Đề xuất, kiến nghị",
        "Xong",
    ]
    await kt.send("/noidung kt nam 2026 ketqua 3")
    await kt.send("Giảm 25% văn bản so với cùng kỳ.")
    assert [r.body for r in await answers(service, "kt")] == ["Giảm 25% văn bản so với cùng kỳ."], "replaced"
    confirm = await vhxh.send("/chotbaocao nam")
    assert confirm.text.startswith("Chốt Báo cáo năm 2026? Đã trả lời đủ nội dung: 0/4 phòng.")
    assert "🔒 Đã chốt Báo cáo năm 2026" in await vhxh.say("1")
    assert "đã được phòng tổng hợp chốt" in await kt.say("/noidung kt nam 2026 ketqua 3")
    assert "đã được chốt ngày 27/11/2026" in await leader.say("/chotbaocao nam 2026")
    assert "🔒 Phòng tổng hợp đã chốt kỳ này ngày 27/11/2026." in await leader.say("/baocao nam")
    assert "Đã mở lại Báo cáo năm 2026" in await leader.say("/mobaocao nam 2026")
    assert (await kt.send("/noidung kt nam 2026 ketqua 3")).text.startswith("Gõ kết quả")


async def test_an_answer_waiting_is_taken_once_and_only_from_the_person_asked(service, kt, leader):
    await kt.send("/noidung kt nam 2026 khokhan")
    assert await leader.say("Chữ ký số hết hạn") == text("access.not_a_command"), "another person's words"
    message = kt.incoming("Chữ ký số hết hạn")
    first = await service.handle(message)
    again = await service.handle(message)  # redelivered
    assert first.text.startswith("Đề xuất, kiến nghị của Phòng Kinh tế?") and again.text == first.text
    assert [r.body for r in await answers(service, "kt")] == ["Chữ ký số hết hạn"]
    assert await kt.say("/noidung kt nam 2026 dexuat khongco")
    assert await kt.say("Một câu nữa") == text("access.not_a_command"), "nothing is awaited once answered"


async def test_a_file_comes_with_its_words_and_a_long_answer_is_refused(service, kt):
    await kt.send("/noidung kt nam 2026 ketqua 5")
    refused = await service.handle(replace(kt.incoming(""), attachment="FILE-1"))
    assert refused.text == text("content.file_needs_words")
    too_long = await kt.say("x" * 3001)
    assert too_long == text("content.too_long", length="3.001", limit="3.000")
    saved = await service.handle(replace(kt.incoming("Số hóa 1.200 hồ sơ"), attachment="FILE-2"))
    assert saved.text.startswith("✅ Đã ghi kết quả")
    [row] = await answers(service, "kt")
    assert (row.body, row.with_file) == ("Số hóa 1.200 hồ sơ", True)


async def test_a_delivery_note_is_never_the_reports_content(service, kt):
    assert receipt() in await kt.say("/nopbaocao nam Đã gửi qua iOffice")
    assert await answers(service) == [], "the note says how it was sent, not what the department found hard"


async def test_the_consolidating_department_reminds_the_rest_with_one_command(service, kt, vhxh, leader):
    await settle_replies(service)
    await kt.send("/noidung kt nam 2026 ketqua 1")
    await kt.send("Quán triệt Kết luận 226 tới toàn thể công chức.")
    await kt.send("/noidung kt nam 2026 khokhan khongco")
    await kt.send("/noidung kt nam 2026 dexuat khongco")
    reply = await vhxh.say("/nhacbaocao nam")
    assert reply.startswith("Đã nhắc 1 phòng chưa trả lời nội dung Báo cáo năm 2026: Phòng Văn hóa – Xã hội.")
    assert "Phòng Kinh tế" not in reply and "Chưa có đầu mối hay nhóm nào nhận tin: " in reply
    async with inspecting(service.db) as session:
        from storage import outbox

        sent = [r for r in await outbox.list_outbox(session) if r.stage == "nudge"]
    assert sorted(r.chat_id for r in sent) == ["1002"], "VH-XH's own focal person; VP and TTHCC have none yet"
    assert "gõ /noidung nam 2026" in sent[0].text
    assert "Đã nhắc hôm nay" in await leader.say("/nhacbaocao nam 2026"), "once a day"
    assert text("access.denied", command="nhacbaocao") == await kt.say("/nhacbaocao nam")


async def test_the_conversation_is_private_and_asks_which_period(service, kt, clock):
    assert await kt.say("/noidung", chat_id="-700") == text("content.in_group")
    clock.now = instant("2026-12-20T09:00")  # the 2027 periods report from 15/12/2026
    question = await kt.send("/noidung")
    labels = [o.label for o in question.options]
    assert labels == ["Báo cáo năm 2026", "Báo cáo 6 tháng 2027", "Báo cáo 6 tháng 2026", "Báo cáo năm 2027"], (
        "the nearest due day first"
    )
    async with inspecting(service.db) as session:
        assert not await reports.list_submissions(session, 1, "nam", 2026)
