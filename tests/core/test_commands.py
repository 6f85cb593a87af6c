"""Parsing: what officials type, with or without diacritics, and what is refused."""

import re
from datetime import date

import pytest

from bot.core.features.access import Help, Start
from bot.core.features.cancel import Cancel, CancelTask
from bot.core.features.entries import (
    AskDocumentKind,
    AskMeetingMode,
    DocumentKind,
    LogDocument,
    LogDossiers,
    LogMeeting,
    MeetingMode,
    document_number_key,
)
from bot.core.features.reports import AskReportPeriod, ShowReports, Submit
from bot.core.features.targets import ShowTargets
from bot.core.features.tasks import Assign, Done, EditTask, ListTasks, Progress
from bot.core.grammar import Ask, Missing, NeedInput, ParseContext, ParseError, Tokens, YearGuess, fold
from bot.core.texts import CATALOGUE, text
from bot.service.registry import registry

REGISTRY = registry()

TODAY = date(2026, 11, 27)
CONTEXT = ParseContext(TODAY, ("vp", "vhxh", "kt", "tthcc"), ("6thang", "nam"))


def parse(message: str):
    raw = REGISTRY.split(message)
    assert raw is not None and raw.command is not None
    return raw.command.parse(Tokens.of(raw.args), CONTEXT)


@pytest.mark.parametrize(
    "message",
    [
        "/hop truc_tuyen",
        "/hop trực tuyến",
        "/hop truc-tuyen",
        "/HOP ONLINE",
        "/hop@BinhLuBot Trực_Tuyến",
        "/họp tructuyen",
    ],
)
def test_online_meeting_variants(message):
    assert parse(message) == LogMeeting(None, MeetingMode.ONLINE, TODAY, "")


@pytest.mark.parametrize("message", ["/hop truc_tiep", "/hop trực tiếp", "/hop Truc-Tiep", "/hop offline"])
def test_in_person_meeting_variants(message):
    assert parse(message).mode is MeetingMode.IN_PERSON


def test_meeting_with_date_and_summary():
    assert parse("/hop truc_tuyen 12/11 Giao ban tuần") == LogMeeting(
        None, MeetingMode.ONLINE, date(2026, 11, 12), "Giao ban tuần"
    )


@pytest.mark.parametrize(
    "message,day,key",
    [
        ("/hop truc_tiep 30/12", date(2025, 12, 30), "confirm.last_year"),
        ("/hop kt truc_tuyen 31/12 Tổng kết", date(2025, 12, 31), "confirm.last_year"),
        ("/giaoviec kt 26/11 Rà soát", date(2027, 11, 26), "confirm.next_year"),
        ("/giaoviec vp 01/01 Đầu năm sau", date(2027, 1, 1), "confirm.next_year"),
    ],
)
def test_a_year_less_date_in_another_year_is_asked_never_guessed(message, day, key):
    with pytest.raises(YearGuess) as guess:
        parse(message)
    assert (guess.value.day, guess.value.key) == (day, key)


@pytest.mark.parametrize(
    "message,day",
    [
        ("/hop truc_tiep hôm nay", TODAY),
        ("/hop truc_tiep hom qua Giao ban", date(2026, 11, 26)),
        ("/hop truc_tiep homqua", date(2026, 11, 26)),
        ("/hoso 3 0 hôm qua", date(2026, 11, 26)),
        ("/hop truc_tiep 15/01/2025", date(2025, 1, 15)),
        ("/vanban dientu 20/11/2026 15/KH-UBND Kế hoạch", date(2026, 11, 20)),
        ("/vanban mat 20/11", date(2026, 11, 20)),
    ],
)
def test_dates_words_and_backfilling(message, day):
    assert parse(message).day == day


def test_a_document_number_with_a_year_is_not_a_date():
    command = parse("/vanban dientu 12/2026/QĐ-UBND Quy định")
    assert (command.number, command.day, command.summary) == ("12/2026/QĐ-UBND", TODAY, "Quy định")


def test_meeting_for_a_named_department():
    assert parse("/hop KT truc_tuyen 01/10/2026").department == "kt"


