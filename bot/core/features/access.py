"""Getting in and finding one's way: /start with an invite, /help, /toi, /kenh; their texts and views."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.grammar import Ask, Missing, ParseContext, ParseError, Tokens, compact, echo
from bot.core.permissions import Role
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.common import help_line

INVITE_CODE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
NOTIFY_CHANNELS = {"telegram": "telegram", "tele": "telegram", "zalo": "zalo", "cahai": None, "tatca": None}


@dataclass(frozen=True)
class Start:
    code: str | None


@dataclass(frozen=True)
class Help:
    topic: str | None = None  # a command's name: its syntax and an example


@dataclass(frozen=True)
class WhoAmI:
    pass


@dataclass(frozen=True)
class NotifyVia:
    """`/kenh`: the app reminders go to (None: every app the person uses)."""

    channel: str | None


def parse_start(tokens: Tokens, ctx: ParseContext) -> Start:
    code = tokens.rest().strip()
    if not code:
        return Start(None)
    if not INVITE_CODE.match(code):
        raise ParseError("parse.bad_code")
    return Start(code)


def parse_help(tokens: Tokens, ctx: ParseContext) -> Help:
    if not tokens.raw:
        return Help()
    topic = tokens.take()[0].removeprefix("/")
    tokens.no_more()
    return Help(echo(topic))


def parse_whoami(tokens: Tokens, ctx: ParseContext) -> WhoAmI:
    return WhoAmI()


def parse_notify(tokens: Tokens, ctx: ParseContext) -> NotifyVia:
    if not tokens.raw:
        raise Missing(Ask.CHANNEL, "/kenh {}")
    key = compact(tokens.rest())
    if key not in NOTIFY_CHANNELS:
        raise ParseError("parse.unknown_app", value=echo(key))
    return NotifyVia(NOTIFY_CHANNELS[key])


@dataclass(frozen=True)
class RoleView:
    """A role as shown: the role, and the department's name for a focal person."""

    role: Role
    department: str | None = None


@dataclass(frozen=True)
class Welcome:
    name: str
    role: RoleView


@dataclass(frozen=True)
class Profile:
    """Who the asker is: /toi."""

    person_id: int
    name: str
    roles: tuple[RoleView, ...]
    apps: tuple[str, ...] = ()  # the chat apps the person uses
    notify_channel: str | None = None  # where reminders go (None: all of them)
    commune: str | None = None  # the commune's name (None for the province officer)


@dataclass(frozen=True)
class HelpView:
    """The commands the asker may use, by name."""

    commands: tuple[str, ...]


add_strings(
    {
        "usage.start": "/start <mã mời>",
        "usage.help": "/help [lệnh]\nVí dụ: /help hop",
        "usage.toi": "/toi",
        "summary.start": "đăng ký bằng mã mời",
        "summary.help": "danh sách lệnh",
        "summary.toi": "thông tin của bạn",
        "parse.bad_code": "Mã mời không đúng định dạng.",
        "invite.unknown": "Mã mời không đúng hoặc không tồn tại.",
        "invite.used": "Mã mời này đã được sử dụng. Vui lòng xin mã mới.",
        "invite.expired": "Mã mời đã hết hạn. Vui lòng xin mã mới.",
        "invite.throttled": "Bạn đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau {minutes} phút.",
        "invite.department_gone": (
            "Phòng của mã mời này không còn trong cấu hình; mã chưa bị dùng. "
            "Vui lòng liên hệ Văn phòng HĐND và UBND xã."
        ),
        "invite.duplicate_role": "Bạn đã là {role}; mã mời chưa được dùng.",
        "invite.other_commune": "Bạn đã đăng ký ở {commune}; mã mời của xã khác chưa được dùng.",
        "invite.welcome": "Chào mừng {name}! Bạn đã được đăng ký: {role}.\nGõ /help để xem các lệnh.",
        "start.registered": "Chào {name}! Bạn đã đăng ký. Gõ /help để xem các lệnh.",
        "whoami": (
            "Bạn là {name} (mã thành viên {person_id}).\nVai trò: {roles}.\n"
            "Ứng dụng: {apps}; nhắc việc gửi qua: {notify}."
        ),
        "whoami.commune": "Đơn vị: {commune}.",
        "usage.kenh": "/kenh telegram|zalo|ca_hai\nVí dụ: /kenh zalo (chỉ nhận nhắc việc qua Zalo)",
        "summary.kenh": "chọn ứng dụng nhận nhắc việc",
        "parse.unknown_app": "Không rõ ứng dụng “{value}” (telegram, zalo hoặc ca_hai).",
        "ask.channel": "Nhận nhắc việc qua ứng dụng nào?",
        "app.telegram": "Telegram",
        "app.zalo": "Zalo",
        "app.console": "cửa sổ dòng lệnh",
        "app.web": "trang web",
        "app.test": "thử nghiệm",
        "notify.every_app": "mọi ứng dụng đã liên kết",
        "option.every_app": "Mọi ứng dụng đã liên kết",
        "ask.channel_none": (
            "Bạn mới liên kết một ứng dụng: nhắc việc gửi tới đó, không có gì để chọn. "
            "Muốn nhận qua cả Telegram và Zalo, nhờ quản trị tạo mã liên kết."
        ),
        "notify.done": "Từ nay nhắc việc gửi qua: {where}.",
        "notify.not_linked": (
            "Bạn chưa liên kết {app}. Nhờ Văn phòng cấp mã liên kết (invite --member), rồi gõ /start <mã> trên {app}."
        ),
        "link_app.done": "Đã liên kết {app} với tài khoản của {name} (mã thành viên {person_id}). Gõ /toi để xem.",
        "link_app.member_gone": (
            "Thành viên của mã liên kết này không còn hoạt động; mã chưa bị dùng. "
            "Vui lòng liên hệ Văn phòng HĐND và UBND xã."
        ),
        "link_app.already": "{app} này đã được liên kết với tài khoản của bạn.",
        "link_app.account_taken": "Tài khoản {app} này đã được đăng ký; mã liên kết chưa được dùng.",
        "where.department": " – {department}",
        "role.leader": "lãnh đạo UBND xã",
        "role.focal": "đầu mối",
        "role.admin": "quản trị",
        "role.province": "cán bộ Sở Nội vụ (xem số liệu các xã)",
        "role.mattran": "đầu mối Mặt trận Tổ quốc xã (ghi, xem góp ý và trả lời)",
    }
)


@render.register
def describe_role(role: RoleView) -> str:
    """'đầu mối – Phòng Kinh tế'."""
    where = text("where.department", department=role.department) if role.department else ""
    return text(f"role.{role.role}") + where


@render.register
def _welcome(view: Welcome) -> str:
    return text("invite.welcome", name=view.name, role=describe_role(view.role))


@render.register
def _profile(view: Profile) -> str:
    roles = ", ".join(describe_role(r) for r in view.roles)
    apps = ", ".join(text(f"app.{app}") for app in view.apps)
    notify = text(f"app.{view.notify_channel}") if view.notify_channel else text("notify.every_app")
    lines = [text("whoami", name=view.name, person_id=view.person_id, roles=roles, apps=apps, notify=notify)]
    if view.commune:
        lines.append(text("whoami.commune", commune=view.commune))
    return "\n".join(lines)


@render.register
def _help(view: HelpView) -> str:
    return "\n".join([text("help.header"), *(help_line(name) for name in view.commands)])
