"""One person on two apps: a link code joins Zalo to a Telegram member (or the reverse), and /kenh picks
where reminders go."""

from __future__ import annotations

import asyncio

import pytest

from bot.__main__ import main
from bot.config import load_config
from bot.core.permissions import Role
from bot.core.texts import text
from bot.service import Service
from storage import chats
from storage.db import Database
from tests.support.clock import MutableClock
from tests.support.databases import on_database
from tests.support.db import inspecting
from tests.support.texts import receipt
from tests.support.users import User, new_invite, revoke


async def focal_on_telegram(service) -> User:
    user = User(service, "700", "Lò Văn Minh", channel="telegram")
    invite = await new_invite(service, Role.FOCAL, "kt")
    assert "Chào mừng" in await user.say(f"/start {invite.code}")
    return user


async def link(service, person_id: int, user: User) -> str:
    invite = await new_invite(service, None, None, person_id=person_id)
    return await user.say(f"/start {invite.code}")


async def person_id_of(user: User) -> int:
    profile = await user.say("/toi")
    return int(profile.split("mã thành viên ")[1].split(")")[0])


async def recipients(service) -> list[tuple[str, str]]:
    async with inspecting(service.db) as session:
        return [(r.channel, r.chat_id) for r in await chats.list_department_recipients(session, 1, ["kt"])]


async def test_a_linked_app_is_the_same_member_with_the_same_roles_and_entries(service):
    telegram = await focal_on_telegram(service)
    member = await person_id_of(telegram)
    zalo = User(service, "a1b2c3", "Minh Zalo", channel="zalo")

    done = await link(service, member, zalo)

    assert done == text("link_app.done", app="Zalo", name="Lò Văn Minh", person_id=member)
    assert await zalo.say("/toi") == await telegram.say("/toi")
    assert "Ứng dụng: Telegram, Zalo; nhắc việc gửi qua: mọi ứng dụng đã liên kết." in await zalo.say("/toi")
    assert receipt() in await zalo.say("/hop truc_tuyen")
    assert receipt() in await telegram.say("/hop truc_tiep")
    assert "Họp trực tuyến: 1/2 cuộc" in await zalo.say("/chitieu chitiet"), (
        "both apps' meetings count for one department"
    )


async def test_a_link_code_is_single_use_and_never_takes_over_a_registered_account(service, clock):
    telegram = await focal_on_telegram(service)
    member = await person_id_of(telegram)
    invite = await new_invite(service, None, None, person_id=member)
    zalo = User(service, "z1", "Minh", channel="zalo")
    assert "Đã liên kết" in await zalo.say(f"/start {invite.code}")
    assert await zalo.say(f"/start {invite.code}") == text("link_app.already", app="Zalo")
    assert await User(service, "z2", "Kẻ khác", channel="zalo").say(f"/start {invite.code}") == text("invite.used")

    other = User(service, "z3", "Người khác", channel="zalo")
    leader = await new_invite(service, Role.LEADER, None)
    assert "Chào mừng" in await other.say(f"/start {leader.code}")
    second = await new_invite(service, None, None, person_id=member)
    assert await other.say(f"/start {second.code}") == text("link_app.account_taken", app="Zalo")
    assert "lãnh đạo" in await other.say("/toi") and "đầu mối" not in await other.say("/toi")

    clock.advance(hours=service.config.invites.ttl_hours + 1)
    assert await User(service, "z4", "Muộn", channel="zalo").say(f"/start {second.code}") == text("invite.expired")


async def test_a_link_code_for_a_member_revoked_since_is_refused(service):
    telegram = await focal_on_telegram(service)
    member = await person_id_of(telegram)
    invite = await new_invite(service, None, None, person_id=member)
    await revoke(service, member)
    assert await User(service, "z5", "Minh", channel="zalo").say(f"/start {invite.code}") == text(
        "link_app.member_gone"
    )
    with pytest.raises(ValueError, match="không có thành viên đang hoạt động"):
        await new_invite(service, None, None, person_id=member)


