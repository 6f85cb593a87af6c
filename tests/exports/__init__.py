"""A commune's 2026 as the bot records it, logged through chat, for the exports to render."""

from __future__ import annotations

import asyncio
from asyncio.subprocess import PIPE
from datetime import date
from pathlib import Path

from sqlalchemy import update

from bot.core.periods import year_period
from bot.core.permissions import Role
from bot.exports.data import ExportData, export_data
from storage.models.people import Commune
from tests.support.clock import instant
from tests.support.db import inspecting
from tests.support.texts import receipt
from tests.support.users import User, first_commune, register

TODAY = date(2026, 11, 27)


async def log_a_year(service, clock) -> User:
    """Meetings, documents (one secret), dossiers, a task done on time, one open, a cancelled meeting, a
    meeting of 2025, and two half-year reports, one on time and one late, each with a note; the bot counts
    from 1 January, so the half-year report is tracked. Returns the leader."""
    async with inspecting(service.db) as session:
        started = update(Commune).values(started_on=date(2026, 1, 1))
        await session.execute(started)
        await session.commit()
    vhxh = await register(service, "101", Role.FOCAL, "vhxh")
    kt = await register(service, "102", Role.FOCAL, "kt")
    centre = await register(service, "103", Role.FOCAL, "tthcc")
    leader = await register(service, "201", Role.LEADER)
    clock.now = instant("2026-05-20T09:00")
    for command in (
        "/hop truc_tuyen 05/03/2026 Giao ban quý I",
        "/hop truc_tiep 10/03/2026 Họp dân thôn Bản Giẳng",
        "/hop truc_tuyen 12/05/2026 Giao ban tháng 5",
        "/hop truc_tuyen 05/03/2025 Giao ban năm trước",
        "/vanban dientu 03/03/2026 12/KH-UBND Kế hoạch tuyên truyền",
        "/vanban giay 04/03/2026 13/TB-UBND Thông báo lịch họp",
        "/vanban mat 05/03/2026",
        "/nopbaocao 6thang Thiếu thiết bị họp trực tuyến ở các thôn xa",
    ):
        assert receipt() in await vhxh.say(command), command
    assert receipt() in await kt.say("/hop truc_tiep 06/04/2026 Họp rà soát đất đai")
    assert receipt() in await centre.say("/hoso 40 2 15/04/2026")
    assert receipt() in await centre.say("/hoso 30 1 16/04/2026")
    assert "V1" in await leader.say("/giaoviec vhxh 25/05/2026 Báo cáo công tác tuyên truyền")
    clock.now = instant("2026-05-24T09:00")
    assert "V1" in await vhxh.say("/xong V1")
    clock.now = instant("2026-06-05T09:00")
    assert receipt() in await kt.say("/nopbaocao 6thang Đường truyền internet yếu; chữ ký số hết hạn")
    clock.now = instant("2026-11-27T10:00")
    assert receipt() in await kt.say("/hop truc_tuyen Họp ghi nhầm")
    assert "Đã hủy" in await kt.say("/huy")
    assert "V2" in await leader.say("/giaoviec kt 30/11/2026 Rà soát hồ sơ đất đai")
    return leader


async def year_data(service) -> ExportData:
    """2026 as of 27/11/2026, loaded in a read-only session as the callers will."""
    async with inspecting(service.db, write=False) as session:
        return await export_data(session, first_commune(service), year_period(2026), TODAY)


async def convert(source: Path, fmt: str, folder: Path) -> Path:
    """The file converted by LibreOffice (recalculated, or laid out as a PDF), with a profile of its own so that
    parallel tests do not share one."""
    profile = f"-env:UserInstallation=file://{folder / 'profile'}"
    command = ["soffice", profile, "--headless", "--convert-to", fmt, "--outdir", str(folder), str(source)]
    process = await asyncio.create_subprocess_exec(*command, stdout=PIPE, stderr=PIPE)
    _, errors = await asyncio.wait_for(process.communicate(), 180)
    assert process.returncode == 0, errors
    return folder / f"{source.stem}.{fmt}"
