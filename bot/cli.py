"""What each command-line command does; `__main__` only parses the arguments."""

from __future__ import annotations

import asyncio
import logging
import sys
from datetime import datetime
from pathlib import Path

from bot.app import App
from bot.config import MAX_INVITE_HOURS, TOKEN_ENV, ZALO_TOKEN_ENV, Config
from bot.core.clock import local_date, running_clock
from bot.core.permissions import Role
from bot.core.texts import format_date
from bot.logs import setup_logging
from jobs.sweep import sweep

logger = logging.getLogger("bot")

NO_TOKEN = f"""Chưa có mã bot (token) của Telegram hay Zalo; cần ít nhất một.
Telegram:
  1. Nhắn @BotFather lệnh /newbot, đặt tên, nhận token.
  2. Đặt biến môi trường {TOKEN_ENV}=<token> (hoặc khóa [telegram] token trong tệp cấu hình).
Zalo:
  1. Trên Zalo, tìm tài khoản chính thức "Zalo Bot Manager", chọn "Zalo Bot Creator", tạo bot, nhận token.
  2. Đặt biến môi trường {ZALO_TOKEN_ENV}=<token> (hoặc khóa [zalo] token trong tệp cấu hình).
Muốn dùng thử không cần token: make demo"""


def channels_of(config: Config) -> list:
    """Every channel the configuration has a token for: Telegram, Zalo, or both in one process."""
    channels = []
    if token := config.token():
        from bot.channels.telegram import TelegramChannel

        channels.append(TelegramChannel(config.telegram, token, uploads=Path(config.exports.files_dir) / "uploads"))
    if token := config.zalo_token():
        from bot.channels.zalo import ZaloChannel

        channels.append(ZaloChannel(config.zalo, token))
    return channels


async def _with_app(app: App, work):
    """Open the app (database brought up to date, channels connected), do `work`, and always close it."""
    await app.open()
    try:
        return await work(app)
    finally:
        await app.stop()


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
    channels = channels_of(config)
    if not channels:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    setup_logging(secrets=config.secrets())
    logger.info("starting the bot for %s", config.commune.name)
    asyncio.run(App(config, channels).run_until_signalled())
    return 0


def cmd_invite(args, config: Config) -> int:
    if args.member is not None:
        return _link_invite(args, config)
    if args.role == Role.FOCAL and not args.department:
        print("Đầu mối cần --department <mã phòng>.", file=sys.stderr)
        return 2
    if args.department and config.department(args.department) is None:
        codes = ", ".join(config.department_codes)
        print(f"Không có phòng mã {args.department!r}. Các mã: {codes}.", file=sys.stderr)
        return 2
    if not _hours_ok(args.hours):
        return 2
    department = args.department if args.role == Role.FOCAL else None

    async def work(app: App):
        invite = await app.service.create_invite(Role(args.role), department, created_by="cli", ttl_hours=args.hours)
        return invite, await _bot_username(config)

    invite, username = asyncio.run(_with_app(App(config), work))
    who = f"{args.role}" + (f" – {config.department(department).name}" if department else "")
    print(f"Mã mời {who}, dùng một lần, hết hạn {_expiry(invite, config)}.")
    if config.token() or not config.zalo_token():
        print(f"https://t.me/{username}?start={invite.code}")
    if config.zalo_token():
        print("Trên Zalo: nhắn cho bot /start <mã>")
    print(invite.code)
    return 0


def _link_invite(args, config: Config) -> int:
    """A code that joins one more app (say Zalo beside Telegram) to an existing member."""
    if not _hours_ok(args.hours):
        return 2

    async def work(app: App):
        return await app.service.create_invite(
            None, None, created_by="cli", ttl_hours=args.hours, person_id=args.member
        )

    try:
        invite = asyncio.run(_with_app(App(config), work))
    except ValueError as error:
        print(f"{error}. Xem danh sách: python -m bot members --config {args.config}", file=sys.stderr)
        return 2
    print(f"Mã liên kết ứng dụng cho thành viên {args.member}, dùng một lần, hết hạn {_expiry(invite, config)}.")
    print("Người đó gõ trên ứng dụng mới (Telegram hoặc Zalo): /start <mã>")
    print(invite.code)
    return 0


def _hours_ok(hours: int | None) -> bool:
    if hours is not None and not 1 <= hours <= MAX_INVITE_HOURS:
        print(f"--hours phải từ 1 đến {MAX_INVITE_HOURS} (30 ngày): {hours}", file=sys.stderr)
        return False
    return True


