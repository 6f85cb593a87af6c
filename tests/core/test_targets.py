"""The plan's target computations, on the issue's worked example and the edges."""

from datetime import date

import pytest

from bot.core.targets import (
    Counts,
    Mark,
    Targets,
    compute_cap,
    compute_cap_line,
    compute_projection,
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


def test_caps_from_the_baseline():
    assert compute_cap(120, 0.10) == 108
    assert compute_cap(600, 0.15) == 510  # not 509: 600 * 0.85 in floats is 509.999…
    assert compute_cap(None, 0.10) is None


def test_worked_example():
    report = compute_target_report(
        WORKED,
        Targets(),
        year=2026,
        today=date(2026, 11, 27),
        baseline_meetings=120,
        baseline_documents=600,
        scope="UBND xã Bình Lư",
    )
    assert report.meetings.cap == 108 and report.documents.cap == 510
    assert report.online_meetings.mark is Mark.BEHIND and format_percent(report.online_meetings.share) == "40,0%"
    assert report.documents.count == 11
    assert format_percent(report.electronic_documents.share) == "90,0%"
    assert report.electronic_documents.mark is Mark.BEHIND
    assert format_percent(report.dossiers.share) == "95,0%" and report.dossiers.mark is Mark.MET
    text = render(report)
    for fragment in ("5/108", "40,0%", "11/510", "90,0%", "95,0%", "1 văn bản mật"):
        assert fragment in text
    assert len(text.splitlines()) <= 8  # fits a phone screen


def test_projection_is_the_yearly_pace():
    assert compute_projection(10, 2026, date(2026, 1, 10)) == 365
    assert compute_projection(10, 2025, date(2026, 1, 10)) == 10


@pytest.mark.parametrize(
    "count,cap,today,mark",
    [
        (50, 108, date(2026, 6, 30), Mark.ON_TRACK),
        (80, 108, date(2026, 6, 30), Mark.BEHIND),  # pace of ~161
        (109, 108, date(2026, 12, 31), Mark.BEHIND),
        (100, 108, date(2027, 1, 5), Mark.MET),
        (3, None, date(2026, 6, 30), Mark.NONE),
    ],
)
def test_cap_marks(count, cap, today, mark):
    assert compute_cap_line(count, cap, 2026, today).mark is mark


@pytest.mark.parametrize(
    "part,whole,target,mark",
    [(3, 5, 0.6, Mark.MET), (2, 5, 0.6, Mark.BEHIND), (19, 20, 0.95, Mark.MET), (0, 0, 0.6, Mark.NONE)],
)
def test_share_marks(part, whole, target, mark):
    assert compute_share_line(part, whole, target).mark is mark


def test_missing_baseline_says_so():
    report = compute_target_report(
        WORKED, Targets(), year=2026, today=date(2026, 11, 27), baseline_meetings=None, baseline_documents=None
    )
    text = render(report)
    assert "chưa có số liệu năm 2025" in text
    assert "/" not in text.splitlines()[1]


def test_percent_has_a_decimal_comma():
    assert format_percent(2 / 3) == "66,7%"


def test_a_share_short_of_its_target_never_reads_as_reaching_it():
    line = compute_share_line(2499, 2500, 1.0)
    text = render(
        compute_target_report(
            Counts(electronic_documents=2499, paper_documents=1, documents=2500),
            Targets(),
            year=2026,
            today=date(2026, 11, 27),
            baseline_meetings=None,
            baseline_documents=None,
            scope="X",
        )
    )
    assert line.mark is Mark.BEHIND and "99,9% (=100%) 🔴" in text
