"""Workbooks built part by part with zipfile, to say exactly what a hostile file holds."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
KINDS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {  # what openpyxl needs to open it too, so that a test can show what openpyxl would make of it
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{TYPES}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{TYPES}.sharedStrings+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{KINDS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{KINDS}"><sheets>'
    '<sheet name="Sổ" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{KINDS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{KINDS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
}


def inline(reference: str, value: str) -> str:
    """A cell holding text inline."""
    return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet(rows: Iterable[str], dimension: str = "A1") -> str:
    """A worksheet of these <row> elements, claiming the dimension given."""
    return f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>{"".join(rows)}</sheetData></worksheet>'


def workbook(worksheet: str, shared_strings: Iterable[bytes] = (), **parts: str) -> bytes:
    """An .xlsx of one sheet; the shared strings part is written chunk by chunk, so it can be huge."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:  # fast for huge parts
        for name, content in {**PARTS, "xl/worksheets/sheet1.xml": worksheet, **parts}.items():
            archive.writestr(name, content)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(f'<sst xmlns="{MAIN}">'.encode())
            for chunk in shared_strings:
                strings.write(chunk)
            strings.write(b"</sst>")
    return buffer.getvalue()


HEADER = '<row r="1">' + inline("A1", "Ngày") + inline("B1", "Phòng") + "</row>"


def bomb_corner() -> bytes:
    """2 KB: a sheet claiming A1:XFD1048576, its one data cell in that corner."""
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return workbook(sheet([HEADER, far], dimension="A1:XFD1048576"))


def bomb_strings() -> bytes:
    """1.4 MB: 320 shared strings of 1 MiB each, 320 MiB unpacked."""
    return workbook(sheet([HEADER]), (b"<si><t>" + b"a" * (1 << 20) + b"</t></si>" for _ in range(320)))
