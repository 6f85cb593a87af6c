"""Files through the chat: the workbook, the drafted report, the chart with /chitieu, and import."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select, update

from bot.core.messages import ChannelProfile
from bot.core.permissions import Role
from bot.core.texts import text
from bot.service import Service
from storage.db import Database
from storage.models.entries import Entry
from storage.models.messaging import OutboxMessage
from tests.conftest import ROOT, commune_changed
from tests.support.db import inspecting
from tests.support.users import User, new_invite, register

FILES = ChannelProfile("files", buttons=True, files=True)
TEXT_ONLY = ChannelProfile("textonly", max_text=2000)


def stored(attachment: dict) -> bytes:
    """The bytes of a file the bot made, as the sender will read them."""
    return Path(attachment["path"]).read_bytes()


@pytest.fixture
async def service(config, clock, tmp_path):
    """A service with a channel that takes files and one that does not; files kept in the test's folder."""
    exports = config.exports.model_copy(update={"files_dir": str(tmp_path / "files")})
    config = config.model_copy(update={"exports": exports})
    service = Service(config, Database(config.database.url), clock, profiles={"files": FILES, "textonly": TEXT_ONLY})
    await service.prepare()
    yield service
    await service.db.dispose()


async def user(service, user_id: str, role: Role, department: str | None = None, channel: str = "files") -> User:
    person = User(service, user_id, f"Người dùng {user_id}", channel)
    invite = await new_invite(service, role, department)
    assert "Chào mừng" in await person.say(f"/start {invite.code}")
    return person


async def attachments(service, answer) -> list[OutboxMessage]:
    async with inspecting(service.db) as session:
        rows = (await session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(answer.outbox_ids)))).all()
    return [row for row in rows if row.attachment] or [row for row in rows if row.stage.startswith(("chart", "work"))]


async def test_a_leader_gets_the_workbook(service):
    leader = await user(service, "1", Role.LEADER)
    await leader.say("/hop kt tructuyen Giao ban")
    answer = await leader.send("/xuat")
    assert answer.text.startswith("⏳ Đang tạo bảng tính Chỉ tiêu năm 2026")
    [row] = await attachments(service, answer)
    book = load_workbook(io.BytesIO(stored(row.attachment)))
    assert row.attachment["name"].endswith(".xlsx") and row.attachment["kind"] == "document"
    assert "Cuộc họp" in book.sheetnames and book["Cuộc họp"].max_row == 2


async def test_the_consolidating_department_drafts_the_report_others_may_not(service):
    vhxh = await user(service, "2", Role.FOCAL, "vhxh")
    kt = await user(service, "3", Role.FOCAL, "kt")
    assert await kt.say("/baocaomau nam") == text("access.denied", command="baocaomau")
    answer = await vhxh.send("/baocaomau nam 2026")
    [row] = await attachments(service, answer)
    document = Document(io.BytesIO(stored(row.attachment)))
    assert any("BÁO CÁO" in p.text for p in document.paragraphs)
    assert "/baocaomau" in await vhxh.say("/help") and "/baocaomau" not in await kt.say("/help")


async def test_chitieu_comes_with_a_chart_where_the_channel_shows_pictures(service):
    leader = await user(service, "4", Role.LEADER)
    [chart] = await attachments(service, await leader.send("/chitieu chitiet"))
    assert chart.attachment["kind"] == "photo" and stored(chart.attachment)[:4] == b"\x89PNG"
    other = await user(service, "5", Role.LEADER, channel="textonly")
    assert await attachments(service, await other.send("/chitieu chitiet")) == [], "no picture nobody can see"
    assert await attachments(service, await leader.send("/chitieu kt chitiet")) == [], "the chart is the commune's"


async def test_an_app_without_files_is_told_where_the_file_is(service):
    leader = await user(service, "6", Role.LEADER, channel="textonly")
    answer = await leader.send("/xuat")
    async with inspecting(service.db) as session:
        rows = (await session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(answer.outbox_ids)))).all()
    assert any("Ứng dụng này không nhận tệp" in row.text and ".xlsx" in row.text for row in rows)


async def test_an_admin_imports_a_file_twice_and_each_good_row_counts_once(service, tmp_path):
    admin = await user(service, "7", Role.ADMIN)
    assert await admin.say("/nhap") == text("import.need_file")
    upload = tmp_path / "import_sample.xlsx"
    shutil.copyfile(ROOT / "samples" / "import_sample.xlsx", upload)
    first = await admin.say("/nhap", upload=str(upload))
    assert first.startswith(text("import.result", read=12, imported=7, skipped=0, refused=5) + "\n")
    assert "Dòng 8: ngày “31/02/2026” không hợp lệ" in first
    again = await admin.say("/nhap", upload=str(upload))
    skipped = text("import.skipped", present=7, numbered=0)
    assert again.startswith(text("import.result", read=12, imported=0, skipped=7, refused=5) + "\n" + skipped)
    async with inspecting(service.db) as session:
        assert len((await session.scalars(select(Entry).where(Entry.source_channel == "import"))).all()) == 7
    focal = await register(service, "8", Role.FOCAL, "kt")
    assert await focal.say("/nhap") == text("access.denied", command="nhap")


async def test_a_draft_with_a_year_that_is_not_one_or_no_reports_configured_is_answered(service, config, clock):
    leader = await user(service, "6", Role.LEADER)
    for typed in ("/baocaomau nam ²²²²", "/baocaomau nam 20²6", "/baocaomau nam 1999"):
        assert (await leader.say(typed)).startswith(text("parse.bad_year", value=typed.split()[-1]))
    bare = Service(commune_changed(config, reports=[]), service.db, clock, profiles={"files": FILES})
    await bare.prepare()
    alone = await user(bare, "7", Role.LEADER)
    assert await alone.say("/baocaomau") == text("ask.report_kind_none")


async def test_a_file_that_fails_to_be_made_is_said_to_have_failed(service, monkeypatch):
    import bot.exports.workbook

    def broken(data):
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(bot.exports.workbook, "build_workbook", broken)
    leader = await user(service, "1", Role.LEADER)
    answer = await leader.send("/xuat")
    async with inspecting(service.db) as session:
        rows = (await session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(answer.outbox_ids)))).all()
    assert [row.text for row in rows][-1] == text("file.failed"), "the promised file is said not to come"


async def test_a_control_character_in_a_stored_entry_never_breaks_the_workbook(service):
    leader = await user(service, "1", Role.LEADER)
    await leader.say("/hop kt tructuyen Giao ban")
    async with inspecting(service.db) as session:  # as stored before text was cleaned at the door
        await session.execute(update(Entry).values(summary="Họp giao ban\x01tuần\x0b"))
        await session.commit()
    [row] = await attachments(service, await leader.send("/xuat"))
    book = load_workbook(io.BytesIO(stored(row.attachment)))
    assert book["Cuộc họp"]["F2"].value == "Họp giao bantuần"