@pytest.mark.parametrize("message,department", [("/hop", None), ("/hop vhxh", "vhxh")])
def test_meeting_without_mode_asks(message, department):
    assert parse(message) == AskMeetingMode(department)


@pytest.mark.parametrize(
    "message,key",
    [
        ("/hop abc", "parse.unknown_meeting_kind"),
        ("/hop truc", "parse.unknown_meeting_kind"),
        ("/hop truc_tuyen 31/02", "parse.bad_date"),
        ("/hop truc_tuyen 12/13/2026", "parse.bad_date"),
        ("/hop truc_tuyen 28/11/2026", "parse.future_date"),
        ("/hop truc_tuyen 01/01/2027", "parse.future_date"),
        ("/hop truc_tuyen 01/01/1999", "parse.too_old"),
        ("/hop truc_tuyen 31/12/2024", "parse.too_old"),
        ("/hop vp truc_tiep 31/02/2026", "parse.bad_date"),
        ("/hop vp truc_tiep 31.02.2026 Giao ban", "parse.bad_date"),
        ("/hop truc_tiep 1/2/3 Giao ban", "parse.bad_date"),
        ("/vanban mat 5/M", "parse.secret_details"),
        ("/vanban vp mật Văn bản mật", "parse.secret_details"),
        ("/vanban dientu 31/02/2026 5/UBND", "parse.bad_date"),
        ("/hop truc_tuyen " + "x" * 301, "parse.too_long"),
        ("/vanban thu", "parse.unknown_document_kind"),
        ("/vanban dien_tu", "parse.document_number_missing"),  # an issued document has its number, or says none
        ("/vanban giay Giấy mời họp", "parse.document_number_missing"),
        ("/vanban dientu hôm qua Về việc A", "parse.document_number_missing"),
        ("/vanban dien_tu " + "1" * 51, "parse.too_long"),
        ("/hoso 5", "parse.missing_counts"),
        ("/hoso -1 2", "parse.bad_count"),
        ("/hoso 1 hai", "parse.bad_count"),
        ("/hoso 1.5 2", "parse.bad_count"),
        ("/hoso 0 0", "parse.zero_counts"),
        ("/hoso 1 2 3", "parse.too_many_args"),
        ("/hoso 1 2 30/02", "parse.bad_date"),
        ("/hoso 999999 1", "parse.count_too_big"),
        ("/hoso 1 " + "9" * 4400, "parse.bad_count"),
        ("/nopbaocao kt 2026", "parse.unknown_report"),
        ("/suaviec V3 30/02/2027", "parse.bad_date"),
        ("/suaviec V3 20/11/2026", "parse.past_deadline"),
        ("/huy Vx", "parse.bad_entry_id"),
        ("/huy abc", "parse.bad_entry_id"),
        ("/huy 0", "parse.bad_entry_id"),
        ("/huy 1 2", "parse.too_many_args"),
        ("/chitieu 2030", "parse.bad_year"),
        ("/chitieu xyz", "parse.unknown_department"),
        ("/chitieu thang 13", "parse.bad_month"),
        ("/chitieu thang", "parse.bad_month"),
        ("/chitieu thang 12", "parse.future_period"),
        ("/chitieu 2027", "parse.future_period"),
        ("/lienket xyz", "parse.unknown_department"),
        ("/thuhoi abc", "parse.bad_member_id"),
        ("/start short", "parse.bad_code"),
        ("/start " + "a" * 65, "parse.bad_code"),
        ("/start abc$defghijklmnopqrstu", "parse.bad_code"),
        ("/nopbaocao quy", "parse.unknown_report"),
        ("/nopbaocao nam 2030", "parse.bad_year"),
        ("/baocao quy", "parse.unknown_report"),
        ("/baocao nam 2026 x", "parse.too_many_args"),
        ("/giaoviec xyz 01/12/2026 A", "parse.unknown_department"),
        ("/giaoviec kt", "parse.missing_deadline"),
        ("/giaoviec kt mai Việc", "parse.bad_date"),
        ("/giaoviec kt 26/11/2026 Việc", "parse.past_deadline"),
        ("/giaoviec kt 30/02/2027 Việc", "parse.bad_date"),
        ("/giaoviec kt 04/12/2026", "parse.missing_title"),
        ("/viec xyz", "parse.unknown_department"),
        ("/tiendo x 5", "parse.bad_task_id"),
        ("/tiendo 5 101", "parse.bad_percent"),
        ("/tiendo 5 -3", "parse.bad_percent"),
        ("/xong abc", "parse.bad_task_id"),
        ("/hoso ² 1", "parse.bad_count"),
        ("/tiendo 1 ²%", "parse.bad_percent"),
        ("/huy #²", "parse.bad_entry_id"),
        ("/chitieu ²²²²", "parse.unknown_department"),
        ("/nopbaocao ²⁰²⁶", "parse.unknown_report"),
    ],
)
def test_bad_input_is_refused_with_a_reason(message, key):
    with pytest.raises(ParseError) as err:
        parse(message)
    assert err.value.key == key


