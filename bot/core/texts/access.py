"""Registration, roles, /toi, and the member list."""

from __future__ import annotations

from bot.core.texts.catalogue import add_strings, render, text
from bot.core.views import MemberList, Profile, RoleView, Welcome

add_strings(
    {
        "usage.start": "/start <mã mời>",
        "usage.help": "/help",
        "usage.toi": "/toi",
        "usage.thanhvien": "/thanhvien",
        "usage.thuhoi": "/thuhoi <mã thành viên>",
        "help.start": "/start – đăng ký bằng mã mời",
        "help.help": "/help – danh sách lệnh",
        "help.toi": "/toi – thông tin của bạn",
        "help.thanhvien": "/thanhvien – danh sách thành viên",
        "help.thuhoi": "/thuhoi – thu hồi quyền một thành viên",
        "parse.bad_code": "Mã mời không đúng định dạng.",
        "parse.bad_member_id": "Mã thành viên “{value}” không hợp lệ.",
        "invite.unknown": "Mã mời không đúng hoặc không tồn tại.",
        "invite.used": "Mã mời này đã được sử dụng. Vui lòng xin mã mới.",
        "invite.expired": "Mã mời đã hết hạn. Vui lòng xin mã mới.",
        "invite.throttled": "Bạn đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau {minutes} phút.",
        "invite.busy": "Có quá nhiều lần nhập sai mã mời trong một giờ qua; tạm ngừng nhận mã. Vui lòng thử lại sau.",
        "invite.department_gone": (
            "Phòng của mã mời này không còn trong cấu hình; mã chưa bị dùng. "
            "Vui lòng liên hệ Văn phòng HĐND và UBND xã."
        ),
        "invite.duplicate_role": "Bạn đã là {role}; mã mời chưa được dùng.",
        "invite.welcome": "Chào mừng {name}! Bạn đã được đăng ký: {role}.\nGõ /help để xem các lệnh.",
        "start.registered": "Chào {name}! Bạn đã đăng ký. Gõ /help để xem các lệnh.",
        "whoami": (
            "Bạn là {name} (mã thành viên {person_id}).\nVai trò: {roles}.\n"
            "Ứng dụng: {apps}; nhắc việc gửi qua: {notify}."
        ),
        "usage.kenh": "/kenh telegram|zalo|ca_hai\nVí dụ: /kenh zalo (chỉ nhận nhắc việc qua Zalo)",
        "help.kenh": "/kenh – chọn ứng dụng nhận nhắc việc",
        "parse.unknown_app": "Không rõ ứng dụng “{value}” (telegram, zalo hoặc ca_hai).",
        "ask.channel": "Nhận nhắc việc qua ứng dụng nào?",
        "app.telegram": "Telegram",
        "app.zalo": "Zalo",
        "app.console": "cửa sổ dòng lệnh",
        "app.test": "thử nghiệm",
        "notify.every_app": "mọi ứng dụng đã liên kết",
        "notify.done": "Từ nay nhắc việc gửi qua: {where}.",
        "notify.not_linked": (
            "Bạn chưa liên kết {app}. Nhờ Văn phòng cấp mã liên kết (invite --member), rồi gõ /start <mã> trên {app}."
        ),
        "link_app.done": ("Đã liên kết {app} với tài khoản của {name} (mã thành viên {person_id}). Gõ /toi để xem."),
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
    return text("whoami", name=view.name, person_id=view.person_id, roles=roles, apps=apps, notify=notify)


@render.register
def _members(view: MemberList) -> str:
    if not view.members:
        return text("members.empty")
    lines = [text("members.header", count=len(view.members))]
    for member in view.members:
        roles = ", ".join(describe_role(r) for r in member.roles)
        lines.append(text("members.line", person_id=member.person_id, name=member.name, roles=roles))
    return "\n".join(lines)
