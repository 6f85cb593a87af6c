"""`[web]`: off unless asked, a public URL required to turn it on, a plain URL, and a province's commune files
may not carry it."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_config, parse_config


def minimal(**extra) -> dict:
    return {"commune": {"name": "UBND xã X"}, "departments": [{"code": "vp", "name": "Văn phòng"}], **extra}


def test_the_pages_are_off_by_default_and_on_with_their_address():
    assert parse_config(minimal()).web.enabled is False
    web = parse_config(minimal(web={"enabled": True, "public_url": "https://ubnd.x.vn/solieu/"})).web
    assert (web.public_url, web.root, web.secure) == ("https://ubnd.x.vn/solieu", "/solieu", True)
    plain = parse_config(minimal(web={"enabled": True, "public_url": "http://127.0.0.1:8081"})).web
    assert (plain.root, plain.secure) == ("", False)


@pytest.mark.parametrize(
    "web",
    [
        {"enabled": True},
        {"public_url": "ftp://x.vn"},
        {"public_url": "https://x.vn/?a=1"},
        {"public_url": "x.vn"},
        {"port": 0},
        {"bat": True},
    ],
)
def test_errors_name_the_web_key(web):
    with pytest.raises(ConfigError) as err:
        parse_config(minimal(web=web))
    assert "  web" in str(err.value)


def test_a_commune_file_may_not_carry_the_web_section(tmp_path):
    (tmp_path / "communes").mkdir()
    (tmp_path / "province.toml").write_text('[province]\nname = "Tỉnh"\ncommunes = ["communes/*.toml"]\n')
    (tmp_path / "communes" / "a.toml").write_text(
        '[commune]\ncode = "a"\nname = "Xã A"\n[[departments]]\ncode = "vp"\nname = "VP"\n[web]\nenabled = false\n'
    )
    with pytest.raises(ConfigError, match="web: chỉ khai trong tệp của tỉnh"):
        load_config(tmp_path / "province.toml")
