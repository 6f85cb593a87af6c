"""The plan's target computations: the worked example, and figures that never promise more than the data."""

from datetime import date
from fractions import Fraction

import pytest

from bot.core.periods import month_period, window, year_period
from bot.core.targets import (
    TARGETS,
    Baseline,
    Counts,
    Mark,
    Plan,
    TaskCounts,
    compute_cap,
    compute_share_line,
    compute_target_report,
)
from bot.core.texts import format_percent, render

WORKED = Counts(
    meetings=5,
    online_meetings=2,
    documents=11,
    electronic_documents=9,
    paper_documents=1,
    secret_documents=1,
    dossiers_online=19,
    dossiers_paper=1,
)
BASELINE = Baseline(120, 600)
YEAR = year_period(2026)


def report(counts=WORKED, today=date(2026, 3, 31), period=YEAR, baseline=BASELINE, **kwargs):
    return compute_target_report(
        counts, Plan().targets, period=period, today=today, baseline=baseline, scope="UBND xã Bình Lư", **kwargs
    )


def test_caps_from_the_baseline():
    assert compute_cap(120, 0.10) == 108
    assert compute_cap(600, 0.15) == 510  # not 509: 600 * 0.85 in floats is 509.999…
    assert compute_cap(None, 0.10) is None


def test_worked_example():
    result = report()
    assert result.line("meetings").cap == 108 and result.line("documents").cap == 510
    assert result.line("meetings").projected == Fraction(5 * 365, 90) and result.line("meetings").mark is Mark.ON_TRACK
    assert result.line("online").mark is Mark.BEHIND and format_percent(result.line("online").share) == "40,0%"
    assert result.line("electronic").mark is Mark.BEHIND
    assert result.line("dossiers").mark is Mark.MET
    text = render(result)
    assert text.splitlines() == [
        "📊 Chỉ tiêu năm 2026 – UBND xã Bình Lư (đến 31/03/2026):",
        "• Cuộc họp: 5 – tối đa 108 = 120 năm 2025 − 10%; dự kiến 20 🟢 đúng tiến độ",
        "• Họp trực tuyến: 2/5 cuộc – 40,0% (chỉ tiêu ≥60%) 🔴 chưa đạt",
        "• Văn bản ban hành: 11 – tối đa 510 = 600 năm 2025 − 15%; dự kiến 44 🟢 đúng tiến độ",
        "• Văn bản điện tử (trừ mật): 9/10 – 90,0% (chỉ tiêu 100%) 🔴 chưa đạt",
        "  (thêm 1 văn bản mật, không tính tỷ lệ điện tử)",
        "• Hồ sơ TTHC trực tuyến: 19/20 hồ sơ – 95,0% (chỉ tiêu ≥95%) ✅ đạt",
    ]


def test_no_data_is_never_success():
    text = render(report(Counts(), tasks=TaskCounts()))
    assert "✅" not in text and "🟢" not in text and "🔴" not in text
    assert text.count("chưa có số liệu") == 5
    assert "• Nhiệm vụ: chưa có việc đến hạn" in text
    assert report(Counts()).line("meetings").mark is Mark.NO_DATA


def test_no_pace_while_the_year_is_too_young():
    one = report(Counts(meetings=1, online_meetings=1), today=date(2026, 1, 2))
    assert one.line("meetings").projected is None and one.line("meetings").mark is Mark.NONE
    assert "còn sớm để dự báo" in render(one) and "🔴" not in render(one).splitlines()[1]


def test_the_pace_is_compared_exactly_not_rounded():
    line = report(Counts(meetings=30), today=date(2026, 4, 11)).line("meetings")  # day 101: 30 × 365 / 101 = 108.4
    assert line.projected > 108 and line.mark is Mark.BEHIND


@pytest.mark.parametrize(
    "count,today,data_from,mark",
    [
        (109, date(2026, 6, 1), None, Mark.MISSED),  # over the cap already: missed, whatever is left of the year
        (100, date(2027, 1, 5), None, Mark.MET),  # the year is over, within the cap
        (100, date(2027, 1, 5), date(2026, 4, 1), Mark.INCOMPLETE),  # … but partial data is neither met nor a pace
        (10, date(2026, 3, 31), date(2026, 2, 1), Mark.INCOMPLETE),  # … while the year runs too
        (10, date(2026, 3, 31), None, Mark.ON_TRACK),
    ],
)
def test_cap_marks(count, today, data_from, mark):
    assert report(Counts(meetings=count), today=today, data_from=data_from).line("meetings").mark is mark


def test_partial_data_says_from_when_and_shows_no_green():
    text = render(report(today=date(2026, 11, 27), data_from=date(2026, 4, 1)))
    assert "⚠️ Số liệu chỉ có từ 01/04/2026, chưa đủ cả kỳ" in text
    assert "🟢" not in text and "✅" not in text and "dự kiến" not in text, "no pace, no pass on partial records"
    assert text.count("⚪ chưa đủ số liệu") == 5
    assert report(data_from=date(2026, 1, 1)).data_from is None, "from 1 January is complete"


