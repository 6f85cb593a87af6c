"""Every Vietnamese string the bot says, by key; code passes keys and values, never sentences."""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

USAGE = {
    "start": "/start <mã mời>",
    "help": "/help",
    "toi": "/toi",
    "hop": "/hop truc_tuyen|truc_tiep [dd/mm/yyyy] [nội dung]\nVí dụ: /hop truc_tuyen 12/11 Giao ban tuần",
    "vanban": (
        "/vanban dien_tu|giay|mat [số ký hiệu] [trích yếu]\n"
        "Ví dụ: /vanban dien_tu 125/UBND-VP Về việc triển khai KH 641"
    ),
    "hoso": "/hoso <số trực tuyến> <số trực tiếp> [dd/mm/yyyy]\nVí dụ: /hoso 19 1",
    "huy": "/huy [số mục]\nVí dụ: /huy (mục vừa ghi) hoặc /huy 12",
    "chitieu": "/chitieu [năm] [mã phòng]\nVí dụ: /chitieu, /chitieu 2026 vhxh",
    "lienket": "/lienket <mã phòng> (gõ trong nhóm của phòng)",
    "thanhvien": "/thanhvien",
    "thuhoi": "/thuhoi <mã thành viên>",
    "nopbaocao": "/nopbaocao <kỳ> [năm] [ghi chú]\nVí dụ: /nopbaocao nam (có thể gửi kèm tệp với chú thích này)",
    "baocao": "/baocao [kỳ] [năm]\nVí dụ: /baocao nam",
    "giaoviec": "/giaoviec <mã phòng> <dd/mm/yyyy> <nội dung>\nVí dụ: /giaoviec kt 15/12/2026 Rà soát hồ sơ đất đai",
    "viec": "/viec [mã phòng]",
    "tiendo": "/tiendo <số việc> <0–100> [ghi chú]\nVí dụ: /tiendo 5 60 Đã xong phần khảo sát",
    "xong": "/xong <số việc> [ghi chú]",
}

