"""The cells of an .xlsx's first sheet, read so that no file can make them expand.

Nothing is unpacked before it is measured: the zip's directory says how many parts there are, how big each is
unpacked and how tightly packed, and zipfile never unpacks a part beyond the size its directory declares. Each
part is then fed in chunks to expat, which builds no tree: the events of one chunk are handled and forgotten, so
memory is that of one cell however long the sheet, and the elements a part may hold are counted, so time is
bounded too. A DTD is refused where it starts (as defusedxml does), so no entity can be declared, let alone
expanded. The sheet's `<dimension>` tag is never read and no row is padded: a cell at XFD1048576 costs what a
cell at A1 costs.

Why not openpyxl's read-only mode: it pads each row to the dimension the file claims (a 2 KB file becomes 17
billion empty cells), stops where an understated dimension says, and loads every shared string whatever its
count. Nor python-calamine: it densifies the range between the corner cells and aborts the process
(tafia/calamine#693). Nor defusedxml's ElementTree: it runs the pure-Python parser, twice as slow, to install
the same guard. openpyxl still tells which number formats are dates and converts Excel's serial dates."""

from __future__ import annotations

import io
import posixpath
import pyexpat
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from datetime import datetime

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel
from openpyxl.utils.exceptions import CellCoordinatesException

from bot.core.grammar import echo
from bot.core.texts.format import format_count
from bot.exports.limits import MIB, Limits, UnreadableFile, size_text

Cell = tuple[int, int, object]  # line, column (A is 1), value
Event = tuple[str, str, Mapping[str, str] | str]  # start|end|text, local name, attributes or text
CHUNK = 64 * 1024  # bytes fed to expat at a time: the events of one chunk are all that is held
MAX_ELEMENTS = 1_500_000  # in one part: 5,000 rows of 64 text cells take about a million
MAX_DEPTH = 64  # elements open at once: SpreadsheetML nests about ten deep
SHEET, VALUES = frozenset({"row", "c", "rPh"}), frozenset({"v", "t", "f"})  # what of a sheet is read
LAST_SERIAL = 2_958_465  # 31/12/9999 as an Excel date
DATE_FORMATS = frozenset(key for key, code in BUILTIN_FORMATS.items() if is_date_format(code))
# What a broken or crafted file makes the zip, the parser or a conversion raise: ValueError also stands for a
# bad number or date, RuntimeError for an encrypted part, NotImplementedError for an unknown compression.
MALFORMED = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, IndexError, ValueError, pyexpat.ExpatError)
MALFORMED += (CellCoordinatesException, RuntimeError, NotImplementedError)


class _Malformed(Exception):
    """Not what a spreadsheet program writes: a DTD, too deep, too many elements, no workbook or no sheet."""


def sheet_cells(content: bytes, filename: str, limits: Limits) -> Iterator[Cell]:
    """Each cell of the first sheet that holds a value, in the sheet's order: text as stored (the caller cleans
    it), numbers in a date format as datetimes, booleans, other numbers. Raises UnreadableFile."""
    try:
        archive = _archive(content, limits)
        sheet, strings_part, styles_part, epoch = _workbook(archive)
        strings = _shared_strings(archive, strings_part, limits) if strings_part else []
        dates = _date_styles(archive, styles_part) if styles_part else []
        line = column = 0
        cell: Mapping[str, str] = {}
        wanted, texts, phonetic = "", [], False  # the element whose text is the cell's value, and that text
        formula: list[str] = []  # a formula's text: the value of a cell whose result the file does not carry
        for event, name, value in _events(archive, sheet, SHEET, texts=VALUES):
            if event == "text":
                if name == wanted and not phonetic:
                    texts.append(value)
                elif name == "f":
                    formula.append(value)
            elif name == "rPh":  # the phonetic guide of an inline string is not its text
                phonetic = event == "start"
            elif event == "start" and name == "row":
                line, column = int(value.get("r") or line + 1), 0
            elif event == "start" and name == "c":
                cell, wanted, texts, formula = value, "t" if value.get("t") == "inlineStr" else "v", [], []
            elif event == "end" and name == "c":
                reference = cell.get("r")
                column = column_index_from_string(coordinate_from_string(reference)[0]) if reference else column + 1
                if texts and (found := _value(cell, "".join(texts), strings, dates, epoch)) is not None:
                    yield line, column, found
                elif not texts and formula:  # as openpyxl reads it: the formula, so the row is told, not lost
                    yield line, column, "=" + "".join(formula)
                wanted = ""
    except (_Malformed, *MALFORMED):
        raise UnreadableFile("import.bad_file", name=echo(filename)) from None