@pytest.mark.parametrize(
    "message,expected",
    [
        ("/vanban dien_tu khongso", LogDocument(None, DocumentKind.ELECTRONIC, None, "", TODAY)),
        (
            "/vanban điện tử 125/QĐ-UBND Về việc A",
            LogDocument(None, DocumentKind.ELECTRONIC, "125/QĐ-UBND", "Về việc A", TODAY),
        ),
        ("/vanban giấy không số Giấy mời", LogDocument(None, DocumentKind.PAPER, None, "Giấy mời", TODAY)),
        ("/vanban vp mật", LogDocument("vp", DocumentKind.SECRET, None, "", TODAY)),
        ("/hoso 19 1", LogDossiers(None, 19, 1, TODAY)),
        ("/hồ_sơ tthcc 0 3 20/11/2026", LogDossiers("tthcc", 0, 3, date(2026, 11, 20))),
        ("/huy", Cancel(None)),
        ("/huy #12", Cancel(12)),
        ("/chitieu", ShowTargets(2026, None)),
        ("/chi_tieu vhxh 2025", ShowTargets(2025, "vhxh")),
        ("/start", Start(None)),
        ("/nopbaocao nam", Submit(None, "nam", None, "")),
        ("/nộp_báo_cáo 6 tháng 2026 Đã gửi qua email", Submit(None, "6thang", 2026, "Đã gửi qua email")),
        ("/nopbaocao kt nam 2025", Submit("kt", "nam", 2025, "")),
        ("/baocao", ShowReports(None, None)),
        ("/baocao năm 2026", ShowReports("nam", 2026)),
        ("/giaoviec kt 04/12 Rà soát hồ sơ", Assign("kt", date(2026, 12, 4), "Rà soát hồ sơ")),
        ("/giaoviec vp 27/11/2026 Hôm nay", Assign("vp", TODAY, "Hôm nay")),
        ("/giaoviec vp 01/01/2027 Đầu năm sau", Assign("vp", date(2027, 1, 1), "Đầu năm sau")),
        ("/huy V3", CancelTask(3)),
        ("/huy v12", CancelTask(12)),
        ("/xong V5", Done(5, "")),
        ("/suaviec V3 20/12/2026", EditTask(3, due=date(2026, 12, 20))),
        ("/suaviec 3 vhxh", EditTask(3, department="vhxh")),
        ("/sửa_việc V3 Rà soát và báo cáo", EditTask(3, title="Rà soát và báo cáo")),
        ("/help hop", Help("hop")),
        ("/help /giaoviec", Help("giaoviec")),
        ("/chitieu 6thang 2026", ShowTargets(2026, None, report="6thang")),
        ("/chitieu nam", ShowTargets(2026, None, report="nam")),
        ("/chitieu thang 11", ShowTargets(2026, None, month=11)),
        ("/chitieu tháng 3 2026 kt", ShowTargets(2026, "kt", month=3)),
        ("/chitieu 2025", ShowTargets(2025, None)),
        ("/viec", ListTasks(None)),
        ("/viec kt", ListTasks("kt")),
        ("/tiendo 5 60% Xong khảo sát", Progress(5, 60, "Xong khảo sát")),
        ("/tiến_độ #5 0", Progress(5, 0, "")),
        ("/xong 5 Đã gửi", Done(5, "Đã gửi")),
    ],
)
def test_parses(message, expected):
    assert parse(message) == expected


