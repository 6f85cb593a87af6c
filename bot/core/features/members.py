"""/thanhvien and /thuhoi: who is registered, and taking a member's roles away; their texts and views."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.features.access import RoleView, describe_role
from bot.core.grammar import Ask, Missing, ParseContext, Tokens, positive_int
from bot.core.texts.catalogue import add_strings, render, text


@dataclass(frozen=True)
class ListMembers:
    pass


@dataclass(frozen=True)
class Revoke:
    person_id: int


def parse_members(tokens: Tokens, ctx: ParseContext) -> ListMembers:
    return ListMembers()


def parse_revoke(tokens: Tokens, ctx: ParseContext) -> Revoke:
    if not tokens.raw:
        raise Missing(Ask.MEMBER, "/thuhoi {}")
    person_id = positive_int(tokens.take()[0], "parse.bad_member_id")
    tokens.no_more()
    return Revoke(person_id)


@dataclass(frozen=True)
class Restore:
    """`/khoiphuc [mã]`: an admin gives a revoked person their roles back."""

    person_id: int | None


def parse_restore(tokens: Tokens, ctx: ParseContext) -> Restore:
    if not tokens.raw:
        return Restore(None)
    person_id = positive_int(tokens.take()[0], "parse.bad_member_id")
    tokens.no_more()
    return Restore(person_id)


@dataclass(frozen=True)
class MemberRow:
    person_id: int
    name: str
    roles: tuple[RoleView, ...]


@dataclass(frozen=True)
class MemberList:
    members: tuple[MemberRow, ...]


add_strings(
    {
        "usage.thanhvien": "/thanhvien",
        "usage.thuhoi": "/thuhoi <mã thành viên>",
        "usage.khoiphuc": "/khoiphuc [mã thành viên]",
        "summary.khoiphuc": "khôi phục quyền người đã bị thu hồi",
        "summary.thanhvien": "danh sách thành viên",
        "summary.thuhoi": "thu hồi quyền một thành viên",
        "parse.bad_member_id": "Mã thành viên “{value}” không hợp lệ.",
        "members.header": "Thành viên đang hoạt động ({count}):",
        "members.line": "• {name} – {roles} (mã {person_id})",
        "members.empty": "Chưa có thành viên nào.",
        "ask.member": "Thu hồi quyền của ai?",
        "ask.member_none": "Không có thành viên nào khác để thu hồi.",
        "revoke.done": "Đã thu hồi quyền của {name} (mã {person_id}).\nKhôi phục nếu nhầm: /khoiphuc {person_id}",
        "confirm.revoke": "Thu hồi quyền của {name} – {roles}?\nNgười này sẽ không dùng được bot nữa.",
        "option.revoke": "Thu hồi quyền {name}",
        "revoke.last_role": (
            "{name} là {role} duy nhất của xã: chưa thu hồi được. Hãy mời người thay trước (/moi {invite}), "
            "rồi thu hồi sau."
        ),
        "ask.restore": "Khôi phục quyền cho ai?",
        "restore.none": "Không có ai bị thu hồi quyền để khôi phục.",
        "restore.not_found": "Không có người bị thu hồi quyền mã {person_id}.",
        "restore.done": "Đã khôi phục quyền của {name}: {roles}.",
        "revoke.not_found": "Không có thành viên đang hoạt động mã {person_id}.",
        "revoke.self": "Bạn không thể tự thu hồi quyền của mình.",
    }
)


@render.register
def _members(view: MemberList) -> str:
    if not view.members:
        return text("members.empty")
    lines = [text("members.header", count=len(view.members))]
    for member in view.members:
        roles = ", ".join(describe_role(r) for r in member.roles)
        lines.append(text("members.line", person_id=member.person_id, name=member.name, roles=roles))
    return "\n".join(lines)
