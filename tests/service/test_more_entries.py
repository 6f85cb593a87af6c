"""Dossiers resolved (online, on paper, late) and documents received, logged as /hoso and /vanban are, and read in
/chitieu beside the plan's floors: both shares of the dossiers, both directions of the documents."""

from __future__ import annotations

import pytest

from bot.core.permissions import Role
from bot.core.texts import text
from tests.support.texts import receipt
from tests.support.users import register


@pytest.fixture
async def centre(service):
    return await register(service, "1002", Role.FOCAL, "tthcc")


async def test_dossiers_resolved_online_on_paper_and_late(service, centre, leader):
    await centre.say("/hoso 19 1")
    reply = await centre.say("/giaiquyet 18 1 tre 2")
    assert reply == receipt(2) + (
        ": hồ sơ TTHC giải quyết ngày 27/11/2026 – Trung tâm Phục vụ hành chính công: 18 trực tuyến, 1 trực tiếp, "
        "2 trễ hạn."
    )
    assert "đều đúng hạn" in await centre.say("/giaiquyet 1 0 hôm qua")
    report = await leader.say("/chitieu chitiet")
    assert "• Hồ sơ TTHC trực tuyến: 19/20 hồ sơ – 95,0%" in report, "received: the target line as it was"
    assert "• Hồ sơ TTHC giải quyết trực tuyến: 19/20 hồ sơ – 95,0% (chỉ tiêu ≥95%)" in report
    assert "đúng hạn 18/20 – 90,0%" in report
    assert "Đã hủy #3" in await centre.say("/huy")
    assert "giải quyết trực tuyến: 18/19 hồ sơ – 94,7%" in await leader.say("/chitieu chitiet")


@pytest.mark.parametrize(
    ("message", "key", "values"),
    [
        ("/giaiquyet 5", "parse.missing_resolved", {}),
        ("/giaiquyet 0 0", "parse.zero_counts", {}),
        ("/giaiquyet 2 1 tre 4", "parse.late_over_total", {"late": 4, "total": 3}),
        ("/giaiquyet 2 1 tre", "parse.missing_late", {}),
        ("/giaiquyet hai 1", "parse.bad_count", {"value": "hai"}),
        ("/vanbanden mat 12/UBND Bí mật", "parse.secret_details", {}),
        ("/vanbanden thu 12/UBND", "parse.unknown_document_kind", {"value": "thu"}),
    ],
)
async def test_bad_input_says_what_was_wrong_and_writes_nothing(service, centre, message, key, values):
    reply = await centre.say(message)
    assert reply.startswith(text(key, **values))
    detail = await centre.say("/chitieu chitiet")
    assert "chưa có số liệu" in detail and "Nhiệm vụ khác" not in detail


async def test_documents_received_are_counted_apart_from_those_issued(service, focal, leader):
    await focal.say("/vanban dientu 125/UBND-VP Về việc triển khai")
    reply = await focal.say("/vanbanden dientu 45/SNV-CCHC Về việc báo cáo cải cách hành chính")
    assert reply == receipt(2) + (
        ": văn bản đến điện tử số 45/SNV-CCHC ngày 27/11/2026 – Phòng Văn hóa – Xã hội: "
        "Về việc báo cáo cải cách hành chính."
    )
    await focal.say("/vanbanden dientu 45/SNV-CCHC Cùng số, nơi gửi khác")  # another sender's number may repeat
    await focal.say("/vanbanden giay hôm qua 7/CV Công văn giấy")
    assert (
        await focal.say("/vanbanden mat") == receipt(5) + ": văn bản đến mật ngày 27/11/2026 – Phòng Văn hóa – Xã hội."
    )
    report = await leader.say("/chitieu chitiet")
    assert "• Văn bản điện tử (trừ mật): 1/1 – 100,0%" in report, "issued documents: their own line"
    assert "• Văn bản đến điện tử (trừ mật): 2/3 – 66,7% (chỉ tiêu 100%)" in report
    assert "(thêm 1 văn bản đến mật, không tính tỷ lệ điện tử)" in report
    assert "Đã hủy #5 (văn bản đến mật)" in await focal.say("/huy")
