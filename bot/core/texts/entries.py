"""Meetings, documents, dossier tallies and cancelling: usage, receipts, refusals."""

from __future__ import annotations

from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_date, format_percent
from bot.core.views import EntryCancelled, EntryLogged, EntryView

add_strings(
    {
        "usage.hop": (
            "/hop tructuyen|tructiep [ngày] [nội dung] (cũng nhận: online, trực tuyến, zoom, zalo, trực tiếp)\n"
            "Ngày: 12/11, hôm qua, thứ sáu tuần trước…\n"
            "Ví dụ: /hop tructuyen 12/11 Giao ban tuần, /hop zoom hôm qua Giao ban"
        ),
        "usage.vanban": (
            "/vanban dientu|giay|mat [ngày] [số ký hiệu] [trích yếu]\n"
            "Ví dụ: /vanban dientu 20/11/2026 15/KH-UBND Kế hoạch tuyên truyền, /vanban giay hôm qua 16/TB-UBND …\n"
            "Văn bản mật: chỉ /vanban mat [ngày], không ghi số hay trích yếu."
        ),
        "usage.hoso": (
            "/hoso <số trực tuyến> <số trực tiếp> [ngày]\nVí dụ: /hoso 19 1, /hoso 19 1 hôm qua, /hoso 3 0 thứ hai"
        ),
        "usage.huy": "/huy [số mục | số việc]\nVí dụ: /huy (mục vừa ghi), /huy 12, /huy V3 (lãnh đạo hủy việc)",
        "help.hop": "/hop – ghi một cuộc họp",
        "help.vanban": "/vanban – ghi một văn bản đã ban hành",
        "help.hoso": "/hoso – ghi số hồ sơ TTHC tiếp nhận",
        "help.huy": "/huy – hủy mục vừa ghi",
        "prompt.hoso": "Gõ số hồ sơ TTHC tiếp nhận trực tuyến và trực tiếp.",
        "parse.unknown_meeting_kind": "Không rõ hình thức họp “{value}”.",
        "parse.unknown_document_kind": "Không rõ loại văn bản “{value}”.",
        "parse.bad_count": "Số hồ sơ “{value}” phải là số nguyên không âm.",
        "parse.count_too_big": "Số hồ sơ “{value}” quá lớn: mỗi lần ghi tối đa {limit} hồ sơ.",
        "parse.secret_details": "Văn bản mật chỉ ghi số lượng: không ghi số ký hiệu hay trích yếu trong ứng dụng chat.",
        "parse.zero_counts": "Cả hai số đều bằng 0; không có gì để ghi.",
        "parse.missing_counts": "Thiếu số hồ sơ trực tuyến và trực tiếp.",
        "parse.bad_entry_id": "Số mục “{value}” không hợp lệ.",
        "ask.meeting_mode": "Cuộc họp theo hình thức nào?",
        "ask.document_kind": "Văn bản loại nào?",
        "option.online": "Trực tuyến",
        "option.in_person": "Trực tiếp",
        "option.electronic": "Điện tử",
        "option.paper": "Giấy",
        "option.secret": "Mật",
        "entry.not_your_department": "Bạn chỉ ghi được cho phòng của mình ({codes}).",
        "meeting.logged": "Đã ghi #{id}: họp {mode} ngày {day} – {department}{summary}.",
        "meeting.online": "trực tuyến",
        "meeting.in_person": "trực tiếp",
        "document.logged": "Đã ghi #{id}: văn bản {kind}{number} ngày {day} – {department}{summary}.",
        "document.electronic": "điện tử",
        "document.paper": "giấy",
        "document.secret": "mật",
        "document.number": " số {number}",
        "document.duplicate": "Văn bản số {number} đã được ghi năm {year} (#{id}); không ghi lại để tránh đếm hai lần.",
        "dossiers.logged": (
            "Đã ghi #{id}: hồ sơ TTHC ngày {day} – {department}: "
            "{online} trực tuyến, {paper} trực tiếp ({share} trực tuyến)."
        ),
        "cancel.done": "Đã hủy #{id} ({what}). Bản ghi vẫn được lưu để đối chiếu.",
        "cancel.nothing": "Bạn chưa ghi mục nào để hủy.",
        "cancel.last_already": "Mục vừa ghi #{id} ({what}) đã được hủy. Muốn hủy mục khác, gõ /huy <số mục>.",
        "confirm.cancel": "Hủy #{id}: {what}?",
        "confirm.same_meeting": "Cuộc họp này vừa được ghi (#{id}: {what}). Ghi thêm một lần nữa?",
        "option.cancel_entry": "Hủy #{id}",
        "option.log_anyway": "Vẫn ghi",
        "option.dont": "Không",
        "cancel.not_found": "Không có mục #{id}.",
        "cancel.already": "Mục #{id} đã được hủy trước đó.",
        "cancel.not_yours": "Bạn chỉ hủy được mục do mình ghi.",
        "what.meeting": "họp {mode} ngày {day}",
        "what.document": "văn bản {kind}{number}",
        "what.dossiers": "hồ sơ ({online} trực tuyến, {paper} trực tiếp) ngày {day}",
        "what.report": "{report} {year}",
    }
)


def _mode(entry: EntryView) -> str:
    return text("meeting.online" if entry.online else "meeting.in_person")


def _number(entry: EntryView) -> str:
    return text("document.number", number=entry.document_number) if entry.document_number else ""


@render.register
def describe_entry(entry: EntryView) -> str:
    """What an entry records, in a few words: 'họp trực tuyến ngày 12/11/2026'."""
    day = format_date(entry.day)
    match entry.kind:
        case "meeting":
            return text("what.meeting", mode=_mode(entry), day=day)
        case "document":
            return text("what.document", kind=text(f"document.{entry.document_kind}"), number=_number(entry))
        case "report":
            return text("what.report", report=entry.report, year=entry.report_year)
    return text("what.dossiers", online=entry.dossiers_online, paper=entry.dossiers_paper, day=day)


@render.register
def _logged(view: EntryLogged) -> str:
    entry = view.entry
    common = {"id": entry.id, "day": format_date(entry.day), "department": entry.department}
    summary = f": {entry.summary}" if entry.summary else ""
    match entry.kind:
        case "meeting":
            return text("meeting.logged", mode=_mode(entry), summary=summary, **common)
        case "document":
            kind = text(f"document.{entry.document_kind}")
            return text("document.logged", kind=kind, number=_number(entry), summary=summary, **common)
    total = entry.dossiers_online + entry.dossiers_paper
    share = format_percent(entry.dossiers_online / total)
    return text("dossiers.logged", online=entry.dossiers_online, paper=entry.dossiers_paper, share=share, **common)


@render.register
def _cancelled(view: EntryCancelled) -> str:
    return text("cancel.done", id=view.entry.id, what=describe_entry(view.entry))
