"""The drafted report: the administrative layout of Nghị định 30/2020, the three sections, and the same figures."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace

import pytest
from docx import Document
from docx.shared import Pt

from bot.config import load_config
from bot.exports.document import draft_report
from tests.conftest import ROOT
from tests.exports import convert, log_a_year, year_data

BINH_LU = load_config(ROOT / "config.example.toml").communes[0].report_document.to_document()


def all_text(document) -> str:
    """Every paragraph, in the body and in table cells, one a line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return "\n".join(lines)


def rows(table) -> list[list[str]]:
    """A table's cells' text, row by row."""
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture
async def drafted(service, clock):
    await log_a_year(service, clock)
    data = await year_data(service)
    return data, Document(io.BytesIO(draft_report(data, BINH_LU, "năm 2026")))


async def test_the_page_is_a4_in_times_new_roman_with_the_decrees_margins(drafted):
    _, document = drafted
    section = document.sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    sizes += [section.left_margin, section.right_margin]
    assert [round(size.mm) for size in sizes] == [210, 297, 20, 20, 30, 15], "A4; 20-25, 20-25, 30-35, 15-20 mm"
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))
    assert section.different_first_page_header_footer, "no page number on the first page"


async def test_the_letterhead_title_and_signature_follow_the_decree(drafted):
    _, document = drafted
    letterhead = rows(document.tables[0])
    assert letterhead[0][0] == "ỦY BAN NHÂN DÂN\nXÃ BÌNH LƯ\n", "no superior body above a commune's committee"
    assert letterhead[0][1] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    assert letterhead[1] == ["Số:        /BC-UBND", "Bình Lư, ngày      tháng      năm 2026"]
    body = [p.text for p in document.paragraphs if p.text]
    assert body[0] == "BÁO CÁO"
    assert (
        body[1] == "Kết quả thực hiện Kế hoạch số 641/KH-UBND ngày 10/04/2026 của Ủy ban nhân dân xã Bình Lư năm 2026"
    )
    assert "Kính gửi: Sở Nội vụ tỉnh Lai Châu." in body
    signature = rows(document.tables[-1])[0]
    assert signature[0].startswith("Nơi nhận:\n- Như trên;") and signature[0].endswith("- Lưu: VT, VHXH.")
    assert re.fullmatch(r"TM\. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nTrần Thanh Tuấn", signature[1])


async def test_the_sections_carry_the_figures_and_what_departments_wrote(drafted):
    data, document = drafted
    body = [p.text for p in document.paragraphs if p.text]
    headings = [line for line in body if re.match(r"^(I|II|III)\. ", line)]
    assert headings == ["I. KẾT QUẢ THỰC HIỆN", "II. KHÓ KHĂN, VƯỚNG MẮC", "III. ĐỀ XUẤT, KIẾN NGHỊ"]
    targets = rows(document.tables[1])
    assert targets[0] == ["TT", "Chỉ tiêu", "Kế hoạch", "Kỳ này", "Cùng kỳ năm trước", "Đánh giá"]
    assert targets[1][2:] == ["Tối đa 108 (giảm ≥10% so với 120 năm 2025)", "4 cuộc", "1 cuộc", "Đúng tiến độ"]
    assert targets[2][2:] == ["≥60%", "50,0% (2/4)", "100,0% (1/1)", "Chưa đạt"]
    assert targets[5][2:4] == ["≥95%", "95,9% (70/73)"]
    departments = {row[1]: row for row in rows(document.tables[2])}
    assert departments["Phòng Văn hóa – Xã hội"][2:] == ["3", "2", "3", "1", "chưa có số liệu", "1/1"]
    assert "Ngoài ra, có 1 văn bản mật (không tính vào tỷ lệ văn bản điện tử)." in body
    assert any(
        line.startswith("Trong kỳ có 1 nhiệm vụ đến hạn, hoàn thành đúng hạn 1 nhiệm vụ (100,0%)") for line in body
    )
    assert any(
        line.startswith("Báo cáo 6 tháng 2026 (hạn 31/05/2026): 2/4 bộ phận đã nộp, 1 nộp đúng hạn") for line in body
    )
    assert "- Phòng Kinh tế (Báo cáo 6 tháng 2026): Đường truyền internet yếu; chữ ký số hết hạn." in body
    assert body[-1].endswith("của Ủy ban nhân dân xã Bình Lư./.")


async def test_nothing_of_binh_lu_is_written_but_what_the_settings_say(service):
    data = await year_data(service)
    settings = replace(
        BINH_LU,
        **{
            "superior": "UBND TỈNH LAI CHÂU",  # not a commune's (it has none), but one with a superior is drafted too
            "issuer": ("ỦY BAN NHÂN DÂN", "XÃ TÂN UYÊN"),
            "body": "Ủy ban nhân dân xã Tân Uyên",
            "place": "Tân Uyên",
            "plan_number": "12/KH-UBND",
            "addressees": ("Ủy ban nhân dân tỉnh Lai Châu", "Sở Nội vụ tỉnh Lai Châu"),
            "signer_name": "Nguyễn Văn A",
            "recipients": ("Như trên;", "Lưu: VT."),
        },
    )
    document = Document(io.BytesIO(draft_report(data, settings, "6 tháng đầu năm 2026")))
    content = all_text(document)
    assert "Bình Lư" not in content and "641" not in content
    assert rows(document.tables[0])[0][0] == "UBND TỈNH LAI CHÂU\nỦY BAN NHÂN DÂN\nXÃ TÂN UYÊN\n"
    assert "Kính gửi:\n- Ủy ban nhân dân tỉnh Lai Châu;\n- Sở Nội vụ tỉnh Lai Châu." in content
    assert "Tân Uyên, ngày" in content and "Nguyễn Văn A" in content
    assert "Các phòng, ban, đơn vị chưa phản ánh khó khăn, vướng mắc khi nộp báo cáo." in content


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed to lay the page out"
)
async def test_a_word_processor_lays_it_out_on_a4_pages(drafted, tmp_path):
    data, _ = drafted
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(draft_report(data, BINH_LU, "năm 2026"))
    pdf = (await convert(source, "pdf", tmp_path)).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.?\d* 841\.?\d*", pdf), "A4: 595 x 842 points"
