"""Command line: run, demo, invite, members, revoke, remind, db upgrade."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import datetime, timedelta
from pathlib import Path

from bot.config import TOKEN_ENV, Config, ConfigError, load_config
from bot.core.clock import running_clock
from bot.core.permissions import Role
from bot.core.texts import format_date
from bot.logs import setup_logging
from bot.service import Service
from storage.db import Database

logger = logging.getLogger("bot")

REPO_EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"
NO_TOKEN = f"""Chưa có mã bot Telegram (token).
  1. Trên Telegram, nhắn @BotFather lệnh /newbot, đặt tên, nhận token.
  2. Đặt biến môi trường {TOKEN_ENV}=<token> (hoặc khóa [telegram] token trong tệp cấu hình).
Muốn dùng thử không cần Telegram: make demo"""


def _service(config: Config) -> Service:
    return Service(config, Database(config.database.url))


async def _with_service(config: Config, work, service: Service | None = None):
    service = service or _service(config)
    try:
        await service.prepare()
        return await work(service)
    finally:
        await service.db.dispose()


async def _bot_username(config: Config) -> str:
    from telegram import Bot
    from telegram.error import TelegramError

    token = config.token()
    if token:
        try:
            async with Bot(token, base_url=config.telegram.base_url) as bot:
                return bot.username
        except (TelegramError, OSError):
            logger.warning("could not ask Telegram for the bot's name")
    return "<tên_bot>"


def cmd_run(args, config: Config) -> int:
    from bot.channels.telegram import run_polling

    token = config.token()
    if not token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    setup_logging(secrets=(token,))
    logger.info("starting the bot for %s", config.commune.name)
    run_polling(config, _service(config), token)
    return 0


def cmd_invite(args, config: Config) -> int:
    if args.role == Role.FOCAL and not args.department:
        print("Đầu mối cần --department <mã phòng>.", file=sys.stderr)
        return 2
    if args.department and config.department(args.department) is None:
        codes = ", ".join(d.code for d in config.departments)
        print(f"Không có phòng mã {args.department!r}. Các mã: {codes}.", file=sys.stderr)
        return 2
    department = args.department if args.role == Role.FOCAL else None

    async def work(service: Service):
        invite = await service.create_invite(Role(args.role), department, created_by="cli", ttl_hours=args.hours)
        return invite, await _bot_username(config)

    invite, username = asyncio.run(_with_service(config, work))
    expires = invite.expires_at.astimezone(config.commune.tz)
    who = f"{args.role}" + (f" – {config.department(department).name}" if department else "")
    print(f"Mã mời {who}, dùng một lần, hết hạn {format_date(expires)} {expires:%H:%M}.")
    print(f"https://t.me/{username}?start={invite.code}")
    print(invite.code)
    return 0


def cmd_members(args, config: Config) -> int:
    print(asyncio.run(_with_service(config, lambda service: service.list_members())))
    return 0


def cmd_revoke(args, config: Config) -> int:
    print(asyncio.run(_with_service(config, lambda service: service.revoke_from_cli(args.person_id, label="cli"))))
    return 0


def cmd_db(args, config: Config) -> int:
    asyncio.run(_with_service(config, lambda service: asyncio.sleep(0)))
    print("Cơ sở dữ liệu đã ở phiên bản mới nhất.")
    return 0


def _instant(value: str, config: Config) -> datetime:
    """An ISO 8601 time; without an offset it is read in the commune's zone."""
    instant = datetime.fromisoformat(value)
    return instant if instant.tzinfo else instant.replace(tzinfo=config.commune.tz)