def _archive(content: bytes, limits: Limits) -> zipfile.ZipFile:
    """The zip, its directory checked against the limits before any part is unpacked."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    members = archive.infolist()
    if len(members) > limits.parts:
        raise UnreadableFile("import.too_many_parts", count=format_count(len(members)), limit=limits.parts)
    for member in members:
        part = echo(member.filename)
        if member.file_size > limits.part_bytes:
            size, limit = size_text(member.file_size), size_text(limits.part_bytes)
            raise UnreadableFile("import.part_too_big", part=part, size=size, limit=limit)
        if member.file_size > MIB and member.file_size > limits.ratio * member.compress_size:
            ratio = format_count(member.file_size // max(member.compress_size, 1))
            raise UnreadableFile("import.packed_too_tight", part=part, ratio=ratio, limit=limits.ratio)
    if (total := sum(member.file_size for member in members)) > limits.unpacked_bytes:
        raise UnreadableFile("import.unpacked_too_big", size=size_text(total), limit=size_text(limits.unpacked_bytes))
    return archive


def _local(name: str) -> str:
    """A name without its namespace (transitional and strict OOXML alike)."""
    return name.rpartition("}")[2]


def _refuse_dtd(*_: object) -> None:
    raise _Malformed("DTD")


def _events(
    archive: zipfile.ZipFile, part: str, starts: frozenset[str], texts: frozenset[str] = frozenset()
) -> Iterator[Event]:
    """A part's XML as events, parsed chunk by chunk: the start and end of the elements named in `starts`, and
    the text of those named in `texts` (named so). A DTD, nesting deeper than MAX_DEPTH or more than MAX_ELEMENTS
    elements is refused as it comes."""
    parser = pyexpat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    events: list[Event] = []
    names: list[str] = []  # the elements open, innermost last
    elements = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal elements
        elements += 1
        names.append(local := _local(name))
        if len(names) > MAX_DEPTH or elements > MAX_ELEMENTS:
            raise _Malformed(part)
        if local in starts:
            events.append(("start", local, attributes))

    def end(_: str) -> None:
        if (local := names.pop()) in starts:
            events.append(("end", local, ""))

    def text(content: str) -> None:
        if names and names[-1] in texts:
            events.append(("text", names[-1], content))

    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
            yield from events
            events.clear()
        parser.Parse(b"", True)
        yield from events


def _relations(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[str | None, str, str]]:
    """(id, type's last word, member) of a part's relationships within the package ('' for the package's own)."""
    folder = posixpath.dirname(part)
    rels = posixpath.join(folder, "_rels", posixpath.basename(part) + ".rels")
    for event, name, value in _events(archive, rels, frozenset({"Relationship"})):
        if event == "start" and name == "Relationship" and value.get("TargetMode") != "External":
            target = value.get("Target") or ""
            member = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            yield value.get("Id"), (value.get("Type") or "").rpartition("/")[2], member


def _workbook(archive: zipfile.ZipFile) -> tuple[str, str | None, str | None, datetime]:
    """The first sheet's part, the shared strings' and the styles' (if any), and the day dates count from."""
    workbook = next((member for _, kind, member in _relations(archive, "") if kind == "officeDocument"), None)
    if workbook is None:
        raise _Malformed("no workbook")
    first, epoch = None, WINDOWS_EPOCH
    for event, name, value in _events(archive, workbook, frozenset({"workbookPr", "sheet"})):
        if event == "start" and name == "workbookPr" and value.get("date1904") in ("1", "true"):
            epoch = MAC_EPOCH  # some workbooks made on a Mac
        elif event == "start" and name == "sheet":
            first = next((v for key, v in value.items() if "}" in key and _local(key) == "id"), None)
            break
    sheet = strings = styles = None
    for rid, kind, member in _relations(archive, workbook):
        if rid == first:
            sheet = member
        elif kind == "sharedStrings":
            strings = member
        elif kind == "styles":
            styles = member
    if sheet is None:
        raise _Malformed("no sheet")
    return sheet, strings, styles, epoch


def _shared_strings(archive: zipfile.ZipFile, part: str, limits: Limits) -> list[str]:
    """The shared strings, each its text runs without the phonetic guide; no more of them than cells allowed."""
    strings: list[str] = []
    texts: list[str] = []
    phonetic = False
    for event, name, value in _events(archive, part, frozenset({"si", "rPh"}), texts=frozenset({"t"})):
        if event == "text":
            if not phonetic:
                texts.append(value)
        elif name == "rPh":
            phonetic = event == "start"
        elif event == "end" and name == "si":
            strings.append("".join(texts))
            texts.clear()
            if len(strings) > limits.cells:
                raise UnreadableFile("import.too_many_cells", limit=format_count(limits.cells))
    return strings


def _date_styles(archive: zipfile.ZipFile, part: str) -> list[bool]:
    """For each cell style (by its index among the cellXfs), whether its number format shows a date."""
    formats: dict[int, bool] = {}
    styles: list[bool] = []
    section = ""
    for event, name, value in _events(archive, part, frozenset({"numFmts", "numFmt", "cellXfs", "xf"})):
        if name in ("numFmts", "cellXfs"):
            section = name if event == "start" else ""
        elif event == "start" and name == "numFmt" and section == "numFmts":
            formats[int(value.get("numFmtId") or 0)] = is_date_format(value.get("formatCode") or "")
        elif event == "start" and name == "xf" and section == "cellXfs":
            number_format = int(value.get("numFmtId") or 0)
            styles.append(formats.get(number_format, number_format in DATE_FORMATS))
    return styles


def _value(cell: Mapping[str, str], content: str, strings: list[str], dates: list[bool], epoch: datetime) -> object:
    """A cell's value from its attributes and its text (a formula's cached result)."""
    kind = cell.get("t", "n")
    if kind == "s":
        if not content.strip().isdigit():  # int() would take "-1", the last string
            raise _Malformed("shared string index")
        return strings[int(content)]
    if kind == "b":
        return content.strip() in ("1", "true")
    if kind == "d":  # a date in ISO form (Excel itself writes serial numbers)
        return datetime.fromisoformat(content.strip())
    if kind in ("str", "e", "inlineStr"):
        return content
    number = float(content) if any(c in content for c in ".eE") else int(content)
    style = int(cell.get("s") or 0)
    if style < len(dates) and dates[style] and 0 <= number <= LAST_SERIAL:
        return from_excel(number, epoch)
    return number
