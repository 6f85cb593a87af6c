"""The demo's sample commune, whatever the day: the plan began on 1 January of last year, its history is imported
from a file (meetings, documents, dossier tallies on working days, drawn from a fixed seed), and its departments
have kept the reporting regime as a real commune does: every period submitted but the most recent one that fell
due, which two departments still owe; each department's own words written through the bot's conversation."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.calendar import WorkCalendar
from bot.core.commune import Commune
from bot.core.reports import ReportKind, open_years
from bot.core.texts.format import format_date

SEED = 641  # the plan's number: the same history on every run
MEETING_DEPARTMENTS = ("vp", "vhxh", "kt", "tthcc", "cax", "qs")
MEETINGS = ("Giao ban tuần", "Họp chuyên đề cải cách hành chính", "Họp triển khai nhiệm vụ tháng", "Họp dân thôn")
DOCUMENTS = {  # the kind's code in a document number, and what such a document is about
    "KH": "Kế hoạch triển khai nhiệm vụ",
    "TB": "Thông báo kết luận cuộc họp",
    "BC": "Báo cáo kết quả thực hiện nhiệm vụ",
    "CV": "Về việc triển khai nhiệm vụ chuyên môn",
}
HEADER = ("Loại", "Ngày", "Mã phòng", "Hình thức", "Số ký hiệu", "Nội dung", "Trực tuyến", "Trực tiếp")
# What each department wrote in its reports: (task group, result), difficulties, proposals ("" for none).
ANSWERS = {
    "vp": (
        [
            (2, "Rà soát, sửa đổi Quy chế làm việc của UBND xã; mỗi nhiệm vụ được giao có một đầu mối chủ trì."),
            (
                3,
                "Thẩm định thể thức, nội dung văn bản trước khi trình ký; không để văn bản trùng lặp, không cần thiết.",
            ),
        ],
        "Nhiều văn bản của cấp trên yêu cầu báo cáo gấp, thời gian chuẩn bị ngắn.",
        "Đề nghị Sở Nội vụ tập huấn nghiệp vụ văn thư, lưu trữ điện tử cho công chức cấp xã.",
    ),
    "vhxh": (
        [
            (
                1,
                "Quán triệt Kết luận số 226-KL/TW và Kế hoạch số 641/KH-UBND tới toàn thể cán bộ, công chức; "
                "đăng 6 tin bài trên Cổng thông tin điện tử và đài truyền thanh xã.",
            ),  # fmt: skip
            (5, "Hướng dẫn các bộ phận dùng hệ thống quản lý văn bản và điều hành; 100% công chức có chữ ký số."),
        ],
        "Hạ tầng mạng ở một số thôn vùng cao chưa ổn định, ảnh hưởng đến họp trực tuyến.",
        "Đề nghị UBND tỉnh hỗ trợ thiết bị họp trực tuyến cho các điểm cầu thôn, bản.",
    ),
    "kt": (
        [
            (4, "Chuyển các cuộc họp giao ban chuyên môn sang hình thức trực tuyến; không đọc lại báo cáo đã gửi."),
            (6, "Kiểm tra quy trình giải quyết hồ sơ đất đai tại 3 thôn; chấn chỉnh 2 trường hợp chậm trễ."),
        ],
        "Hồ sơ đất đai tồn đọng nhiều, nhân lực chuyên môn còn thiếu.",
        "",
    ),
    "tthcc": (
        [(5, "Tiếp nhận, giải quyết hồ sơ thủ tục hành chính trên Cổng dịch vụ công; trả kết quả đúng hạn trên 98%.")],
        "Người dân ở thôn xa còn hạn chế kỹ năng sử dụng dịch vụ công trực tuyến.",
        "Đề nghị bố trí thêm 01 máy quét tài liệu phục vụ số hóa hồ sơ.",
    ),
}
OWING_LATEST = ("vhxh", "tthcc")  # who still owes the most recent period that fell due


def plan_start(today: date) -> date:
    """The demo's plan began on 1 January of last year, so some report has always fallen due."""
    return date(today.year - 1, 1, 1)


