"""Proof that no commune ever sees another: every actor × every chat × every command across two communes that
share their department codes, and any sequence of one commune's commands, leave the other commune's rows as they
were and never answer with its data."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.core.permissions import Role
from bot.service import Service
from storage.db import Database
from storage.models import TENANT_TABLES, Base
from tests.conftest import province_config
from tests.service.test_service import SAMPLE
from tests.support.clock import MutableClock
from tests.support.db import inspecting
from tests.support.users import User, register

COMMUNES = {"binhlu": ("UBND xã Bình Lư", "ALPHA"), "tamduong": ("UBND xã Tam Đường", "BETA")}


async def fingerprint(service: Service, code: str) -> str:
    """Every row of one commune, in every table of commune rows, as one digest."""
    commune_id = service.communes.by_code(code).id
    digest = hashlib.sha256()
    async with inspecting(service.db, write=False) as session:
        for table in Base.metadata.sorted_tables:
            if table.name in TENANT_TABLES:
                query = select(table).where(table.c.commune_id == commune_id)
                rows = await session.execute(query.order_by(*table.primary_key.columns))
                digest.update(repr(rows.all()).encode())
    return digest.hexdigest()


async def seed(service: Service) -> dict[str, dict[str, User]]:
    """Each commune's focal person, leader and admin, with records that carry the commune's marker."""
    people: dict[str, dict[str, User]] = {}
    for n, (code, (_, marker)) in enumerate(COMMUNES.items()):
        focal = await register(service, f"{n}1", Role.FOCAL, "vhxh", commune=code)
        leader = await register(service, f"{n}2", Role.LEADER, commune=code)
        admin = await register(service, f"{n}3", Role.ADMIN, commune=code)
        await focal.say(f"/hop tructuyen Giao ban {marker}")
        await focal.say(f"/vanban dientu 7/{marker}-VP Văn bản {marker}")
        await leader.say(f"/giaoviec vhxh 15/12/2026 Việc {marker}")
        await admin.say("/lienket vp", chat_id=f"-{n}00")
        people[code] = {"focal": focal, "leader": leader, "admin": admin}
    return people


def other(code: str) -> str:
    return next(c for c in COMMUNES if c != code)


async def test_every_actor_in_every_chat_with_every_command_stays_in_its_commune(province):
    people = await seed(province)
    officer = await register(province, "900", Role.PROVINCE)
    stranger = User(province, "999", "Người lạ")
    actors = [(code, role, user) for code, roles in people.items() for role, user in roles.items()]
    actors += [(None, "province", officer), (None, "stranger", stranger)]
    chats = [None, "-000", "-100", "-777"]  # private; Bình Lư's group; Tam Đường's group; a group bound to nobody
    checked = 0
    for code, role, user in actors:
        watched = [other(code)] if code else list(COMMUNES)
        for chat in chats:
            before = {c: await fingerprint(province, c) for c in watched}
            for line in SAMPLE.values():
                answer = await user.send(line, **({"chat_id": chat} if chat else {}))
                reply = answer.text if answer is not None else ""
                for c in watched if code else ():
                    name, marker = COMMUNES[c]
                    assert marker not in reply and name not in reply, (role, code, chat, line, reply)
                checked += 1
            after = {c: await fingerprint(province, c) for c in watched}
            assert after == before, (role, code, chat, "wrote into a commune not its own")
    assert checked == len(actors) * len(chats) * len(SAMPLE)


ONE_COMMUNE = [
    "/hop tructuyen Họp",
    "/hop kt tructiep 02/11/2026 Họp",
    "/vanban dientu 9/UBND Văn bản",
    "/vanban mat",
    "/hoso 5 1",
    "/huy",
    "/huy 1",
    "/huy 2",
    "1",
    "/giaoviec kt 20/12/2026 Rà soát",
    "/tiendo V1 50",
    "/xong V1",
    "/suaviec V1 vp",
    "/nopbaocao kt nam",
    "/lienket vp",
    "/thuhoi 3",
    "/kenh ca_hai",
    "/chitieu",
    "/baocao",
    "/viec",
]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["focal", "leader", "admin"]), st.sampled_from(ONE_COMMUNE)), max_size=10))
def test_any_sequence_of_one_communes_commands_leaves_the_other_unchanged(databases, steps):
    async def run() -> None:
        folder = Path(tempfile.mkdtemp())
        url = databases.create(folder, "p")
        try:
            service = Service(province_config(url, folder), Database(url), MutableClock())
            await service.prepare()
            people = await seed(service)
            before = await fingerprint(service, "tamduong")
            for role, line in steps:
                where = {"chat_id": "-100"} if line == "/lienket vp" else {}  # in Tam Đường's own group
                await people["binhlu"][role].send(line, **where)
            assert await fingerprint(service, "tamduong") == before
            await service.db.dispose()
        finally:
            databases.drop(url)
            shutil.rmtree(folder, ignore_errors=True)

    asyncio.run(run())


COMMUNE_ROWS = {"departments", "entries", "tasks", "task_updates", "memberships", "invites", "group_bindings"}


@pytest.mark.parametrize("table", sorted(t.name for t in Base.metadata.sorted_tables))
def test_a_table_that_points_at_a_departments_or_a_tasks_row_carries_its_commune(table):
    """A row referring to a department or a task is a commune's row: it carries the commune, in its key."""
    columns = Base.metadata.tables[table].columns
    refers = {fk.column.table.name for column in columns for fk in column.foreign_keys} | {
        element.column.table.name
        for constraint in Base.metadata.tables[table].foreign_key_constraints
        for element in constraint.elements
    }
    if refers & {"departments", "tasks"} or table in COMMUNE_ROWS:
        assert table in TENANT_TABLES
        assert "commune_id" in columns and not columns["commune_id"].nullable or table in {"memberships", "invites"}
