"""`db copy`: a commune's SQLite file copied into the configured database (PostgreSQL in the PostgreSQL pass,
another SQLite file otherwise) answers /chitieu with the same figures, keeps its members' numbers, merges a second
commune's file beside it, and refuses a source not at the latest migration or a commune already there."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path

from bot.__main__ import main
from bot.core.permissions import Role
from bot.service import Service
from storage.db import Database
from tests.conftest import ROOT, example_config, province_config
from tests.service.test_service import WORKED_MEETINGS
from tests.support.clock import MutableClock
from tests.support.databases import on_database, sqlite_url
from tests.support.users import User, member_list, register


async def cli(args: list[str]) -> int:
    """The command line as an operator runs it (its own event loop, in a thread of its own)."""
    return await asyncio.to_thread(main, args)


ALONE = "binh_lu"  # config.example.toml's commune, its code derived from its name
CHATS = {ALONE: ("101", "201"), "binhlu": ("101", "201"), "tamduong": ("102", "202")}  # (focal, leader) chat ids


async def commune_file(folder: Path, code: str, clock) -> tuple[str, str]:
    """A commune's own SQLite file with a year's worth of records logged by chat; (its URL, its /chitieu)."""
    await asyncio.to_thread(folder.mkdir)
    url = sqlite_url(folder / f"{code}.db")
    if code == ALONE:
        config = example_config(url, folder)
    else:  # one of the province's communes, in a file of its own
        province = province_config(url, folder)
        config = province.model_copy(update={"communes": tuple(c for c in province.communes if c.code == code)})
    service = Service(config, Database(url), clock)
    await service.prepare()
    try:
        focal = await register(service, CHATS[code][0], Role.FOCAL, "vhxh")
        leader = await register(service, CHATS[code][1], Role.LEADER)
        for line in WORKED_MEETINGS:
            await focal.say(line)
        for n in range(3):
            await focal.say(f"/vanban dien_tu {n + 1}/UBND-VHXH")
        await focal.say("/hoso 19 1")
        await leader.say("/giaoviec vhxh Rà soát hồ sơ hạn 15/12/2026")
        return url, await leader.say("/chitieu")
    finally:
        await service.db.dispose()


def write_config(tmp_path: Path, url: str, *, province: bool = False) -> Path:
    source = ROOT / ("examples/province/province.toml" if province else "config.example.toml")
    text = source.read_text(encoding="utf-8")
    path = tmp_path / "target.toml"
    if province:
        text = text.replace('url = "sqlite+aiosqlite:///data/laichau.db"', f'url = "{url}"')
        shutil.copytree(source.parent / "communes", tmp_path / "communes")  # the communes' files, beside it
        assert url in text
    else:
        text = on_database(text, url)
    path.write_text(text, encoding="utf-8")
    return path


async def chitieu(service: Service, code: str) -> str:
    """What the commune's leader (as registered in its own file) reads from /chitieu."""
    leader = CHATS[code][1]
    return await User(service, leader, f"Người dùng {leader}").say("/chitieu")


async def test_a_communes_file_copied_answers_chitieu_with_the_same_figures(tmp_path, new_database, capsys):
    clock = MutableClock()
    source, before = await commune_file(tmp_path / "binhlu", ALONE, clock)
    target = new_database("target", empty=True)  # upgraded by the copy itself
    config = write_config(tmp_path, target)

    assert await cli(["db", "copy", "--config", str(config), "--from", source]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith(f"Xong: đã chép xã {ALONE}"), out
    assert "entries" in out and "people" in out
    service = Service(example_config(target, tmp_path), Database(target), clock)
    await service.prepare()
    try:
        assert await chitieu(service, ALONE) == before
        # Nine records were logged in the file (five meetings, three documents, the dossiers): the next is #10.
        assert "#10:" in await User(service, CHATS["binhlu"][0], "Người dùng 101").say("/hop tructiep Họp sau khi chép")
        assert "Người dùng 101" in await member_list(service)
    finally:
        await service.db.dispose()

    # Once is enough: the commune is there now.
    assert await cli(["db", "copy", "--config", str(config), "--from", source]) == 2
    assert f"đã có số liệu của xã {ALONE}" in capsys.readouterr().err


async def test_a_source_not_at_the_latest_migration_is_refused(tmp_path, new_database, capsys):
    clock = MutableClock()
    source, _ = await commune_file(tmp_path / "binhlu", ALONE, clock)
    with sqlite3.connect(source.removeprefix("sqlite+aiosqlite:///")) as old:
        old.execute("UPDATE alembic_version SET version_num = '0011'")
    target = new_database("target")
    config = write_config(tmp_path, target)
    assert await cli(["db", "copy", "--config", str(config), "--from", source]) == 2
    assert "chưa phải phiên bản mới nhất" in capsys.readouterr().err
    assert await cli(["db", "copy", "--config", str(config), "--from", sqlite_url(tmp_path / "none.db")]) == 2
    assert "Không thấy tệp" in capsys.readouterr().err


async def test_two_communes_files_merge_into_one_province_database(tmp_path, new_database, capsys):
    clock = MutableClock()
    binhlu, binhlu_before = await commune_file(tmp_path / "binhlu", "binhlu", clock)
    tamduong, tamduong_before = await commune_file(tmp_path / "tamduong", "tamduong", clock)
    target = new_database("province")
    config = write_config(tmp_path, target, province=True)
    assert await cli(["db", "upgrade", "--config", str(config)]) == 0  # the province started: communes made

    for source in (binhlu, tamduong):
        assert await cli(["db", "copy", "--config", str(config), "--from", source]) == 0
    capsys.readouterr()

    service = Service(province_config(target, tmp_path), Database(target), clock)
    await service.prepare()
    try:
        # The second file's ids were the first's: renumbered, and every reference followed.
        assert await chitieu(service, "binhlu") == binhlu_before
        assert await chitieu(service, "tamduong") == tamduong_before
        assert "Người dùng 102" in await member_list(service, "tamduong")
    finally:
        await service.db.dispose()
