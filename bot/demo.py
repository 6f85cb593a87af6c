"""`python -m bot demo`: a fresh SQLite file with sample data for Bình Lư, and a console chat."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from bot.app import App
from bot.channels.console import ConsoleChannel, ConsoleChat
from bot.config import Config
from bot.core.clock import local_date
from bot.core.permissions import Role
from bot.core.texts import format_date

DEMO_PEOPLE = {
    Role.LEADER: ("demo-leader", "Chủ tịch UBND xã (demo)", None),
    Role.FOCAL: ("demo-focal", "Đầu mối Phòng VH-XH (demo)", "vhxh"),
    Role.ADMIN: ("demo-admin", "Văn phòng – quản trị (demo)", None),
}


def demo_config(config: Config, folder: Path) -> Config:
    """The given config on a fresh SQLite file in `folder`."""
    database = config.database.model_copy(update={"url": f"sqlite+aiosqlite:///{folder / 'demo.db'}"})
    return config.model_copy(update={"database": database})


async def seed(app: App, console: ConsoleChannel) -> dict[Role, ConsoleChat]:
    """Register the demo people through real invites and log a few weeks of sample work, through the chat."""
    chats = {}
    for role, (user_id, name, department) in DEMO_PEOPLE.items():
        invite = await app.service.create_invite(role, department, created_by="demo")
        chats[role] = console.chat(user_id, name)
        await chats[role].send(f"/start {invite.code}")
    today = local_date(app.clock(), app.config.commune.tz)
    focal, leader = chats[Role.FOCAL], chats[Role.LEADER]
    for days_ago, line in [
        (40, "/hop truc_tiep {d} Giao ban tháng"),
        (33, "/hop truc_tuyen {d} Họp trực tuyến với huyện"),
        (26, "/vanban dien_tu 101/UBND-VHXH Về việc triển khai KH 641"),
        (20, "/hoso 42 3 {d}"),
        (12, "/hop truc_tuyen {d} Giao ban tuần"),
        (5, "/vanban giay 102/UBND-VHXH Giấy mời họp"),
        (2, "/hoso 17 1 {d}"),
    ]:
        await focal.send(line.format(d=format_date(today - timedelta(days=days_ago))))
    await leader.send(f"/hop kt truc_tiep {format_date(today - timedelta(days=8))} Họp kinh tế quý")
    await leader.send("/vanban vp mat 5/UBND-M Văn bản mật")
    await leader.send(f"/giaoviec vhxh {format_date(today + timedelta(days=5))} Tổng hợp báo cáo năm của các phòng")
    await leader.send(f"/giaoviec kt {format_date(today + timedelta(days=12))} Rà soát hồ sơ đất đai tồn đọng")
    await focal.send("/tiendo 1 40 Đã nhận báo cáo của 3 phòng")
    await focal.send("/nopbaocao nam")
    return chats


def demo_folder() -> Path:
    """A fresh folder for the demo database."""
    return Path(tempfile.mkdtemp(prefix="lelolamviec-demo-"))
