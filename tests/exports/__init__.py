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


VHXH_RESULT = "Tổ chức 3 hội nghị quán triệt Kết luận số 226-KL/TW cho toàn thể cán bộ, công chức"
VHXH_DIFFICULTY = "Thiếu thiết bị họp trực tuyến ở các thôn xa"
VHXH_PROPOSAL = "Đề nghị UBND tỉnh hỗ trợ thiết bị họp trực tuyến cho 12 thôn"
KT_RESULT = "Chuyển 2 cuộc họp giao ban sang hình thức trực tuyến.\n- Không đọc lại báo cáo đã gửi trước"
KT_DIFFICULTY = "Đường truyền internet yếu; chữ ký số hết hạn"
KT_NOTE = "Đã gửi bản ký số qua iOffice"  # how it was sent: never a difficulty


async def log_a_year(service, clock) -> User:
    """Meetings, documents (one secret), dossiers, a task done on time, one open, a cancelled meeting, a
    meeting of 2025, and the half-year report: the culture department answers its three parts through the
    conversation before the due day (so it submits on time), the economy department submits late with a delivery
    note and answers afterwards. The bot began keeping the commune on 1 January. Returns the leader."""
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
    ):
        assert receipt() in await vhxh.say(command), command
    for answer in ("/noidung 6thang 2026", "1", VHXH_RESULT, "2", VHXH_DIFFICULTY):
        await vhxh.say(answer)
    assert receipt() in await vhxh.say(VHXH_PROPOSAL), "its three parts in: submitted on 20/05, on time"
    assert receipt() in await kt.say("/hop truc_tiep 06/04/2026 Họp rà soát đất đai")
    assert receipt() in await centre.say("/hoso 40 2 15/04/2026")
    assert receipt() in await centre.say("/hoso 30 1 16/04/2026")
    assert "V1" in await leader.say("/giaoviec vhxh 25/05/2026 Báo cáo công tác tuyên truyền")
    clock.now = instant("2026-05-24T09:00")
    assert "V1" in await vhxh.say("/xong V1")
    clock.now = instant("2026-06-05T09:00")
    assert receipt() in await kt.say(f"/nopbaocao 6thang {KT_NOTE}")
    for answer in ("/noidung kt 6thang 2026 ketqua 4", KT_RESULT, "2", KT_DIFFICULTY, "1"):
        await kt.say(answer)
    clock.now = instant("2026-11-27T10:00")
    assert receipt() in await kt.say("/hop truc_tuyen Họp ghi nhầm")
    assert "Đã hủy" in await kt.say("/huy")
    assert "V2" in await leader.say("/giaoviec kt 30/11/2026 Rà soát hồ sơ đất đai")
    return leader


async def year_data(service) -> ExportData:
    """2026 as of 27/11/2026, loaded in a read-only session as the callers will."""
    async with inspecting(service.db, write=False) as session:
        return await export_data(session, first_commune(service), year_period(2026), TODAY)


async def report_data(service, report: str) -> ExportData:
    """A report's window of 2026 (its departments' answers with it) as of 27/11/2026, as /baocaomau loads it."""
    commune = first_commune(service)
    async with inspecting(service.db, write=False) as session:
        return await export_data(session, commune, commune.report(report).window(2026), TODAY)


async def convert(source: Path, fmt: str, folder: Path, options: str = "") -> Path:
    """The file converted by LibreOffice (recalculated, laid out as a PDF, or by a filter with its `options`),
    with a profile of its own so that parallel tests do not share one."""
    profile = f"-env:UserInstallation=file://{folder / 'profile'}"
    target = f"{fmt}:{options}" if options else fmt
    command = ["soffice", profile, "--headless", "--convert-to", target, "--outdir", str(folder), str(source)]
    process = await asyncio.create_subprocess_exec(*command, stdout=PIPE, stderr=PIPE)
    _, errors = await asyncio.wait_for(process.communicate(), 180)
    assert process.returncode == 0, errors
    return folder / f"{source.stem}.{fmt}"
