"""/moi: an admin invites a new member from the chat, with the rules of the command line; grammar and texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.features.access import RoleView, describe_role
from bot.core.grammar import Ask, Missing, ParseContext, ParseError, Tokens, echo
from bot.core.permissions import Role
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_date

# The role as typed, in Vietnamese with or without diacritics (or the command line's English word).
ROLE_WORDS: dict[str, Role] = {
    "daumoi": Role.FOCAL,
    "focal": Role.FOCAL,
    "lanhdao": Role.LEADER,
    "leader": Role.LEADER,
    "quantri": Role.ADMIN,
    "admin": Role.ADMIN,
}
ROLE_WORD = {Role.FOCAL: "daumoi", Role.LEADER: "lanhdao", Role.ADMIN: "quantri"}


@dataclass(frozen=True)
class Invite:
    """`/moi daumoi kt`, `/moi lanhdao`, `/moi quantri`; no role: asked."""

    role: Role | None
    department: str | None = None


def parse_invite(tokens: Tokens, ctx: ParseContext) -> Invite:
    if not tokens.raw:
        return Invite(None)
    role = tokens.alias(ROLE_WORDS)
    if role is None:
        raise ParseError("parse.unknown_role", value=echo(tokens.raw[0]))
    department = None
    if role is Role.FOCAL:
        if not tokens.raw:
            raise Missing(Ask.DEPARTMENT, "/moi daumoi {}")
        department = tokens.department(ctx.departments)
        if department is None:
            raise ParseError("parse.unknown_department", value=echo(tokens.raw[0]), codes=", ".join(ctx.departments))
    tokens.no_more()
    return Invite(role, department)


@dataclass(frozen=True)
class InviteMade:
    """A code to hand to the person invited, once."""

    secret = True  # not kept once sent, never sent again (see Reply.secret)

    role: RoleView
    code: str
    expires_at: datetime  # in the commune's time
    bot_name: str | None  # the Telegram bot's username, for a deep link


add_strings(
    {
        "usage.moi": "/moi <vai trò> [mã phòng] (nhắn riêng)\nVí dụ: /moi daumoi kt, /moi lanhdao, /moi quantri",
        "summary.moi": "mời thành viên mới",
        "parse.unknown_role": "Không rõ vai trò “{value}”: đầu mối, lãnh đạo hoặc quản trị.",
        "ask.invite_role": "Mời người giữ vai trò nào?",
        "option.role_focal": "Đầu mối của một phòng",
        "option.role_leader": "Lãnh đạo UBND xã",
        "option.role_admin": "Quản trị",
        "invite.made": "Mã mời {role}, dùng một lần, hết hạn {expires}:\n{code}",
        "invite.made_link": "Telegram: bấm {link}",
        "invite.made_start": "Người được mời nhắn cho bot: /start <mã trên>",
    }
)


@render.register
def _invite_made(view: InviteMade) -> str:
    expires = f"{format_date(view.expires_at)} {view.expires_at:%H:%M}"
    lines = [text("invite.made", role=describe_role(view.role), expires=expires, code=view.code)]
    if view.bot_name:
        lines.append(text("invite.made_link", link=f"https://t.me/{view.bot_name}?start={view.code}"))
    lines.append(text("invite.made_start"))
    return "\n".join(lines)
