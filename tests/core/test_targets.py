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
        (109, date(2026, 6, 1), None, Mark.BEHIND),  # over the cap already
        (100, date(2027, 1, 5), None, Mark.MET),  # the year is over, within the cap
        (100, date(2027, 1, 5), date(2026, 4, 1), Mark.ON_TRACK),  # … but partial data never reads as met
        (10, date(2026, 3, 31), None, Mark.ON_TRACK),
    ],
)
def test_cap_marks(count, today, data_from, mark):
    assert report(Counts(meetings=count), today=today, data_from=data_from).line("meetings").mark is mark


def test_partial_data_says_from_when():
    text = render(report(today=date(2026, 11, 27), data_from=date(2026, 4, 1)))
    assert "⚠️ Số liệu tính từ 01/04/2026 (chưa đủ cả kỳ)" in text
    assert report(data_from=date(2026, 1, 1)).data_from is None, "from 1 January is complete"


@pytest.mark.parametrize(
    "part,whole,target,mark",
    [(3, 5, 0.6, Mark.MET), (2, 5, 0.6, Mark.BEHIND), (0, 0, 0.6, Mark.NO_DATA), (20, 20, 1.0, Mark.MET)],
)
def test_share_marks(part, whole, target, mark):
    assert compute_share_line(TARGETS[1], part, whole, target).mark is mark


def test_a_share_short_of_its_target_never_reads_as_reaching_it():
    text = render(report(Counts(electronic_documents=2499, paper_documents=1, documents=2500)))
    assert "2.499/2.500 – 99,9% (chỉ tiêu 100%) 🔴" in text


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


def test_a_past_years_configured_baseline_is_shown():
    text = render(report(Counts(), period=year_period(2025), today=date(2026, 3, 1), configured_baseline=BASELINE))
    assert "Số liệu gốc năm 2025 theo cấu hình: 120 cuộc họp, 600 văn bản." in text


def test_a_shorter_period_has_a_pro_rated_cap():
    november = report(Counts(meetings=12), period=month_period(2026, 11), today=date(2026, 11, 27))
    assert (
        november.line("meetings").period_cap == Fraction(108 * 30, 365)
        and november.line("meetings").mark is Mark.BEHIND
    )
    assert "Tháng 11/2026" in render(november) and "tối đa 8 trong kỳ (108 cả năm" in render(november)
    half = window(2026, (15, 12), (14, 5), "6thang", "Báo cáo 6 tháng")
    assert (half.start, half.end) == (date(2025, 12, 15), date(2026, 5, 14))
    text = render(report(period=half, today=date(2026, 11, 27)))
    assert text.startswith("📊 Báo cáo 6 tháng 2026 (15/12/2025 – 14/05/2026) – UBND xã Bình Lư:")


def test_percent_has_a_decimal_comma():
    assert format_percent(2 / 3) == "66,7%"