CATALOGUE: dict[str, str] = {
    # access
    "access.unregistered": (
        "Xin chào! Bạn chưa được đăng ký sử dụng trợ lý này; vui lòng liên hệ Văn phòng UBND xã để nhận mã mời."
    ),
    "access.denied": "Bạn không có quyền dùng lệnh /{command}.",
    "access.unknown_command": "Không có lệnh /{command}. Gõ /help để xem các lệnh.",
    "access.not_a_command": "Tôi chỉ hiểu các lệnh bắt đầu bằng “/”. Gõ /help để xem các lệnh.",
    "error.internal": "Xin lỗi, đã có lỗi khi xử lý yêu cầu. Vui lòng thử lại sau ít phút.",
    # registration
    "invite.missing": "Hãy gửi mã mời kèm lệnh: /start <mã mời>.",
    "invite.malformed": "Mã mời không đúng định dạng. Vui lòng kiểm tra lại mã được cấp.",
    "invite.unknown": "Mã mời không đúng hoặc không tồn tại.",
    "invite.used": "Mã mời này đã được sử dụng. Vui lòng xin mã mới.",
    "invite.expired": "Mã mời đã hết hạn. Vui lòng xin mã mới.",
    "invite.throttled": "Bạn đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau {minutes} phút.",
    "invite.duplicate_role": "Bạn đã là {role}{where}; mã mời chưa được dùng.",
    "invite.welcome": "Chào mừng {name}! Bạn đã được đăng ký: {role}{where}.\nGõ /help để xem các lệnh.",
    "start.registered": "Chào {name}! Bạn đã đăng ký. Gõ /help để xem các lệnh.",
    "whoami": "Bạn là {name} (mã thành viên {person_id}).\nVai trò: {roles}.",
    "where.department": " – {department}",
    "role.leader": "lãnh đạo UBND xã",
    "role.focal": "đầu mối",
    "role.admin": "quản trị",
    # help
    "help.header": "Các lệnh bạn dùng được:",
    "help.hop": "/hop – ghi một cuộc họp",
    "help.vanban": "/vanban – ghi một văn bản đã ban hành",
    "help.hoso": "/hoso – ghi số hồ sơ TTHC tiếp nhận",
    "help.huy": "/huy – hủy mục vừa ghi",
    "help.chitieu": "/chitieu – tình hình thực hiện chỉ tiêu",
    "help.lienket": "/lienket – liên kết nhóm chat với phòng",
    "help.toi": "/toi – thông tin của bạn",
    "help.help": "/help – danh sách lệnh",
    "help.nopbaocao": "/nopbaocao – báo đã nộp báo cáo định kỳ",
    "help.baocao": "/baocao – tình hình nộp báo cáo của các phòng",
    "help.giaoviec": "/giaoviec – giao việc cho một phòng chủ trì",
    "help.viec": "/viec – danh sách việc đang làm",
    "help.tiendo": "/tiendo – cập nhật tiến độ một việc",
    "help.xong": "/xong – báo hoàn thành một việc",
    "help.thanhvien": "/thanhvien – danh sách thành viên",
    "help.thuhoi": "/thuhoi – thu hồi quyền một thành viên",
    # parsing
    "usage": "Cách dùng: {usage}",
    "parse.missing_kind": "Thiếu hình thức.",
    "parse.unknown_meeting_kind": "Không rõ hình thức họp “{value}”.",
    "parse.unknown_document_kind": "Không rõ loại văn bản “{value}”.",
    "parse.bad_date": "Ngày “{value}” không hợp lệ.",
    "parse.future_date": "Ngày {value} chưa tới; chỉ ghi việc đã diễn ra.",
    "parse.bad_count": "Số hồ sơ “{value}” phải là số nguyên không âm.",
    "parse.zero_counts": "Cả hai số đều bằng 0; không có gì để ghi.",
    "parse.missing_counts": "Thiếu số hồ sơ trực tuyến và trực tiếp.",
    "parse.too_many_args": "Thừa tham số “{value}”.",
    "parse.too_long": "Nội dung quá dài (tối đa {limit} ký tự).",
    "parse.bad_entry_id": "Số mục “{value}” không hợp lệ.",
    "parse.bad_year": "Năm “{value}” không hợp lệ.",
    "parse.unknown_department": "Không có phòng mã “{value}”. Các mã: {codes}.",
    "parse.missing_department": "Thiếu mã phòng.",
    "parse.bad_member_id": "Mã thành viên “{value}” không hợp lệ.",
    "parse.bad_code": "Mã mời không đúng định dạng.",
    "parse.unknown_report": "Không rõ kỳ báo cáo “{value}”. Các kỳ: {codes}.",
    "parse.past_deadline": "Hạn {value} đã qua; hạn phải từ hôm nay trở đi.",
    "parse.missing_deadline": "Thiếu hạn hoàn thành (dd/mm/yyyy).",
    "parse.missing_title": "Thiếu nội dung công việc.",
    "parse.missing_task": "Thiếu số việc.",
    "parse.bad_task_id": "Số việc “{value}” không hợp lệ.",
    "parse.missing_percent": "Thiếu tỷ lệ tiến độ (0–100).",
    "parse.bad_percent": "Tiến độ “{value}” phải là số từ 0 đến 100.",
    "ask.meeting_kind": "Cuộc họp hôm nay theo hình thức nào?",
    "button.online": "Trực tuyến",
    "button.in_person": "Trực tiếp",
    # logging
    "entry.department_needed": "Hãy ghi rõ mã phòng, ví dụ: /{command} {example} … Các mã: {codes}.",
    "entry.not_your_department": "Bạn chỉ ghi được cho phòng của mình ({codes}).",
    "meeting.logged": "Đã ghi #{id}: họp {mode} ngày {day} – {department}{summary}.",
    "meeting.online": "trực tuyến",
    "meeting.in_person": "trực tiếp",
    "document.logged": "Đã ghi #{id}: văn bản {kind}{number} ngày {day} – {department}{summary}.",
    "document.electronic": "điện tử",
    "document.paper": "giấy",
    "document.secret": "mật",
    "document.duplicate": "Văn bản số {number} đã được ghi năm {year} (#{id}); không ghi lại để tránh đếm hai lần.",
    "dossiers.logged": (
        "Đã ghi #{id}: hồ sơ TTHC ngày {day} – {department}: "
        "{online} trực tuyến, {paper} trực tiếp ({share} trực tuyến)."
    ),
    "cancel.done": "Đã hủy #{id} ({what}). Bản ghi vẫn được lưu để đối chiếu.",
    "cancel.nothing": "Bạn chưa ghi mục nào để hủy.",
    "cancel.not_found": "Không có mục #{id}.",
    "cancel.already": "Mục #{id} đã được hủy trước đó.",
    "cancel.not_yours": "Bạn chỉ hủy được mục do mình ghi.",
    "what.meeting": "họp {mode} ngày {day}",
    "what.document": "văn bản {kind}{number}",
    "what.dossiers": "hồ sơ {online} + {paper} ngày {day}",
    # groups and members
    "link.private_chat": "Hãy gõ lệnh này trong nhóm chat của phòng.",
    "link.done": "Đã liên kết nhóm này với {department}. Nhắc việc của phòng sẽ gửi vào đây.",
    "link.not_your_department": "Bạn chỉ liên kết nhóm với phòng của mình.",
    "link.taken": "Nhóm này đang liên kết với {department}; chỉ đầu mối phòng đó hoặc lãnh đạo, quản trị mới đổi được.",
    "button.not_yours": "Nút này dành cho người đã gõ lệnh.",
    "report.untracked": "{report} {year} có hạn trước ngày bắt đầu theo dõi ({start}); bot không theo dõi kỳ này.",
    "members.header": "Thành viên đang hoạt động ({count}):",
    "members.line": "{person_id}. {name} – {roles}",
    "members.empty": "Chưa có thành viên nào.",
    "revoke.done": "Đã thu hồi quyền của {name} (mã {person_id}).",
    "revoke.not_found": "Không có thành viên đang hoạt động mã {person_id}.",
    "revoke.self": "Bạn không thể tự thu hồi quyền của mình.",
    # reports
    "report.submitted": "Đã ghi #{id}: {department} đã nộp {report} {year}{file}{note}.",
    "report.with_file": " (kèm tệp)",
    "report.already": "{department} đã nộp {report} {year} (#{id}). Muốn nộp lại, hãy /huy {id} trước.",
    "report.not_required": "{department} không thuộc danh sách phải nộp {report}.",
    "report.none_outstanding": "{department} không còn kỳ {report} nào phải nộp.",
    "report.not_tracked": "{report} {year} có hạn trước ngày bắt đầu theo dõi ({start}); không ghi nhận.",
    "report.no_reports": "Chưa cấu hình kỳ báo cáo nào.",
    "report.header": "📑 {report} {year} – hạn {weekday}, {due} ({left}):",
    "report.line_done": "✅ {department} – {day}, {person}",
    "report.line_pending": "⏳ {department}",
    "report.line_late": "⚠️ {department} – trễ {days} ngày",
    "report.summary": "Đã nộp {done}/{total} phòng.",
    "what.report": "{report} {year}",
    "left.future": "còn {days} ngày",
    "left.today": "hạn cuối hôm nay",
    "left.late": "đã trễ {days} ngày",
    # tasks
    "task.assigned": "Đã giao việc #{id} cho {department}, hạn {weekday}, {due}: {title}.",
    "task.line": "#{id} {department} – {title} – hạn {due} ({left}), {progress}%",
    "task.list_header": "📌 Việc đang làm ({count}):",
    "task.list_more": "… và {count} việc khác.",
    "task.none": "Không có việc nào đang mở.",
    "task.not_found": "Không có việc #{id}.",
    "task.closed": "Việc #{id} đã hoàn thành ngày {day}.",
    "task.not_yours": "Chỉ phòng chủ trì việc #{id} hoặc lãnh đạo mới cập nhật được.",
    "task.progress": "Đã ghi tiến độ việc #{id}: {progress}%{note}.",
    "task.done": "Đã ghi hoàn thành việc #{id} ngày {day} ({timing}).",
    "task.on_time": "đúng hạn",
    "task.late": "trễ {days} ngày",
    "targets.tasks": "• Nhiệm vụ đến hạn: {due}, đúng hạn {on_time} ({share}); quá hạn chưa xong: {overdue} {mark}",
    "targets.tasks_none": "• Nhiệm vụ đến hạn: chưa có; quá hạn chưa xong: {overdue}",
    # reminders
    "remind.report_before": (
        "⏰ Nhắc hạn: {report} {year} của {department}.\nHạn: {weekday}, {due} – {left}.\n"
        "Nộp xong, gõ: /nopbaocao {code} {year}"
    ),
    "remind.report_late": (
        "⚠️ {department} chưa nộp {report} {year} – {left} (hạn {weekday}, {due}).\n"
        "Nộp xong, gõ: /nopbaocao {code} {year}"
    ),
    "remind.report_escalation": (
        "🔔 {report} {year} (hạn {weekday}, {due}) – {left}, còn {count} phòng chưa nộp:\n{departments}\n"
        "Xem chi tiết: /baocao {code} {year}"
    ),
    "remind.task_assigned": (
        "📌 Việc mới #{id} giao {department} chủ trì: {title}\nHạn: {weekday}, {due} – {left}.\n"
        "Cập nhật: /tiendo {id} <0–100>; xong: /xong {id}"
    ),
    "remind.task_before": (
        "⏰ Việc #{id} của {department}: {title}\nHạn: {weekday}, {due} – {left}. Tiến độ: {progress}%.\n"
        "Cập nhật: /tiendo {id} <0–100>; xong: /xong {id}"
    ),
    "remind.task_late": (
        "⚠️ Việc #{id} của {department} quá hạn: {title}\nHạn: {weekday}, {due} – {left}. Tiến độ: {progress}%.\n"
        "Xong rồi, gõ: /xong {id}"
    ),
    "remind.task_escalation": (
        "🔔 Việc #{id} ({department}) {left}: {title}\nHạn: {weekday}, {due}. Tiến độ: {progress}%.\nXem: /viec"
    ),
    "remind.task_nudge": (
        "👋 Việc #{id} của {department} chưa cập nhật tiến độ 7 ngày qua: {title}\n"
        "Hạn: {weekday}, {due} – {left}. Cập nhật: /tiendo {id} <0–100>"
    ),
    "remind.digest_header": "📋 Tổng hợp tuần – {weekday}, {day}",
    "remind.digest_tasks": "Việc quá hạn: {count}",
    "remind.digest_reports": "Báo cáo chưa nộp:",
    "remind.digest_report_line": "• {report} {year}: {count} phòng ({left})",
    "remind.digest_nothing": "Không có việc quá hạn hay báo cáo chưa nộp.",
    "remind.unreachable": (
        "⚠️ Không gửi được nhắc việc tới {who}: người nhận đã chặn bot hoặc bot không còn trong nhóm. "
        "Vui lòng liên hệ để khắc phục."
    ),
    "who.group": "nhóm của {department}",
    # targets
    "targets.header": "📊 Chỉ tiêu năm {year} – {scope} (đến {day}):",
    "targets.header_year": "📊 Chỉ tiêu năm {year} – {scope} (cả năm):",
    "targets.meetings": "• Cuộc họp: {count}/{cap} (trần, giảm ≥{cut}){pace} {mark}",
    "targets.documents": "• Văn bản ban hành: {count}/{cap} (trần, giảm ≥{cut}){pace} {mark}",
    "targets.meetings_no_baseline": "• Cuộc họp: {count} (chưa có số liệu năm {base_year} để tính trần)",
    "targets.documents_no_baseline": "• Văn bản ban hành: {count} (chưa có số liệu năm {base_year} để tính trần)",
    "targets.pace": "; dự kiến cả năm {projected}",
    "targets.online": "• Họp trực tuyến: {share} (≥{target}) {mark}",
    "targets.electronic": "• Văn bản điện tử (trừ mật): {share} (={target}) {mark}",
    "targets.dossiers": "• Hồ sơ TTHC trên môi trường số: {share} (≥{target}) {mark}",
    "targets.no_data": "chưa có số liệu",
    "targets.secret_note": "  (gồm {secret} văn bản mật, không tính tỷ lệ điện tử)",
    "mark.met": "✅ đạt",
    "mark.on_track": "🟡 đúng tiến độ",
    "mark.behind": "🔴 chưa đạt",
    "mark.none": "",
    "scope.commune": "{commune}",
}