def test_a_line_break_after_the_command_is_a_space():
    assert parse("/hop\ntruc_tuyen") == LogMeeting(None, MeetingMode.ONLINE, TODAY, "")


def test_unknown_command_plain_text_and_a_lone_slash():
    assert REGISTRY.split("/xyz 1").command is None
    assert REGISTRY.split("xin chào") is None
    for lone in ("/", " / ", "/\n"):
        assert REGISTRY.split(lone).command is None


def test_fold_and_document_number_key():
    assert fold("Đầu Mối Trực Tuyến") == "dau moi truc tuyen"
    assert document_number_key("125/QĐ-UBND") == document_number_key("125/qd-ubnd")


@pytest.mark.parametrize(
    "message,ask,template",
    [
        ("/lienket", Ask.DEPARTMENT, "/lienket {}"),
        ("/thuhoi", Ask.MEMBER, "/thuhoi {}"),
        ("/tiendo", Ask.OPEN_TASK, "/tiendo {}"),
        ("/tiendo 5", Ask.PERCENT, "/tiendo V5 {}"),
        ("/suaviec", Ask.OPEN_TASK, "/suaviec {}"),
        ("/xong", Ask.OPEN_TASK, "/xong {}"),
    ],
)
def test_a_missing_pick_is_asked(message, ask, template):
    with pytest.raises(Missing) as missing:
        parse(message)
    assert (missing.value.ask, missing.value.template) == (ask, template)


@pytest.mark.parametrize(
    "message,expected",
    [
        ("/vanban", AskDocumentKind(None)),
        ("/vanban kt", AskDocumentKind("kt")),
        ("/nopbaocao", AskReportPeriod(None)),
        ("/nopbaocao kt", AskReportPeriod("kt")),
    ],
)
def test_a_missing_kind_or_period_asks_once_the_department_is_known(message, expected):
    assert parse(message) == expected


@pytest.mark.parametrize("message", ["/hoso", "/giaoviec"])
def test_a_bare_command_that_needs_typing_prompts(message):
    with pytest.raises(NeedInput):
        parse(message)


def test_aliases_are_declared_once_and_found_with_or_without_diacritics():
    assert REGISTRY.get("Họp").name == "hop" and REGISTRY.get("cuoc_hop").name == "hop"
    assert REGISTRY.get("hoàn thành").name == "xong"
    names = [command.name for command in REGISTRY]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("command", list(REGISTRY), ids=lambda c: c.name)
def test_every_command_says_what_it_does_and_how_it_is_used(command):
    assert command.summary_key in CATALOGUE and command.usage_key in CATALOGUE
    assert text(command.usage_key).startswith(f"/{command.name}") or command.takes_file


def examples(command) -> list[str]:
    """The examples its usage shows officials ('Ví dụ: /hop tructuyen 12/11 Giao ban tuần, …'), notes aside."""
    found = []
    for line in text(command.usage_key).splitlines():
        if line.startswith("Ví dụ:"):
            for example in re.sub(r"\([^)]*\)", "", line.removeprefix("Ví dụ:")).split(", "):
                if example.strip().startswith("/"):
                    found.append(example.strip().rstrip("…").strip())
    return found


@pytest.mark.parametrize("command", list(REGISTRY), ids=lambda c: c.name)
def test_every_example_a_usage_shows_is_understood(command):
    """What the bot tells officials to type, its parser takes: a typed command, never an error or a prompt."""
    for example in examples(command):
        raw = REGISTRY.split(example)
        assert raw.command is command, example
        assert not isinstance(command.read(raw.args, CONTEXT), ParseError | NeedInput), example
