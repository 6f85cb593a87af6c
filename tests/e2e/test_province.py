"""Issue 16 end to end: one bot for the province, its real Telegram and Zalo channels against their fakes on
127.0.0.1. Each commune's people see and change only their own commune, though both use the same department
codes; the province officer sees every commune, and the totals add up."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.config import load_config
from bot.core.clock import Clock, running_clock
from bot.core.permissions import Role
from bot.core.texts import text
from tests.conftest import ROOT
from tests.e2e.bot_at import Chat
from tests.e2e.conftest import PATIENCE
from tests.fakes.zalo_api_server import FakeZaloApi
from tests.support.clock import instant
from tests.support.texts import receipt
from tests.support.users import new_invite


@pytest.fixture
def zalo():
    with FakeZaloApi() as server:
        yield server
    assert server.errors == []


def province_files(folder: Path, fake, zalo: FakeZaloApi, url: str) -> Path:
    """examples/province copied to `folder`, both platforms pointed at their fakes, on the database at `url`, the
    files in `folder`."""
    shutil.copytree(ROOT / "examples" / "province", folder / "province")
    path = folder / "province" / "province.toml"
    toml = path.read_text(encoding="utf-8")
    for before, after in {
        'base_url = "https://api.telegram.org/bot"': f'base_url = "{fake.base_url}"',
        "poll_timeout = 30": "poll_timeout = 1",
        'base_url = "https://bot-api.zaloplatforms.com/bot"': f'base_url = "{zalo.base_url}"\npoll_timeout = 1',
        "[reminders]\nenabled = true": "[reminders]\nenabled = false",  # the replies alone, no reminder between
        "sqlite+aiosqlite:///data/laichau.db": url,
        'files_dir = "data/files"': f'files_dir = "{folder / "files"}"',
    }.items():
        assert before in toml, before
        toml = toml.replace(before, after)
    path.write_text(toml, encoding="utf-8")
    return path


class ZaloChat:
    """A Zalo user of the fake in a private chat with the bot, who waits for each answer; each message dated by the
    test's clock, as `Chat` dates its own (the fake's default, the real time, would make the commune's day today's)."""

    def __init__(self, zalo: FakeZaloApi, clock: Clock, user_id: str, name: str) -> None:
        self.zalo, self.clock, self.user_id, self.name = zalo, clock, user_id, name

    async def say(self, said: str) -> str:
        since = len(self.zalo.sent())
        date_ms = int(self.clock().timestamp() * 1000)
        self.zalo.push_text(self.user_id, said, display_name=self.name, date_ms=date_ms)
        answer = await self.zalo.wait_for_async(lambda m: m["chat_id"] == self.user_id, PATIENCE, since=since)
        return answer["text"]


async def test_one_bot_serves_the_province_and_no_commune_sees_another(tmp_path, fake, zalo, new_database):
    config = load_config(province_files(tmp_path, fake, zalo, new_database("laichau")))
    channels = [TelegramChannel(config.telegram, fake.token), ZaloChannel(config.zalo, zalo.token)]
    app = App(config, channels, clock=running_clock(instant("2026-12-02T09:00")))
    await app.open()
    await app.start()
    try:

        async def joined(chat, role: Role, commune: str | None = None, department: str | None = None):
            invite = await new_invite(app.service, role, department, commune=commune)
            assert "Chào mừng" in await chat.say(f"/start {invite.code}")
            return chat

        binhlu = await joined(Chat(fake, app.clock, 1001, "Lan"), Role.FOCAL, "binhlu", "vhxh")
        doanket = await joined(ZaloChat(zalo, app.clock, "7d1e0c2b9a8f", "Hoa"), Role.FOCAL, "doanket", "vhxh")
        binhlu_leader = await joined(Chat(fake, app.clock, 2001, "Tuấn"), Role.LEADER, "binhlu")
        doanket_leader = await joined(ZaloChat(zalo, app.clock, "a9b8c7d6e5f4", "Minh"), Role.LEADER, "doanket")
        officer = await joined(Chat(fake, app.clock, 3001, "Sở Nội vụ"), Role.PROVINCE)

        for n in range(1, 4):
            assert receipt(n) in await binhlu.say(f"/hop tructuyen Giao ban tuần {n}")
        assert receipt(1) in await doanket.say("/hop tructiep Họp tổ dân phố"), "each commune numbers its own"
        assert receipt(2) in await doanket.say("/vanban dientu 12/KH-UBND Kế hoạch chuyển đổi số")

        # The same department code, the same entry numbers: neither commune reaches the other's.
        assert await doanket.say("/huy 3") == text("cancel.not_found", id=3)
        assert "Đã hủy #2" in await doanket.say("/huy 2")
        binhlu_view, doanket_view = await binhlu_leader.say("/chitieu"), await doanket_leader.say("/chitieu")
        assert "Bình Lư" in binhlu_view and "Đoàn Kết" not in binhlu_view
        assert "Đoàn Kết" in doanket_view and "Bình Lư" not in doanket_view

        table = await officer.say("/chitieu")
        assert all(name in table for name in ("Bình Lư", "Đoàn Kết", "Tam Đường"))
        assert "Cả tỉnh: Họp 4" in table, "3 in Bình Lư and 1 in Đoàn Kết; Đoàn Kết's cancelled document is none"
        # A commune as its chairman sees it: the same screen (on Zalo its choices are numbered lines, here buttons).
        assert await officer.say("/chitieu doanket") == doanket_view.split("\n1. ")[0]
        assert await officer.say("/hop tructuyen Họp") == text("access.denied", command="hop"), "it reads only"
    finally:
        await app.stop()
    assert fake.errors == []
