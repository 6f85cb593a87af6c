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
        "summary.thanhvien": "danh sách thành viên",
        "summary.thuhoi": "thu hồi quyền một thành viên",
        "parse.bad_member_id": "Mã thành viên “{value}” không hợp lệ.",
        "members.header": "Thành viên đang hoạt động ({count}):",
        "members.line": "{person_id}. {name} – {roles}",
        "members.empty": "Chưa có thành viên nào.",
        "ask.member": "Thu hồi quyền của ai?",
        "ask.member_none": "Không có thành viên nào khác để thu hồi.",
        "revoke.done": "Đã thu hồi quyền của {name} (mã {person_id}).",
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
