"""Each official's year for the yearly evaluation: one named responsible official per task, /ketqua's facts and
who may read whose."""

from __future__ import annotations

import re

import pytest

from bot.core.permissions import Role
from bot.core.texts import text
from tests.support.clock import instant
from tests.support.users import User, register


async def member_id(user: User) -> int:
    return int(re.search(r"mã thành viên (\d+)", await user.say("/toi")).group(1))


@pytest.fixture
async def kt(service):
    return await register(service, "1001", Role.FOCAL, "kt")


@pytest.fixture
async def kt2(service):
    return await register(service, "1003", Role.FOCAL, "kt")


@pytest.fixture
async def tthcc(service):
    return await register(service, "1002", Role.FOCAL, "tthcc")


async def test_a_task_names_at_most_one_official_and_only_one_of_the_commune(service, leader, kt):
    me = await member_id(kt)
    reply = await leader.say(f"/giaoviec kt 01/12/2026 @{me} Rà soát hồ sơ đất đai")
    assert "Đã giao việc V1 cho Phòng Kinh tế" in reply and "Người chịu trách nhiệm: Người dùng 1001." in reply
    assert text("parse.one_responsible") in await leader.say(f"/giaoviec kt 01/12/2026 @{me} @{me} Hai người")
    assert text("task.responsible_unknown", person_id=999) == await leader.say("/giaoviec kt 01/12/2026 @999 Ai đó")
    assert text("parse.bad_responsible", value="@abc") in await leader.say("/giaoviec kt 01/12/2026 @abc Ai đó")
    assert "V2" not in await leader.say("/viec"), "nothing is written by a refused assignment"
    changed = await leader.say(f"/suaviec V1 @{await member_id(leader)}")
    assert changed == text("task.changed.responsible", id=1, name="Người dùng 201", title="Rà soát hồ sơ đất đai")


async def test_an_officials_year_is_facts_on_time_late_overdue_updates_and_reports(service, leader, kt, clock):
    me = await member_id(kt)
    await leader.say(f"/giaoviec kt 30/11/2026 @{me} Việc đúng hạn")
    await leader.say(f"/giaoviec kt 01/12/2026 @{me} Việc trễ")
    await leader.say(f"/giaoviec kt 02/12/2026 @{me} Việc quá hạn")
    await leader.say("/giaoviec kt 02/12/2026 Việc không nêu tên ai")
    await kt.say("/tiendo V1 50")
    await kt.say("/xong V1")
    await kt.say("/nopbaocao kt nam 2026")
    clock.now = instant("2026-12-04T09:00")
    await kt.say("/xong V2")  # 02/12, 03/12, 04/12: three working days late
    reply = await kt.say("/ketqua 2026")
    assert reply.startswith("👤 Kết quả thực hiện nhiệm vụ năm 2026 – phòng của bạn (đến 04/12/2026):")
    line = next(x for x in reply.splitlines() if "Người dùng 1001" in x)
    assert line == (
        f"• Người dùng 1001 (KT) (#{me}): chịu trách nhiệm 3 việc – đúng hạn 1, trễ hạn 1 (3 ngày làm việc), "
        "quá hạn chưa xong 1; cập nhật tiến độ 3 lần; báo cáo nộp đúng hạn 1, nộp muộn 0"
    )
    assert reply.splitlines()[-1] == text("officials.note")
    assert "điểm" not in line and "xếp loại" not in line, "facts only: no score invented by the bot"


async def test_who_sees_whose_year(service, leader, admin, focal, kt, kt2, tthcc):
    everyone = await leader.say("/ketqua")
    for name in ("Người dùng 1001", "Người dùng 1002", "Người dùng 1003", "Người dùng 101", "Người dùng 201"):
        assert name in everyone
    assert "toàn xã" in everyone and "toàn xã" in await admin.say("/ketqua")
    assert "Người dùng 1002" in await focal.say("/ketqua"), "the consolidating department (VH-XH) sees everyone"
    mine = await kt.say("/ketqua")
    assert "Người dùng 1001" in mine and "Người dùng 1003" in mine, "a focal person: their department's officials"
    assert "Người dùng 1002" not in mine and "Người dùng 201" not in mine
    only_tthcc = await tthcc.say("/ketqua")
    assert "Người dùng 1002" in only_tthcc and "Người dùng 1001" not in only_tthcc


async def test_results_sort_by_a_fact_and_never_in_a_group(service, leader, kt, tthcc):
    await leader.say(f"/giaoviec tthcc 30/11/2026 @{await member_id(tthcc)} Một việc")
    by_tasks = (await leader.say("/ketqua 2026 viec")).splitlines()
    assert "Người dùng 1002" in by_tasks[1]
    assert text("parse.bad_sort", value="diem", words="ten, viec, dunghan, tre, quahan, capnhat") in await leader.say(
        "/ketqua 2026 điểm"
    )
    assert "Người dùng" not in await leader.say("/ketqua", chat_id="-100900")
