"""The Service end to end on a real SQLite file: registration, logging, undo, targets, access."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.core.permissions import Role
from bot.core.texts import text
from bot.service.access import hash_invite_code
from bot.service.registry import registry
from storage.models.entries import Entry
from storage.models.people import Invite, Membership, Person
from storage.models.system import AuditEvent
from tests.conftest import commune_changed
from tests.support.db import inspecting
from tests.support.texts import receipt
from tests.support.users import User, new_invite, register

UNREGISTERED = text("access.unregistered")


async def count(service, model, *where) -> int:
    async with inspecting(service.db) as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


# --- access ------------------------------------------------------------------------------


@pytest.mark.parametrize("message", ["xin chào", "/help", "/hop truc_tuyen", "/chitieu", "/start", "/xyz", "/toi"])
async def test_unregistered_get_one_sentence_and_nothing_is_written(service, message):
    stranger = User(service, "999", "Người lạ")
    assert await stranger.say(message) == UNREGISTERED
    assert await count(service, Entry) == 0
    assert await count(service, Person) == 0


async def test_group_chatter_is_ignored(service, focal):
    assert await focal.send("chào cả nhà", chat_id="-100") is None


# Who may run what, written out by hand (L leader, F focal, A admin, P province): the declarations must match it.
ALLOWED = {
    "help": "LFAPM",
    "toi": "LFAPM",
    "kenh": "LFAPM",
    "hop": "LFA",
    "vanban": "LFA",
    "hoso": "LFA",
    "huy": "LFA",
    "chitieu": "LFAP",
    "lienket": "FA",
    "thanhvien": "LA",
    "thuhoi": "A",
    "nopbaocao": "LFA",
    "baocao": "LFAP",
    "noidung": "LFA",
    "chotbaocao": "LA",  # and the consolidating department's focal people, as for the three below
    "mobaocao": "LA",
    "nhacbaocao": "LA",
    "giaoviec": "LA",
    "viec": "LFA",
    "tiendo": "LF",
    "xong": "LF",
    "suaviec": "LA",
    "xuat": "LAP",  # and the consolidating department's focal people: tests/service/test_files.py
    "baocaomau": "LA",
    "nhap": "A",
    "web": "LFAP",
    "ketqua": "LFA",
    "gopy": "LFAM",
    "chuyengopy": "LA",
    "traloi": "LF",
    "giaiquyet": "LFA",
    "vanbanden": "LFA",
    "hoanlai": "LFA",
    "khoiphuc": "A",
    "moi": "A",
}
# M: the Mặt trận's focal person.
LETTER = {Role.LEADER: "L", Role.FOCAL: "F", Role.ADMIN: "A", Role.PROVINCE: "P", Role.FRONT: "M"}
SAMPLE = {
    "help": "/help",
    "toi": "/toi",
    "kenh": "/kenh ca_hai",
    "hop": "/hop kt truc_tuyen",
    "vanban": "/vanban kt dien_tu khongso",
    "hoso": "/hoso kt 1 1",
    "huy": "/huy",
    "chitieu": "/chitieu",
    "lienket": "/lienket kt",
    "thanhvien": "/thanhvien",
    "thuhoi": "/thuhoi 9999",
    "nopbaocao": "/nopbaocao kt nam",
    "baocao": "/baocao",
    "noidung": "/noidung kt nam",
    "chotbaocao": "/chotbaocao nam",
    "mobaocao": "/mobaocao nam",
    "nhacbaocao": "/nhacbaocao nam",
    "giaoviec": "/giaoviec kt 15/12/2026 Rà soát",
    "viec": "/viec",
    "tiendo": "/tiendo 99 50",
    "xong": "/xong 99",
    "suaviec": "/suaviec 99 kt",
    "xuat": "/xuat",
    "baocaomau": "/baocaomau nam",
    "nhap": "/nhap",
    "web": "/web",
    "ketqua": "/ketqua",
    "gopy": "/gopy Đường thôn 3: hỏng",
    "chuyengopy": "/chuyengopy G99 kt",
    "traloi": "/traloi G99 Đã sửa",
    "giaiquyet": "/giaiquyet kt 1 1",
    "vanbanden": "/vanbanden kt dien_tu",
    "hoanlai": "/hoanlai",
    "khoiphuc": "/khoiphuc 9999",
    "moi": "/moi lanhdao",
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("command", sorted(ALLOWED))
async def test_permission_table_over_every_role_and_command(service, role, command):
    user = await register(service, "500", role, "kt" if role is Role.FOCAL else None)
    reply = await user.say(SAMPLE[command], chat_id="-100500")
    denied = text("access.denied", command=command)
    assert (reply == denied) is (LETTER[role] not in ALLOWED[command]), reply


def test_the_declared_roles_are_the_table_above():
    declared = {s.name: "".join(LETTER[r] for r in Role if r in s.roles) for s in registry() if not s.public}
    assert declared == ALLOWED


# --- invites -----------------------------------------------------------------------------


async def test_invite_is_single_use_and_bound_to_its_user(service):
    invite = await new_invite(service, Role.FOCAL, "kt")
    first, second = User(service, "1", "An"), User(service, "2", "Bình")
    assert "Chào mừng An" in await first.say(f"/start {invite.code}")
    assert await second.say(f"/start {invite.code}") == text("invite.used")
    assert await second.say("/toi") == UNREGISTERED
    assert "Phòng Kinh tế" in await first.say("/toi")


async def test_expired_unknown_and_malformed_codes_register_nothing(service, clock):
    invite = await new_invite(service, Role.LEADER, None)
    clock.advance(hours=73)
    user = User(service, "3", "Cường")
    assert await user.say(f"/start {invite.code}") == text("invite.expired")
    assert await user.say("/start " + "A" * 32) == text("invite.unknown")
    assert text("parse.bad_code") in await user.say("/start abc")
    assert await count(service, Membership) == 0


async def test_invite_code_shape_and_storage(service):
    invite = await new_invite(service, Role.ADMIN, None)
    assert 22 <= len(invite.code) <= 64  # ≥128 bits of randomness, fits a deep link
    assert all(c.isalnum() or c in "_-" for c in invite.code)
    async with inspecting(service.db) as session:
        stored = (await session.scalars(select(Invite))).all()
        audit = (await session.scalars(select(AuditEvent))).all()
    assert [i.code_hash for i in stored] == [hash_invite_code(invite.code)]
    assert all(invite.code not in str(event.detail) for event in audit)


async def test_two_users_redeeming_at_once_exactly_one_wins(service):
    invite = await new_invite(service, Role.FOCAL, "vp")
    users = [User(service, str(700 + i), f"U{i}") for i in range(2)]
    replies = await asyncio.gather(*(u.say(f"/start {invite.code}") for u in users))
    assert sum("Chào mừng" in r for r in replies) == 1
    assert await count(service, Membership) == 1


async def test_wrong_codes_are_slowed_down(service, clock):
    user = User(service, "4", "Dũng")
    for _ in range(5):
        assert await user.say("/start " + "B" * 32) == text("invite.unknown")
    invite = await new_invite(service, Role.LEADER, None)
    assert await user.say(f"/start {invite.code}") == text("invite.throttled", minutes=15)
    clock.advance(minutes=16)
    assert "Chào mừng" in await user.say(f"/start {invite.code}")


async def test_revoked_member_is_unregistered(service, focal, admin):
    assert (await admin.send("/thuhoi 1")).options, "asked first"
    assert "Đã thu hồi" in await admin.say("1")
    assert await focal.say("/hop truc_tuyen") == UNREGISTERED
    assert await admin.say("/thuhoi 2") == text("revoke.self")


# --- logging -----------------------------------------------------------------------------


WORKED_MEETINGS = [
    "/hop truc_tuyen Giao ban",
    "/hop trực tuyến Họp chi bộ",
    "/hop truc_tiep Tiếp dân",
    "/hop trực tiếp Họp tổ",
    "/hop offline Họp dân phố",
]


async def test_worked_example_through_the_chat(service, focal, leader):
    for line in WORKED_MEETINGS:
        assert receipt() in await focal.say(line)
    for n in range(9):
        assert "điện tử" in await focal.say(f"/vanban dien_tu {n + 1}/UBND-VHXH")
    await focal.say("/vanban giay khongso")
    await focal.say("/vanban mat")
    dossiers = await focal.say("/hoso 19 1")
    assert "19 trực tuyến, 1 trực tiếp (95,0% trực tuyến)" in dossiers
    commune, departments = (await leader.say("/chitieu chitiet")).split("\n\n")
    report = commune.splitlines()
    assert report[1].startswith("• Cuộc họp: 5 – tối đa 108 = 120 năm 2025 − 10%")
    # Installed today, nothing logged before: the year's records are partial, so no line passes or fails yet.
    assert report[2] == "• Họp trực tuyến: 2/5 cuộc – 40,0% (chỉ tiêu ≥60%) ⚪ chưa đủ số liệu"
    assert report[3].startswith("• Văn bản ban hành: 11 – tối đa 510 = 600 năm 2025 − 15%")
    assert report[4] == "• Văn bản điện tử (trừ mật): 9/10 – 90,0% (chỉ tiêu 100%) ⚪ chưa đủ số liệu"
    assert report[6] == "• Hồ sơ TTHC trực tuyến: 19/20 hồ sơ – 95,0% (chỉ tiêu ≥95%) ⚪ chưa đủ số liệu"
    assert report[-1].startswith("⚠️ Số liệu chỉ có từ 27/11/2026"), "installed today: the year is partial"
    assert (
        "• VHXH: 5 cuộc họp, 40,0% trực tuyến; 11 văn bản, 90,0% điện tử; 20 hồ sơ, 95,0% trực tuyến"
        in departments.splitlines()
    ), "the leader's table by department"
    department = await leader.say("/chitieu vhxh chitiet")
    assert "Phòng Văn hóa – Xã hội" in department and "40,0%" in department


async def test_receipt_repeats_what_was_understood(service, focal):
    assert await focal.say("/hop truc_tuyen 12/11 Giao ban tuần") == (
        receipt(1) + ": họp trực tuyến ngày 12/11/2026 – Phòng Văn hóa – Xã hội: Giao ban tuần."
    )


async def test_bad_input_gets_reason_and_usage_and_writes_nothing(service, focal):
    reply = await focal.say("/hoso -3 2")
    assert "“-3”" in reply and "Cách dùng: /hoso" in reply
    reply = await focal.say("/hop truc_tuyen 30/11/2026")
    assert "chưa tới" in reply and "Cách dùng: /hop" in reply
    assert await count(service, Entry) == 0


async def test_focal_logs_only_for_their_department(service, focal):
    assert "chỉ ghi được cho phòng của mình" in await focal.say("/hop kt truc_tuyen")
    assert await count(service, Entry) == 0


async def test_leader_is_asked_for_the_department(service, leader):
    question = await leader.send("/vanban dien_tu 12/UBND Về việc A")
    assert question.text == text("ask.department") and len(question.options) == 6
    assert question.options[2].command == "/vanban kt dien_tu 12/UBND Về việc A"
    assert "Phòng Kinh tế" in await leader.say("3")
    assert "Phòng Kinh tế" in await leader.say("/vanban kt dien_tu 13/UBND")


async def test_meeting_without_mode_offers_a_choice(service, focal):
    reply = await focal.send("/hop")
    assert [o.command for o in reply.options] == ["/hop vhxh truc_tuyen", "/hop vhxh truc_tiep"]
    assert "trực tiếp" in await focal.say("2")


async def test_an_issued_document_without_its_number_is_refused_unless_said_to_have_none(service, focal):
    refused = await focal.say("/vanban giay Giấy mời họp")
    assert refused.startswith(text("parse.document_number_missing")) and "khongso" in refused
    assert await count(service, Entry) == 0
    assert await focal.say("/vanban giay khongso Giấy mời họp") == (
        f"{receipt(1)}: văn bản giấy không số ngày 27/11/2026 – Phòng Văn hóa – Xã hội: Giấy mời họp."
    )
    assert (await focal.say("/vanban mat")).startswith(receipt(2))  # a secret one is counted only, never numbered


async def test_same_document_number_twice_a_year_is_refused(service, focal, leader):
    await focal.say("/vanban dien_tu 125/QĐ-UBND")
    assert "#1" in await leader.say("/vanban vp giay 125/qd-ubnd")
    assert await count(service, Entry) == 1
    await focal.say("/huy 1")
    assert receipt() in await leader.say("/vanban vp giay 125/qd-ubnd")


async def test_a_redelivered_message_changes_nothing_and_gets_the_same_receipt(service, focal):
    first = await focal.say("/hop truc_tuyen", message_id="m-42")
    again = await focal.say("/hop truc_tuyen", message_id="m-42")
    assert first == again and await count(service, Entry) == 1
    cancel = await focal.say("/huy", message_id="m-43")
    assert await focal.say("/huy", message_id="m-43") == cancel
    assert await count(service, Entry, Entry.cancelled_at.is_not(None)) == 1


async def test_undo_keeps_the_record_and_audits_who(service, focal, leader):
    assert await focal.say("/huy") == text("cancel.nothing")
    await focal.say("/hop truc_tuyen")
    await focal.say("/hop truc_tiep")
    assert "Đã hủy #2" in await focal.say("/huy")
    again = await focal.say("/huy")
    assert again.startswith("Mục vừa ghi #2") and "/huy <số mục>" in again, "a bare /huy never walks back"
    question = await focal.send("/huy 1")
    assert question.text == "Hủy #1: họp trực tuyến ngày 27/11/2026?" and len(question.options) == 2
    assert "Đã hủy #1" in await focal.say("1")
    assert await count(service, Entry) == 2
    async with inspecting(service.db) as session:
        actions = (await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id))).all()
    assert actions.count("add") == 2 and actions.count("cancel") == 2


async def test_cancelling_what_is_not_ones_last_entry_can_be_declined(service, focal):
    await focal.say("/hop truc_tuyen A")
    await focal.say("/hop truc_tuyen B")
    await focal.send("/huy 1")
    assert await focal.say("2") == text("choice.dismissed")
    assert await count(service, Entry, Entry.cancelled_at.is_not(None)) == 0


async def test_undo_of_someone_elses_entry(service, focal, leader):
    other = await register(service, "102", Role.FOCAL, "kt")
    await other.say("/hop truc_tuyen")
    assert await focal.say("/huy 1") == text("cancel.not_yours")
    await leader.send("/huy 1")
    assert "Đã hủy #1" in await leader.say("1")
    assert await leader.say("/huy 1") == text("cancel.already", id=1)
    assert await leader.say("/huy 77") == text("cancel.not_found", id=77)


async def test_group_binding_defaults_the_department(service, focal, leader):
    assert text("link.private_chat") == await focal.say("/lienket vhxh")
    assert "Đã liên kết" in await focal.say("/lienket vhxh", chat_id="-200")
    assert await focal.say("/lienket kt", chat_id="-201") == text("link.not_your_department")
    assert "Phòng Văn hóa – Xã hội" in await leader.say("/hop truc_tuyen", chat_id="-200")


async def test_focal_sees_commune_and_own_department_only(service, focal):
    report = await focal.say("/chitieu chitiet")
    assert "UBND xã Bình Lư" in report and "Phòng Văn hóa – Xã hội" in report
    assert "chỉ" in await focal.say("/chitieu kt chitiet")


async def test_past_year_dates_count_in_their_year(service, focal, leader):
    await focal.say("/hop truc_tuyen 15/12/2025")
    assert "• Cuộc họp: chưa có số liệu" in await leader.say("/chitieu chitiet")
    last_year = await leader.say("/chitieu 2025 chitiet")
    assert "• Cuộc họp: 120 (số liệu gốc theo cấu hình; bot ghi nhận 1, chưa đủ cả năm)" in last_year


async def test_forty_concurrent_read_then_write_handlers_lose_nothing(service, config):
    users = [await register(service, str(1000 + i), Role.FOCAL, "vhxh") for i in range(40)]
    replies = await asyncio.gather(
        *(u.say(f"/hop truc_tuyen Giao ban tổ {n}") for n, u in enumerate(users)), return_exceptions=True
    )
    assert [r for r in replies if not isinstance(r, str) or receipt() not in r] == []
    assert await count(service, Entry) == 40
    assert len({r.split(":")[0] for r in replies}) == 40  # forty distinct numbers


async def test_invites_expire_after_the_configured_hours(service, clock):
    invite = await new_invite(service, Role.LEADER, None)
    assert invite.expires_at - clock.now == timedelta(hours=72)


async def test_a_department_removed_from_the_config_takes_its_focal_role_away(service, config, clock, leader):
    qs = await register(service, "600", Role.FOCAL, "qs")
    smaller = commune_changed(config, departments=[d for d in config.communes[0].departments if d.code != "qs"])
    from bot.service import Service

    shrunk = Service(smaller, service.db, clock)
    await shrunk.prepare()
    assert await User(shrunk, "600", qs.name).say("/hop truc_tuyen") == UNREGISTERED
    assert "Người dùng 600 – đầu mối – qs" in await User(shrunk, leader.user_id, leader.name).say("/thanhvien")


async def test_a_focal_person_cannot_take_over_another_departments_group(service, focal, admin):
    kt = await register(service, "102", Role.FOCAL, "kt")
    await focal.say("/lienket vhxh", chat_id="-300")
    assert "đang liên kết với Phòng Văn hóa – Xã hội" in await kt.say("/lienket kt", chat_id="-300")
    assert "Đã liên kết" in await admin.say("/lienket kt", chat_id="-300")
