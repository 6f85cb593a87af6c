"""The configuration: the example is complete, and every error names its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import TOKEN_ENV, ZALO_TOKEN_ENV, ConfigError, derive_code, load_config, parse_config
from tests.conftest import ROOT

EXAMPLE = ROOT / "config.example.toml"


def test_example_config_is_complete_for_binh_lu():
    config = load_config(EXAMPLE)
    (commune,) = config.communes
    assert commune.commune.tz.key == "Asia/Ho_Chi_Minh" and commune.code == "binh_lu"
    names = {d.name for d in commune.departments}
    assert {"Văn phòng HĐND và UBND xã", "Phòng Văn hóa – Xã hội", "Phòng Kinh tế"} <= names
    assert "Trung tâm Phục vụ hành chính công" in names
    assert commune.baseline[2025].meetings == 120 and commune.baseline[2025].documents == 600
    assert commune.targets.online_meeting_share == 0.6 and commune.targets.document_cut == 0.15
    assert config.database.url.startswith("sqlite+aiosqlite:///data/")
    assert config.telegram.base_url == "https://api.telegram.org/bot"


def test_example_config_is_faithful_to_the_plan():
    (config,) = load_config(EXAMPLE).communes
    assert config.consolidating_department == "vhxh"  # §IV.2: Phòng Văn hóa – Xã hội consolidates
    for report in config.reports:  # §IV.3–4: the office, the specialised departments and the service centre
        assert report.departments == ["vp", "vhxh", "kt", "tthcc"]
    half, year = config.to_commune(1).reports
    assert (half.window(2026).start.isoformat(), half.window(2026).end.isoformat()) == ("2025-12-15", "2026-05-14")
    assert (year.due(2026).isoformat(), year.window(2026).end.isoformat()) == ("2026-11-30", "2026-11-14")
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "01/7/2025" in text and "6 tháng cuối năm" in text, "the 2025 baseline is explained"


def test_the_older_name_of_the_consolidating_department_still_works():
    config = parse_config(minimal(reminders={"escalate_to": "vp"}))
    assert config.communes[0].consolidating_department == "vp"


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


PROVINCE = ROOT / "examples" / "province" / "province.toml"


def test_the_province_example_has_its_communes_in_their_files():
    config = load_config(PROVINCE)
    assert config.province.name == "Tỉnh Lai Châu" and config.name == "Tỉnh Lai Châu"
    assert [c.code for c in config.communes] == ["binhlu", "doanket", "tamduong"]  # sorted by file name
    assert all([d.code for d in c.departments][:2] == ["vp", "vhxh"] for c in config.communes), "codes shared"
    assert config.commune("binhlu").report_document.plan_number == "641/KH-UBND"


def test_a_single_commune_file_derives_a_stable_code():
    assert derive_code("UBND xã Bình Lư") == "binh_lu"
    assert derive_code("UBND phường Đoàn Kết") == "doan_ket"
    assert derive_code("Ủy ban nhân dân thị trấn Tân Uyên") == "tan_uyen"


def province(tmp_path, communes: dict[str, str], extra: str = "") -> Path:
    (tmp_path / "communes").mkdir()
    for name, body in communes.items():
        (tmp_path / "communes" / name).write_text(body, encoding="utf-8")
    path = tmp_path / "province.toml"
    path.write_text(f'[province]\nname = "Tỉnh X"\ncommunes = ["communes/*.toml"]\n{extra}', encoding="utf-8")
    return path


def commune_file(code: str | None, departments=("vp",), more: str = "") -> str:
    lines = ["[commune]", f'code = "{code}"' if code else "", f'name = "UBND xã {code}"']
    for department in departments:
        lines += ["[[departments]]", f'code = "{department}"', 'name = "Phòng"']
    return "\n".join(lines) + "\n" + more


@pytest.mark.parametrize(
    "files,extra,where,key",
    [
        ({"a.toml": commune_file("x"), "b.toml": commune_file("x")}, "", "province.toml", "mã xã bị trùng: x"),
        (
            {"a.toml": commune_file("x", more='[database]\nurl = "sqlite+aiosqlite:///x.db"\n')},
            "",
            "a.toml",
            "database",
        ),
        ({"a.toml": commune_file("x", more="[telegram]\npoll_timeout = 5\n")}, "", "a.toml", "telegram"),
        ({"a.toml": commune_file("x", departments=("vp", "vp"))}, "", "a.toml", "mã phòng bị trùng: vp"),
        ({"a.toml": commune_file(None)}, "", "a.toml", "commune.code"),
        ({"a.toml": commune_file("x")}, '[[departments]]\ncode = "vp"\nname = "P"\n', "province.toml", "departments"),
    ],
)
def test_a_province_refuses_what_would_mix_communes_naming_the_file_and_the_key(tmp_path, files, extra, where, key):
    with pytest.raises(ConfigError) as err:
        load_config(province(tmp_path, files, extra))
    assert where in str(err.value) and key in str(err.value)


def test_a_glob_matching_nothing_is_refused(tmp_path):
    path = tmp_path / "province.toml"
    path.write_text('[province]\nname = "Tỉnh X"\ncommunes = ["xa/*.toml"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="xa/\\*.toml"):
        load_config(path)


def test_two_communes_may_share_department_codes(tmp_path):
    config = load_config(province(tmp_path, {"a.toml": commune_file("a"), "b.toml": commune_file("b")}))
    assert [[d.code for d in c.departments] for c in config.communes] == [["vp"], ["vp"]]


def test_each_webhook_keeps_its_own_path_when_its_table_names_only_a_port():
    config = parse_config(minimal(telegram={"webhook": {"port": 9000}}, zalo={"webhook": {"port": 9000}}))
    assert (config.telegram.webhook.path, config.zalo.webhook.path) == ("/telegram", "/zalo")
    assert config.telegram.mode == "polling" and config.telegram.webhook.secret_value == ""
