"""Days as officials type them on a phone, with or without diacritics, read against several todays."""

from datetime import date

import pytest
from pydantic import ValidationError

from bot.config import DepartmentConfig
from bot.core.dates import DayForm, UnclearDate, read_day
from bot.core.features.access import NotifyVia
from bot.core.features.entries import DocumentKind, LogDocument, LogDossiers, LogMeeting, MeetingMode
from bot.core.grammar import ParseContext, ParseError, Tokens, YearGuess
from bot.core.words import fold
from bot.service.registry import registry

REGISTRY = registry()

MONDAY = date(2026, 11, 30)
WEDNESDAY = date(2026, 12, 2)
SUNDAY = date(2026, 12, 6)
NEW_YEAR = date(2027, 1, 1)  # a Friday


def written(typed: str) -> list[str]:
    """Each way a phrase reaches the bot: as typed, without diacritics, in capitals."""
    return [typed, fold(typed), typed.upper()]


RELATIVE = [
    (MONDAY, "hôm nay", MONDAY),
    (MONDAY, "hôm qua", date(2026, 11, 29)),
    (MONDAY, "hôm kia", date(2026, 11, 28)),
    (MONDAY, "sáng nay", MONDAY),
    (MONDAY, "chiều qua", date(2026, 11, 29)),
    (MONDAY, "tối hôm kia", date(2026, 11, 28)),
    (MONDAY, "đầu tuần", MONDAY),
    (MONDAY, "đầu tuần trước", date(2026, 11, 23)),
    (MONDAY, "thứ hai", MONDAY),
    (MONDAY, "thứ ba", date(2026, 11, 24)),
    (MONDAY, "chủ nhật", date(2026, 11, 29)),
    (MONDAY, "thứ hai tuần trước", date(2026, 11, 23)),
    (MONDAY, "CN tuần trước", date(2026, 11, 29)),
    (MONDAY, "t7", date(2026, 11, 28)),
    (MONDAY, "thứ 6 tuần rồi", date(2026, 11, 27)),
    (MONDAY, "hôm thứ năm tuần qua", date(2026, 11, 26)),
    (MONDAY, "thứ hai tuần trước nữa", date(2026, 11, 16)),
    (SUNDAY, "hôm kia", date(2026, 12, 4)),
    (SUNDAY, "thứ hai", MONDAY),
    (SUNDAY, "chủ nhật", SUNDAY),
    (SUNDAY, "thứ bảy", date(2026, 12, 5)),
    (SUNDAY, "thứ hai tuần này", MONDAY),
    (SUNDAY, "thứ hai tuần trước", date(2026, 11, 23)),
    (SUNDAY, "đầu tuần", MONDAY),
    (SUNDAY, "chủ nhật tuần trước", date(2026, 11, 29)),
    (SUNDAY, "T2", MONDAY),
    (SUNDAY, "sáng qua", date(2026, 12, 5)),
    (SUNDAY, "đêm qua", date(2026, 12, 5)),
    (SUNDAY, "sáng thứ sáu", date(2026, 12, 4)),
    (NEW_YEAR, "hôm qua", date(2026, 12, 31)),
    (NEW_YEAR, "hôm kia", date(2026, 12, 30)),
    (NEW_YEAR, "thứ hai", date(2026, 12, 28)),
    (NEW_YEAR, "thứ sáu", NEW_YEAR),
    (NEW_YEAR, "thứ bảy", date(2026, 12, 26)),
    (NEW_YEAR, "thứ hai tuần trước", date(2026, 12, 21)),
    (NEW_YEAR, "đầu tuần", date(2026, 12, 28)),
    (NEW_YEAR, "ngày hôm qua", date(2026, 12, 31)),
    (WEDNESDAY, "thứ sáu", date(2026, 11, 27)),
    (WEDNESDAY, "thứ sáu tuần này", date(2026, 12, 4)),  # later this week: the caller refuses it
    (WEDNESDAY, "thứ hai tuần sau", date(2026, 12, 7)),
    (WEDNESDAY, "mai", date(2026, 12, 3)),
    (WEDNESDAY, "sáng mai", date(2026, 12, 3)),
    (WEDNESDAY, "ngày kia", date(2026, 12, 4)),
]


@pytest.mark.parametrize("today,typed,day", RELATIVE)
def test_relative_days_with_or_without_diacritics(today, typed, day):
    for words in written(typed):
        spoken = read_day([*words.split(), "Giao", "ban"], today)
        assert spoken is not None, words
        assert (spoken.day, spoken.consumed, spoken.text, spoken.form) == (
            day,
            len(words.split()),
            words,
            DayForm.RELATIVE,
        )