def history_csv(today: date, calendar: WorkCalendar) -> bytes:
    """A year and more of records, as a document system and the public service portal would export them."""
    draw = random.Random(SEED)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    numbers: dict[int, int] = {}
    day = plan_start(today)
    while day < today:
        if calendar.is_working_day(day):
            for row in _day_rows(draw, day, numbers):
                writer.writerow(row)
        day += timedelta(days=1)
    return out.getvalue().encode("utf-8")


def _day_rows(draw: random.Random, day: date, numbers: dict[int, int]) -> Iterator[tuple]:
    when = format_date(day)
    if draw.random() < 0.4:  # about 8 meetings a month, against a cap of 9
        mode = "Trực tuyến" if draw.random() < 0.68 else "Trực tiếp"
        yield ("Cuộc họp", when, draw.choice(MEETING_DEPARTMENTS), mode, "", draw.choice(MEETINGS), "", "")
    for _ in range(draw.choice((0, 1, 1, 2, 2, 3))):  # about 38 documents a month, against a cap of 42
        department = draw.choice(("vp", "vp", "vhxh", "kt", "tthcc"))
        kind = draw.choices(("Điện tử", "Giấy", "Mật"), (97, 2, 1))[0]
        if kind == "Mật":
            yield ("Văn bản", when, department, kind, "", "", "", "")
            continue
        numbers[day.year] = numbers.get(day.year, 0) + 1
        code = draw.choice(list(DOCUMENTS))
        number = (
            f"{numbers[day.year]}/{code}-UBND" if code != "UBND" else f"{numbers[day.year]}/UBND-{department.upper()}"
        )
        yield ("Văn bản", when, department, kind, number, DOCUMENTS[code], "", "")
    yield ("Hồ sơ", when, "tthcc", "", "", "", draw.randint(14, 24), draw.choice((0, 0, 0, 1, 1, 2)))


@dataclass(frozen=True)
class Seeded:
    """The periods the sample commune has been through, as of today."""

    codes: tuple[str, ...]  # the commune's departments
    past: tuple[tuple[ReportKind, int], ...]  # fell due, oldest first
    current: tuple[ReportKind, int] | None  # the next to fall due, if its data has begun


def periods(commune: Commune, today: date) -> Seeded:
    """The report periods of the demo's plan, as of `today`."""
    found = sorted(
        ((kind, year) for kind in commune.reports for year in open_years(kind, (), plan_start(today), today)),
        key=lambda period: period[0].due(period[1]),
    )
    past = tuple(p for p in found if p[0].due(p[1]) < today)
    coming = [p for p in found if p[0].due(p[1]) >= today]
    return Seeded(commune.codes, past, coming[0] if coming else None)


def submissions(seeded: Seeded, today: date) -> Iterator[str]:
    """How each past period was submitted, as the leader records it: on the day it came, a few days early, one
    department late; the most recent period still owed by two."""
    for index, (kind, year) in enumerate(seeded.past):
        latest = index == len(seeded.past) - 1
        for code in kind.owing(seeded.codes):
            if latest and code in OWING_LATEST:
                continue
            due = kind.due(year)
            day = min(due + timedelta(days=3), today - timedelta(days=1)) if code == "kt" else due - timedelta(days=2)
            yield f"/nopbaocao {code} {kind.code} {year} {format_date(day)} Đã gửi bản ký số qua hệ thống văn bản"


def answers(seeded: Seeded) -> Iterator[str]:
    """Each department's words for the two most recent periods that fell due, and the first result of the
    coming one, typed through the conversation (a command, then the words it asks for)."""
    for kind, year in seeded.past[-2:]:
        for code, (results, difficulty, proposal) in ANSWERS.items():
            if code not in kind.owing(seeded.codes) or (kind, year) == seeded.past[-1] and code in OWING_LATEST:
                continue
            yield from _answer(code, kind, year, results, difficulty, proposal)
    if seeded.current is not None:
        kind, year = seeded.current
        group, result = ANSWERS["vhxh"][0][0]
        yield from (f"/noidung vhxh {kind.code} {year} ketqua {group}", result)


def _answer(code: str, kind: ReportKind, year: int, results, difficulty: str, proposal: str) -> Iterator[str]:
    at = f"/noidung {code} {kind.code} {year}"
    for group, result in results:
        yield from (f"{at} ketqua {group}", result)
    yield from (f"{at} khokhan", difficulty)
    yield from (f"{at} dexuat", proposal) if proposal else (f"{at} dexuat khongco",)
