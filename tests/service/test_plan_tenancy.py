"""The plan's other obligations in a province: a commune's feedback, officials, dossiers resolved and documents
received are its own; numbers G1, V1, #1 are counted per commune and never reach another."""

from __future__ import annotations

import re

from bot.core.permissions import Role
from bot.core.texts import text
from tests.support.users import register


async def test_nobody_reads_or_answers_beyond_their_commune(province):
    binhlu = await register(province, "1", Role.LEADER, commune="binhlu")
    doanket = await register(province, "2", Role.LEADER, commune="doanket")
    front = await register(province, "3", Role.FRONT, commune="binhlu")
    other_front = await register(province, "4", Role.FRONT, commune="doanket")
    kt = await register(province, "5", Role.FOCAL, "kt", commune="binhlu")
    assert "G1" in await front.say("/gopy Đường thôn 3: hỏng")
    assert "G1" in await other_front.say("/gopy Chợ phường: sắp xếp lại"), "numbered within each commune"
    assert "Chợ phường" not in await binhlu.say("/gopy") and "Đường thôn 3" in await binhlu.say("/gopy")
    assert "Đường thôn 3" not in await doanket.say("/gopy G1")
    assert "Chợ phường" not in await front.say("/gopy G1")
    assert "Phòng Kinh tế" in await binhlu.say("/chuyengopy G1 kt")
    assert await doanket.say("/traloi G2 Không có") == text("feedback.not_found", number=2)
    assert "Đường thôn 3" not in await doanket.say("/gopy")
    member = int(re.search(r"mã thành viên (\d+)", await kt.say("/toi"))[1])
    assert await doanket.say(f"/giaoviec vp 01/12/2026 @{member} Việc của xã khác") == text(
        "task.responsible_unknown", person_id=member
    ), "a responsible official is one of the commune's own"
    assert "Người dùng 5" in await binhlu.say("/ketqua") and "Người dùng 5" not in await doanket.say("/ketqua")
    assert "Người dùng 3" not in await binhlu.say("/ketqua"), "the Mặt trận's people are not the commune's officials"
    await kt.say("/giaiquyet 3 1 tre 1")
    await kt.say("/vanbanden dientu 45/SNV Về việc")
    mine, theirs = await binhlu.say("/chitieu chitiet"), await doanket.say("/chitieu chitiet")
    assert "giải quyết trực tuyến: 3/4 hồ sơ" in mine and "Văn bản đến điện tử (trừ mật): 1/1" in mine
    assert "Hồ sơ TTHC giải quyết: chưa có số liệu" in theirs and "Văn bản đến: chưa có số liệu" in theirs