@pytest.mark.parametrize(
    "today,typed,day",
    [(WEDNESDAY, "hôm kìa", date(2026, 11, 29)), (WEDNESDAY, "ngày kìa", date(2026, 12, 5))],
)
def test_kia_with_its_grave_accent_is_one_day_further(today, typed, day):
    """Hoàng Phê's dictionary: 'hôm kìa' is the day before 'hôm kia'; without marks 'hom kia' is the common word."""
    assert read_day(typed.split(), today).day == day


@pytest.mark.parametrize(
    "typed", ["homqua", "hôm_qua", "Hôm-Qua", "hômqua"], ids=["glued", "underscore", "hyphen", "glued-marks"]
)
def test_words_glued_or_joined_by_a_mark(typed):
    spoken = read_day([typed, "Họp"], MONDAY)
    assert (spoken.day, spoken.consumed) == (date(2026, 11, 29), 1)


@pytest.mark.parametrize("typed", ["thứ_hai", "Thứ-Hai", "thu2", "Thứ2", "T2"])
def test_weekdays_glued(typed):
    assert read_day([typed], SUNDAY).day == MONDAY


@pytest.mark.parametrize(
    "today,typed,day,form",
    [
        (MONDAY, "12/11", date(2026, 11, 12), DayForm.DAY_MONTH),
        (MONDAY, "12.11.26", date(2026, 11, 12), DayForm.FULL),
        (MONDAY, "12-11-2026", date(2026, 11, 12), DayForm.FULL),
        (MONDAY, "ngày 12/11", date(2026, 11, 12), DayForm.DAY_MONTH),
        (MONDAY, "ngày 12 tháng 11", date(2026, 11, 12), DayForm.DAY_MONTH),
        (MONDAY, "12 tháng 11 năm 2026", date(2026, 11, 12), DayForm.FULL),
        (MONDAY, "hôm 20/11", date(2026, 11, 20), DayForm.DAY_MONTH),
        (MONDAY, "chiều 20/11", date(2026, 11, 20), DayForm.DAY_MONTH),
        (NEW_YEAR, "31/12", date(2027, 12, 31), DayForm.DAY_MONTH),  # later this year: the caller asks
        (NEW_YEAR, "31/12/2026", date(2026, 12, 31), DayForm.FULL),
        (NEW_YEAR, "12 tháng 11 năm ngoái", date(2026, 11, 12), DayForm.FULL),
        (NEW_YEAR, "ngày 3 tháng 1 năm nay", date(2027, 1, 3), DayForm.FULL),
    ],
)
def test_dates_written_with_numbers(today, typed, day, form):
    for words in written(typed):
        spoken = read_day([*words.split(), "Kế", "hoạch"], today)
        assert (spoken.day, spoken.consumed, spoken.form) == (day, len(words.split()), form), words


def test_a_year_word_is_taken_only_with_a_year():
    spoken = read_day(["12", "tháng", "11", "năm", "học", "mới"], MONDAY)
    assert (spoken.day, spoken.consumed, spoken.form) == (date(2026, 11, 12), 3, DayForm.DAY_MONTH)


@pytest.mark.parametrize(
    "typed,key,echoed",
    [
        ("hôm trước Họp", "parse.unclear_date", "hôm trước"),
        ("hôm", "parse.unclear_date", "hôm"),
        ("hôm bữa Họp", "parse.unclear_date", "hôm bữa"),
        ("sáng hôm trước Họp", "parse.unclear_date", "sáng hôm trước"),
        ("thứ tám Họp", "parse.unclear_date", "thứ tám"),
        ("thứ nhất Họp", "parse.unclear_date", "thứ nhất"),
        ("thứ 8 Họp", "parse.unclear_date", "thứ 8"),
        ("thứ hai tuần kia Họp", "parse.unclear_date", "thứ hai tuần kia"),
        ("cuối tuần Họp", "parse.unclear_date", "cuối tuần"),
        ("tháng 11 Họp", "parse.unclear_date", "tháng 11"),
        ("ngày 12 Họp", "parse.unclear_date", "ngày 12"),
        ("12 tháng mười Họp", "parse.unclear_date", "12 tháng mười"),
        ("tuần trước Họp", "parse.week_not_day", "tuần trước"),
        ("tuần rồi", "parse.week_not_day", "tuần rồi"),
        ("tuần sau Họp", "parse.week_not_day", "tuần sau"),
        ("31/02 Họp", "parse.bad_date", "31/02"),
        ("ngày 32 tháng 1 Họp", "parse.bad_date", "32 tháng 1"),
        ("29/02 Họp", "parse.bad_date", "29/02"),  # 2026 has no 29 February
        ("12/2026/QĐ-UBND", "parse.bad_date", "12/2026/QĐ-UBND"),
    ],
)
def test_what_looks_like_a_date_but_names_no_day_is_reported(typed, key, echoed):
    for words, shown in zip(written(typed), written(echoed), strict=True):
        with pytest.raises(UnclearDate) as unclear:
            read_day(words.split(), MONDAY)
        assert (unclear.value.key, unclear.value.typed) == (key, shown)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "Giao ban tuần",
        "Sáng kiến cải cách",
        "Ngày hội đại đoàn kết",
        "Thu ngân sách quý IV",
        "Tối ưu quy trình",
        "Đầu tư công",
        "Cuối năm tổng kết",
        "Tuần lễ văn hóa",
        "qua Zalo",
        "12 đồng chí dự",
        "Tuấn trình bày",
        "năm 2026",
    ],
)
def test_free_text_is_not_a_date(typed):
    for words in written(typed):
        assert read_day(words.split(), MONDAY) is None, words