def _expiry(invite, config: Config) -> str:
    expires = invite.expires_at.astimezone(config.commune.tz)
    return f"{format_date(expires)} {expires:%H:%M}"


def cmd_members(args, config: Config) -> int:
    print(asyncio.run(_with_app(App(config), lambda app: app.service.list_members())))
    return 0


def cmd_revoke(args, config: Config) -> int:
    print(asyncio.run(_with_app(App(config), lambda app: app.service.revoke_from_cli(args.person_id, label="cli"))))
    return 0


def cmd_db(args, config: Config) -> int:
    asyncio.run(_with_app(App(config), lambda app: asyncio.sleep(0)))
    print("Cơ sở dữ liệu đã ở phiên bản mới nhất.")
    return 0


def _instant(value: str, config: Config) -> datetime:
    """An ISO 8601 time; without an offset it is read in the commune's zone."""
    instant = datetime.fromisoformat(value)
    return instant if instant.tzinfo else instant.replace(tzinfo=config.commune.tz)


def cmd_remind(args, config: Config) -> int:
    try:
        at = _instant(args.at, config)
    except ValueError:
        print(f"--at phải là thời điểm ISO 8601, ví dụ 2026-11-27T08:00: {args.at!r}", file=sys.stderr)
        return 2
    channels = [] if args.dry_run else channels_of(config)
    if not args.dry_run and not channels:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    setup_logging(logging.WARNING, secrets=config.secrets())
    app = App(config, channels, clock=running_clock(at))

    async def work(app: App) -> None:
        result, new = await sweep(app.db, app.reminders, app.clock(), dry_run=args.dry_run)
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
        await app.sender.drain()
        print(f"Đã xếp {result.queued} tin nhắc vào hàng đợi ({result.expired} quá hạn, không gửi).")

    asyncio.run(_with_app(app, work))
    return 0


def cmd_demo(args, config: Config) -> int:
    from bot.channels.console import ConsoleChannel, repl
    from bot.core.texts import text
    from bot.demo import demo_config, demo_folder, preview_reminders, seed

    folder = demo_folder()
    config = demo_config(config, folder)
    console = ConsoleChannel(print)
    app = App(config, [console])

    async def work(app: App) -> None:
        await console.start(app.inbox)
        with console.transport.muted():
            chats = await seed(app, console)
            await app.sender.drain()  # the sample data's own notices go out quietly
        chat = chats[Role(args.as_role)]
        console.transport.listen_to(chat.user_id)  # the terminal shows what this person receives
        await app.start(sweep=False)
        print(text("demo.welcome", commune=config.commune.name, name=chat.user_name))
        print(text("demo.data", path=folder / "demo.db"))
        print(text("demo.choices"))
        print("\n".join(await preview_reminders(app, chat)))
        await repl(chat, input)

    asyncio.run(_with_app(app, work))
    return 0


def _write_file(config: Config, job, out: str) -> int:
    """Render a file as the bot would and write it to `out`."""
    from bot.service.exports import render_file

    app = App(config)

    async def work(app: App):
        return await render_file(app.db, config, job, local_date(app.clock(), config.commune.tz))

    content, _, _ = asyncio.run(_with_app(app, work))
    Path(out).write_bytes(content)
    print(f"Đã ghi {out}.")
    return 0


def cmd_export(args, config: Config) -> int:
    from bot.core.views import FileJob
    from bot.service.exports import period_of

    if args.period is not None and config.report(args.period) is None:
        print(f"Không có kỳ báo cáo {args.period!r}.", file=sys.stderr)
        return 2
    return _write_file(config, FileJob("workbook", period_of(config, args.year, args.period)), args.out)


def cmd_draft(args, config: Config) -> int:
    from bot.core.views import FileJob
    from bot.service.exports import period_of, report_title

    if config.report(args.report) is None or config.report_document is None:
        print("Cần kỳ báo cáo có trong [[reports]] và mục [report_document] trong cấu hình.", file=sys.stderr)
        return 2
    job = FileJob("document", period_of(config, args.year, args.report), report_title(config, args.report, args.year))
    return _write_file(config, job, args.out)


def cmd_import(args, config: Config) -> int:
    from bot.core.texts import render
    from bot.core.views import Refusal
    from bot.service.exports import import_from_cli

    path = Path(args.file)
    if not path.is_file():
        print(f"Không có tệp {path}.", file=sys.stderr)
        return 2
    try:
        print(
            render(asyncio.run(_with_app(App(config), lambda app: import_from_cli(app.db, config, path, app.clock()))))
        )
    except Refusal as refusal:
        print(render(refusal.view), file=sys.stderr)
        return 2
    return 0
