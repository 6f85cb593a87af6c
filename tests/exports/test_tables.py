"""Reading an uploaded table within hard limits: a hostile file is refused, naming the limit, before it expands
(proved in a subprocess whose address space is capped), and an ordinary workbook reads as openpyxl reads it."""

from __future__ import annotations

import io
import subprocess
import sys
import unicodedata
import zipfile
from datetime import date, datetime, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from bot.core.texts.format import format_count
from bot.exports.limits import Limits, UnreadableFile, size_text
from bot.exports.tables import read_table
from tests.conftest import ROOT
from tests.exports.sheets import HEADER, MAIN, bomb_corner, bomb_strings, inline, sheet, workbook

CAP = 300 << 20  # the reader's address space in the subprocess: importing it takes about 200 MB of it
CAPPED_READ = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
from datetime import date
from bot.exports.importer import UnreadableFile, read_rows
content = open(sys.argv[1], "rb").read()
try:
    batch = read_rows(content, "bom.xlsx", departments={{"vp": "Văn phòng"}}, today=date(2026, 11, 27))
    print("read", batch.read)
except UnreadableFile as refusal:
    print(refusal)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr)
"""


def bomb_lying_directory() -> bytes:
    """A sheet of 64 MiB whose zip directory says it unpacks to 4 KiB."""
    content = bytearray(workbook(sheet([HEADER, "<row/>" * ((64 << 20) // 6)])))
    directory = content.rfind(b"PK\x01\x02", 0, content.rfind(b"xl/worksheets/sheet1.xml"))
    content[directory + 24 : directory + 28] = (4096).to_bytes(4, "little")
    return bytes(content)


@pytest.mark.parametrize(
    "build,answer",
    [
        (bomb_corner, "Dòng 1.048.576 có số liệu ở cột XFD; bot chỉ đọc 64 cột đầu (A đến BL)."),
        (bomb_strings, "Phần “xl/sharedStrings.xml” của tệp .xlsx giải nén ra 320 MB (tối đa 16 MB mỗi phần)."),
        (bomb_lying_directory, "Không đọc được tệp “bom.xlsx”: tệp hỏng hoặc không đúng định dạng."),
    ],
)
def test_a_bomb_is_refused_before_it_expands(tmp_path, build, answer):
    bomb = tmp_path / "bom.xlsx"
    bomb.write_bytes(build())
    code = CAPPED_READ.format(cap=CAP)
    run = subprocess.run([sys.executable, "-c", code, str(bomb)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert (run.returncode, run.stdout.strip()) == (0, answer), run.stderr


def test_a_far_cell_within_the_columns_is_read_without_padding_the_rows_between():
    far = '<row r="1048576"><c r="BL1048576"><v>7</v></c></row>'
    rows = read_table(workbook(sheet([HEADER, far], dimension="A1:BL1048576")), "x.xlsx")
    assert [(line, len(cells)) for line, cells in rows] == [(1, 2), (1048576, 64)]


def test_the_whole_sheet_is_read_whatever_its_dimension_says():
    data = [f'<row r="{n}">{inline(f"A{n}", "01/11/2026")}{inline(f"B{n}", "vp")}</row>' for n in range(2, 12)]
    rows = read_table(workbook(sheet([HEADER, *data], dimension="A1:B2")), "x.xlsx")
    assert [line for line, _ in rows] == list(range(1, 12))


def test_text_is_cleaned_and_cells_of_spaces_hold_nothing():
    row = (
        '<row r="2">'
        + inline("A2", "Ho\u0323p\x85 giao ban\u202e")
        + inline("B2", "   ")
        + inline("C2", "vp")
        + "</row>"
    )
    assert read_table(workbook(sheet([HEADER, row])), "x.xlsx")[1] == (2, ("Họp giao ban", None, "vp"))


def test_a_rich_string_reads_as_its_runs_without_its_phonetic_guide():
    rich = b"<si><r><t>H\xe1\xbb\x8dp </t></r><r><rPr><b/></rPr><t>giao ban</t></r><rPh><t>HOP</t></rPh></si>"
    runs = '<c r="B2" t="inlineStr"><is><r><t>v</t></r><r><t>p</t></r></is></c>'
    row = f'<row r="2"><c r="A2" t="s"><v>0</v></c>{runs}</row>'
    assert read_table(workbook(sheet([HEADER, row]), [rich]), "x.xlsx")[1] == (2, ("Họp giao ban", "vp"))


def strings_of(*values: str) -> list[bytes]:
    return [f"<si><t>{value}</t></si>".encode() for value in values]


SMALL = Limits(rows=2, columns=3, cells=8, cell_chars=10, parts=6, part_bytes=2 << 10, unpacked_bytes=5 << 9)


@pytest.mark.parametrize(
    "content,name,answer",
    [
        (b"a" * (25 << 19), "x.csv", "Tệp nặng 12,5 MB; mỗi lần nhập tối đa 10 MB, hãy chia nhỏ tệp."),
        (
            b"Ngay,Phong\n1,2\n3,4\n5,6\n",
            "x.csv",
            "Tệp có hơn 2 dòng số liệu; mỗi lần nhập tối đa 2 dòng, hãy chia nhỏ tệp.",
        ),
        (b"Ngay,Phong\n1,2,,x\n", "x.csv", "Dòng 2 có số liệu ở cột D; bot chỉ đọc 3 cột đầu (A đến C)."),
        (b"a,b,c\na,b,c\na,b,c\n", "x.csv", "Tệp có hơn 8 ô có số liệu; mỗi lần nhập tối đa 8 ô, hãy chia nhỏ tệp."),
        (b"Ngay,Phong\n12345678901,2\n", "x.csv", "Dòng 2 có ô dài quá 10 ký tự."),
        (b"Ngay,Phong\n" + b"x" * 200_000, "x.csv", "Dòng 2 có ô dài quá 10 ký tự."),  # past the csv module's own
        (b"Ngay,Phong\n1,2\n3\x004\n", "x.csv", "Tệp CSV có ký tự NUL ở dòng 3: hãy lưu lại tệp dạng CSV UTF-8."),
        ("Ngay,Phong\n".encode("utf-16-le"), "x.csv", "Tệp CSV có ký tự NUL ở dòng 1: hãy lưu lại tệp dạng CSV UTF-8."),
        (b"Ngay,Phong\n\xed\xa0\x80,vp\n", "x.csv", "Tệp CSV phải được lưu với bảng mã UTF-8."),  # a lone surrogate
        (
            workbook(sheet([]), **{f"x{n}": "" for n in range(5)}),
            "x.xlsx",
            "Tệp .xlsx gồm 11 phần (tối đa 6): không phải bảng tính thông thường.",
        ),
        (
            workbook(sheet(["<row/>" * 400])),
            "x.xlsx",
            "Phần “xl/worksheets/sheet1.xml” của tệp .xlsx giải nén ra 2,5 KB (tối đa 2 KB mỗi phần).",
        ),
        (
            workbook(sheet([HEADER]), strings_of("x" * 900) * 2),
            "x.xlsx",
            "Tệp .xlsx giải nén ra 3,6 KB (tối đa 2,5 KB), hãy chia nhỏ tệp.",
        ),
        (
            workbook(sheet([HEADER]), strings_of(*"abcdefghi")),
            "x.xlsx",
            "Tệp có hơn 8 ô có số liệu; mỗi lần nhập tối đa 8 ô, hãy chia nhỏ tệp.",
        ),
        (b"%PDF-1.4", "x.pdf", "Chỉ nhận tệp .xlsx hoặc .csv."),
    ],
)
def test_a_file_over_a_limit_is_refused_naming_it(content, name, answer):
    with pytest.raises(UnreadableFile) as refused:
        read_table(content, name, SMALL if len(content) < 10_000_000 else Limits())
    assert str(refused.value) == answer


def test_a_part_packed_far_tighter_than_any_sheet_is_refused():
    content = workbook(sheet([HEADER, "<row/>" * 400_000]))
    with pytest.raises(UnreadableFile) as refused:
        read_table(content, "x.xlsx")
    assert str(refused.value).startswith("Phần “xl/worksheets/sheet1.xml” của tệp .xlsx nén gấp ")
    assert str(refused.value).endswith(" lần (tối đa 100): tệp bất thường.")


@pytest.mark.parametrize(
    "part",
    [
        sheet(["<row>" + "<a>" * 100 + "</a>" * 100 + "</row>"]),  # nested past any sheet
        f'<worksheet xmlns="{MAIN}"><sheetData><row>',  # cut short
        sheet(['<row r="2"><c r="2A"><v>1</v></c></row>']),  # a cell reference that is none
        sheet(['<row r="2"><c r="A2" t="s"><v>1</v></c></row>']),  # a shared string that is not there
        sheet(['<row r="2"><c r="A2" t="s"><v>-1</v></c></row>']),  # nor is this one (not the last)
        '<!DOCTYPE worksheet [<!ENTITY vp "vp">]>' + sheet([f'<row r="2">{inline("A2", "&vp;")}</row>']),  # a DTD
    ],
)
def test_a_broken_sheet_is_refused_as_broken(part):
    with pytest.raises(UnreadableFile) as refused:
        read_table(workbook(part, strings_of("vp")), "hong.xlsx")
    assert str(refused.value) == "Không đọc được tệp “hong.xlsx”: tệp hỏng hoặc không đúng định dạng."


def whole_seconds(moment: time) -> time:
    return moment.replace(microsecond=0)


# What a spreadsheet holds and openpyxl writes: text as the reader stores it (NFC, no control or format
# characters, not only spaces), numbers, booleans, dates and times to the second, and empty cells.
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp")), max_size=12)
CELLS = st.one_of(
    st.none(),
    TEXT.map(lambda value: unicodedata.normalize("NFC", value)).filter(str.strip),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    st.builds(datetime.combine, st.dates(date(2000, 1, 1), date(2099, 12, 31)), st.times().map(whole_seconds)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELLS, max_size=6), max_size=6), st.booleans())
def test_a_workbook_reads_as_openpyxl_reads_it(table, mac):
    book = Workbook()
    book.epoch = CALENDAR_MAC_1904 if mac else CALENDAR_WINDOWS_1900
    for row in table:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    expected = []
    for line, row in enumerate(load_workbook(buffer).active.iter_rows(values_only=True), start=1):
        if held := [column for column, value in enumerate(row) if value is not None]:
            expected.append((line, row[: held[-1] + 1]))
    assert read_table(buffer.getvalue(), "x.xlsx") == expected


def test_a_zip_that_is_no_workbook_is_refused_as_broken():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(UnreadableFile):
        read_table(buffer.getvalue(), "x.xlsx")


def test_the_samples_readme_states_the_limits_in_force():
    readme = (ROOT / "samples" / "README.md").read_text(encoding="utf-8")
    limits = Limits()
    stated = [size_text(limits.file_bytes), format_count(limits.rows), f"{limits.columns} (A đến BL)"]
    stated += [format_count(limits.cells), f"{format_count(limits.cell_chars)} ký tự", f"{limits.parts} phần"]
    stated += [f"{size_text(limits.part_bytes)}; {size_text(limits.unpacked_bytes)}"]
    assert [value for value in stated if value not in readme] == []


def test_a_formula_without_its_result_is_read_as_its_formula_not_lost():
    # openpyxl saves the text "=0" as a formula with an empty result; found by Hypothesis in the test above.
    book = Workbook()
    book.active.append(["=0", "=A1+1"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_table(buffer.getvalue(), "x.xlsx") == [(1, ("=0", "=A1+1"))]
    cached = sheet(['<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>'])
    assert read_table(workbook(cached), "x.xlsx") == [(1, (2,))], "a result the file carries is the value"
