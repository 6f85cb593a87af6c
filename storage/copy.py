"""One commune's rows copied from one database into another (a commune's SQLite file into the province's
PostgreSQL), table by table in foreign-key order, then every table checked (rows and a checksum) before done.

A row keeps its id when the target has that id free (a member's number, which /thuhoi and invites name, stays
the same); a table whose ids the target already uses (a second commune merged in) gets new ids, and every
reference to them follows. Sequences are moved past what was copied. The commune's row and its departments, which
the target's start made from the configuration, are the source's rows, updated in place. The caller commits."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Table, func, insert, select, text, tuple_, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import sqlite_file
from storage.models import TENANT_TABLES, Base

CHUNK = 500  # rows per statement, and keys per IN (…), well under SQLite's limit on bound parameters
MERGED = {"communes": ("code",), "departments": ("commune_id", "code")}  # made at start from the configuration
KEPT = {"identity_version"}  # the target's own counter: its triggers bump it as the copy writes people
MADE = {"entry_days"}  # made in the target by its triggers as the entries are written: checked, not written
Progress = Callable[[str, int, int], None]  # (table, rows copied, rows to copy)


class CopyRefused(Exception):  # noqa: N818 - an answer for the operator, not a failure
    """Why the copy cannot be made; nothing was written."""


@dataclass(frozen=True)
class TableCopied:
    """One table done: how many rows, and the checksum both databases agree on."""

    table: str
    rows: int
    checksum: str


def missing_file(url: str) -> str | None:
    """The SQLite file a URL names when there is no such file (opening it would make an empty one)."""
    if make_url(url).get_backend_name() != "sqlite":
        return None
    path = sqlite_file(url)
    return None if path is not None and path.is_file() else str(path or url)


async def revision(connection: AsyncConnection) -> str | None:
    """The Alembic revision a database is at (None: not a database of ours)."""
    tables = await connection.run_sync(lambda sync: sync.dialect.get_table_names(sync))
    if "alembic_version" not in tables:
        return None
    return await connection.scalar(text("SELECT version_num FROM alembic_version"))


async def commune_codes(connection: AsyncConnection) -> list[str]:
    """The communes a database holds."""
    communes = Base.metadata.tables["communes"]
    return list(await connection.scalars(select(communes.c.code).order_by(communes.c.id)))


async def holds_records(connection: AsyncConnection, code: str) -> bool:
    """Whether the database holds any row of the commune beyond what its start makes (the row, its departments)."""
    communes = Base.metadata.tables["communes"]
    commune_id = await connection.scalar(select(communes.c.id).where(communes.c.code == code))
    if commune_id is None:
        return False
    for name in sorted(TENANT_TABLES - set(MERGED)):
        table = Base.metadata.tables[name]
        if await connection.scalar(select(table.c.commune_id).where(table.c.commune_id == commune_id).limit(1)):
            return True
    return False


def _canonical(value) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return repr(value)


def checksum(rows: list[dict], columns: list[str]) -> str:
    """A checksum of rows whatever their order and whichever database read them."""
    lines = sorted("\x1f".join(_canonical(row[c]) for c in columns) for row in rows)
    return hashlib.sha256("\x1e".join(lines).encode()).hexdigest()


class _Copy:
    """The state of one copy: each table's old → new ids."""

    def __init__(self, source: AsyncConnection, target: AsyncConnection, code: str, whole_file: bool) -> None:
        self.source, self.target, self.code, self.whole_file = source, target, code, whole_file
        self.ids: dict[str, dict[int, int]] = {}

    async def rows_of(self, table: Table) -> list[dict] | None:
        """The source's rows of the commune in this table (None: the table is not the commune's to copy)."""
        if table.name in KEPT:
            return None
        query = select(table)
        if table.name == "communes":
            query = query.where(table.c.code == self.code)
        elif "commune_id" in table.c:
            query = query.where(table.c.commune_id == next(iter(self.ids["communes"])))
        elif table.foreign_keys:
            pass  # rows whose references point at copied rows, filtered below
        elif not self.whole_file:
            return None  # the deployment's own rows (queue, sends, settings) go with a file of one commune only
        rows = [dict(row) for row in (await self.source.execute(query.order_by(*table.primary_key.columns))).mappings()]
        if table.foreign_keys and "commune_id" not in table.c:
            rows = [row for row in rows if all(self._points_at_copied(fk, row) for fk in table.foreign_keys)]
        return rows

    def _points_at_copied(self, fk, row: dict) -> bool:
        value = row[fk.parent.name]
        return value is None or value in self.ids.get(fk.column.table.name, {})

    def mapped(self, table: Table, row: dict) -> dict:
        """The row with every reference in the target's ids."""
        out = dict(row)
        for column in table.columns:
            if not column.foreign_keys or out[column.name] is None:
                continue
            # commune_id may point at communes and at (people|departments).commune_id: the commune's id either way
            referred = {fk.column.table.name for fk in column.foreign_keys if fk.column.name == "id"}
            name = "communes" if column.name == "commune_id" else referred.pop()
            out[column.name] = self.ids[name][out[column.name]]
        return out

    async def copy(self, table: Table, rows: list[dict], progress: Progress | None) -> list[dict]:
        """Write the rows (references mapped); what the target should now hold of them."""
        rows = [self.mapped(table, row) for row in rows]
        if table.name in MADE:
            return rows
        if table.name in MERGED:
            return await self._merge(table, rows)
        if [c.name for c in table.primary_key.columns] == ["id"]:
            old = [row["id"] for row in rows]
            taken = await self._existing(table, old)
            if taken:  # renumbered: the target assigns the ids
                fresh = []
                for start in range(0, len(rows), CHUNK):
                    part = [{k: v for k, v in row.items() if k != "id"} for row in rows[start : start + CHUNK]]
                    if part:
                        returned = await self.target.execute(
                            insert(table).returning(table.c.id, sort_by_parameter_order=True), part
                        )
                        fresh += list(returned.scalars())
                    if progress:
                        progress(table.name, min(start + CHUNK, len(rows)), len(rows))
                for row, new in zip(rows, fresh, strict=True):
                    row["id"] = new
            else:
                await self._insert(table, rows, progress)
            self.ids[table.name] = {o: row["id"] for o, row in zip(old, rows, strict=True)}
            return rows
        keys = [c.name for c in table.primary_key.columns]
        present = await self._existing_keys(table, keys, rows)
        rows = [row for row in rows if tuple(row[k] for k in keys) not in present]  # already there: kept
        await self._insert(table, rows, progress)
        return rows

    async def _insert(self, table: Table, rows: list[dict], progress: Progress | None) -> None:
        for start in range(0, len(rows), CHUNK):
            await self.target.execute(insert(table), rows[start : start + CHUNK])
            if progress:
                progress(table.name, min(start + CHUNK, len(rows)), len(rows))
        if not rows and progress:
            progress(table.name, 0, 0)

    async def _existing(self, table: Table, ids: list[int]) -> bool:
        for start in range(0, len(ids), CHUNK):
            if await self.target.scalar(select(table.c.id).where(table.c.id.in_(ids[start : start + CHUNK])).limit(1)):
                return True
        return False

    async def _existing_keys(self, table: Table, keys: list[str], rows: list[dict]) -> set[tuple]:
        columns = [table.c[k] for k in keys]
        present: set[tuple] = set()
        for start in range(0, len(rows), CHUNK):
            wanted = [tuple(row[k] for k in keys) for row in rows[start : start + CHUNK]]
            found = await self.target.execute(select(*columns).where(tuple_(*columns).in_(wanted)))
            present |= {tuple(row) for row in found}
        return present

    async def _merge(self, table: Table, rows: list[dict]) -> list[dict]:
        """The commune's row or a department: the target's own (made from the configuration) takes the source's
        values; one the target lacks is added."""
        natural = MERGED[table.name]
        mapping: dict[int, int] = {}
        for row in rows:
            where = [table.c[k] == row[k] for k in natural]
            existing = await self.target.scalar(select(table.c.id).where(*where))
            values = {k: v for k, v in row.items() if k != "id"}
            if existing is None:
                existing = await self.target.scalar(insert(table).values(values).returning(table.c.id))
            else:
                await self.target.execute(update(table).where(table.c.id == existing).values(values))
            mapping[row["id"]] = existing
            row["id"] = existing
        self.ids[table.name] = mapping
        return rows

    async def read_back(self, table: Table, rows: list[dict]) -> list[dict]:
        """The target's rows that the copy wrote, as the target returns them."""
        keys = [c.name for c in table.primary_key.columns]
        columns = [table.c[k] for k in keys]
        found: list[dict] = []
        for start in range(0, len(rows), CHUNK):
            wanted = [tuple(row[k] for k in keys) for row in rows[start : start + CHUNK]]
            query = select(table).where(
                tuple_(*columns).in_(wanted) if len(keys) > 1 else columns[0].in_([w[0] for w in wanted])
            )
            found += [dict(row) for row in (await self.target.execute(query)).mappings()]
        return found


