"""The store: SQLite settings, migrations in step with the models, SQL that PostgreSQL also accepts."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from storage.models import Base


async def test_sqlite_runs_in_wal_with_full_sync_foreign_keys_and_a_busy_timeout(service):
    async with service.db.unit_of_work() as session:
        values = [
            (await session.execute(text(f"PRAGMA {name}"))).scalar_one()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        ]
    assert values == ["wal", 2, 1, 30000]


async def test_migrations_match_the_models(service):
    async with service.db.engine.connect() as connection:
        diff = await connection.run_sync(lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata))
    assert diff == []


async def test_upgrade_twice_is_harmless(service):
    await service.db.upgrade()
    await service.prepare()


def test_schema_compiles_for_postgresql():
    dialect = postgresql.dialect()
    tables = Base.metadata.sorted_tables
    assert all("CREATE TABLE" in str(CreateTable(t).compile(dialect=dialect)) for t in tables)
    indexes = {i.name: str(CreateIndex(i).compile(dialect=dialect)) for t in tables for i in t.indexes}
    assert "WHERE kind = 'document' AND cancelled_at IS NULL" in indexes["uq_entries_document_number"]