def test_strict_reads_a_document_number_as_none():
    assert read_day(["12/2026/QĐ-UBND", "Quy", "định"], MONDAY, strict=True) is None
    assert read_day(["12/11", "15/KH"], MONDAY, strict=True).day == date(2026, 11, 12)


def parse(message: str, today: date):
    raw = REGISTRY.split(message)
    assert raw is not None and raw.command is not None
    return raw.command.parse(Tokens.of(raw.args), ParseContext(today, ("vp", "vhxh", "kt", "tthcc"), ("6thang", "nam")))


@pytest.mark.parametrize(
    "message,expected",
    [
        ("/hop tructuyen hôm kia Họp", LogMeeting(None, MeetingMode.ONLINE, date(2026, 12, 4), "Họp")),
        ("/hop kt truc_tiep thu hai tuan truoc", LogMeeting("kt", MeetingMode.IN_PERSON, date(2026, 11, 23), "")),
        ("/hop zoom sáng nay Giao ban", LogMeeting(None, MeetingMode.ONLINE, SUNDAY, "Giao ban")),
        ("/hoso 3 1 đầu tuần", LogDossiers(None, 3, 1, MONDAY)),
        (
            "/vanban giay hôm qua 16/TB-UBND Thông báo",
            LogDocument(None, DocumentKind.PAPER, "16/TB-UBND", "Thông báo", date(2026, 12, 5)),
        ),
    ],
)
def test_commands_understand_days_as_said(message, expected):
    assert parse(message, SUNDAY) == expected


@pytest.mark.parametrize(
    "message,key,values",
    [
        ("/hop tructuyen hôm trước Họp", "parse.unclear_date", {"value": "hôm trước"}),
        ("/hop tructuyen tuần trước Họp", "parse.week_not_day", {"value": "tuần trước"}),
        ("/hoso 3 1 thứ tám", "parse.unclear_date", {"value": "thứ tám"}),
        ("/hop tructuyen mai Họp", "parse.future_spoken", {"typed": "mai", "value": "03/12/2026"}),
        (
            "/hop tructuyen thứ sáu tuần này",
            "parse.future_spoken",
            {"typed": "thứ sáu tuần này", "value": "04/12/2026"},
        ),
        ("/hop tructuyen 12 tháng 11 năm 2027", "parse.future_date", {"value": "12/11/2027"}),
        ("/hop tructuyen ngày 31/12/2024", "parse.too_old", {"value": "31/12/2024", "year": 2025}),
    ],
)
def test_commands_refuse_what_is_not_a_past_day(message, key, values):
    with pytest.raises(ParseError) as error:
        parse(message, WEDNESDAY)
    assert (error.value.key, error.value.values) == (key, values)


@pytest.mark.parametrize("message", ["/hop tructuyen 30 tháng 12 Tổng kết", "/hop tructuyen ngày 30/12 Tổng kết"])
def test_a_year_less_date_in_words_is_asked_about(message):
    with pytest.raises(YearGuess) as guess:
        parse(message, WEDNESDAY)
    assert (guess.value.day, guess.value.key) == (date(2025, 12, 30), "confirm.last_year")
    assert guess.value.token in message


@pytest.mark.parametrize(
    "mode", ["zoom", "Zoom", "teams", "google meet", "Google Meet", "meet", "zalo", "qua Zalo", "trực tuyến qua Zalo"]
)
def test_meeting_platforms_are_online(mode):
    assert parse(f"/hop {mode} hôm qua Giao ban", WEDNESDAY) == LogMeeting(
        None, MeetingMode.ONLINE, date(2026, 12, 1), "Giao ban"
    )


def test_zalo_as_a_meeting_mode_leaves_kenh_alone():
    assert parse("/kenh zalo", WEDNESDAY) == NotifyVia("zalo")


@pytest.mark.parametrize("code", ["zalo", "zoom", "teams", "meet", "google_meet", "qua_zalo"])
def test_a_platform_cannot_be_a_department_code(code):
    with pytest.raises(ValidationError, match="trùng với một từ khóa"):
        DepartmentConfig(code=code, name="Phòng thử")
