"""Importing a file from a document-management system or the public-service portal: good rows once, bad rows
refused with their line and why, the same file twice adding nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.core.periods import year_period
from bot.core.permissions import Role
from bot.exports.importer import UnreadableFile, read_rows
from bot.figures import target_report
from storage.imports import import_rows
from storage.models.people import Person
from tests.exports import TODAY
from tests.exports.sheets import inline, sheet, workbook
from tests.support.db import inspecting
from tests.support.texts import receipt
from tests.support.users import first_commune, register

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
REFUSED = [
    "Dòng 8: ngày “31/02/2026” không hợp lệ (cần dd/mm/yyyy).",
    "Dòng 9: không có phòng “xyz” (các mã phòng: vp, vhxh, kt, tthcc, cax, qs).",
    "Dòng 10: văn bản mật không ghi số ký hiệu, trích yếu.",
    "Dòng 11: số hồ sơ “ba” không phải số đếm.",
    "Dòng 12: loại “Công văn đến” không rõ (cuộc họp, văn bản hoặc hồ sơ).",
]


def read(service, content: bytes, name: str):
    """The file's rows, checked against the configured departments as of 27/11/2026."""
    departments = {d.code: d.name for d in service.config.communes[0].departments}
    return read_rows(content, name, departments=departments, today=TODAY)


async def store(service, batch):
    """Import as the admin who uploaded the file, committed as the caller will."""
    async with inspecting(service.db) as session:
        person = await session.scalar(select(Person.id).where(Person.full_name == "Người dùng 301"))
        result = await import_rows(session, 1, batch, person_id=person, now=service.clock())
        await session.commit()
    return result


@pytest.mark.parametrize("name", ["import_sample.csv", "import_sample.xlsx"])
async def test_the_sample_imports_its_good_rows_once_and_says_why_the_others_are_refused(service, admin, name):
    batch = read(service, (SAMPLES / name).read_bytes(), name)
    assert [p.reason for p in batch.refused] == REFUSED
    first = await store(service, batch)
    assert (first.read, first.imported, first.present, first.numbered) == (12, (2, 3, 4, 5, 6, 7, 13), (), ())
    assert [p.line for p in first.refused] == [8, 9, 10, 11, 12]
    again = await store(service, read(service, (SAMPLES / name).read_bytes(), name))
    assert again.imported == () and again.present == first.imported
    async with inspecting(service.db, write=False) as session:
        report = await target_report(session, first_commune(service), year_period(2026), None, TODAY)
    assert (report.line("meetings").count, report.line("online").part) == (3, 2)
    assert (report.line("documents").count, report.line("electronic").part, report.secret_documents) == (3, 1, 1)
    assert (report.line("dossiers").part, report.line("dossiers").whole) == (45, 47)


async def test_the_same_rows_from_the_other_format_add_nothing(service, admin):
    await store(service, read(service, (SAMPLES / "import_sample.csv").read_bytes(), "import_sample.csv"))
    result = await store(service, read(service, (SAMPLES / "import_sample.xlsx").read_bytes(), "x.xlsx"))
    assert result.imported == () and len(result.present) == 7


async def test_a_document_already_logged_in_chat_is_not_imported_again(service, admin):
    focal = await register(service, "102", Role.FOCAL, "vp")
    assert receipt() in await focal.say("/vanban dientu 06/03/2026 15/kh-ubnd Kế hoạch cải cách hành chính")
    csv = "Số ký hiệu,Ngày ban hành,Trích yếu,Đơn vị,Hình thức\n15/KH-UBND,06/03/2026,Kế hoạch,vp,Điện tử\n"
    result = await store(service, read(service, csv.encode(), "vbdh.csv"))
    assert (result.imported, result.present, result.numbered) == ((), (), (2,))


def test_a_document_system_export_needs_no_kind_column(service):
    csv = (
        "So ky hieu,Ngay ban hanh,Trich yeu,Don vi,Hinh thuc\n"
        "20/QĐ-UBND,2026-03-02 08:15,Quyết định thành lập tổ công tác,Văn phòng HĐND và UBND xã,Dien tu\n"
        "21/QĐ-UBND,03/03/2026,Quyết định khen thưởng,vp,\n"
    )
    batch = read(service, csv.encode(), "vbdh.csv")
    [row] = batch.rows
    assert (row.kind, row.department, row.document_kind, row.number, row.occurred_on.isoformat()) == (
        "document",
        "vp",
        "electronic",
        "20/QĐ-UBND",
        "2026-03-02",
    )
    assert [p.reason for p in batch.refused] == ["Dòng 3: hình thức văn bản “” không rõ (điện tử, giấy hoặc mật)."]


@pytest.mark.parametrize(
    "row,reason",
    [
        ("Họp;28/11/2026;vp;Trực tuyến;;", "ngày 28/11/2026 chưa tới"),
        ("Họp;31/12/2024;vp;Trực tuyến;;", "ngày 31/12/2024 quá xa (chỉ nhận từ năm 2025)"),
        ("Họp;;vp;Trực tuyến;;", "thiếu ngày"),
        ("Họp;01/11/2026;;Trực tuyến;;", "thiếu phòng"),
        ("Họp;01/11/2026;vp;Hội nghị;;", "hình thức họp “Hội nghị” không rõ (trực tuyến hoặc trực tiếp)"),
        ("Hồ sơ;01/11/2026;tthcc;;0;0", "không có hồ sơ nào (trực tuyến và trực tiếp đều bằng 0)"),
        ("Hồ sơ;01/11/2026;tthcc;;2,5;1", "số hồ sơ “2,5” không phải số đếm"),
        ("Hồ sơ;01/11/2026;tthcc;;100001;0", "số hồ sơ 100.001 quá lớn (tối đa 100.000)"),
    ],
)
def test_each_bad_row_is_refused_with_its_line_and_why(service, row, reason):
    csv = f"Loại;Ngày;Phòng;Hình thức;Trực tuyến;Trực tiếp\nHọp;01/11/2026;vp;Trực tiếp;;\n{row}\n"
    batch = read(service, csv.encode(), "x.csv")
    assert len(batch.rows) == 1 and [p.reason for p in batch.refused] == [f"Dòng 3: {reason}."]


