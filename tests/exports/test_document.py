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
from tests.exports import KT_NOTE, convert, log_a_year, report_data, year_data

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


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


@pytest.fixture
async def drafted(service, clock):
    await log_a_year(service, clock)
    data = await report_data(service, "6thang")
    return data, Document(io.BytesIO(draft_report(data, BINH_LU, "6 tháng đầu năm 2026")))


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
    body = paragraphs(document)
    assert body[0] == "BÁO CÁO"
    assert body[1] == (
        "Kết quả thực hiện Kế hoạch số 641/KH-UBND ngày 10/4/2026 của Ủy ban nhân dân xã Bình Lư 6 tháng đầu năm 2026"
    ), "as offices title it, dates as the plan writes them"
    assert body[2] == "(Số liệu từ ngày 15/12/2025 đến ngày 14/5/2026)"
    assert "Kính gửi: Sở Nội vụ tỉnh Lai Châu." in body
    signature = rows(document.tables[-1])[0]
    assert signature[0].startswith("Nơi nhận:\n- Như trên;") and signature[0].endswith("- Lưu: VT, VHXH.")
    assert re.fullmatch(r"TM\. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nTrần Thanh Tuấn", signature[1])


async def test_the_sections_follow_the_plan_with_what_each_department_wrote(drafted):
    _, document = drafted
    body = paragraphs(document)
    headings = [line for line in body if re.match(r"^(I|II|III)\. ", line)]
    assert headings == ["I. KẾT QUẢ THỰC HIỆN", "II. KHÓ KHĂN, VƯỚNG MẮC", "III. ĐỀ XUẤT, KIẾN NGHỊ"]
    numbered = [line for line in body[: body.index("II. KHÓ KHĂN, VƯỚNG MẮC")] if re.match(r"^\d\. ", line)]
    assert numbered == [
        "1. Tuyên truyền, quán triệt",
        "2. Chấn chỉnh lề lối làm việc, nâng cao trách nhiệm công vụ",
        "3. Đổi mới công tác soạn thảo, ban hành văn bản",
        "4. Đổi mới chế độ hội họp",
        "5. Đẩy mạnh cải cách hành chính, chuyển đổi số",
        "6. Kết quả thực hiện các chỉ tiêu của Kế hoạch",
        "7. Số liệu của từng phòng, ban, đơn vị",
    ], "the plan's task groups (II.6 has no answer yet), then the targets"

    def under(heading: str) -> list[str]:
        start = body.index(heading) + 1
        return body[start : next(i for i in range(start, len(body)) if re.match(r"^(\d|I|II|III)\. ", body[i]))]

    assert under("1. Tuyên truyền, quán triệt") == [
        "- Phòng Văn hóa – Xã hội: Tổ chức 3 hội nghị quán triệt Kết luận số 226-KL/TW cho toàn thể cán bộ, công chức."
    ]
    meetings = under("4. Đổi mới chế độ hội họp")
    assert meetings[0].startswith("Số cuộc họp, hội nghị tổ chức trong kỳ: 4 cuộc; mức tối đa trong kỳ 44 cuộc")
    assert meetings[1:] == [
        "- Phòng Kinh tế: Chuyển 2 cuộc họp giao ban sang hình thức trực tuyến.",
        "- Không đọc lại báo cáo đã gửi trước.",
    ]
    assert under("II. KHÓ KHĂN, VƯỚNG MẮC") == [
        "- Phòng Văn hóa – Xã hội: Thiếu thiết bị họp trực tuyến ở các thôn xa.",
        "- Phòng Kinh tế: Đường truyền internet yếu; chữ ký số hết hạn.",
    ]
    assert body[body.index("III. ĐỀ XUẤT, KIẾN NGHỊ") + 1] == (
        "- Phòng Văn hóa – Xã hội: Đề nghị UBND tỉnh hỗ trợ thiết bị họp trực tuyến cho 12 thôn."
    )
    assert KT_NOTE not in all_text(document), "a delivery note is no difficulty"
    assert body[-1].endswith("6 tháng đầu năm 2026 của Ủy ban nhân dân xã Bình Lư./.")


