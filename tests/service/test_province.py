"""A whole province on one deployment: each commune's people see and change only their own commune, the province
officer sees every commune (and the totals add up), and the database itself refuses a row pointing elsewhere."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from bot.core.permissions import Role
from bot.core.texts import text
from storage.models.entries import Entry
from storage.models.people import Commune, Department
from tests.support.db import inspecting
from tests.support.texts import receipt
from tests.support.users import new_invite, register


async def commune_id(service, code: str) -> int:
    return service.communes.by_code(code).id


async def test_two_communes_with_the_same_department_codes_keep_their_own_numbers_and_figures(province):
    binhlu = await register(province, "11", Role.FOCAL, "vhxh", commune="binhlu")
    tamduong = await register(province, "21", Role.FOCAL, "vhxh", commune="tamduong")
    assert receipt(1) in await binhlu.say("/hop tructuyen Giao ban Bình Lư")
    assert receipt(2) in await binhlu.say("/hop tructiep Họp dân")
    assert receipt(1) in await tamduong.say("/hop tructuyen Giao ban Tam Đường"), "numbers are counted per commune"
    assert "Bình Lư" in await binhlu.say("/chitieu") and "Tam Đường" not in await binhlu.say("/chitieu")
    assert "Cuộc họp: 1 " in await tamduong.say("/chitieu")
    assert (await tamduong.say("/huy 2")) == text("cancel.not_found", id=2), "#2 is Bình Lư's, not found here"
    assert "Đã hủy #1" in await tamduong.say("/huy 1")
    async with inspecting(province.db) as session:
        live = select(Entry.commune_id, func.count()).where(Entry.cancelled_at.is_(None)).group_by(Entry.commune_id)
        counts = dict((await session.execute(live)).all())
    assert counts == {await commune_id(province, "binhlu"): 2}


async def test_an_invite_names_its_commune_and_a_person_stays_in_one(province):
    focal = await register(province, "11", Role.FOCAL, "kt", commune="doanket")
    assert "Phường Đoàn Kết" in await focal.say("/toi") or "Đoàn Kết" in await focal.say("/toi")
    other = await new_invite(province, Role.LEADER, commune="binhlu")
    assert await focal.say(f"/start {other.code}") == text("invite.other_commune", commune="UBND phường Đoàn Kết")
    assert "lãnh đạo" not in await focal.say("/toi")


async def test_a_group_bound_in_one_commune_names_no_department_of_another(province):
    binhlu = await register(province, "11", Role.FOCAL, "vp", commune="binhlu")
    assert "Đã liên kết" in await binhlu.say("/lienket vp", chat_id="-500")
    stranger = await register(province, "21", Role.ADMIN, commune="tamduong")
    assert await stranger.say("/lienket vp", chat_id="-500") == text("link.other_commune")
    asked = await stranger.say("/hop tructuyen Họp", chat_id="-500")
    assert asked == text("ask.department"), "the group's department is Bình Lư's: a Tam Đường admin is asked"


async def test_the_province_officer_sees_every_commune_and_the_totals_add_up(province):
    officer = await register(province, "900", Role.PROVINCE)
    for n, (code, meetings) in enumerate([("binhlu", 3), ("tamduong", 2), ("doanket", 1)]):
        focal = await register(province, str(100 + n), Role.FOCAL, "vhxh", commune=code)
        for m in range(meetings):
            await focal.say(f"/hop tructuyen Giao ban {m}")
    table = await officer.say("/chitieu")
    assert "Tỉnh Lai Châu" in table
    assert all(name in table for name in ("Bình Lư", "Tam Đường", "Đoàn Kết"))
    assert "Cả tỉnh: Họp 6" in table and "TT 100,0%" in table
    leader = await register(province, "200", Role.LEADER, commune="binhlu")
    assert await officer.say("/chitieu binhlu") == await leader.say("/chitieu"), "a commune's view, as its chairman's"
    assert (await officer.say("/hop tructuyen Họp")) == text("access.denied", command="hop"), "the province reads only"
    reports = await officer.say("/baocao nam")
    assert "3/3 xã còn phòng chưa nộp" in reports and "UBND xã Bình Lư: Văn phòng HĐND và UBND xã" in reports
    every = await officer.say("/baocao")
    dues = [(y, m, d) for d, m, y in re.findall(r"^📑 .* – hạn (\d\d)/(\d\d)/(\d{4})", every, re.M)]
    assert len(dues) == 2 and dues == sorted(dues), "the nearest deadline first, as in each commune's /baocao"


async def test_the_province_workbook_has_a_summary_of_formulas_over_a_sheet_a_commune(province):
    from bot.core.outcomes import FileJob
    from bot.core.periods import year_period
    from bot.service.files import render_file

    focal = await register(province, "101", Role.FOCAL, "vhxh", commune="binhlu")
    await focal.say("/hop tructuyen Giao ban")
    content, name, _ = await render_file(
        province.db, province.deployment, FileJob("province", year_period(2026)), province.clock().date()
    )
    book = load_workbook(io.BytesIO(content))
    assert name.startswith("so-lieu-tinh") and book.sheetnames[0] == "Tổng hợp" and len(book.sheetnames) == 4
    summary = book["Tổng hợp"]
    rows = {row[0].value: row for row in summary.iter_rows(min_row=3)}
    assert re.fullmatch(r"='xã Bình Lư'!B3", rows["UBND xã Bình Lư"][1].value)
    assert rows["Cả tỉnh"][1].value.startswith("=SUM(B3:B5)")
    assert book["xã Bình Lư"]["B3"].value == 1


async def test_a_row_pointing_into_another_commune_cannot_be_stored(province):
    await register(province, "11", Role.FOCAL, "vp", commune="binhlu")
    async with inspecting(province.db) as session:
        tamduong_vp = await session.scalar(
            select(Department.id)
            .join(Commune, Commune.id == Department.commune_id)
            .where(Commune.code == "tamduong", Department.code == "vp")
        )
        person = await session.scalar(select(func.min(Entry.person_id)).select_from(Entry)) or 1
        forged = insert(Entry).values(
            commune_id=await commune_id(province, "binhlu"), number=99, kind="meeting", department_id=tamduong_vp,
            person_id=person, occurred_on=province.clock().date(), year=2026, summary="", created_at=province.clock(),
            source_channel="x", source_chat_id="x", source_message_id="x",
        )  # fmt: skip
        with pytest.raises(IntegrityError):
            await session.execute(forged)


async def test_a_province_invite_belongs_to_no_commune():
    from bot.cli.common import Refusal, commune_code
    from bot.config import load_config
    from tests.conftest import PROVINCE

    config = load_config(PROVINCE)
    with pytest.raises(Refusal, match="binhlu, doanket, tamduong"):
        commune_code(config, None)
    with pytest.raises(Refusal, match="Không có xã mã 'xyz'"):
        commune_code(config, "xyz")
    assert commune_code(config, "tamduong") == "tamduong"


async def test_the_province_officer_gets_a_weekly_digest_of_the_communes_once(province, clock):
    from datetime import timedelta

    from jobs.province import ProvinceSettings, plan_province_digest
    from tests.support.clock import instant

    await register(province, "900", Role.PROVINCE)
    focal = await register(province, "101", Role.FOCAL, "vhxh", commune="tamduong")
    await focal.say("/hop tructuyen Giao ban")
    settings = ProvinceSettings(
        province.communes, "Tỉnh Lai Châu", province.communes.by_code("binhlu").tz,
        province.communes.by_code("binhlu").reminders.digest_at, timedelta(hours=24),
    )  # fmt: skip
    monday = instant("2026-11-30T07:45")
    (planned,) = await plan_province_digest(province.db, settings, monday)
    assert [r.chat_id for r in planned.recipients] == ["900"] and planned.key.day.isoformat() == "2026-11-30"
    assert planned.text.startswith("📋 Tổng hợp tuần các xã – Thứ Hai, 30/11/2026")
    assert all(name in planned.text for name in ("Bình Lư", "Tam Đường", "Đoàn Kết"))
    async with province.db.unit_of_work() as session:
        from storage import outbox

        await outbox.enqueue(session, planned.key, planned.recipients, planned.text, due_at=monday, now=monday)
        await session.commit()
    assert await plan_province_digest(province.db, settings, monday + timedelta(hours=2)) == [], "once a week"
