"""Citizens' and the Mặt trận's feedback with answers: recorded, handed to one department as a task, answered,
counted in /chitieu; and who reads which."""

from __future__ import annotations

import pytest

from bot.core.permissions import Role
from bot.core.texts import text
from tests.support.clock import instant
from tests.support.users import register


@pytest.fixture
async def front(service):
    return await register(service, "700", Role.FRONT)


@pytest.fixture
async def kt(service):
    return await register(service, "1001", Role.FOCAL, "kt")


@pytest.fixture
async def tthcc(service):
    return await register(service, "1002", Role.FOCAL, "tthcc")


async def test_feedback_is_recorded_handed_to_one_department_answered_and_counted(service, front, leader, kt, clock):
    recorded = await front.say("/gopy dienthoai Đường thôn 3: Đề nghị sửa đoạn đường hỏng")
    assert (
        recorded == "Đã ghi góp ý G1 (Mặt trận, qua điện thoại) ngày 27/11/2026: Đường thôn 3. Hạn trả lời 11/12/2026."
    )
    assert "G1" in await front.say("/gopy") and "chưa giao phòng" in await front.say("/gopy")
    assigned = await leader.say("/chuyengopy G1 kt")
    assert assigned == ("Đã giao Phòng Kinh tế trả lời góp ý G1 (việc V1), hạn 11/12/2026: Đường thôn 3.")
    assert "Trả lời góp ý G1: Đường thôn 3" in await kt.say("/viec"), "chased as the department's task"
    assert text("feedback.already_assigned", number=1, department="Phòng Kinh tế") == await leader.say(
        "/chuyengopy G1 vhxh"
    )
    clock.now = instant("2026-12-01T09:00")
    assert await kt.say("/traloi G1 Đã khảo sát, sửa xong trong tháng 12") == (
        "Đã ghi trả lời góp ý G1 ngày 01/12/2026 (đúng hạn)."
    )
    assert "Trả lời góp ý G1" not in await kt.say("/viec"), "the answer closes its task"
    shown = await front.say("/gopy G1")
    assert "✅ Trả lời ngày 01/12/2026: Đã khảo sát, sửa xong trong tháng 12" in shown
    assert "Phòng Kinh tế trả lời" in shown
    assert text("feedback.already_answered", number=1, day="01/12/2026") == await kt.say("/traloi G1 Lần nữa")
    report = await leader.say("/chitieu chitiet")
    assert "• Góp ý, kiến nghị tiếp nhận: 1 – trả lời đúng hạn 1, trễ hạn 0, chưa trả lời 0" in report
    assert "• Góp ý, kiến nghị tiếp nhận: 1 –" in await leader.say("/chitieu kt chitiet")
    assert "Góp ý" not in await leader.say("/chitieu vhxh chitiet"), "told once anything of it is recorded"


async def test_late_and_open_feedback_are_told_apart(service, leader, kt, clock):
    # 24/11 (Ngày Văn hóa Việt Nam) is a day off: ten working days from 20/11 end on 07/12/2026.
    await kt.say("/gopy nguoidan tructiep 20/11 Nước sinh hoạt: Mất nước nhiều ngày")
    await kt.say("/gopy tochuc Chợ: Đề nghị sắp xếp lại chợ")
    clock.now = instant("2026-12-09T09:00")
    late = await leader.say("/traloi G1 Đã làm việc với đơn vị cấp nước")
    assert late == "Đã ghi trả lời góp ý G1 ngày 09/12/2026 (trễ 2 ngày làm việc)."
    report = await leader.say("/chitieu chitiet")
    assert "• Góp ý, kiến nghị tiếp nhận: 2 – trả lời đúng hạn 0, trễ hạn 1, chưa trả lời 1" in report
    clock.now = instant("2026-12-14T09:00")
    assert "chưa trả lời 1 (quá hạn 1)" in await leader.say("/chitieu chitiet")


async def test_who_reads_and_answers_which_feedback(service, front, leader, focal, kt, tthcc):
    await front.say("/gopy Đường thôn 3: hỏng")
    await tthcc.say("/gopy dichvucong Thủ tục đất đai: Chậm trả kết quả")
    await leader.say("/chuyengopy G2 kt")
    assert "G2" not in await front.say("/gopy") and "G1" in await front.say("/gopy"), "the Mặt trận: its own"
    assert text("feedback.not_found", number=2) == await front.say("/gopy G2")
    assert "G2" in await tthcc.say("/gopy G2"), "who recorded it reads it and its answer"
    assert text("feedback.not_found", number=1) == await tthcc.say("/gopy G1")
    assert text("feedback.not_yours", number=2) == await tthcc.say("/traloi G2 Không phải phòng mình")
    assert "G2" in await kt.say("/gopy") and "G1" not in await kt.say("/gopy"), "a focal: their department's"
    everything = await focal.say("/gopy")
    assert "G1" in everything and "G2" in everything, "the consolidating department reads it all"
    assert text("feedback.not_found", number=1) == await kt.say("/traloi G1 Chưa giao cho phòng")
    for command in ("/hop tructuyen Họp", "/chitieu", "/ketqua", "/viec", "/traloi G1 Có"):
        word = command.split()[0][1:]
        assert await front.say(command) == text("access.denied", command=word), command
    assert await kt.say("/gopy", chat_id="-100700") == text("access.private_only", command="gopy")