async def test_the_targets_have_a_verdict_and_last_year_of_record(drafted):
    _, document = drafted
    targets = rows(document.tables[1])
    assert targets[0] == ["TT", "Chỉ tiêu", "Kế hoạch", "Kỳ này", "Cùng kỳ năm trước", "Đánh giá"]
    # The bot's own 2025 is one meeting logged in March: its records do not cover last year's half, so it says so.
    assert targets[1][2:] == [
        "Tối đa 44 trong kỳ (cả năm 108: giảm ≥10% so với 120 năm 2025)",
        "4 cuộc",
        "Chưa đủ số liệu",
        "Đạt",
    ]
    assert targets[2][2:] == ["≥60%", "50,0% (2/4)", "Chưa đủ số liệu", "Không đạt"]
    assert targets[5][2:] == ["≥95%", "95,9% (70/73)", "Chưa đủ số liệu", "Đạt"]
    assert not {row[-1] for row in targets[1:]} & {"Đúng tiến độ", "Chưa đạt"}, "a closed period is never a pace"
    body = paragraphs(document)
    verdicts = body[body.index("Đánh giá chung:") + 1 :][:5]
    assert verdicts == [
        "- Giảm tối thiểu 10% số lượng cuộc họp so với năm trước: Đạt.",
        "- Tỷ lệ hội nghị, cuộc họp trực tuyến đạt từ 60% trở lên: Không đạt.",
        "- Giảm tối thiểu 15% số lượng văn bản hành chính ban hành: Đạt.",
        "- 100% văn bản hành chính (trừ văn bản mật) được trao đổi, xử lý dưới dạng điện tử: Không đạt.",
        "- Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trên môi trường số đạt từ 95% trở lên: Đạt.",
    ]
    departments = {row[1]: row for row in rows(document.tables[2])}
    assert departments["Phòng Văn hóa – Xã hội"][2:] == ["3", "2", "3", "1", "–", "–"], (
        "no dossiers, no task due: V1 was due 25/5"
    )
    assert "Ngoài ra, có 1 văn bản mật (không tính vào tỷ lệ văn bản điện tử)." in body


async def test_a_year_long_report_compares_with_last_years_figure_of_record(service, clock):
    await log_a_year(service, clock)
    annual = Document(io.BytesIO(draft_report(await report_data(service, "nam"), BINH_LU, "năm 2026")))
    meetings = rows(annual.tables[1])[1]
    assert meetings[2:5] == [
        "Tối đa 99 trong kỳ (cả năm 108: giảm ≥10% so với 120 năm 2025)",
        "4 cuộc",
        "120 cuộc (cả năm 2025)",
    ]


async def test_late_departments_are_named_only_where_configured(drafted):
    data, document = drafted
    line = next(p for p in paragraphs(document) if p.startswith("Thực hiện chế độ báo cáo"))
    assert line == (
        "Thực hiện chế độ báo cáo 6 tháng đầu năm 2026 (hạn 31/5/2026): 2/4 phòng, ban, đơn vị đã gửi báo cáo, "
        "1 đúng hạn, 1 nộp muộn; 2 chưa gửi."
    ), "a report to the province counts; it does not name"
    named = Document(io.BytesIO(draft_report(data, replace(BINH_LU, list_late=True), "6 tháng đầu năm 2026")))
    line = next(p for p in paragraphs(named) if p.startswith("Thực hiện chế độ báo cáo"))
    assert "1 nộp muộn (Phòng Kinh tế – muộn 5 ngày)" in line
    assert "chưa gửi: Văn phòng HĐND và UBND xã, Trung tâm Phục vụ hành chính công." in line


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
    assert "Trong kỳ, các phòng, ban, đơn vị không phản ánh khó khăn, vướng mắc." in content
    assert "Không có đề xuất, kiến nghị." in content


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed to lay the page out"
)
async def test_a_word_processor_lays_it_out_on_a4_pages(drafted, tmp_path):
    data, _ = drafted
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(draft_report(data, BINH_LU, "6 tháng đầu năm 2026"))
    pdf = (await convert(source, "pdf", tmp_path)).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.?\d* 841\.?\d*", pdf), "A4: 595 x 842 points"
