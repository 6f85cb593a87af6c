"""Every renderer writes any stored text: a control character or a lone surrogate in an entry, a name or a note
(stored before text was cleaned at the door) never breaks the workbook or the drafted report of the year."""

from __future__ import annotations

import io
from dataclasses import fields, is_dataclass, replace

from docx import Document
from openpyxl import load_workbook

from bot.config import load_config
from bot.exports.document import draft_report
from bot.exports.workbook import build_workbook
from tests.conftest import ROOT
from tests.exports import VHXH_DIFFICULTY, log_a_year, report_data, year_data

POISON = "\x01\x0b\ufffe\ud800"
WRITTEN = "\ufffd"  # what is left of it: the lone surrogate, shown as the replacement character
WORDS = ("summary", "person", "number", "title", "note", "name", "department_name", "body")


def poisoned(value):
    """The data with every piece of text a person typed (or a department's name) ending in control characters
    and a lone surrogate."""
    if is_dataclass(value):
        changes = {}
        for field in fields(value):
            current = getattr(value, field.name)
            is_words = field.name in WORDS and isinstance(current, str)
            changes[field.name] = current + POISON if is_words else poisoned(current)
        return replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(poisoned(item) for item in value)
    return value


async def test_the_workbook_and_the_report_are_written_whatever_the_text(service, clock):
    await log_a_year(service, clock)
    data = poisoned(await year_data(service))
    assert data.records.meetings[0].summary.endswith(POISON)
    book = load_workbook(io.BytesIO(build_workbook(data)))
    summaries = [row[5] for row in book["Cuộc họp"].iter_rows(min_row=2, values_only=True)]
    assert "Giao ban quý I" + WRITTEN in summaries
    settings = load_config(ROOT / "config.example.toml").communes[0].report_document.to_document()
    half_year = poisoned(await report_data(service, "6thang"))
    document = Document(io.BytesIO(draft_report(half_year, settings, "")))
    body = "\n".join(p.text for p in document.paragraphs)
    assert f"- Phòng Văn hóa – Xã hội{WRITTEN}: {VHXH_DIFFICULTY}{WRITTEN}." in body
    assert "Tổng hợp" in load_workbook(io.BytesIO(build_workbook(half_year))).sheetnames