@pytest.mark.parametrize("today", [date(2027, 1, 5), date(2028, 6, 1)])
def test_a_closed_period_is_met_or_missed_never_a_pace(today):
    closed = report(WORKED, today=today, tasks=TaskCounts(due=3, on_time=2))
    marks = {line.target.key: line.mark for line in closed.lines}
    assert marks == {
        "meetings": Mark.MET,
        "online": Mark.MISSED,
        "documents": Mark.MET,
        "electronic": Mark.MISSED,
        "dossiers": Mark.MET,
    }
    text = render(closed)
    assert "đúng tiến độ" not in text and "chưa đạt" not in text and "dự kiến" not in text
    assert "❌ không đạt" in text and "Nhiệm vụ đến hạn: 3, đúng hạn 2 (66,7%); quá hạn chưa xong: 0 ❌" in text


@pytest.mark.parametrize(
    "part,whole,target,mark",
    [(3, 5, 0.6, Mark.MET), (2, 5, 0.6, Mark.BEHIND), (0, 0, 0.6, Mark.NO_DATA), (20, 20, 1.0, Mark.MET)],
)
def test_share_marks(part, whole, target, mark):
    assert compute_share_line(TARGETS[1], part, whole, target).mark is mark


def test_a_share_short_of_its_target_never_reads_as_reaching_it():
    text = render(report(Counts(electronic_documents=2499, paper_documents=1, documents=2500)))
    assert "2.499/2.500 – 99,9% (chỉ tiêu 100%) 🔴" in text
    text = render(report(Counts(dossiers_online=1899, dossiers_paper=101)))  # 94,95%: half up would be 95,0%
    assert "1.899/2.000 hồ sơ – 94,9% (chỉ tiêu ≥95%) 🔴 chưa đạt" in text


@pytest.mark.parametrize(
    "share,floor,shown",
    [
        (Fraction(59, 63), None, "93,7%"),  # 93,65…: half up, the headline and the table alike
        (Fraction(59, 63), 0.95, "93,7%"),  # short of 95% but far from it: rounded as any other
        (Fraction(40, 46), 0.6, "87,0%"),
        (Fraction(8, 9), None, "88,9%"),  # 88,88…: never cut to 88,8%
        (Fraction(1873, 2000), None, "93,7%"),  # exactly 93,65: half up
        (Fraction(1899, 2000), 0.95, "94,9%"),  # half up reaches the target it misses: the tenth below it
        (Fraction(19, 20), 0.95, "95,0%"),
    ],
)
def test_one_rounding_rule(share, floor, shown):
    assert format_percent(share, floor=floor) == shown


def test_missing_baseline_says_so():
    text = render(report(baseline=Baseline()))
    assert "• Cuộc họp: 5 (chưa có số liệu năm 2025 để tính mức tối đa)" in text


def test_next_years_cap_falls_back_to_the_bots_own_counts_and_says_so():
    plan = Plan(baselines={2025: BASELINE})
    assert plan.baseline_for(2026) == BASELINE
    own = plan.baseline_for(2027, Counts(meetings=90, documents=400))
    assert own == Baseline(90, 400, source="bot")
    text = render(report(period=year_period(2027), today=date(2027, 3, 1), baseline=own))
    assert "tối đa 81 = 90 năm 2026, số bot ghi nhận − 10%" in text
    assert plan.baseline_for(2027) == Baseline(), "no counts, no cap"


def test_a_years_configured_total_is_its_figure_of_record():
    own = Counts(meetings=4, documents=9)
    past = report(own, period=year_period(2025), today=date(2026, 3, 1), baseline=Baseline(), recorded=BASELINE,
                  data_from=date(2025, 11, 20))  # fmt: skip
    assert (past.line("meetings").count, past.line("meetings").own) == (120, 4)
    text = render(past)
    assert "• Cuộc họp: 120 (số liệu gốc theo cấu hình; bot ghi nhận 4, chưa đủ cả năm)" in text
    assert "• Văn bản ban hành: 600 (số liệu gốc theo cấu hình; bot ghi nhận 9, chưa đủ cả năm)" in text
    assert "chưa có số liệu năm 2024" not in text, "a year of record before the plan has nothing to be cut from"


def test_a_departments_cap_is_the_communes():
    department = report(Counts(meetings=3), baseline=Baseline(), commune_caps=True)
    text = render(department)
    assert "• Cuộc họp: 3 (mức tối đa đặt cho toàn xã, không chia cho từng phòng)" in text
    assert "chưa có số liệu năm 2025" not in text


def test_a_shorter_period_has_a_pro_rated_cap():
    november = report(Counts(meetings=12), period=month_period(2026, 11), today=date(2026, 11, 27))
    assert (
        november.line("meetings").period_cap == Fraction(108 * 30, 365)
        and november.line("meetings").mark is Mark.MISSED  # 12 is over November's 8,9 already
    )
    assert "Tháng 11/2026" in render(november) and "tối đa 8 trong kỳ (108 cả năm" in render(november)
    half = window(2026, (15, 12), (14, 5), "6thang", "Báo cáo 6 tháng")
    assert (half.start, half.end) == (date(2025, 12, 15), date(2026, 5, 14))
    text = render(report(period=half, today=date(2026, 11, 27)))
    assert text.startswith("📊 Báo cáo 6 tháng 2026 (15/12/2025 – 14/05/2026) – UBND xã Bình Lư:")


def test_percent_has_a_decimal_comma():
    assert format_percent(2 / 3) == "66,7%"
