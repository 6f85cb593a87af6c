"""Issue 19 end to end: the plan's other obligations through the bot's real Telegram channel on the fake Bot API,
and through the numbered-choice console of `make demo`."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook

from bot.config import load_config
from bot.core.clock import fixed_clock
from bot.core.permissions import Role
from bot.demo import run_demo
from tests.conftest import ROOT
from tests.e2e.bot_at import Chat, RunningBot, bot_at
from tests.e2e.conftest import PATIENCE
from tests.e2e.test_reports import draft_text, with_reminders
from tests.support.clock import instant
from tests.test_demo import lines

KT, TTHCC, FRONT, LEADER = 1001, 1004, 1005, 2001


async def new_file(bot: RunningBot, fake, suffix: str, since: int = 0) -> Path:
    """The file the bot sends the leader after call number `since` (not one sent before it), where it keeps it."""
    await fake.wait_for_call_async("sendDocument", lambda p: int(p.get("chat_id", 0)) == LEADER, PATIENCE, since=since)
    return bot.files(suffix)[-1]


async def test_feedback_officials_dossiers_and_incoming_documents_end_to_end(config_path, fake):
    async with bot_at(config_path, fake, instant("2026-11-27T10:00")) as bot:
        leader = await bot.member(LEADER, "Hùng", Role.LEADER)
        kt = await bot.member(KT, "Lan", Role.FOCAL, "kt")
        centre = await bot.member(TTHCC, "Mai", Role.FOCAL, "tthcc")
        front = await bot.member(FRONT, "Hoa", Role.FRONT)
        member = int(re.search(r"mã thành viên (\d+)", await kt.say("/toi"))[1])
        recorded = await front.say("/gopy hoinghi Đường thôn 3: Đề nghị sửa đoạn đường hỏng")
        assert recorded.startswith("Đã ghi góp ý G1 (Mặt trận, tại hội nghị) ngày 27/11/2026")
        assert "Đã giao Phòng Kinh tế trả lời góp ý G1 (việc V1)" in await leader.say("/chuyengopy G1 kt 03/12/2026")
        assigned = await leader.say(f"/giaoviec kt 01/12/2026 @{member} Rà soát hồ sơ đất đai")
        assert "Người chịu trách nhiệm: Lan." in assigned
        assert "2 trễ hạn" in await centre.say("/giaiquyet 18 1 tre 2")
        assert "văn bản đến điện tử số 45/SNV-CCHC" in await centre.say("/vanbanden dientu 45/SNV-CCHC Về việc báo cáo")
        assert await front.say("/chitieu") == "Bạn không có quyền dùng lệnh /chitieu."
    quiet = config_path.read_text(encoding="utf-8")
    async with bot_at(with_reminders(config_path), fake, instant("2026-12-03T08:05")) as bot:
        reminder = await fake.wait_for_async(lambda m: m["chat_id"] == KT and "Trả lời góp ý G1" in m["text"], PATIENCE)
        assert "03/12/2026" in reminder["text"], "the feedback's deadline is chased as a task's"
    config_path.write_text(quiet, encoding="utf-8")  # no reminder comes between a question and its answer below
    async with bot_at(config_path, fake, instant("2026-12-04T10:00")) as bot:
        kt, leader, front = (
            Chat(fake, bot.clock, user, name) for user, name in ((KT, "Lan"), (LEADER, "Hùng"), (FRONT, "Hoa"))
        )
        assert "(trễ 1 ngày làm việc)" in await kt.say("/traloi G1 Đã khảo sát, sửa xong trong tháng 12")
        assert "✅ Trả lời ngày 04/12/2026: Đã khảo sát" in await front.say("/gopy G1")
        assert "(trễ 3 ngày làm việc)" in await kt.say("/xong V2")
        report = await leader.say("/chitieu chitiet")
        assert "• Góp ý, kiến nghị tiếp nhận: 1 – trả lời đúng hạn 0, trễ hạn 1, chưa trả lời 0" in report
        assert "• Hồ sơ TTHC giải quyết trực tuyến: 18/19 hồ sơ" in report and "đúng hạn 17/19" in report
        assert "• Văn bản đến điện tử (trừ mật): 1/1 – 100,0%" in report
        results = await leader.say("/ketqua 2026 tre")
        assert "• Lan (KT) (#" in results.splitlines()[1] and "trễ hạn 1 (3 ngày làm việc)" in results
        since = len(fake.calls())
        await leader.send("/xuat 2026")
        book = load_workbook(await new_file(bot, fake, ".xlsx", since))
        assert {"Cán bộ", "Góp ý", "HS giải quyết", "Văn bản đến"} <= set(book.sheetnames)
        since = len(fake.calls())
        await leader.send("/baocaomau nam")
        draft = draft_text(await new_file(bot, fake, ".docx", since))
        assert "PHỤ LỤC" in draft and "Kết quả thực hiện nhiệm vụ của cán bộ, công chức năm 2026" in draft


def test_the_console_asks_with_numbered_choices_and_records_each(capsys):
    config = load_config(ROOT / "config.example.toml")
    typed = lines(
        "/vanbanden dientu 45/SNV-CCHC Về việc báo cáo",  # a leader in private: which department, by number
        "4",
        "/giaiquyet tthcc 18 1 tre 2",
        "/gopy nguoidan dienthoai Nước sinh hoạt: Mất nước",
        "/chuyengopy G1 kt",
        "/ketqua",
        "/chitieu chitiet",
        "/thoat",
    )
    assert run_demo(config, Role.LEADER, typed, clock=fixed_clock(instant("2026-11-27T10:00"))) == 0
    out = capsys.readouterr().out
    assert "Traceback" not in out
    assert re.search(r"4\. Trung tâm Phục vụ hành chính công", out), out
    assert "văn bản đến điện tử số 45/SNV-CCHC ngày 27/11/2026 – Trung tâm Phục vụ hành chính công" in out
    assert "18 trực tuyến, 1 trực tiếp, 2 trễ hạn" in out
    assert re.search(r"Đã ghi góp ý G\d+ \(người dân, qua điện thoại\)", out), out
    assert "👤 Kết quả thực hiện nhiệm vụ năm 2026 – toàn xã" in out
    assert "📌 Nhiệm vụ khác của Kế hoạch:" in out


def test_the_front_can_play_the_demo(capsys):
    config = load_config(ROOT / "config.example.toml")
    typed = lines("/gopy Đường thôn 3: hỏng", "/gopy", "/hop tructuyen Họp", "/thoat")
    assert run_demo(config, Role.FRONT, typed, clock=fixed_clock(instant("2026-11-27T10:00"))) == 0
    out = capsys.readouterr().out
    assert "Traceback" not in out and "(Mặt trận) ngày 27/11/2026: Đường thôn 3" in out
    assert "Bạn không có quyền dùng lệnh /hop." in out
