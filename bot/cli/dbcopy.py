"""`db copy`: a commune's database (its SQLite file) copied into the configured one (the province's PostgreSQL),
which is brought to the latest migration first. Refused, with nothing written, when the source is not at the
latest migration or the target already holds the commune's records; run once per commune to merge many files."""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy.engine import make_url

from bot.cli.common import Refusal, main_of
from bot.config import Config
from storage.copy import TableCopied, commune_codes, copy_commune, holds_records, missing_file, revision
from storage.db import Database
from storage.migrate import alembic_config, head

EVERY_COMMUNE = {"all_communes": True}  # the copy reads and writes a commune's rows in every table


class Bars:
    """One progress bar per table on a terminal (rows copied of rows to copy); nothing when not a terminal."""

    def __init__(self) -> None:
        self.quiet = not sys.stderr.isatty()
        self.bars: dict = {}

    def __call__(self, table: str, done: int, total: int) -> None:
        if self.quiet:
            return
        from tqdm import tqdm

        if table not in self.bars:
            self.bars[table] = tqdm(total=total, desc=f"{table:<18}", unit=" dòng", file=sys.stderr, leave=True)
        bar = self.bars[table]
        bar.update(done - bar.n)
        if done >= total:
            bar.close()


def _source_url(value: str) -> str:
    if (missing := missing_file(value)) is not None:
        raise Refusal(f"Không thấy tệp cơ sở dữ liệu nguồn: {missing}")
    return value


def _alembic_head() -> str:
    """The latest revision as Alembic reads the scripts (when their lines alone do not tell it: a merge)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def _copy(config: Config, source_url: str, wanted: str | None, progress) -> tuple[str, list[TableCopied]]:
    latest = head() or _alembic_head()
    source, target = Database(source_url), Database(config.database.url)
    try:
        async with source.engine.connect() as reading:
            await reading.execution_options(**EVERY_COMMUNE)
            at = await revision(reading)
            if at != latest:
                raise Refusal(
                    f"Cơ sở dữ liệu nguồn ở phiên bản {at or 'không rõ'}, chưa phải phiên bản mới nhất ({latest}). "
                    "Hãy chạy `python -m bot db upgrade` với cấu hình trỏ vào nó trước."
                )
            codes = await commune_codes(reading)
            code = wanted or (codes[0] if len(codes) == 1 else None)
            if code is None:
                raise Refusal(f"Nguồn có nhiều xã; cần --commune <mã xã>. Các mã: {', '.join(codes)}.")
            if code not in codes:
                raise Refusal(f"Nguồn không có xã mã {code!r}. Các mã: {', '.join(codes)}.")
            if config.commune(code) is None:
                configured = ", ".join(c.code for c in config.communes)
                raise Refusal(f"Cấu hình không có xã mã {code!r} (các mã: {configured}); thêm xã vào cấu hình trước.")
            await target.upgrade()
            # All or nothing: a refusal, or a table that does not verify, rolls everything back.
            async with target.engine.begin() as writing:
                await writing.execution_options(**EVERY_COMMUNE)
                if await holds_records(writing, code):
                    raise Refusal(f"Cơ sở dữ liệu đích đã có số liệu của xã {code}; không chép đè.")
                return code, await copy_commune(reading, writing, code, progress)
    finally:
        await source.dispose()
        await target.dispose()


@main_of
def cmd_db_copy(args, config: Config) -> int:
    source_url = _source_url(args.from_url)
    if make_url(source_url) == make_url(config.database.url):
        raise Refusal("Nguồn và đích là cùng một cơ sở dữ liệu.")
    code, tables = asyncio.run(_copy(config, source_url, args.commune, Bars()))
    width = max(len(t.table) for t in tables)
    for table in tables:
        print(f"{table.table:<{width}}  {table.rows:>7} dòng  {table.checksum[:12]}")
    print(f"Xong: đã chép xã {code} ({sum(t.rows for t in tables)} dòng, {len(tables)} bảng), mọi bảng đã đối chiếu.")
    return 0
