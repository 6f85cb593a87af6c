"""/moi: an admin invites from a private chat, with the command line's rules and Vietnamese role names."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.core.permissions import Role
from bot.core.texts import text
from jobs.sender import OutboxSender
from storage import outbox
from storage.models.messaging import HandledMessage
from tests.support.db import inspecting
from tests.support.transport import FakeTransport
from tests.support.users import User

CODE = re.compile(r"^[A-Za-z0-9_-]{32}$", re.M)


async def test_an_admin_invites_a_focal_person_who_then_registers(service, admin):
    question = await admin.send("/moi")
    assert question.text == "Mời người giữ vai trò nào?"
    assert [o.command for o in question.options] == ["/moi daumoi", "/moi lanhdao", "/moi quantri"]
    asked = await admin.send("/moi đầu mối")
    assert asked.options and all(o.command.startswith("/moi daumoi ") for o in asked.options)
    made = await admin.say("/moi Đầu mối kt")
    assert made.startswith("Mã mời đầu mối – Phòng Kinh tế, dùng một lần, hết hạn 30/11/2026")
    [code] = CODE.findall(made)
    assert "https://t.me" not in made, "a deep link only where the bot has a Telegram name"
    newcomer = User(service, "777", "Người mới")
    assert "Chào mừng" in await newcomer.say(f"/start {code}")
    assert "Phòng Kinh tế" in await newcomer.say("/toi")
    assert "Chào mừng" not in await User(service, "778", "Người khác").say(f"/start {code}"), "used once"


async def test_a_telegram_invite_carries_the_deep_link(service):
    admin = User(service, "301", "Quản trị", channel="telegram")
    invite = await register_on(service, admin)
    answer = await admin.service.handle(admin.incoming("/moi lanhdao", bot_name="BinhLuBot"))
    [code] = CODE.findall(answer.text)
    assert f"Telegram: bấm https://t.me/BinhLuBot?start={code}" in answer.text
    assert invite


async def register_on(service, user):
    from tests.support.users import new_invite

    invite = await new_invite(service, Role.ADMIN)
    assert "Chào mừng" in await user.say(f"/start {invite.code}")
    return invite


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/moi truongphong", "Không rõ vai trò “truongphong”: đầu mối, lãnh đạo hoặc quản trị."),
        ("/moi daumoi xyz", "Không có phòng"),
        ("/moi lanhdao kt", "Thừa"),
    ],
)
async def test_bad_invites_say_what_is_wrong(service, admin, typed, expected):
    reply = await admin.say(typed)
    assert expected in reply or expected.lower() in reply.lower(), reply
    assert not CODE.findall(reply)


async def test_only_an_admin_in_a_private_chat(service, admin, leader):
    assert await leader.say("/moi lanhdao") == text("access.denied", command="moi")
    assert await admin.say("/moi lanhdao", chat_id="-100") == text("access.private_only", command="moi")


async def test_an_invite_code_is_sent_once_never_again_on_a_redelivery_and_not_kept(service, admin):
    """The platform sending /moi twice gets the first answer's place-holder, never the code again; once sent, the
    outbox keeps no trace of it either."""
    message = admin.incoming("/moi lanhdao", message_id="4242")
    [code] = CODE.findall((await service.handle(message)).text)
    again = await service.handle(message)
    assert again.text == text("reply.secret_sent") and code not in again.text
    sender = OutboxSender(service.db, {"test": FakeTransport("test")}, service.clock, ZoneInfo("Asia/Ho_Chi_Minh"),
                          timedelta(hours=1))  # fmt: skip
    await sender.drain()
    async with inspecting(service.db) as session:
        assert all(code not in row.text for row in await outbox.list_outbox(session))
        assert all(code not in (reply or "") for reply in await session.scalars(select(HandledMessage.reply)))
