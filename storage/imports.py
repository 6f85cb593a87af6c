"""Rows imported from a file (a document-management system's or the public-service portal's export), written as
entries whose source is the file: importing the same rows again adds nothing. The caller commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from storage import entries
from storage.models.entries import Document, DossierTally, Entry, IncomingDocument, Meeting, ResolvedTally

SOURCE = "import"  # source_channel and source_chat_id of an imported entry
CHUNK = 500  # keys looked up per query, well under SQLite's limit on bound parameters


@dataclass(frozen=True)
class ImportRow:
    """One valid row: a meeting, a document or a dossier tally, and the key it is stored under.

    `key` is derived from all the row's fields (and, but for a document with a số ký hiệu, from how many rows
    alike in every field come before it in the file), so the same row always gets the same key."""

    line: int
    kind: str  # meeting | document | dossiers | resolved | incoming
    department: str
    occurred_on: date
    key: str
    summary: str = ""
    online: bool | None = None
    document_kind: str | None = None
    number: str | None = None
    number_key: str | None = None
    dossiers_online: int | None = None
    dossiers_paper: int | None = None
    resolved_online: int | None = None
    resolved_paper: int | None = None
    resolved_late: int | None = None


@dataclass(frozen=True)
class RowProblem:
    """A row refused, with its line in the file and why."""

    line: int
    reason: str


@dataclass(frozen=True)
class ImportBatch:
    """A file read: the rows to store, the rows refused, and how many rows below the header held something."""

    rows: tuple[ImportRow, ...]
    refused: tuple[RowProblem, ...]
    read: int


@dataclass(frozen=True)
class ImportResult:
    """What became of each row read: stored, skipped as already there, or refused with why.

    `present`: the same row was stored before (by an earlier import, or higher up in this file); `numbered`: a
    document whose số ký hiệu is already logged that year (in chat, or by another row)."""

    read: int
    imported: tuple[int, ...]
    present: tuple[int, ...]
    numbered: tuple[int, ...]
    refused: tuple[RowProblem, ...]


MODELS: dict[str, type[Entry]] = {
    "meeting": Meeting,
    "document": Document,
    "dossiers": DossierTally,
    "resolved": ResolvedTally,
    "incoming": IncomingDocument,
}


async def _stored_keys(session: AsyncSession, commune_id: int, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        query = select(Entry.source_message_id).where(
            Entry.commune_id == commune_id,
            Entry.source_channel == SOURCE,
            Entry.source_chat_id == SOURCE,
            Entry.source_message_id.in_(keys[start : start + CHUNK]),
        )
        found.update(await session.scalars(query))
    return found


async def _stored_numbers(
    session: AsyncSession, commune_id: int, numbers: Sequence[tuple[int, str]]
) -> set[tuple[int, str]]:
    """Which (year, số ký hiệu) pairs a live document of the commune already has."""
    found: set[tuple[int, str]] = set()
    for start in range(0, len(numbers), CHUNK):
        query = select(Entry.year, Entry.document_number_key).where(
            Entry.commune_id == commune_id,
            Entry.kind == "document",
            Entry.cancelled_at.is_(None),
            tuple_(Entry.year, Entry.document_number_key).in_(numbers[start : start + CHUNK]),
        )
        found.update((year, key) for year, key in await session.execute(query))
    return found


async def import_rows(
    session: AsyncSession, commune_id: int, batch: ImportBatch, *, person_id: int, now: datetime
) -> ImportResult:
    """Store the batch's rows not stored before, as entries logged by `person_id`, and say of the others why:
    the same row already stored, or a document whose number is already logged that year. Does not commit."""
    seen = await _stored_keys(session, commune_id, [row.key for row in batch.rows])
    numbers = list({(row.occurred_on.year, row.number_key) for row in batch.rows if row.number_key})
    numbered = await _stored_numbers(session, commune_id, numbers)
    imported, present, same_number, new = [], [], [], []
    for row in batch.rows:
        number = (row.occurred_on.year, row.number_key)
        if row.key in seen:
            present.append(row.line)
            continue
        if row.number_key and number in numbered:
            same_number.append(row.line)
            continue
        seen.add(row.key)
        if row.number_key:
            numbered.add(number)
        entry = MODELS[row.kind](
            person_id=person_id,
            occurred_on=row.occurred_on,
            year=row.occurred_on.year,
            summary=row.summary,
            created_at=now,
            source_channel=SOURCE,
            source_chat_id=SOURCE,
            source_message_id=row.key,
            meeting_online=row.online,
            document_kind=row.document_kind,
            document_number=row.number,
            document_number_key=row.number_key,
            dossiers_online=row.dossiers_online,
            dossiers_paper=row.dossiers_paper,
            resolved_online=row.resolved_online,
            resolved_paper=row.resolved_paper,
            resolved_late=row.resolved_late,
        )
        new.append((entry, row.department))
        imported.append(row.line)
    await entries.add_entries(session, commune_id, new)
    imported = list(dict.fromkeys(imported))  # a portal line holds two tallies: it is one line imported
    present = [line for line in dict.fromkeys(present) if line not in imported]
    return ImportResult(batch.read, tuple(imported), tuple(present), tuple(same_number), batch.refused)
