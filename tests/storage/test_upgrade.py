"""A database written by the release before communes (tests/fixtures/release_7fb1d74.db: four people, six entries,
two tasks, a report submitted, a group bound, reminders already queued) upgrades into its commune with nothing
lost, nothing renumbered that a user has seen, and no reminder sent a second time."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest
from sqlalchemy import func, select

from bot.core.texts import text
from bot.service import Service
from jobs.sweep import sweep
from storage.db import Database
from storage.models.messaging import OutboxMessage
from storage.models.people import Commune
from tests.conftest import ROOT, example_config
from tests.support.clock import MutableClock, instant
from tests.support.databases import sqlite_url
from tests.support.db import inspecting
from tests.support.texts import receipt
from tests.support.users import User, member_list, reminder_settings

pytestmark = pytest.mark.sqlite_only("the release before communes wrote only SQLite files; this is that file's upgrade")

OLD = ROOT / "tests" / "fixtures" / "release_7fb1d74.db"


async def upgraded(tmp_path, when: str) -> Service:
    database = tmp_path / "old.db"
    shutil.copyfile(OLD, database)
    url = sqlite_url(database)
    service = Service(example_config(url, tmp_path), Database(url), MutableClock(instant(when)))
    await service.prepare()
    return service


async def test_an_old_database_becomes_its_commune_with_every_number_kept(tmp_path):
    service = await upgraded(tmp_path, "2026-11-27T10:00")
    try:
        async with inspecting(service.db) as session:
            (commune,) = (await session.scalars(select(Commune))).all()
        assert (commune.code, commune.name) == ("binh_lu", "UBND xã Bình Lư"), "named from the config at start"
        assert (commune.last_entry_number, commune.last_task_number) == (6, 2)
        members = await member_list(service)
        assert all(f"Cán bộ {n}" in members for n in (1001, 1002, 2001, 3001))
        leader, focal = (
            User(service, "2001", "Cán bộ 2001", "telegram"),
            User(service, "1001", "Cán bộ 1001", "telegram"),
        )
        assert (await leader.say("/huy 4")).startswith("Hủy #4: văn bản mật"), "#4 is still the secret document"
        listed = await leader.say("/viec")
        assert "V1 KT – Rà soát đất đai" in listed and "V2 VHXH – Tổng hợp báo cáo" in listed
        assert (await focal.say("/hop tructuyen Giao ban tuần")).startswith(receipt(7)), "counting on from #6"
        assert "Phòng Văn hóa – Xã hội – 27/11/2026" not in await focal.say("/baocao nam")
        assert "✅ Phòng Văn hóa – Xã hội" in await focal.say("/baocao nam"), "the submission kept"
        assert "Rà soát đất đai" in await User(service, "1002", "Cán bộ 1002", "telegram").say("/viec", chat_id="-5001")
    finally:
        await service.db.dispose()


async def test_reminders_already_queued_are_not_planned_again(tmp_path):
    service = await upgraded(tmp_path, "2026-11-27T08:30")
    try:
        async with inspecting(service.db) as session:
            before = await session.scalar(select(func.count()).select_from(OutboxMessage))
            subjects = set(await session.scalars(select(OutboxMessage.subject).where(OutboxMessage.kind == "report")))
        assert subjects == {"1:nam:2026:kt"}
        result, new = await sweep(
            service.db, reminder_settings(service), datetime.fromisoformat("2026-11-27T08:30+07:00")
        )
        assert (result.queued, new) == (0, []), "what the old release queued that morning is not queued again"
        async with inspecting(service.db) as session:
            assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == before
        later = datetime.fromisoformat("2026-11-30T08:30+07:00")
        result, _ = await sweep(service.db, reminder_settings(service), later)
        assert result.queued > 0, "and the next reminders are planned as before"
    finally:
        await service.db.dispose()


async def test_rows_imported_by_the_old_release_are_found_again_by_every_field(tmp_path):
    import sqlite3

    database = tmp_path / "old.db"
    shutil.copyfile(OLD, database)
    with sqlite3.connect(database) as old:  # two identical meeting rows, imported under the old keys
        department = old.execute("SELECT id FROM departments WHERE code = 'kt'").fetchone()[0]
        for n, key in enumerate(("meeting:old-a", "meeting:old-b"), start=10):
            old.execute(
                "INSERT INTO entries (id, kind, department_id, person_id, occurred_on, year, summary, created_at, "
                "source_channel, source_chat_id, source_message_id, meeting_online) VALUES "
                "(?, 'meeting', ?, 1, '2026-11-02', 2026, 'Họp rà soát', '2026-11-20 03:00:00', "
                "'import', 'import', ?, 1)",
                (n, department, key),
            )
    csv = tmp_path / "lai.csv"
    csv.write_text("Loại;Ngày;Phòng;Hình thức;Nội dung\n" + "Họp;02/11/2026;kt;Trực tuyến;Họp rà soát\n" * 3, "utf-8")
    db = Database(sqlite_url(database))
    service = Service(example_config(sqlite_url(database), tmp_path), db, MutableClock(instant("2026-11-27T10:00")))
    await service.prepare()
    try:
        admin = User(service, "3001", "Cán bộ 3001", "telegram")
        reply = await admin.say("/nhap", upload=str(csv))
        assert reply.startswith(text("import.result", read=3, imported=1, skipped=2, refused=0)), reply
    finally:
        await service.db.dispose()
