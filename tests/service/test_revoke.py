"""/thuhoi asks first, naming the person and role; the last leader or admin stays; /khoiphuc gives roles back."""

from __future__ import annotations

from bot.core.permissions import Role
from bot.core.texts import text
from bot.service.members import revoke
from tests.support.users import register

UNREGISTERED = text("access.unregistered")


async def test_revoking_names_the_person_and_role_and_waits_for_a_yes(service, focal, leader, admin):
    question = await admin.send("/thuhoi")
    labels = [o.label for o in question.options]
    assert "Người dùng 101 – đầu mối – Phòng Văn hóa – Xã hội" in labels
    assert not any(label[:1].isdigit() for label in labels), "no second number beside the choice's own"
    confirm = await admin.send("/thuhoi 1")
    assert confirm.text.startswith("Thu hồi quyền của Người dùng 101 – đầu mối – Phòng Văn hóa – Xã hội?")
    assert [o.label for o in confirm.options] == ["Thu hồi quyền Người dùng 101", "Không"]
    assert await focal.say("/toi") != UNREGISTERED
    assert await admin.say("2") == text("choice.dismissed")
    assert await focal.say("/toi") != UNREGISTERED
    await admin.send("/thuhoi 1")
    done = await admin.say("1")
    assert done.startswith("Đã thu hồi quyền của Người dùng 101") and "/khoiphuc 1" in done
    assert await focal.say("/toi") == UNREGISTERED


async def test_the_last_leader_and_the_last_admin_are_kept(service, leader, admin):
    refused = await admin.say("/thuhoi 1")
    assert refused.startswith("Người dùng 201 là lãnh đạo UBND xã duy nhất của xã") and "/moi lanhdao" in refused
    second = await register(service, "202", Role.LEADER)
    assert (await admin.send("/thuhoi 1")).options
    assert "Đã thu hồi" in await admin.say("1")
    assert await second.say("/toi") != UNREGISTERED
    other_admin = await register(service, "302", Role.ADMIN)  # person 4
    await other_admin.send("/thuhoi 2")
    assert "Đã thu hồi" in await other_admin.say("1")
    async with service.db.unit_of_work() as session:  # the command line's revoke keeps the last admin too
        outcome = await revoke(
            session, next(iter(service.communes)), 4, actor_id=None, label="cli", now=service.clock()
        )
    assert outcome.key == "revoke.last_role" and outcome.values["invite"] == "quantri"


async def test_a_revoked_person_is_restored_by_an_admin(service, focal, leader, admin):
    await admin.send("/thuhoi 1")
    await admin.say("1")
    question = await admin.send("/khoiphuc")
    assert question.text == "Khôi phục quyền cho ai?" and [o.label for o in question.options] == ["Người dùng 101"]
    assert await admin.say("1") == "Đã khôi phục quyền của Người dùng 101: đầu mối – Phòng Văn hóa – Xã hội."
    assert await focal.say("/toi") != UNREGISTERED
    assert await admin.say("/khoiphuc 1") == "Không có người bị thu hồi quyền mã 1."
    assert await admin.say("/khoiphuc") == "Không có ai bị thu hồi quyền để khôi phục."
    assert await leader.say("/khoiphuc 1") == text("access.denied", command="khoiphuc")
