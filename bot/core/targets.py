"""The plan's target computations, pure: counts from storage in, figures and marks out.

A figure shown to a chairman is a promise: no records is "no data", never a green mark; a pace is
projected only from enough days of data and compared exactly; a cap names the baseline it comes from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from bot.core.periods import Period

MIN_DAYS_FOR_PACE = 30  # a projection from fewer days of data says more about chance than about the year


class Mark(StrEnum):
    """Where a figure stands against its target."""

    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NO_DATA = "no_data"
    NONE = "none"  # nothing to compare with (no baseline), or too early to project


@dataclass(frozen=True)
class Counts:
    """What was logged in a period (not cancelled), aggregated in SQL."""

    meetings: int = 0
    online_meetings: int = 0
    documents: int = 0
    electronic_documents: int = 0
    paper_documents: int = 0
    secret_documents: int = 0
    dossiers_online: int = 0
    dossiers_paper: int = 0


@dataclass(frozen=True)
class TaskCounts:
    """Tasks due in a period by today: how many, how many closed on time, how many open and overdue."""

    due: int = 0
    on_time: int = 0
    overdue_open: int = 0


@dataclass(frozen=True)
class Targets:
    """The plan's numbers, as fractions."""

    meeting_cut: float = 0.10
    online_meeting_share: float = 0.60
    digital_dossier_share: float = 0.95
    electronic_document_share: float = 1.0
    document_cut: float = 0.15


@dataclass(frozen=True)
class Baseline:
    """A year's totals that the next year's cuts are measured against; `source` says where they come from."""

    meetings: int | None = None
    documents: int | None = None
    source: str = "config"  # config | bot (the bot's own counts of that year)


@dataclass(frozen=True)
class CapLine:
    """A count that must stay under a cap derived from last year's total."""

    count: int
    cap: int | None  # the cap for the whole year
    period_cap: Fraction | None  # the cap pro-rated to the period
    baseline: int | None
    baseline_year: int
    baseline_source: str
    cut: float
    projected: Fraction | None  # the period's end count at the pace so far; None when too early to say
    mark: Mark


@dataclass(frozen=True)
class ShareLine:
    """A share that must reach a target."""

    part: int
    whole: int
    target: float
    mark: Mark

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.part, self.whole) if self.whole else None


@dataclass(frozen=True)
class TargetReport:
    """A period's standing against every target of the plan, for the commune or one department."""

    period: Period
    as_of: date
    scope: str
    meetings: CapLine
    online_meetings: ShareLine
    documents: CapLine
    electronic_documents: ShareLine
    dossiers: ShareLine
    secret_documents: int
    data_from: date | None = None  # counting began after the period did: figures are partial
    tasks: TaskCounts | None = None
    configured_baseline: Baseline | None = None  # the configured totals of this very year, if any

    @property
    def year(self) -> int:
        return self.period.year


def compute_cap(baseline: int | None, cut: float) -> int | None:
    """Last year's total less the cut, rounded down: 120 and 10% -> 108; None without a baseline."""
    if baseline is None:
        return None
    return math.floor(baseline * (1 - Decimal(str(cut))))


def prorated_cap(cap: int | None, period: Period) -> Fraction | None:
    """The yearly cap's share for the days of `period`, exactly; None without a cap."""
    if cap is None:
        return None
    year_days = (date(period.year + 1, 1, 1) - date(period.year, 1, 1)).days
    return Fraction(cap * period.days, year_days)


def compute_cap_line(
    count: int, baseline: Baseline, field_name: str, cut: float, period: Period, today: date, data_from: date | None
) -> CapLine:
    """Mark a capped count. Over the cap is behind; within it at the end is met (never on partial data);
    while the period runs, the exact pace decides once there are enough days of data."""
    base = getattr(baseline, field_name)
    cap = compute_cap(base, cut)
    period_cap = prorated_cap(cap, period)
    elapsed = period.elapsed(today, data_from)
    projected = None
    if not period.is_over(today) and elapsed >= MIN_DAYS_FOR_PACE:
        projected = Fraction(count * period.days, elapsed)  # the pace of the days with data, over the period
    if count == 0:
        mark = Mark.NO_DATA
    elif period_cap is None:
        mark = Mark.NONE
    elif count > period_cap:
        mark = Mark.BEHIND
    elif period.is_over(today):
        mark = Mark.ON_TRACK if data_from is not None else Mark.MET
    elif projected is None:
        mark = Mark.NONE
    else:
        mark = Mark.ON_TRACK if projected <= period_cap else Mark.BEHIND
    return CapLine(count, cap, period_cap, base, period.year - 1, baseline.source, cut, projected, mark)


def compute_share_line(part: int, whole: int, target: float) -> ShareLine:
    """Mark a share: at or above the target is met; no records, no data."""
    if whole == 0:
        return ShareLine(part, whole, target, Mark.NO_DATA)
    met = Fraction(part, whole) >= Fraction(str(target))
    return ShareLine(part, whole, target, Mark.MET if met else Mark.BEHIND)


def compute_target_report(
    counts: Counts,
    targets: Targets,
    *,
    period: Period,
    today: date,
    baseline: Baseline = Baseline(),
    scope: str = "",
    data_from: date | None = None,
    tasks: TaskCounts | None = None,
    configured_baseline: Baseline | None = None,
) -> TargetReport:
    """The standing of `period` as of `today` against the plan."""
    data_from = data_from if data_from is not None and data_from > period.start else None
    non_secret = counts.electronic_documents + counts.paper_documents

    def cap_line(count: int, name: str, cut: float) -> CapLine:
        return compute_cap_line(count, baseline, name, cut, period, today, data_from)

    return TargetReport(
        period=period,
        as_of=min(today, period.end),
        scope=scope,
        meetings=cap_line(counts.meetings, "meetings", targets.meeting_cut),
        online_meetings=compute_share_line(counts.online_meetings, counts.meetings, targets.online_meeting_share),
        documents=cap_line(counts.documents, "documents", targets.document_cut),
        electronic_documents=compute_share_line(
            counts.electronic_documents, non_secret, targets.electronic_document_share
        ),
        dossiers=compute_share_line(
            counts.dossiers_online, counts.dossiers_online + counts.dossiers_paper, targets.digital_dossier_share
        ),
        secret_documents=counts.secret_documents,
        data_from=data_from,
        tasks=tasks,
        configured_baseline=configured_baseline,
    )


@dataclass(frozen=True)
class Plan:
    """The plan as configured: its targets and the baseline totals by year."""

    targets: Targets = Targets()
    baselines: Mapping[int, Baseline] = field(default_factory=dict)

    def baseline_for(self, year: int, own_counts: Counts | None = None) -> Baseline:
        """The totals year's caps are cut from: the configured ones of the year before, else the bot's own."""
        if (configured := self.baselines.get(year - 1)) is not None:
            return configured
        if own_counts is not None and own_counts.meetings + own_counts.documents > 0:
            return Baseline(own_counts.meetings, own_counts.documents, source="bot")
        return Baseline()
