"""Hostile files against the bot as a process whose memory is capped, through the fake Bot API: an import bomb is
refused naming the limit and everyone else is still answered; a text stored with control characters in it, by
chat or by an older release, still comes out in the workbook."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import text

from bot.config import load_config
from storage.db import Database
from tests.e2e.conftest import PATIENCE
from tests.e2e.test_bot_process import BotProcess, Conversation, invite
from tests.exports.sheets import bomb_corner, bomb_strings
from tests.fakes.bot_api_server import FakeBotApi
from tests.support.texts import receipt

ADMIN, FOCAL = 4001, 1001
CAP = 1 << 30  # the address space the bot runs in, as the commune server that crash-looped had


class Sender(Conversation):
    """A user who also sends files, with a command in the caption."""

    def send(self, content: bytes, name: str, caption: str, *, announced: int | None = None) -> str:
        since = len(self.fake.sent())
        self.fake.push_document(self.user_id, content, name, caption, first_name=self.name, file_size=announced)
        return self.fake.wait_for(lambda m: m["chat_id"] == self.user_id, timeout=PATIENCE, since=since)["text"]


def address_space(bot: BotProcess) -> int:
    """The child's RLIMIT_AS as the kernel holds it: the cap is real, not a hope."""
    limits = Path(f"/proc/{bot.process.pid}/limits").read_text(encoding="ascii")
    line = next(line for line in limits.splitlines() if line.startswith("Max address space"))
    return int(line.split()[3])


def workbook_texts(fake: FakeBotApi, chat_id: int) -> list[str]:
    """Every text cell of the last workbook sent to the chat."""
    upload = fake.documents(chat_id)[-1]["document"]
    book = load_workbook(io.BytesIO(upload["content"]), read_only=True)
    rows = (row for sheet in book for row in sheet.iter_rows(values_only=True))
    return [cell for row in rows for cell in row if isinstance(cell, str)]


def poison(config_path: Path) -> None:
    """Control characters in a stored text, as an older release stored them (straight into the database)."""

    async def update() -> None:
        db = Database(load_config(config_path).database.url)
        try:
            async with db.unit_of_work() as session:
                poisoned = {"summary": "Tiếp" + chr(1) + " dân" + chr(27)}
                await session.execute(text("UPDATE entries SET summary = :summary WHERE number = 2"), poisoned)
                await session.commit()
        finally:
            await db.dispose()

    asyncio.run(update())


def test_hostile_files_never_take_down_a_capped_bot_nor_break_its_workbook(tmp_path, fake, config_path):
    admin_code = invite(config_path, fake, "--role", "admin")
    focal_code = invite(config_path, fake, "--role", "focal", "--department", "vhxh")
    log = tmp_path / "bot.log"
    bot = BotProcess(config_path, fake, log, memory=CAP)
    admin, focal = Sender(fake, ADMIN, "Quản trị"), Conversation(fake, FOCAL, "Lan")
    try:
        assert "Chào mừng" in admin.say(f"/start {admin_code}", timeout=PATIENCE)
        assert "Chào mừng" in focal.say(f"/start {focal_code}")
        assert address_space(bot) == CAP

        # An import bomb is refused, the limit named, before it expands; one announced too big is never fetched.
        answer = admin.send(bomb_corner(), "so-lieu.xlsx", "/nhap")
        assert "Dòng 1.048.576 có số liệu ở cột XFD; bot chỉ đọc 64 cột đầu (A đến BL)." in answer
        answer = admin.send(bomb_strings(), "so-lieu.xlsx", "/nhap")
        assert "“xl/sharedStrings.xml” của tệp .xlsx giải nén ra 320 MB (tối đa 16 MB mỗi phần)." in answer
        fetched = fake.downloads()
        answer = admin.send(b"x" * 1024, "lon.xlsx", "/nhap", announced=50 << 20)
        assert "Tệp nặng 50 MB; mỗi lần nhập tối đa 10 MB" in answer
        assert fake.downloads() == fetched

        # Everyone else is still answered, and control characters stored by chat or by an older release
        # (before text was cleaned at the door) come out of the workbook as text.
        assert "Họp giao bantuần" in focal.say("/hop tructuyen Họp giao ban\x01tuần")
        assert focal.say("/hop tructiep Tiếp dân").startswith(receipt(2))
        poison(config_path)
        assert "tệp" in admin.say("/xuat")
        fake.wait_for_call("sendDocument", lambda params: params.get("chat_id") == ADMIN, timeout=PATIENCE)
        texts = workbook_texts(fake, ADMIN)
        assert "Họp giao bantuần" in texts and "Tiếp dân" in texts, texts

        assert bot.process.poll() is None, "the bot never went down"
        assert bot.terminate() == 0
    finally:
        if bot.process.poll() is None:
            bot.kill()
    assert "Traceback" not in log.read_text(encoding="utf-8")
    assert fake.errors == []