def cmd_remind(args, config: Config) -> int:
    from telegram import Bot

    from bot.channels.telegram import TelegramTransport
    from jobs.reminders import sweep
    from jobs.sender import OutboxSender

    try:
        at = _instant(args.at, config)
    except ValueError:
        print(f"--at phải là thời điểm ISO 8601, ví dụ 2026-11-27T08:00: {args.at!r}", file=sys.stderr)
        return 2
    token = config.token()
    if not args.dry_run and not token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    setup_logging(logging.WARNING, secrets=(token or "",))
    service = Service(config, Database(config.database.url), running_clock(at))

    async def work(service: Service) -> None:
        result, new = await sweep(service, service.clock(), dry_run=args.dry_run)
        if args.dry_run:
            for item in new:
                first_line = item.text.splitlines()[0]
                print(
                    f"{item.key.kind} {item.key.subject} {item.key.stage} {item.key.day} [{item.status}] "
                    f"→ {len(item.recipients)} chat: {first_line}"
                )
            pending = sum(i.status == "pending" for i in new)
            print(f"Sẽ gửi {pending} tin, bỏ qua {len(new) - pending} tin đã quá thời hạn gửi bù.")
            return
        catch_up = timedelta(hours=config.reminders.catch_up_hours)
        catch_up = timedelta(hours=config.reminders.catch_up_hours)
        async with Bot(token, base_url=config.telegram.base_url) as bot:
            sender = OutboxSender(service.db, {"telegram": TelegramTransport(bot)}, service.clock, service.tz, catch_up)
            await sender.drain()
        print(f"Đã xếp {result.queued} tin nhắc vào hàng đợi ({result.expired} quá hạn, không gửi).")

    asyncio.run(_with_service(config, work, service))
    return 0


def cmd_demo(args, config: Config) -> int:
    from bot.channels.console import repl
    from bot.demo import demo_config, demo_folder, seed

    folder = demo_folder()
    config = demo_config(config, folder)

    async def work(service: Service):
        chats = await seed(service)
        chat = chats[Role(args.as_role)]
        print(f"Dùng thử trợ lý của {config.commune.name} – bạn là: {chat.user_name}.")
        print(f"Dữ liệu mẫu: {folder / 'demo.db'}. Gõ /help để xem lệnh, /thoat để thoát.")
        await repl(chat, input, print)

    asyncio.run(_with_service(config, work))
    return 0


def parser() -> argparse.ArgumentParser:
    """The CLI's arguments."""
    root = argparse.ArgumentParser(prog="python -m bot", description="Trợ lý chấn chỉnh lề lối làm việc của UBND xã")
    sub = root.add_subparsers(dest="command", required=True)

    def command(name: str, func, help_text: str, config_required: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--config", required=config_required, default=None if config_required else str(REPO_EXAMPLE))
        p.set_defaults(func=func)
        return p

    command("run", cmd_run, "chạy bot (long polling) đến khi nhận SIGINT/SIGTERM")
    demo = command("demo", cmd_demo, "dùng thử trong cửa sổ dòng lệnh, không cần Telegram", config_required=False)
    demo.add_argument("--as", dest="as_role", choices=[r.value for r in Role], default=Role.LEADER.value)
    invite = command("invite", cmd_invite, "tạo mã mời dùng một lần")
    invite.add_argument("--role", required=True, choices=[r.value for r in Role])
    invite.add_argument("--department", help="mã phòng (bắt buộc với đầu mối)")
    invite.add_argument("--hours", type=int, default=None, help="số giờ hiệu lực (mặc định theo cấu hình)")
    command("members", cmd_members, "liệt kê thành viên đang hoạt động")
    remind = command("remind", cmd_remind, "tính và gửi các tin nhắc đến hạn một lần, như thể đang ở thời điểm --at")
    remind.add_argument("--at", required=True, help="thời điểm ISO 8601, ví dụ 2026-11-27T08:00 (giờ của xã)")
    remind.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không ghi và không gửi")
    revoke = command("revoke", cmd_revoke, "thu hồi mọi quyền của một thành viên")
    revoke.add_argument("person_id", type=int)
    db = sub.add_parser("db", help="quản lý cơ sở dữ liệu")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help="áp dụng các migration còn thiếu")
    upgrade.add_argument("--config", required=True)
    upgrade.set_defaults(func=cmd_db)
    return root


def main(argv: list[str] | None = None) -> int:
    """Entry point: validate the config first; a bad config stops everything with the key named."""
    args = parser().parse_args(argv)
    if args.command != "run":
        setup_logging(logging.WARNING)
    try:
        config = load_config(args.config)
    except ConfigError as err:
        print(err, file=sys.stderr)
        return 2
    return args.func(args, config)


if __name__ == "__main__":
    sys.exit(main())
