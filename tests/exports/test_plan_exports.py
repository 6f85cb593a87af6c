"""The plan's other obligations in the office's files: the workbook's sheets and the annual draft's annex,
from the same figures the chat shows."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import load_workbook

from bot.config import load_config
from bot.exports.document import draft_report
from bot.exports.workbook import build_workbook
from tests.conftest import ROOT
from tests.exports import log_a_year, report_data, year_data

BINH_LU = load_config(ROOT / "config.example.toml").communes[0].report_document.to_document()


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


async def test_the_officials_sheet_lists_each_officials_facts_of_the_year(service, clock):
    await log_a_year(service, clock)
    data = await year_data(service)
    book = load_workbook(io.BytesIO(build_workbook(data)))
    sheet = book["Cán bộ"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Cán bộ, công chức", "Mã thành viên", "Phòng, ban", "Năm"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {o.name for o in data.officials} and rows
    for official in data.officials:
        row = rows[official.name]
        assert row[1] == official.person_id and row[3] == 2026
        assert list(row[4:]) == [
            official.led,
            official.on_time,
            official.late,
            official.late_days,
            official.overdue,
            official.updates,
            official.reports_on_time,
            official.reports_late,
        ]


async def test_the_annual_draft_has_the_officials_annex_and_the_half_year_none(service, clock):
    await log_a_year(service, clock)
    annual = await report_data(service, "nam")
    document = Document(io.BytesIO(draft_report(annual, BINH_LU, "năm 2026")))
    texts = [p.text for p in document.paragraphs]
    assert "PHỤ LỤC" in texts
    assert any(t.startswith("Kết quả thực hiện nhiệm vụ của cán bộ, công chức năm 2026") for t in texts)
    annex = table_rows(document.tables[-1])
    assert annex[0][:3] == ["STT", "Cán bộ, công chức", "Việc chịu trách nhiệm"]
    assert {row[1] for row in annex[1:]} == {o.name for o in annual.officials}
    half = await report_data(service, "6thang")
    assert "PHỤ LỤC" not in [p.text for p in Document(io.BytesIO(draft_report(half, BINH_LU, "6 tháng"))).paragraphs]


async def test_feedback_is_a_sheet_and_a_sentence_of_the_drafts_supervision_group(service, clock):
    from bot.core.permissions import Role
    from tests.support.users import register

    leader = await log_a_year(service, clock)
    front = await register(service, "700", Role.FRONT)
    await front.say("/gopy hoinghi Đường thôn 3: Đề nghị sửa đoạn đường hỏng")
    await front.say("/gopy nguoidan Chợ: Sắp xếp lại chợ")
    await leader.say("/chuyengopy G1 kt")
    await leader.say("/traloi G2 Đã sắp xếp")
    data = await year_data(service)
    sheet = load_workbook(io.BytesIO(build_workbook(data)))["Góp ý"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["G1", "G2"]
    assert rows[0][2:5] == ("Mặt trận", "tại hội nghị", "Đường thôn 3") and rows[0][6] == "Phòng Kinh tế"
    assert rows[0][9] == "Chưa trả lời" and rows[1][9] == "Đúng hạn" and rows[1][10] == "Đã sắp xếp"
    texts = [p.text for p in Document(io.BytesIO(draft_report(data, BINH_LU, "năm 2026"))).paragraphs]
    sentence = next(t for t in texts if t.startswith("Tiếp nhận 2 ý kiến, kiến nghị"))
    assert "đã trả lời đúng hạn 1, trả lời trễ hạn 0; còn 1 ý kiến chưa trả lời" in sentence


async def test_dossiers_resolved_and_documents_received_are_sheets_and_sentences_of_group_5(service, clock):
    from bot.core.permissions import Role
    from tests.support.users import register

    await log_a_year(service, clock)
    centre = await register(service, "900", Role.FOCAL, "tthcc")
    await centre.say("/giaiquyet 18 1 tre 2")
    await centre.say("/giaiquyet 1 0")
    await centre.say("/huy")
    await centre.say("/vanbanden dientu 45/SNV-CCHC Về việc báo cáo")
    await centre.say("/vanbanden giay 7/CV Công văn")
    await centre.say("/vanbanden mat")
    data = await year_data(service)
    book = load_workbook(io.BytesIO(build_workbook(data)))
    resolved = list(book["HS giải quyết"].iter_rows(min_row=2, values_only=True))
    assert [r[4:7] for r in resolved] == [(18, 1, 2), (1, 0, 0)]
    assert resolved[0][8] == "Đang tính" or resolved[0][8] != resolved[1][8], "the cancelled one is marked"
    incoming = list(book["Văn bản đến"].iter_rows(min_row=2, values_only=True))
    assert [r[5] for r in incoming] == ["45/SNV-CCHC", "7/CV", None]
    texts = [p.text for p in Document(io.BytesIO(draft_report(data, BINH_LU, "năm 2026"))).paragraphs]
    assert any(t.startswith("Giải quyết 19 hồ sơ thủ tục hành chính, trong đó 18 hồ sơ trực tuyến") for t in texts)
    assert any(t.startswith("Tiếp nhận 2 văn bản đến (trừ văn bản mật), trong đó 1 văn bản điện tử") for t in texts)
