"""Every command the README shows is exercised as printed: run here in a scratch folder, or named with the
test or reason that covers it. A command added to the README without either fails this test."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SHELL_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)
INLINE = re.compile(r"`((?:make|\.venv/bin/python -m bot) [^`]*)`")


def readme_commands() -> set[str]:
    """Each command line of the README's shell blocks and inline code, without its comment."""
    found = set()
    for block in SHELL_BLOCK.findall(README):
        for line in block.splitlines():
            command = line.split("  #")[0].strip()
            if command:
                found.add(command)
    found.update(match.strip() for match in INLINE.findall(README))
    return found


CLI = ".venv/bin/python -m bot"  # the README's command line prefix
DEMO_INPUT = "/help\n/chitieu\n/hop\n1\n1\n/huy\n/thoat\n"  # a leader is asked the department, then the mode
# Run here, exactly as printed: (command, standard input, expected exit code, text expected in the output).
RUN_HERE = {
    "make demo": (DEMO_INPUT, 0, "Chủ tịch UBND xã (demo)"),
    "make demo ROLE=focal": (DEMO_INPUT, 0, "Đầu mối Phòng VH-XH (demo)"),
    "make demo ROLE=province": ("/chitieu\n/chitieu doanket\n/baocao\n/thoat\n", 0, "Cán bộ Sở Nội vụ (demo)"),
    "make run": ("", 2, "@BotFather"),
    "cp -r examples/province laichau": ("", 0, ""),
    "make run CONFIG=laichau/province.toml": ("", 2, "@BotFather"),
    CLI + " invite --config laichau/province.toml --commune doanket --role focal --department vhxh": (
        "",
        0,
        "(UBND phường Đoàn Kết)",
    ),
    CLI + " invite --config laichau/province.toml --role province": ("", 0, "cán bộ Sở Nội vụ"),
    CLI + " members --config laichau/province.toml --commune doanket": ("", 0, "Chưa có thành viên nào"),
    CLI + " members --config laichau/province.toml --province": ("", 0, "Chưa có thành viên nào"),
    "cp config.example.toml config.toml": ("", 0, ""),
    ".venv/bin/python -m bot invite --config config.toml --role focal --department vhxh": ("", 0, "t.me/"),
    ".venv/bin/python -m bot invite --config config.toml --role leader": ("", 0, "t.me/"),
    ".venv/bin/python -m bot invite --config config.toml --role admin --hours 24": ("", 0, "t.me/"),
    ".venv/bin/python -m bot members --config config.toml": ("", 0, "Chưa có thành viên nào"),
    ".venv/bin/python -m bot invite --config config.toml --member 7": (
        "",
        2,
        "không có thành viên đang hoạt động mã 7",
    ),
    ".venv/bin/python -m bot revoke --config config.toml 7": ("", 0, "Không có thành viên đang hoạt động mã 7"),
    ".venv/bin/python -m bot remind --config config.toml --at 2026-11-27T08:00 --dry-run": ("", 0, "Sẽ gửi"),
    ".venv/bin/python -m bot remind --config config.toml --at 2026-11-27T08:00": ("", 2, "@BotFather"),
    "make upgrade": ("", 0, "phiên bản mới nhất"),
    "make upgrade CONFIG=laichau/province.toml": ("", 0, "phiên bản mới nhất"),
    ".venv/bin/python -m bot export --config config.toml --year 2026 --out so-lieu-2026.xlsx": ("", 0, "Đã ghi"),
    ".venv/bin/python -m bot draft --config config.toml --report nam --year 2026 --out du-thao-bao-cao-nam-2026.docx": (
        "",
        0,
        "Đã ghi",
    ),
    ".venv/bin/python -m bot import --config config.toml samples/import_sample.csv": ("", 0, "Đã nhập 7 dòng"),
}
COVERED_ELSEWHERE = {
    "make test": "CI runs it (.ci/run); a test cannot run the suite it belongs to",
    "make lint": "ruff over the tree; the suite checks style through the architecture tests, CI can run it",
    "make bench": "run by hand: measurements are never timed assertions",
    "make clean": "deletes the virtual environment the tests run in",
    "make run PYTHON=python3.12": "needs another interpreter; `make run` itself is run here",
    "make run CONFIG=/đường/dẫn/cấu-hình.toml": "`make run` is run here; CONFIG only names the file",
    "make run CONFIG=/path/to/config.toml": "the English twin of the line above",
    "make demo ROLE=admin": "the same code path as ROLE=focal, run here",
    "export TELEGRAM_BOT_TOKEN='123456789:AA...'": "a real token; tests/e2e run the bot against a fake Bot API",
    "export ZALO_BOT_TOKEN='1234567890:abcDEF...'": "a real token; tests/e2e/test_zalo.py runs the bot against a fake",
    ".venv/bin/python -m bot db upgrade --config config.toml": "tests/test_cli.py::test_members_revoke_and_upgrade",
    ".venv/bin/python -m bot db rebuild-summary --config config.toml": (
        "tests/storage/test_entry_days.py drives it through bot.__main__.main on a spoilt summary"
    ),
    CLI + " db copy --config laichau/province.toml --from sqlite+aiosqlite:///data/binhlu.db --commune binhlu": (
        "tests/storage/test_copy.py runs it on a commune's file, into PostgreSQL in the PostgreSQL pass"
    ),
}


def test_every_readme_command_is_covered():
    assert readme_commands() - set(RUN_HERE) - set(COVERED_ELSEWHERE) == set()
    assert set(RUN_HERE) | set(COVERED_ELSEWHERE) >= readme_commands()


@pytest.fixture
def scratch(tmp_path) -> Path:
    """A folder laid out like a clone after its first `make`: the Makefile, the example configuration (and the
    config.toml `make run` or `cp` would make from it), and a .venv that is the test run's own."""
    for name in ("Makefile", "pyproject.toml"):
        (tmp_path / name).symlink_to(ROOT / name)
    venv = tmp_path / ".venv"
    venv.mkdir()
    for entry in (ROOT / ".venv").iterdir():
        if entry.name != ".installed":
            (venv / entry.name).symlink_to(entry)
    (venv / ".installed").touch()  # newer than pyproject.toml: make installs nothing
    example = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    (tmp_path / "config.example.toml").write_text(example, encoding="utf-8")
    (tmp_path / "config.toml").write_text(example, encoding="utf-8")
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    return tmp_path


@pytest.mark.parametrize("command", list(RUN_HERE))
def test_readme_command_as_printed(scratch, command):
    stdin, code, expected = RUN_HERE[command]
    if "laichau/" in command:  # after the README's `cp -r examples/province laichau`
        subprocess.run(["cp", "-r", "examples/province", "laichau"], cwd=scratch, check=True)
    environment = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "MAKEFLAGS", "MFLAGS")}
    environment["PYTHON"] = sys.executable
    result = subprocess.run(
        command, shell=True, cwd=scratch, input=stdin, capture_output=True, text=True, timeout=120, env=environment
    )
    output = result.stdout + result.stderr
    assert (result.returncode != 0) == (code != 0), output
    assert expected in output, output
    if command.startswith("cp -r"):
        assert (scratch / "laichau" / "province.toml").is_file()
    if command == "make demo ROLE=province":  # reads every commune, writes nothing
        assert "Cả tỉnh:" in output and "– UBND phường Đoàn Kết (đến" in output and "Traceback" not in output
    elif command.startswith("make demo"):
        assert "Đã ghi #" in output and "Đã hủy #" in output and "1. Trực tuyến\n2. Trực tiếp" in output
        assert "Traceback" not in output