async def reset_sequences(target: AsyncConnection) -> None:
    """On PostgreSQL, each id sequence moved past the largest id, so the next row never takes a copied one."""
    if target.dialect.name != "postgresql":
        return  # SQLite gives the next row max(id) + 1 by itself
    for table in Base.metadata.sorted_tables:
        if [c.name for c in table.primary_key.columns] != ["id"]:
            continue
        sequence = await target.scalar(select(func.pg_get_serial_sequence(table.name, "id")))
        if sequence:
            largest = await target.scalar(select(func.max(table.c.id)))
            await target.execute(select(func.setval(sequence, largest or 1, largest is not None)))


async def copy_commune(
    source: AsyncConnection, target: AsyncConnection, code: str, progress: Progress | None = None
) -> list[TableCopied]:
    """Copy the commune `code` from `source` into `target` (both at the same revision, checked by the caller)
    and verify each table; a mismatch raises and the caller rolls back."""
    copy = _Copy(source, target, code, whole_file=(await commune_codes(source)) == [code])
    done = []
    for table in sorted(Base.metadata.sorted_tables, key=lambda t: t.name in MADE):  # what triggers make: last
        if table.name == "communes":
            commune = (await source.execute(select(table).where(table.c.code == code))).mappings().one()
            copy.ids["communes"] = {commune["id"]: commune["id"]}  # the source's id, until merged below
        rows = await copy.rows_of(table)
        if rows is None:
            continue
        written = await copy.copy(table, rows, progress)
        columns = [c.name for c in table.columns]
        expected = checksum(written, columns)
        found = await copy.read_back(table, written)
        if len(found) != len(written) or checksum(found, columns) != expected:
            raise RuntimeError(f"{table.name}: {len(found)} rows read back of {len(written)} written, or they differ")
        done.append(TableCopied(table.name, len(found), expected))
    await reset_sequences(target)
    return done