def text(key: str, **values: object) -> str:
    """The catalogue string for `key`, filled with `values`."""
    return CATALOGUE[key].format(**values)


def usage(command: str) -> str:
    """The usage line of a command."""
    return text("usage", usage=USAGE[command])


def format_date(day: date) -> str:
    """A date the Vietnamese way: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def format_weekday(day: date) -> str:
    """The Vietnamese weekday name of a date."""
    return WEEKDAYS[day.weekday()]


def format_left(days_left: int) -> str:
    """'còn 3 ngày', 'hạn cuối hôm nay' or 'đã trễ 2 ngày'."""
    if days_left > 0:
        return text("left.future", days=days_left)
    return text("left.today") if days_left == 0 else text("left.late", days=-days_left)


def format_percent(fraction: float | Fraction, *, round_down: bool = False) -> str:
    """A share with one decimal and a Vietnamese decimal comma: 0.6667 -> '66,7%'.

    `round_down` for a share short of its target: 99.96% must not read as '100,0%' beside 'chưa đạt'.
    """
    if round_down:
        tenths = math.floor(Fraction(fraction) * 1000)
        return f"{tenths // 10},{tenths % 10}%"
    return f"{float(fraction) * 100:.1f}".replace(".", ",") + "%"


def format_target_percent(fraction: float) -> str:
    """A target share, without a needless decimal: 0.6 -> '60%', 0.955 -> '95,5%'."""
    value = fraction * 100
    shown = f"{value:.0f}" if abs(value - round(value)) < 1e-9 else f"{value:.1f}".replace(".", ",")
    return shown + "%"