@pytest.mark.parametrize(
    "content,name,message",
    [
        (
            b"Ngay;Loai\n01/11/2026;Hop\n",
            "x.csv",
            "Thiếu cột “Phòng”: tệp cần có cột Ngày và cột Phòng (hoặc Mã phòng).",
        ),
        ("Ngày;Phòng\n".encode("utf-16"), "x.csv", "Tệp CSV phải được lưu với bảng mã UTF-8."),
        (b"not a workbook", "x.xlsx", "Không đọc được tệp “x.xlsx”: tệp hỏng hoặc không đúng định dạng."),
        (b"", "x.csv", "Tệp không có dòng tiêu đề."),
        (
            b"Ngay,Phong\n" + b"01/11/2026,vp\n" * 5001,
            "x.csv",
            "Tệp có hơn 5.000 dòng số liệu; mỗi lần nhập tối đa 5.000 dòng, hãy chia nhỏ tệp.",
        ),
        (b"Ngay,Phong\n" + b"x" * 200_000, "x.csv", "Dòng 2 có ô dài quá 32.767 ký tự."),
        (b"%PDF-1.4", "x.pdf", "Chỉ nhận tệp .xlsx hoặc .csv."),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(service, content, name, message):
    with pytest.raises(UnreadableFile) as refused:
        read(service, content, name)
    assert str(refused.value) == message


def test_five_thousand_rows_and_blank_lines_between_them_are_read():
    csv = "Ngay,Phong\n\n" + "01/11/2026,vp\n,\n" * 5000
    assert read_rows(csv.encode(), "x.csv", departments={"vp": "Văn phòng"}, today=TODAY).read == 5000


async def test_rows_alike_but_in_one_field_are_each_a_record(service, admin):
    csv = (
        "Loại;Ngày;Phòng;Hình thức;Trích yếu;Trực tuyến;Trực tiếp\n"
        "Hồ sơ;02/11/2026;tthcc;;;40;2\n"
        "Hồ sơ;02/11/2026;tthcc;;;5;0\n"  # the same day and department, other counts: a second tally
        "Họp;03/11/2026;vp;Trực tuyến;Giao ban;;\n"
        "Họp;03/11/2026;vp;Trực tiếp;Giao ban;;\n"  # the same meeting's title, held otherwise
    )
    first = await store(service, read(service, csv.encode(), "x.csv"))
    assert (first.read, first.imported, first.present) == (4, (2, 3, 4, 5), ())
    again = await store(service, read(service, csv.encode(), "x.csv"))
    assert (again.imported, again.present) == ((), (2, 3, 4, 5))


async def test_the_nth_row_alike_in_every_field_is_the_nth_record(service, admin):
    header, row = "Loại;Ngày;Phòng;Trực tuyến;Trực tiếp\n", "Hồ sơ;02/11/2026;tthcc;3;1\n"
    first = await store(service, read(service, (header + row * 2).encode(), "x.csv"))
    assert first.imported == (2, 3), "two tallies alike are two tallies, as two /hoso would be"
    third = await store(service, read(service, (header + row * 3).encode(), "x.csv"))
    assert (third.imported, third.present) == ((4,), (2, 3))


async def test_a_number_given_twice_in_a_file_is_one_document(service, admin):
    csv = (
        "Số ký hiệu;Ngày ban hành;Trích yếu;Đơn vị;Hình thức\n"
        "15/KH-UBND;06/03/2026;Kế hoạch;vp;Điện tử\n"
        "15/KH-UBND;06/03/2026;Kế hoạch;vp;Điện tử\n"
        "15/kh-ubnd;09/03/2026;Kế hoạch (sửa);vp;Điện tử\n"
    )
    result = await store(service, read(service, csv.encode(), "x.csv"))
    assert (result.imported, result.present, result.numbered) == ((2,), (3,), (4,))


async def test_the_whole_sheet_is_imported_whatever_its_dimension_says(service, admin):
    rows = [
        f'<row r="{n}">{inline(f"A{n}", "Họp")}{inline(f"B{n}", f"{n:02}/11/2026")}{inline(f"C{n}", "vp")}'
        f"{inline(f'D{n}', 'Trực tuyến')}</row>"
        for n in range(2, 12)
    ]
    header = "".join(
        inline(f"{c}1", name) for c, name in zip("ABCD", ["Loại", "Ngày", "Phòng", "Hình thức"], strict=True)
    )
    content = workbook(sheet([f'<row r="1">{header}</row>', *rows], dimension="A1:D2"))
    result = await store(service, read(service, content, "x.xlsx"))
    assert (result.read, result.imported) == (10, tuple(range(2, 12)))


async def test_text_from_a_file_is_stored_clean(service, admin):
    csv = "Loại;Ngày;Phòng;Hình thức;Trích yếu\nHọp;03/11/2026;vp;Trực tuyến;Giao ban\x01\u202e tuần\r\n"
    batch = read(service, csv.encode(), "x.csv")
    assert [row.summary for row in batch.rows] == ["Giao ban tuần"]
