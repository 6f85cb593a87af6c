"""/lienket: binding a department's group chat, where its reminders then go too."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.grammar import Ask, Missing, ParseContext, ParseError, Tokens, echo
from bot.core.texts.catalogue import add_strings


@dataclass(frozen=True)
class LinkGroup:
    department: str


def parse_link(tokens: Tokens, ctx: ParseContext) -> LinkGroup:
    if not tokens.raw:
        raise Missing(Ask.DEPARTMENT, "/lienket {}")
    department = tokens.department(ctx.departments)
    if department is None:
        raise ParseError("parse.unknown_department", value=echo(tokens.raw[0]), codes=", ".join(ctx.departments))
    tokens.no_more()
    return LinkGroup(department)


add_strings(
    {
        "usage.lienket": "/lienket <mã phòng> (gõ trong nhóm của phòng)",
        "summary.lienket": "liên kết nhóm chat với phòng",
        "link.private_chat": "Hãy gõ lệnh này trong nhóm chat của phòng.",
        "link.done": "Đã liên kết nhóm này với {department}. Nhắc việc của phòng sẽ gửi vào đây.",
        "link.not_your_department": "Bạn chỉ liên kết nhóm với phòng của mình.",
        "link.other_commune": "Nhóm này đã được liên kết với một phòng của xã khác; không đổi được từ đây.",
        "link.taken": (
            "Nhóm này đang liên kết với {department}; chỉ đầu mối phòng đó hoặc lãnh đạo, quản trị mới đổi được."
        ),
    }
)