async def test_kenh_offers_the_linked_apps_and_routes_reminders_there(service):
    telegram = await focal_on_telegram(service)
    member = await person_id_of(telegram)
    zalo = User(service, "z6", "Minh", channel="zalo")
    await link(service, member, zalo)
    assert await recipients(service) == [("telegram", "700"), ("zalo", "z6")], "by default, every linked app"

    question = await zalo.send("/kenh")
    assert question.text == text("ask.channel")
    assert [o.label for o in question.options] == ["Telegram", "Zalo", "Mọi ứng dụng đã liên kết"]
    assert await zalo.say("2") == text("notify.done", where="Zalo")
    assert await recipients(service) == [("zalo", "z6")]
    assert "nhắc việc gửi qua: Zalo." in await telegram.say("/toi")

    assert await telegram.say("/kênh Telegram") == text("notify.done", where="Telegram")
    assert await recipients(service) == [("telegram", "700")]
    assert await telegram.say("/kenh ca_hai") == text("notify.done", where=text("notify.every_app"))
    assert await recipients(service) == [("telegram", "700"), ("zalo", "z6")]


async def test_kenh_refuses_an_app_not_linked_and_an_unknown_one(service):
    telegram = await focal_on_telegram(service)
    assert await telegram.say("/kenh zalo") == text("notify.not_linked", app="Zalo")
    unknown = await telegram.say("/kenh viber")
    assert text("parse.unknown_app", value="viber") in unknown and "/kenh telegram|zalo|ca_hai" in unknown
    assert await recipients(service) == [("telegram", "700")]


async def test_reminders_fall_back_to_the_other_app_when_the_chosen_one_is_blocked(service, clock):
    telegram = await focal_on_telegram(service)
    zalo = User(service, "z7", "Minh", channel="zalo")
    await link(service, await person_id_of(telegram), zalo)
    await zalo.say("/kenh zalo")
    async with inspecting(service.db) as session:
        await chats.mark_unreachable(session, "zalo", "z7", clock())
        await session.commit()
    assert await recipients(service) == [("telegram", "700")]


def test_the_cli_prints_a_link_code_last_and_refuses_an_unknown_member(tmp_path, capsys, new_database):
    from tests.test_cli import ROOT

    path = tmp_path / "config.toml"
    url = new_database("x", empty=True)
    path.write_text(on_database((ROOT / "config.example.toml").read_text(), url))
    assert main(["invite", "--config", str(path), "--member", "42"]) == 2
    assert "không có thành viên đang hoạt động mã 42" in capsys.readouterr().err
    assert main(["invite", "--config", str(path), "--role", "admin"]) == 0
    admin_code = capsys.readouterr().out.splitlines()[-1]

    async def redeem(code: str, channel: str) -> str:
        service = Service(load_config(path), Database(url), MutableClock())
        try:
            await service.prepare()
            return await User(service, "9", "Quản trị", channel=channel).say(f"/start {code}")
        finally:
            await service.db.dispose()

    assert "Chào mừng" in asyncio.run(redeem(admin_code, "telegram"))
    assert main(["invite", "--config", str(path), "--member", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "Mã liên kết ứng dụng cho thành viên 1" in out[-3] and len(out[-1]) == 32
    assert "Đã liên kết Zalo" in asyncio.run(redeem(out[-1], "zalo"))


async def test_kenh_offers_only_apps_reminders_can_go_to(service):
    console = User(service, "c1", "Chủ tịch", channel="console")
    invite = await new_invite(service, Role.LEADER, None)
    assert "Chào mừng" in await console.say(f"/start {invite.code}")
    question = await console.send("/kenh")
    assert question.text == text("ask.channel_none") and not question.options, "no lone lower-case option"
    assert await console.say("/kenh ca_hai") == text("notify.done", where=text("notify.every_app"))
