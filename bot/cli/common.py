"""What every command-line command shares: the commune it is for, the app's lifetime, and how a refusal is
printed. The command line is one more edge: it finds the commune and calls the same use cases the chat does."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError

from bot.app import App
from bot.config import TOKEN_ENV, ZALO_TOKEN_ENV, Config
from bot.http_server import HttpServer, HttpServers

logger = logging.getLogger("bot")

NO_TOKEN = f"""Chưa có mã bot (token) của Telegram hay Zalo; cần ít nhất một.
Telegram:
  1. Nhắn @BotFather lệnh /newbot, đặt tên, nhận token.
  2. Đặt biến môi trường {TOKEN_ENV}=<token> (hoặc khóa [telegram] token trong tệp cấu hình).
Zalo:
  1. Trên Zalo, tìm tài khoản chính thức "Zalo Bot Manager", chọn "Zalo Bot Creator", tạo bot, nhận token.
  2. Đặt biến môi trường {ZALO_TOKEN_ENV}=<token> (hoặc khóa [zalo] token trong tệp cấu hình).
Muốn dùng thử không cần token: make demo"""


class Refusal(Exception):  # noqa: N818 - an answer to print, not a failure
    """What the command line says when it cannot do what was asked; exit status 2."""


def channels_of(config: Config, servers: HttpServers) -> list:
    """Every channel the configuration has a token for: Telegram, Zalo, or both in one process; a webhook on
    the server of its listen address and port among `servers` (shared with whatever else is there)."""

    def server_of(channel) -> HttpServer | None:
        hook = channel.webhook
        return servers.at(hook.listen, hook.port) if channel.mode == "webhook" else None

    channels = []
    if token := config.token():
        from bot.channels.telegram import TelegramChannel

        uploads = Path(config.exports.files_dir) / "uploads"
        channels.append(TelegramChannel(config.telegram, token, uploads=uploads, server=server_of(config.telegram)))
    if token := config.zalo_token():
        from bot.channels.zalo import ZaloChannel

        channels.append(ZaloChannel(config.zalo, token, server=server_of(config.zalo)))
    return channels


def commune_code(config: Config, code: str | None) -> str:
    """The commune a command is for: the one named (checked), or the only one there is."""
    if code is None:
        if len(config.communes) > 1:
            raise Refusal(f"Cần --commune <mã xã>. Các mã: {', '.join(c.code for c in config.communes)}.")
        return config.communes[0].code
    if config.commune(code) is None:
        raise Refusal(f"Không có xã mã {code!r}. Các mã: {', '.join(c.code for c in config.communes)}.")
    return code


def run_with_app(app: App, work):
    """Open the app (database brought up to date, channels connected), do `work`, and always close it."""

    async def lifetime():
        await app.open()
        try:
            return await work(app)
        finally:
            await app.stop()

    return asyncio.run(lifetime())


def unusable_database(config: Config, err: OperationalError | InterfaceError) -> str:
    """What to say when the database cannot be opened or written (a read-only file or disk, a full disk, a server
    that refuses): which database, the database's own words, and what to check; never a traceback."""
    url = make_url(config.database.url)
    where = url.render_as_string(hide_password=True) if url.password else config.database.url
    reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
    return (
        f"Không dùng được cơ sở dữ liệu {where}: {reason}.\n"
        "Kiểm tra quyền ghi của tệp và thư mục chứa nó, dung lượng đĩa, hoặc máy chủ PostgreSQL và tài khoản của bot."
    )


def main_of(command):
    """A command's entry point: what it refuses is printed on stderr with exit status 2; a database it cannot use
    (read-only, full, unreachable) is said in one message with exit status 3, the details in the debug log."""

    def entry(args, config: Config) -> int:
        try:
            return command(args, config)
        except Refusal as refusal:
            print(refusal, file=sys.stderr)
            return 2
        except (OperationalError, InterfaceError) as err:
            logger.debug("the database cannot be used", exc_info=True)
            print(unusable_database(config, err), file=sys.stderr)
            return 3

    return entry
