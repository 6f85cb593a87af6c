"""Registering and removing people from the command line: invite, members, revoke."""

from __future__ import annotations

from bot.app import App
from bot.cli.common import Refusal, commune_code, logger, main_of, run_with_app
from bot.config import Config
from bot.core.commune import Commune
from bot.core.features.access import RoleView, describe_role
from bot.core.permissions import Role
from bot.core.texts import format_date, render


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


def _hours(args, config: Config) -> int:
    from bot.config import MAX_INVITE_HOURS

    if args.hours is not None and not 1 <= args.hours <= MAX_INVITE_HOURS:
        raise Refusal(f"--hours phải từ 1 đến {MAX_INVITE_HOURS} (30 ngày): {args.hours}")
    return args.hours or config.invites.ttl_hours


def _expiry(invite, tz) -> str:
    expires = invite.expires_at.astimezone(tz)
    return f"{format_date(expires)} {expires:%H:%M}"


@main_of
def cmd_invite(args, config: Config) -> int:
    from bot.service.access import create_invite

    hours = _hours(args, config)
    from bot.core.features.invites import ROLE_WORDS

    role = (ROLE_WORDS.get(args.role) or Role(args.role)) if args.role else None
    code = None if role is Role.PROVINCE else commune_code(config, args.commune)
    if role is Role.FOCAL and not args.department:
        raise Refusal("Đầu mối cần --department <mã phòng>.")
    department = args.department if role is Role.FOCAL else None
    if department and department not in (codes := [d.code for d in config.commune(code).departments]):
        raise Refusal(f"Không có phòng mã {department!r}. Các mã: {', '.join(codes)}.")

    async def work(app: App):
        commune = app.communes.by_code(code) if code else None
        async with app.db.unit_of_work() as session:
            try:
                invite = await create_invite(
                    session, commune, role, department, created_by="cli", ttl_hours=hours, now=app.clock(),
                    person_id=args.member,
                )  # fmt: skip
            except ValueError as error:
                raise Refusal(f"{error}. Xem danh sách: python -m bot members --config {args.config}") from None
            await session.commit()
        return invite, commune, await _bot_username(config)

    app = App(config)
    invite, commune, username = run_with_app(app, work)
    if args.member is not None:
        print(f"Mã liên kết ứng dụng cho thành viên {args.member}, dùng một lần, hết hạn {_expiry(invite, app.tz)}.")
        print("Người đó gõ trên ứng dụng mới (Telegram hoặc Zalo): /start <mã>")
    else:
        who = describe_role(RoleView(role, commune.department_name(department) if department else None))
        where = f" ({commune.name})" if commune is not None and len(config.communes) > 1 else ""
        print(f"Mã mời {who}{where}, dùng một lần, hết hạn {_expiry(invite, app.tz)}.")
        if config.token() or not config.zalo_token():
            print(f"https://t.me/{username}?start={invite.code}")
        if config.zalo_token():
            print("Trên Zalo: nhắn cho bot /start <mã>")
    print(invite.code)
    return 0


def _commune_of(app: App, code: str | None) -> Commune | None:
    return app.communes.by_code(code) if code else None


@main_of
def cmd_members(args, config: Config) -> int:
    from bot.service.members import member_list

    code = None if args.province else commune_code(config, args.commune)

    async def work(app: App) -> str:
        async with app.db.reading() as session:
            return render(await member_list(session, _commune_of(app, code)))

    print(run_with_app(App(config), work))
    return 0


@main_of
def cmd_revoke(args, config: Config) -> int:
    from bot.service.members import revoke

    code = None if args.province else commune_code(config, args.commune)

    async def work(app: App) -> str:
        async with app.db.unit_of_work() as session:
            outcome = await revoke(session, _commune_of(app, code), args.person_id, actor_id=None, label="cli",
                                   now=app.clock())  # fmt: skip
            await session.commit()
        return render(outcome)

    print(run_with_app(App(config), work))
    return 0
