"""The configuration: the example is complete, and every error names its key."""

from __future__ import annotations

import pytest

from bot.config import TOKEN_ENV, ZALO_TOKEN_ENV, ConfigError, load_config, parse_config
from tests.conftest import ROOT

EXAMPLE = ROOT / "config.example.toml"


def test_example_config_is_complete_for_binh_lu():
    config = load_config(EXAMPLE)
    assert config.commune.tz.key == "Asia/Ho_Chi_Minh"
    names = {d.name for d in config.departments}
    assert {"Văn phòng HĐND và UBND xã", "Phòng Văn hóa – Xã hội", "Phòng Kinh tế"} <= names
    assert "Trung tâm Phục vụ hành chính công" in names
    assert config.baseline[2025].meetings == 120 and config.baseline[2025].documents == 600
    assert config.targets.online_meeting_share == 0.6 and config.targets.document_cut == 0.15
    assert config.database.url.startswith("sqlite+aiosqlite:///data/")
    assert config.telegram.base_url == "https://api.telegram.org/bot"


def test_example_config_is_faithful_to_the_plan():
    config = load_config(EXAMPLE)
    assert config.consolidating_department == "vhxh"  # §IV.2: Phòng Văn hóa – Xã hội consolidates
    for report in config.reports:  # §IV.3–4: the office, the specialised departments and the service centre
        assert report.departments == ["vp", "vhxh", "kt", "tthcc"]
    half, year = config.report_kinds
    assert (half.window(2026).start.isoformat(), half.window(2026).end.isoformat()) == ("2025-12-15", "2026-05-14")
    assert (year.due(2026).isoformat(), year.window(2026).end.isoformat()) == ("2026-11-30", "2026-11-14")
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "01/7/2025" in text and "6 tháng cuối năm" in text, "the 2025 baseline is explained"


def test_the_older_name_of_the_consolidating_department_still_works():
    config = parse_config(minimal(reminders={"escalate_to": "vp"}))
    assert config.consolidating_department == "vp"


def minimal(**extra) -> dict:
    return {"commune": {"name": "UBND xã X"}, "departments": [{"code": "vp", "name": "Văn phòng"}], **extra}


@pytest.mark.parametrize(
    "data,key",
    [
        (minimal(commune={"name": "X", "timezone": "Mars/Base"}), "commune.timezone"),
        (minimal(departments=[{"code": "Văn Phòng", "name": "VP"}]), "departments.0.code"),
        (minimal(departments=[{"code": "online", "name": "VP"}]), "departments.0.code"),
        (minimal(targets={"meeting_cut": 1.5}), "targets.meeting_cut"),
        (minimal(baseline={"2025": {"meetings": -1}}), "baseline.2025.meetings"),
        (minimal(database={"url": "mysql://x"}), "database.url"),
        (minimal(telegram={"tokn": "x"}), "telegram.tokn"),
        ({"departments": []}, "commune"),
        (minimal(commune={"name": "X", "consolidating_department": "xyz"}), "commune.consolidating_department"),
        (minimal(reports=[{"code": "nam", "name": "N", "due": "30/11", "from": "31/02"}]), "reports.0.from"),
        (minimal(zalo={"webhook": {"secret": "bí-mật-của-xã"}}), "zalo.webhook.secret"),
        (minimal(zalo={"webhook": {"secret": "short"}}), "zalo.webhook.secret"),
        (minimal(zalo={"webhook": {"public_url": "http://x.vn/zalo"}}), "zalo.webhook.public_url"),
        (minimal(zalo={"mode": "webhook"}), "zalo"),
        (minimal(zalo={"webhook": {"path": "zalo?secret=1"}}), "zalo.webhook.path"),
        (minimal(telegram={"webhook": {"secret": "có dấu-không-được"}}), "telegram.webhook.secret"),
        (minimal(telegram={"webhook": {"public_url": "http://x.vn/telegram"}}), "telegram.webhook.public_url"),
        (minimal(telegram={"webhook": {"path": "/a b"}}), "telegram.webhook.path"),
        (minimal(telegram={"mode": "webhook", "webhook": {"secret": "s3cret-webhook"}}), "telegram"),
        (minimal(telegram={"mode": "push"}), "telegram.mode"),
    ],
)
def test_errors_name_the_key(data, key):
    with pytest.raises(ConfigError) as err:
        parse_config(data)
    assert f"  {key}:" in str(err.value)


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(ConfigError, match="Không tìm thấy"):
        load_config(tmp_path / "none.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[commune\nname=", encoding="utf-8")
    with pytest.raises(ConfigError, match="TOML"):
        load_config(bad)


def test_token_from_the_environment_wins_and_is_secret(monkeypatch):
    config = parse_config(minimal(telegram={"token": "111:file"}))
    assert "111:file" not in repr(config)
    monkeypatch.setenv(TOKEN_ENV, "222:env")
    assert config.token() == "222:env"
    monkeypatch.delenv(TOKEN_ENV)
    assert config.token() == "111:file"


def test_every_secret_is_known_to_the_log_filter(monkeypatch):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    monkeypatch.setenv(ZALO_TOKEN_ENV, "333:zalo-env")
    zalo = {"token": "444:zalo-file", "webhook": {"secret": "s3cret-webhook", "public_url": "https://x.vn/zalo"}}
    telegram = {"token": "111:file", "webhook": {"secret": "telegram-hook-secret", "public_url": "https://x.vn/tg"}}
    config = parse_config(minimal(telegram={**telegram, "mode": "webhook"}, zalo={**zalo, "mode": "webhook"}))
    assert "s3cret-webhook" not in repr(config) and "444:zalo-file" not in repr(config)
    assert "telegram-hook-secret" not in repr(config)
    assert config.secrets() == ("111:file", "333:zalo-env", "s3cret-webhook", "telegram-hook-secret")
    monkeypatch.delenv(ZALO_TOKEN_ENV)
    assert parse_config(minimal()).secrets() == ()


def test_each_webhook_keeps_its_own_path_when_its_table_names_only_a_port():
    config = parse_config(minimal(telegram={"webhook": {"port": 9000}}, zalo={"webhook": {"port": 9000}}))
    assert (config.telegram.webhook.path, config.zalo.webhook.path) == ("/telegram", "/zalo")
    assert config.telegram.mode == "polling" and config.telegram.webhook.secret_value == ""
