"""`make demo` on any day of the year: it shows the reports owed and takes a late one, marked late."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.request

import pytest

from bot.config import load_config
from bot.core.clock import fixed_clock
from bot.core.permissions import Role
from bot.demo import run_demo
from tests.conftest import ROOT
from tests.support.clock import instant


def lines(*typed: str):
    """A terminal that types these lines, then ends."""
    queue = list(typed)

    def read(prompt: str) -> str:
        if not queue:
            raise EOFError
        return queue.pop(0)

    return read


@pytest.mark.parametrize(
    "day,code,year,role",
    [
        ("2026-01-05T09:00", "nam", 2025, Role.FOCAL),  # a new year has just begun
        ("2026-03-10T09:00", "nam", 2025, Role.LEADER),  # no report of the year is due yet
        ("2026-06-01T09:00", "6thang", 2026, Role.FOCAL),  # the day after the 6-month report was due
        ("2026-12-02T09:00", "nam", 2026, Role.LEADER),
        ("2027-08-20T09:00", "6thang", 2027, Role.FOCAL),
    ],
)
def test_the_demo_shows_the_reports_owed_and_takes_one_late(capsys, day, code, year, role):
    config = load_config(ROOT / "config.example.toml")
    owed = f"{config.communes[0].reports[0 if code == '6thang' else 1].name} {year}"
    typed = lines(f"/nopbaocao vhxh {code} {year}", f"/baocaomau {code} {year}", "/thoat")
    assert run_demo(config, role, typed, clock=fixed_clock(instant(day))) == 0
    out = capsys.readouterr().out
    assert f"📑 {owed} – hạn" in out
    assert re.search(r"⚠️ Phòng Văn hóa – Xã hội – chưa nộp, trễ \d+ ngày", out), out
    assert re.search(rf"Phòng Văn hóa – Xã hội đã nộp {owed} – nộp muộn \d+ ngày", out), out
    assert "Traceback" not in out and "Dự thảo báo cáo" in out
    [draft] = re.findall(r"📂 Tệp ở (\S+\.docx)", out)  # the file's full path on this machine, to open it
    assert draft.startswith("/") and "lelolamviec-demo-" in draft


def test_the_demo_serves_its_web_pages_while_the_terminal_waits(capsys):
    """`/web` in the demo brings a link the browser of this machine opens: signed in, the commune's page."""
    config = load_config(ROOT / "config.example.toml")
    opened: list[tuple[int, str]] = []

    def read(prompt: str) -> str:  # the terminal's thread: the bot answers meanwhile on its own
        if not opened and "/web/vao/" not in (out := capsys.readouterr().out):
            return "/web"
        if not opened:
            link = re.search(r"http://127\.0\.0\.1:\d+/web/vao/\S+", out)[0]
            browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            with browser.open(link, timeout=30) as page:
                opened.append((page.status, page.read().decode()))
        raise EOFError

    assert run_demo(config, Role.LEADER, read, clock=fixed_clock(instant("2026-12-02T09:00"))) == 0
    [(status, page)] = opened
    assert status == 200 and config.communes[0].commune.name in page
