"""Issue 14 end to end: the bot with its real Telegram channel against the fake Bot API, on the day each story
happens. Every defect below was reproduced on the code before its fix, each test failing there."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from bot.core.periods import year_period
from bot.core.permissions import Role
from bot.exports.data import export_data
from tests.e2e.bot_at import RunningBot, bot_at
from tests.e2e.conftest import PATIENCE
from tests.fakes.bot_api_server import FakeBotApi
from tests.support.clock import instant
from tests.support.texts import receipt

KT, VHXH, VP, TTHCC, LEADER = 1001, 1002, 1003, 1004, 2001


def draft_text(path: Path) -> str:
    """Every paragraph of a drafted report, its tables' cells too, one a line."""
    document = Document(str(path))
    lines = [p.text for p in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


async def made_file(bot: RunningBot, fake: FakeBotApi, chat: int, suffix: str) -> Path:
    """Wait for the file the bot sends this chat, and find it where the bot keeps it (a file is made after its
    command's answer went, so the answer alone does not say it is there)."""
    sent = lambda p: int(p.get("chat_id", 0)) == chat and bool(bot.files(suffix))  # noqa: E731
    await fake.wait_for_call_async("sendDocument", sent, PATIENCE)
    return bot.files(suffix)[-1]


def with_reminders(config_path: Path) -> Path:
    """The configuration with the reminders on: the bot's clock is the test's, so they come when the story says."""
    config_path.write_text(config_path.read_text(encoding="utf-8").replace("enabled = false", "enabled = true", 1))
    return config_path


async def test_reports_due_before_installation_are_owed_accepted_late_and_told(config_path, fake):
    """Defects 1 and 5: installed on 02/12/2026, two days after the annual report was due."""
    async with bot_at(config_path, fake, instant("2026-12-02T09:00")) as bot:
        leader = await bot.member(LEADER, "Hùng", Role.LEADER)
        vhxh = await bot.member(VHXH, "Lan", Role.FOCAL, "vhxh")
        backdated = await vhxh.say("/nopbaocao 6thang 2026 28/05/2026 Bản giấy")  # sent on paper, recorded now
        assert "đã nộp Báo cáo 6 tháng 2026" in backdated and "nộp muộn" not in backdated
        reply = await leader.say("/nopbaocao kt nam Đã gửi qua iOffice")
        assert reply.startswith(receipt()) and "Phòng Kinh tế đã nộp Báo cáo năm 2026 – nộp muộn 2 ngày" in reply
        status = await leader.say("/baocao nam")
        assert "🕓 Phòng Kinh tế – 02/12/2026, Hùng: nộp muộn 2 ngày" in status
        assert "⚠️ Văn phòng HĐND và UBND xã – chưa nộp, trễ 2 ngày" in status and "Đã nộp 1/4 phòng" in status
        await leader.send("/baocaomau nam")
        draft = draft_text(await made_file(bot, fake, LEADER, ".docx"))
        assert (
            "Thực hiện chế độ báo cáo năm 2026 (hạn 30/11/2026): 1/4 phòng, ban, đơn vị đã gửi báo cáo, "
            "0 đúng hạn, 1 nộp muộn; 3 chưa gửi."
        ) in draft
        half_year = "Thực hiện chế độ báo cáo 6 tháng đầu năm 2026 (hạn 31/5/2026): 1/4 phòng, ban, đơn vị"
        assert half_year + " đã gửi báo cáo, 1 đúng hạn" in draft
        assert "Đã gửi qua iOffice" not in draft and "Bản giấy" not in draft, "delivery notes are no difficulties"
        assert "Trong kỳ, các phòng, ban, đơn vị không phản ánh khó khăn, vướng mắc." in draft
    async with bot_at(with_reminders(config_path), fake, instant("2026-12-07T07:40")):
        digest = await fake.wait_for_async(lambda m: m["chat_id"] == LEADER and "Tổng hợp tuần" in m["text"], PATIENCE)
    assert "• Báo cáo năm 2026: 3 phòng chưa nộp (đã trễ 7 ngày)" in digest["text"]
    assert "• Báo cáo 6 tháng 2026: 3 phòng chưa nộp (đã trễ 190 ngày)" in digest["text"]
    assert "🕓 Phòng Kinh tế – Báo cáo năm 2026: nộp muộn 2 ngày" in digest["text"]
    assert "Không có việc quá hạn hay báo cáo chưa nộp" not in digest["text"]


async def test_reminders_start_is_not_when_the_data_begins(config_path, fake):
    """Defect 2: reminders from 1 January and three meetings logged on 27/11 are not a year of data."""
    async with bot_at(remind_from_new_year(config_path), fake, instant("2026-11-27T10:00")) as bot:
        leader = await bot.member(LEADER, "Hùng", Role.LEADER)
        vhxh = await bot.member(VHXH, "Lan", Role.FOCAL, "vhxh")
        for n in range(3):
            assert receipt() in await vhxh.say(f"/hop tructuyen Giao ban {n}")
        report = await leader.say("/chitieu chitiet")
        assert "⚠️ Số liệu chỉ có từ 27/11/2026, chưa đủ cả kỳ" in report
        assert "🟢" not in report and "✅" not in report and "dự kiến" not in report
        async with bot.app.db.reading() as session:
            commune = next(iter(bot.app.communes))
            data = await export_data(session, commune, year_period(2026), bot.clock().date())
    assert [m.recorded for m in data.months][:11] == [False] * 10 + [True], (
        "the chart shows the months before the records began as without data, never as zero"
    )


async def test_the_configured_baseline_is_the_figure_of_record(config_path, fake):
    """Defect 3: 120 meetings configured for 2025, four of them logged by the bot."""
    async with bot_at(config_path, fake, instant("2026-11-27T10:00")) as bot:
        leader = await bot.member(LEADER, "Hùng", Role.LEADER)
        vhxh = await bot.member(VHXH, "Lan", Role.FOCAL, "vhxh")
        for day in ("05/03/2025", "12/06/2025", "20/09/2025", "10/11/2025"):
            assert receipt() in await vhxh.say(f"/hop tructiep {day} Họp {day}")
        for day in ("05/01/2026", "05/03/2026", "12/06/2026", "20/09/2026", "02/11/2026", "10/11/2026"):
            assert receipt() in await vhxh.say(f"/hop tructuyen {day} Họp {day}")
        last_year = await leader.say("/chitieu 2025 chitiet")
        assert "• Cuộc họp: 120 (số liệu gốc theo cấu hình; bot ghi nhận 4, chưa đủ cả năm)" in last_year
        assert "chưa có số liệu năm 2024" not in last_year
        await leader.send("/baocaomau nam")
        table = Document(str(await made_file(bot, fake, LEADER, ".docx"))).tables[1]
        meetings = [cell.text for cell in table.rows[1].cells]
        assert meetings[3:5] == ["6 cuộc", "120 cuộc (cả năm 2025)"], "never the bot's own 4 of last year"
        await leader.send("/xuat 2026")
        summary = load_workbook(await made_file(bot, fake, LEADER, ".xlsx"))["Tổng hợp"]
        row = next(r for r in summary.iter_rows(values_only=True) if r[0] == "Cuộc họp")
        assert row[9] == 120, "the workbook's last year is 2025's figure of record"


def remind_from_new_year(config_path: Path) -> Path:
    """The configuration with reminders from 1 January 2026 (which once also decided what was tracked)."""
    text = config_path.read_text(encoding="utf-8").replace("# start = 2026-01-01", "start = 2026-01-01")
    config_path.write_text(text, encoding="utf-8")
    return config_path


async def test_a_late_submission_is_marked_late_everywhere(config_path, fake):
    """Defect 4: the 6-month report, due 31/05, submitted on 20/11."""
    async with bot_at(remind_from_new_year(config_path), fake, instant("2026-11-20T10:00")) as bot:
        leader = await bot.member(LEADER, "Hùng", Role.LEADER)
        vp = await bot.member(VP, "Minh", Role.FOCAL, "vp")
        receipt_text = await vp.say("/nopbaocao 6thang 2026 Bản ký số")
        assert "Văn phòng HĐND và UBND xã đã nộp Báo cáo 6 tháng 2026 – nộp muộn 173 ngày (hạn 31/05/2026)" in (
            receipt_text
        )
        status = await leader.say("/baocao 6thang 2026")
        assert "🕓 Văn phòng HĐND và UBND xã – 20/11/2026, Minh: nộp muộn 173 ngày" in status
        assert "✅ Văn phòng" not in status
        await leader.send("/xuat 6thang 2026")
        sheet = load_workbook(await made_file(bot, fake, LEADER, ".xlsx"))["Báo cáo định kỳ"]
        header, *rows = list(sheet.iter_rows(values_only=True))
        row = dict(zip(header, rows[0], strict=True))
        assert (row["Đúng hạn"], row["Nộp muộn (ngày)"]) == ("Không", 173)


async def test_a_delivery_note_is_never_a_difficulty(config_path, fake):
    """Defect 5: the notes that came with two submissions, in the drafted annual report."""
    async with bot_at(remind_from_new_year(config_path), fake, instant("2026-11-27T10:00")) as bot:
        leader = await bot.member(LEADER, "Hùng", Role.LEADER)
        assert receipt() in await leader.say("/nopbaocao kt 6thang 2026 Gửi kèm bản giấy")
        assert receipt() in await leader.say("/nopbaocao kt nam Đã gửi qua iOffice")
        await leader.send("/baocaomau nam")
        draft = draft_text(await made_file(bot, fake, LEADER, ".docx"))
    difficulties = draft[draft.index("II. KHÓ KHĂN, VƯỚNG MẮC") : draft.index("III. ĐỀ XUẤT, KIẾN NGHỊ")]
    assert "Đã gửi qua iOffice" not in draft and "Gửi kèm bản giấy" not in draft
    assert difficulties.splitlines()[1] == "Trong kỳ, các phòng, ban, đơn vị không phản ánh khó khăn, vướng mắc."


async def test_a_closed_period_is_met_or_missed_never_a_pace(config_path, fake):
    """Defect 6: /chitieu 6thang in December, the period having ended on 14/05."""
    async with bot_at(config_path, fake, instant("2026-12-02T09:00")) as bot:
        leader = await bot.member(LEADER, "Hùng", Role.LEADER)
        vhxh = await bot.member(VHXH, "Lan", Role.FOCAL, "vhxh")
        assert receipt() in await vhxh.say("/hop tructuyen 10/03/2026 Giao ban quý I")
        partial = await leader.say("/chitieu 6thang chitiet")
        assert "đúng tiến độ" not in partial and "⚪ chưa đủ số liệu" in partial, "records only from 10/03"
        assert receipt() in await vhxh.say("/hop tructiep 14/12/2025 Tổng kết năm")  # the records now cover it
        assert receipt() in await vhxh.say("/hop tructiep 20/04/2026 Họp dân thôn")
        closed = await leader.say("/chitieu 6thang chitiet")
        assert "• Cuộc họp: 2 – tối đa 44 trong kỳ" in closed and "✅ đạt" in closed
        assert "• Họp trực tuyến: 1/2 cuộc – 50,0% (chỉ tiêu ≥60%) ❌ không đạt" in closed
        assert "đúng tiến độ" not in closed and "chưa đạt" not in closed


async def test_one_share_one_value_and_the_departments_cap_is_the_communes(config_path, fake):
    """Defects 7 and 8: 59/63 in the headline and in the department table; a department's cap."""
    async with bot_at(config_path, fake, instant("2026-11-27T10:00")) as bot:
        leader = await bot.member(LEADER, "Hùng", Role.LEADER)
        centre = await bot.member(TTHCC, "Hoa", Role.FOCAL, "tthcc")
        kt = await bot.member(KT, "Nam", Role.FOCAL, "kt")
        assert receipt() in await centre.say("/hoso 59 4")
        assert receipt() in await kt.say("/hop tructuyen Họp kinh tế")
        report = await leader.say("/chitieu chitiet")
        assert "59/63 hồ sơ – 93,7%" in report and "• TTHCC: 63 hồ sơ, 93,7% trực tuyến" in report
        department = await leader.say("/chitieu 2026 kt chitiet")
        assert "• Cuộc họp: 1 (mức tối đa đặt cho toàn xã, không chia cho từng phòng)" in department
        assert "chưa có số liệu năm 2025" not in department


async def test_the_bot_collects_each_departments_report_and_the_office_closes_it(config_path, fake):
    """What to build: the conversation (buttons on Telegram, a file with its caption), the consolidating
    department's view, its reminder to the rest, its closing, and the draft with each department's words."""
    async with bot_at(config_path, fake, instant("2026-11-20T10:00")) as bot:
        kt = await bot.member(KT, "Nam", Role.FOCAL, "kt")
        vhxh = await bot.member(VHXH, "Lan", Role.FOCAL, "vhxh")
        await bot.member(VP, "Minh", Role.FOCAL, "vp")  # has not answered: reminded below
        groups = await kt.send("/noidung nam")
        assert groups["text"].startswith("📝 Báo cáo năm 2026 – Phòng Kinh tế (hạn Thứ Hai, 30/11/2026 – còn 10 ngày)")
        prompt = await kt.tap(groups, "Đổi mới chế độ hội họp")
        assert "có thể gửi kèm tệp" in prompt["text"]
        result = "Tổ chức 12 cuộc họp, trong đó 8 cuộc trực tuyến; không đọc lại báo cáo đã gửi trước"
        saved = await kt.send_file("KQ-HOP", result)
        assert saved.startswith("✅ Đã ghi kết quả “Đổi mới chế độ hội họp”")
        after = fake.sent(KT)[-1]
        difficulty = await kt.tap(after, "Tiếp: khó khăn, vướng mắc")
        assert difficulty["text"].startswith("Khó khăn, vướng mắc của Phòng Kinh tế trong kỳ?")
        proposal = await kt.send("Đường truyền internet ở các thôn xa còn yếu")
        done = await kt.tap(proposal, "Không có")
        assert "• Đổi mới chế độ hội họp: Tổ chức 12 cuộc họp" in done["text"] and "(kèm tệp)" in done["text"]
        assert re.search(r"Đã ghi #\d+: Phòng Kinh tế đã nộp Báo cáo năm 2026\.", done["text"]), done["text"]
        status = await vhxh.say("/baocao nam")
        assert "✅ Phòng Kinh tế – 20/11/2026, Nam · nội dung 3/3" in status
        assert "Nhắc các phòng chưa trả lời nội dung: /nhacbaocao nam 2026" in status
        nudged = await vhxh.say("/nhacbaocao nam")
        assert nudged.startswith("Đã nhắc 2 phòng chưa trả lời nội dung Báo cáo năm 2026")
        nudge = await fake.wait_for_async(lambda m: m["chat_id"] == VP and "đề nghị" in m["text"], PATIENCE)
        assert "Văn phòng HĐND và UBND xã trả lời nội dung Báo cáo năm 2026" in nudge["text"]
        assert "gõ /noidung nam 2026" in nudge["text"]
        # Its own department was nudged too: that message is not the answer to what it sends next.
        await fake.wait_for_async(lambda m: m["chat_id"] == VHXH and "đề nghị" in m["text"], PATIENCE)
        confirm = await vhxh.send("/chotbaocao nam")
        assert (await vhxh.tap(confirm, "Chốt Báo cáo năm 2026"))["text"].startswith("🔒 Đã chốt Báo cáo năm 2026")
        assert "đã được phòng tổng hợp chốt" in await kt.say("/noidung nam")
        await vhxh.send("/baocaomau nam")
        draft = draft_text(await made_file(bot, fake, VHXH, ".docx"))
    lines = draft.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.endswith(". Đổi mới chế độ hội họp"))
    assert f"- Phòng Kinh tế: {result}." in lines[heading:], "the department's result under the group it chose"
    assert "- Phòng Kinh tế: Đường truyền internet ở các thôn xa còn yếu." in draft
