"""Strings every command shares: access, errors, parsing, questions; and the generic views."""

from __future__ import annotations

from dataclasses import is_dataclass

from bot.core.outcomes import Many, Question, Refused, Say
from bot.core.texts.catalogue import add_strings, render, text

add_strings(
    {
        # access
        "access.unregistered": (
            "Xin chào! Bạn chưa được đăng ký sử dụng trợ lý này; "
            "vui lòng liên hệ Văn phòng HĐND và UBND xã để nhận mã mời."
        ),
        "access.denied": "Bạn không có quyền dùng lệnh /{command}.",
        "access.private_only": "Lệnh /{command} chỉ dùng trong chat riêng với bot: nội dung không dành cho cả nhóm.",
        "access.unknown_command": "Không có lệnh /{command}. Gõ /help để xem các lệnh.",
        "access.not_a_command": "Tôi chỉ hiểu các lệnh bắt đầu bằng “/”. Gõ /help để xem các lệnh.",
        "access.lone_slash": "Sau “/” hãy gõ tên lệnh. Lệnh của bạn: {commands}. Gõ /help để xem cách dùng.",
        "input.unreadable": (
            "Tin nhắn có ký tự không đọc được (thường do dán từ ứng dụng khác); chưa ghi gì. Vui lòng gõ lại."
        ),
        "error.not_saved": "Xin lỗi, tin nhắn vừa rồi chưa được ghi do lỗi hệ thống. Vui lòng gửi lại sau ít phút.",
        # help
        "help.header": "Các lệnh bạn dùng được (gõ /help <lệnh> để xem cách dùng):",
        "help.line": "/{command} – {summary}",
        "help.topic": "{line}\nCách dùng: {usage}",
        "view.not_your_department": "Bạn chỉ xem được số liệu của phòng mình ({codes}).",
        "usage": "Cách dùng: {usage}",
        "plain": "{text}",
        # parsing, shared by several commands
        "parse.bad_date": "Ngày “{value}” không hợp lệ.",
        "parse.future_date": "Ngày {value} chưa tới; chỉ ghi việc đã diễn ra.",
        "parse.future_spoken": "“{typed}” là ngày {value}, chưa tới; chỉ ghi việc đã diễn ra.",
        "parse.unclear_date": "Chưa rõ ngày “{value}”. Hãy gõ như: hôm qua, thứ hai tuần trước, 12/11.",
        "parse.week_not_day": "“{value}” là cả một tuần: ngày nào? Ví dụ: thứ hai tuần trước, 23/11.",
        "parse.too_old": "Ngày {value} quá xa: chỉ ghi việc từ 01/01/{year} trở đi.",
        "confirm.last_year": "Ngày {day:%d/%m} năm nay chưa tới. Ý bạn là {day:%d/%m/%Y} (năm trước)?",
        "confirm.next_year": "Ngày {day:%d/%m} năm nay đã qua. Ý bạn là {day:%d/%m/%Y} (năm sau)?",
        "option.yes_date": "Đúng, {day:%d/%m/%Y}",
        "option.no_retype": "Không, tôi gõ lại",
        "choice.dismissed": "Đã bỏ qua, không ghi gì.",
        "parse.too_many_args": "Thừa tham số “{value}”.",
        "parse.too_long": "Nội dung quá dài (tối đa {limit} ký tự).",
        "parse.bad_year": "Năm “{value}” không hợp lệ.",
        "parse.unknown_department": "Không có phòng mã “{value}”. Các mã: {codes}.",
        # questions and their answers
        "ask.department": "Cho phòng nào?",
        "ask.department_none": "Bạn chưa phụ trách phòng nào.",
        "choice.expired": "Lựa chọn này đã hết hạn. Vui lòng gõ lại lệnh.",
        "choice.stale": "Câu hỏi trước đã hết hiệu lực vì bạn đã gõ lệnh khác. Vui lòng gõ lại lệnh.",
        "choice.used": "Lựa chọn này đã được trả lời.",
        "reply.refused": (
            "⚠️ Tin bạn vừa gửi đã được xử lý, nhưng ứng dụng không cho bot hiện câu trả lời. Gõ lại lệnh xem "
            "(vd. /chitieu) nếu cần; quản trị có thể xem nhật ký của bot."
        ),
        "reply.secret_sent": "Mã (đường dẫn) này chỉ gửi một lần, ở tin trả lời trước; cần mã mới thì gõ lại lệnh.",
        "choice.not_yours": "Lựa chọn này dành cho người đã gõ lệnh.",
        "choice.out_of_range": "Hãy chọn một số từ 1 đến {count}.",
    }
)


def usage(command: str) -> str:
    """The usage line of a command."""
    return text("usage", usage=text(f"usage.{command}"))


def _filled(values: dict[str, object]) -> dict[str, object]:
    """Values that are views themselves are rendered in place."""
    return {name: render(v) if is_dataclass(v) and not isinstance(v, type) else v for name, v in values.items()}


@render.register
def _say(view: Say) -> str:
    return text(view.key, **_filled(view.values))


@render.register
def _refused(view: Refused) -> str:
    return text(view.key, **_filled(view.values))


@render.register
def _question(view: Question) -> str:
    return text(view.key, **_filled(view.values))


@render.register
def _many(view: Many) -> str:
    return "\n\n".join(render(v) for v in view.views)


def help_line(command: str) -> str:
    """'/hop – ghi một cuộc họp': a command and what it does, as /help lists it."""
    return text("help.line", command=command, summary=text(f"summary.{command}"))
