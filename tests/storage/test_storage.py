"""The store: SQLite settings, migrations in step with the models, SQL that PostgreSQL also accepts."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from bot.core.permissions import Role
from storage.db import sqlite_file
from storage.locks import only_process
from storage.migrate import alembic_config
from storage.models.base import Base
from storage.models.people import Department
from tests.support.db import inspecting
from tests.support.users import member_list, register


@pytest.mark.sqlite_only("PRAGMAs are SQLite's settings; PostgreSQL has none of them")
async def test_sqlite_runs_in_wal_with_full_sync_foreign_keys_and_a_busy_timeout(service):
    async with inspecting(service.db) as session:
        values = [
            (await session.execute(text(f"PRAGMA {name}"))).scalar_one()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        ]
    assert values == ["wal", 2, 1, 30000]


async def test_migrations_match_the_models(service):
    """Autogenerate finds nothing to do on the migrated schema: on SQLite, and on PostgreSQL in its pass."""
    options = {"compare_type": True}
    async with service.db.engine.connect() as connection:
        diff = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts=options), Base.metadata)
        )
    assert diff == []


async def test_upgrade_twice_keeps_the_data_and_stays_at_head(service):
    await register(service, "1", Role.LEADER)
    await service.db.upgrade()
    await service.prepare()
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    async with inspecting(service.db) as session:
        version = (await session.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
        departments = await session.scalar(select(func.count()).select_from(Department))
    assert version == head
    assert departments == len(service.config.communes[0].departments)
    assert "Người dùng 1" in await member_list(service)


async def test_a_reader_does_not_wait_for_a_writer(service):
    async with inspecting(service.db) as writer:
        await writer.execute(text("UPDATE settings SET value = value"))  # holds the write lock
        async with inspecting(service.db, write=False) as reader:
            count = await asyncio.wait_for(reader.scalar(select(func.count()).select_from(Department)), timeout=5)
    assert count == len(service.config.communes[0].departments)


def test_schema_compiles_for_postgresql():
    dialect = postgresql.dialect()
    for table in Base.metadata.sorted_tables:
        ddl = str(CreateTable(table).compile(dialect=dialect))
        assert ddl.strip().startswith(f"CREATE TABLE {table.name} (")
        assert all(f"\t{column.name} " in ddl for column in table.columns), table.name
    indexes = {
        i.name: str(CreateIndex(i).compile(dialect=dialect)) for t in Base.metadata.sorted_tables for i in t.indexes
    }
    assert "WHERE kind = 'document' AND cancelled_at IS NULL" in indexes["uq_entries_document_number"]


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("sqlite+aiosqlite:///data/binhlu.db", "data/binhlu.db"),
        ("sqlite+aiosqlite:////srv/bot/binhlu.db", "/srv/bot/binhlu.db"),
        ("sqlite+aiosqlite:///file:/srv/bot/ro.db?mode=ro&uri=true", "/srv/bot/ro.db"),
        ("sqlite+aiosqlite:///file:data/b%C3%ACnh.db?uri=true", "data/bình.db"),
        ("sqlite+aiosqlite:///file:shared?mode=memory&uri=true", None),
        ("sqlite+aiosqlite:///:memory:", None),
        ("postgresql+asyncpg://postgres@127.0.0.1/test", None),
    ],
)
def test_the_file_an_sqlite_url_names_is_read_as_sqlite_reads_it(url, file):
    assert sqlite_file(url) == (Path(file) if file else None)


def test_a_uri_filename_is_locked_beside_its_file_not_in_a_folder_named_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "db").mkdir()
    with only_process(f"sqlite+aiosqlite:///file:{tmp_path / 'db' / 'ro.db'}?mode=ro&uri=true"):
        assert (tmp_path / "db" / "ro.db.run-lock").exists()
    assert not (tmp_path / "file:").exists()
