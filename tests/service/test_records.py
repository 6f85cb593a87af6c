"""Records an official on a phone cannot get wrong: dates never jump years, twins and undo are asked about,
tasks have their own V-numbers, secret documents stay out of the chat."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.core.permissions import Role
from bot.core.texts import text
from storage.models.entries import Entry, Meeting
from storage.models.messaging import OutboxMessage
from storage.models.system import AuditEvent
from storage.models.tasks import Task
from tests.support.clock import instant
from tests.support.db import inspecting
from tests.support.texts import receipt
from tests.support.users import register


async def rows(service, model, *where, options=()):
    async with inspecting(service.db) as session:
        return (await session.scalars(select(model).where(*where).options(*options))).all()


@pytest.fixture
async def kt(service):
    return await register(service, "1001", Role.FOCAL, "kt")


async def test_a_year_less_deadline_already_past_is_asked_about(service, leader, clock):
    clock.now = instant("2026-11-28T09:00")
    question = await leader.send("/giaoviec kt 27/11 Rà soát hồ sơ")
    assert question.text == "Ngày 27/11 năm nay đã qua. Ý bạn là 27/11/2027 (năm sau)?"
    assert [o.label for o in question.options] == ["Đúng, 27/11/2027", "Không, tôi gõ lại"]
    assert await rows(service, Task) == []
    assert "hạn Thứ Bảy, 27/11/2027" in await leader.say("1")


async def test_a_year_less_date_later_this_year_is_asked_and_can_be_declined(service, leader, clock):
    clock.now = instant("2026-11-28T09:00")
    question = await leader.send("/hop kt truc_tuyen 31/12 Tổng kết")
    assert question.text == "Ngày 31/12 năm nay chưa tới. Ý bạn là 31/12/2025 (năm trước)?"
    assert await leader.say("2") == text("choice.dismissed")
    assert await rows(service, Entry) == []
    await leader.send("/hop kt truc_tuyen 31/12 Tổng kết")
    assert "ngày 31/12/2025" in await leader.say("1")


async def test_entries_take_the_date_of_the_message_and_understand_words(service, focal, clock):
    assert "ngày 26/11/2026" in await focal.say("/hop truc_tiep hôm qua Giao ban")
    assert "ngày 20/11/2026" in await focal.say("/vanban dientu 20/11/2026 15/KH-UBND Kế hoạch tuyên truyền")
    assert "ngày 15/01/2026" in await focal.say("/hoso 3 1 15/01/2026"), "backfilling this year is allowed"
    too_old = await focal.say("/hop truc_tiep 31/12/2024")
    assert too_old.startswith("Ngày 31/12/2024 quá xa") and "Cách dùng: /hop" in too_old
    bad = await focal.say("/hop vp truc_tiep 31/02/2026")
    assert bad.startswith("Ngày “31/02/2026” không hợp lệ")
    assert len(await rows(service, Entry)) == 3


async def test_a_deadline_on_a_day_off_is_flagged(service, leader):
    receipt = await leader.say("/giaoviec kt 06/12/2026 Tổng hợp")  # a Sunday
    assert "⚠️ Hạn rơi vào ngày nghỉ (Chủ nhật)" in receipt and "/suaviec V1" in receipt
    assert "⚠️" not in await leader.say("/giaoviec kt 07/12/2026 Tổng hợp khác")


async def test_the_same_meeting_twice_is_asked_about(service, focal, clock):
    assert receipt(1) in await focal.say("/hop truc_tuyen Giao ban tuần")
    clock.advance(minutes=3)
    question = await focal.send("/hop tructuyen Giao ban tuần")
    assert question.text.startswith("Cuộc họp này vừa được ghi (#1: họp trực tuyến ngày 27/11/2026)")
    assert receipt(2) in await focal.say("1"), "confirmed: logged"
    clock.advance(minutes=30)
    assert receipt(3) in await focal.say("/hop truc_tuyen Giao ban tuần"), "long after: not a twin"
    assert receipt(4) in await focal.say("/hop truc_tiep Giao ban tuần"), "another mode: not a twin"


async def test_secret_documents_are_counted_only(service, focal):
    assert "văn bản mật ngày 27/11/2026" in await focal.say("/vanban mat")
    refused = await focal.say("/vanban mat 5/UBND-M Về việc A")
    assert refused.startswith(text("parse.secret_details"))
    assert len(await rows(service, Entry)) == 1


async def test_tasks_have_their_own_numbers_and_huy_never_hits_the_wrong_thing(service, focal, leader):
    await focal.say("/hop truc_tuyen")
    assert "V1" in await leader.say("/giaoviec vhxh 10/12/2026 Tổng hợp")
    assert "V1 VHXH – Tổng hợp" in await focal.say("/viec")
    assert await focal.say("/huy V1") == text("task.cancel_not_allowed")
    question = await leader.send("/huy V1")
    assert question.text == "Hủy việc V1 (Phòng Văn hóa – Xã hội, hạn 10/12/2026)?"
    assert "Đã hủy việc V1" in await leader.say("1")
    assert await focal.say("/viec") == text("task.none")
    [meeting] = await rows(service, Entry)
    assert meeting.cancelled_at is None, "the meeting #1 was not touched"
    assert await focal.say("/xong V1") == text("task.not_found", id=1)


async def test_leaders_change_a_task_and_it_is_audited(service, kt, leader, clock):
    focal = await register(service, "103", Role.FOCAL, "vp")
    await leader.say("/giaoviec vp 10/12/2026 Tổng hợp")
    assert "Đã đổi hạn việc V1 thành Thứ Ba, 15/12/2026" in await leader.say("/suaviec V1 15/12/2026")
    assert "Đã sửa nội dung việc V1: Tổng hợp và báo cáo" in await leader.say("/suaviec V1 Tổng hợp và báo cáo")
    assert "Đã giao lại việc V1 cho Phòng Kinh tế" in await leader.say("/suaviec V1 kt")
    assert "V1 KT" in await kt.say("/viec") and await focal.say("/viec") == text("task.none")
    assert await focal.say("/suaviec V1 vp") == text("access.denied", command="suaviec")
    edits = await rows(service, AuditEvent, AuditEvent.action == "edit")
    assert [list(e.detail) for e in edits] == [["due"], ["title"], ["department"]]
    notices = await rows(service, OutboxMessage, OutboxMessage.kind == "task_assigned", OutboxMessage.chat_id == "1001")
    assert len(notices) == 1 and "Việc mới V1" in notices[0].text, "the new lead department is told"


async def test_the_meeting_of_a_twin_check_is_the_departments(service, focal):
    other = await register(service, "102", Role.FOCAL, "vhxh")
    await focal.say("/hop truc_tuyen Giao ban")
    assert (await other.send("/hop truc_tuyen Giao ban")).options, "a colleague logging it again is asked too"
    [meeting] = await rows(service, Meeting, options=[selectinload(Meeting.department)])
    assert meeting.department.code == "vhxh"


async def test_one_count_per_question(service, focal):
    await focal.send("/hop")
    await focal.say("1")
    async with inspecting(service.db) as session:
        assert await session.scalar(select(func.count()).select_from(Entry)) == 1
