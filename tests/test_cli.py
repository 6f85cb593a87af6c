"""The command line: invite, members, revoke, db upgrade, and the console demo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main, parser
from bot.cli.run import on_port
from bot.core.texts import text
from tests.conftest import ROOT
from tests.support.databases import on_database
from tests.support.texts import receipt
from tests.web.site import with_web


@pytest.fixture
def config_file(tmp_path: Path, new_database) -> Path:
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    path = tmp_path / "config.toml"
    text = on_database(text, new_database("cli", empty=True)).replace('"data/files"', f'"{tmp_path / "files"}"')
    path.write_text(text, encoding="utf-8")
    return path


def test_invite_prints_a_deep_link_and_the_code_last(config_file, capsys, monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["invite", "--config", str(config_file), "--role", "focal", "--department", "vhxh"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-2] == f"https://t.me/<tên_bot>?start={lines[-1]}"
    assert "Phòng Văn hóa – Xã hội" in lines[0]


def test_invite_takes_the_role_in_vietnamese_as_the_chat_does(config_file, capsys, monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["invite", "--config", str(config_file), "--role", "daumoi", "--department", "kt"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("Mã mời đầu mối – Phòng Kinh tế, dùng một lần") and "focal" not in first


def test_invite_on_zalo_alone_names_no_telegram_link(config_file, capsys, monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("ZALO_BOT_TOKEN", "123:zalo")
    assert main(["invite", "--config", str(config_file), "--role", "leader"]) == 0
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert "t.me" not in out and lines[-2] == "Trên Zalo: nhắn cho bot /start <mã>" and len(lines[-1]) == 32


@pytest.mark.parametrize(
    "args,message",
    [
        (["--role", "focal"], "--department"),
        (["--role", "focal", "--department", "xyz"], "Không có phòng"),
    ],
)
def test_invite_refuses_bad_arguments(config_file, capsys, args, message):
    assert main(["invite", "--config", str(config_file), *args]) == 2
    assert message in capsys.readouterr().err


def test_members_revoke_and_upgrade(config_file, capsys):
    assert main(["db", "upgrade", "--config", str(config_file)]) == 0
    assert main(["members", "--config", str(config_file)]) == 0
    assert "Chưa có thành viên" in capsys.readouterr().out
    assert main(["revoke", "--config", str(config_file), "5"]) == 0
    assert "Không có thành viên" in capsys.readouterr().out


def test_a_bad_config_stops_with_the_key_named(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[commune]\nname = "X"\ntimezone = "Nowhere/Town"\n', encoding="utf-8")
    assert main(["members", "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "commune.timezone" in err and "departments" in err


@pytest.mark.sqlite_only("a read-only database is made here as a read-only SQLite file")
@pytest.mark.parametrize("command", [["db", "upgrade"], ["run"]])
def test_a_read_only_database_at_start_is_said_in_one_message_without_a_traceback(
    tmp_path, capsys, monkeypatch, command
):
    """As a read-only disk or a file the bot's user cannot write: the bot cannot start, and says why and where."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:never-used")  # the database fails before Telegram is reached
    (tmp_path / "ro.db").touch()
    url = f"sqlite+aiosqlite:///file:{tmp_path / 'ro.db'}?mode=ro&uri=true"
    path = tmp_path / "config.toml"
    path.write_text(on_database((ROOT / "config.example.toml").read_text(encoding="utf-8"), url), encoding="utf-8")
    assert main([*command, "--config", str(path)]) == 3
    said = capsys.readouterr().err  # after the run's log lines, if any: the message, last
    reason, advice = said.splitlines()[-2:]
    assert reason == f"Không dùng được cơ sở dữ liệu {url}: attempt to write a readonly database."
    assert "Traceback" not in said and advice.startswith("Kiểm tra quyền ghi")


def test_run_without_a_token_explains_how_to_get_one(config_file, capsys, monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["run", "--config", str(config_file)]) == 2
    err = capsys.readouterr().err
    assert "@BotFather" in err and "make demo" in err


def test_demo_runs_the_same_commands_in_a_console():
    script = "/chitieu\n/hop\n1\n/huy\n/thoat\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--as", "focal"],
        input=script,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "Chỉ tiêu năm" in result.stdout
    assert "1. Trực tuyến\n2. Trực tiếp" in result.stdout
    assert receipt() in result.stdout and "Đã hủy #" in result.stdout


def test_the_province_officer_tries_it_on_the_province_example():
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--as", "province"],
        input="/chitieu\n/chitieu doanket\n/thoat\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert text("demo.welcome", commune="Tỉnh Lai Châu", name="Cán bộ Sở Nội vụ (demo)") in result.stdout
    ranking = [line for line in result.stdout.splitlines() if line[:2] in ("1.", "2.", "3.")]
    names = ["UBND xã Bình Lư", "UBND phường Đoàn Kết", "UBND xã Tam Đường"]
    assert sorted(n for line in ranking for n in names if n in line) == sorted(names), "every commune, with data"
    assert "Chỉ tiêu năm" in result.stdout and "– UBND phường Đoàn Kết (đến" in result.stdout


def test_export_draft_and_import_from_the_command_line(config_file, tmp_path, capsys):
    sample = ROOT / "samples" / "import_sample.csv"
    assert main(["import", "--config", str(config_file), str(sample)]) == 0
    assert "Đã nhập 7 dòng" in capsys.readouterr().out
    assert main(["import", "--config", str(config_file), str(sample)]) == 0
    assert text("import.result", read=12, imported=0, skipped=7, refused=5) in capsys.readouterr().out
    assert main(["export", "--config", str(config_file), "--year", "2026", "--out", str(tmp_path / "a.xlsx")]) == 0
    assert (tmp_path / "a.xlsx").read_bytes()[:2] == b"PK"
    out = tmp_path / "b.docx"
    assert main(["draft", "--config", str(config_file), "--report", "nam", "--year", "2026", "--out", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"
    assert main(["draft", "--config", str(config_file), "--report", "quy", "--year", "2026", "--out", str(out)]) == 2
    assert main(["import", "--config", str(config_file), str(tmp_path / "none.csv")]) == 2


def test_a_replicas_port_puts_every_http_endpoint_on_that_one_port(config):
    """`run --port N`: both webhooks and the pages on N, so the replica's endpoints share one server."""
    config = with_web(config)
    moved = on_port(config, 8092)
    assert {moved.telegram.webhook.port, moved.zalo.webhook.port, moved.web.port} == {8092}
    assert moved.web.public_url == config.web.public_url and on_port(config, None) is config
    assert parser().parse_args(["run", "--config", "x.toml", "--port", "8092"]).port == 8092
