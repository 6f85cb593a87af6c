"""The plan's target computations, pure: counts from storage in, figures and marks out.

A figure shown to a chairman is a promise: no records is "no data", never a green mark; records that do not
cover the period are "not enough data", never a pass nor a pace; a closed period is met or missed, never a
pace; a pace is projected only from enough days of data and compared exactly; a cap names the baseline it
comes from; a year's configured totals are its figures of record.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from bot.core.periods import Period

MIN_DAYS_FOR_PACE = 30  # a projection from fewer days of data says more about chance than about the year


class Mark(StrEnum):
    """Where a figure stands against its target."""

    MET = "met"  # a closed period that reached it, or a share at its target so far
    ON_TRACK = "on_track"  # a running period whose pace keeps within the cap
    BEHIND = "behind"  # a running period: the pace goes over the cap, or the share is short so far
    MISSED = "missed"  # a closed period that did not reach it, or a cap already gone over
    INCOMPLETE = "incomplete"  # the records do not cover the period: no verdict
    NO_DATA = "no_data"
    NONE = "none"  # nothing to compare with (no baseline), or too early to project


def closed_mark(reached: bool) -> Mark:
    """A closed period's verdict: met or missed, never a pace."""
    return Mark.MET if reached else Mark.MISSED


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

    def mark(self, closed: bool) -> Mark:
        """Every task due done on time and none overdue is met; otherwise missed once closed, behind before."""
        if self.due == 0:
            return Mark.NO_DATA
        met = self.overdue_open == 0 and self.on_time == self.due
        return Mark.MET if met else Mark.MISSED if closed else Mark.BEHIND


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
class Target:
    """One of the plan's targets, as data every renderer iterates: a count under a cap cut from last year's total
    (`whole` is None), or a share of `part` in `whole` that must reach a floor."""

    key: str  # names its texts: figure.<key>, unit.<unit>
    goal: Callable[[Targets], float]  # the cut (a cap) or the floor (a share)
    part: Callable[[Counts], int]
    whole: Callable[[Counts], int] | None = None
    baseline: str | None = None  # the Baseline field a cap is cut from
    unit: str = ""

    @property
    def is_cap(self) -> bool:
        return self.whole is None


TARGETS: tuple[Target, ...] = (
    Target("meetings", lambda t: t.meeting_cut, lambda c: c.meetings, baseline="meetings"),
    Target(
        "online", lambda t: t.online_meeting_share, lambda c: c.online_meetings, lambda c: c.meetings, unit="meetings"
    ),  # fmt: skip
    Target("documents", lambda t: t.document_cut, lambda c: c.documents, baseline="documents"),
    Target(
        "electronic",
        lambda t: t.electronic_document_share,
        lambda c: c.electronic_documents,
        lambda c: c.electronic_documents + c.paper_documents,  # a secret document is counted, never shared
    ),
    Target(
        "dossiers",
        lambda t: t.digital_dossier_share,
        lambda c: c.dossiers_online,
        lambda c: c.dossiers_online + c.dossiers_paper,
        unit="dossiers",
    ),
)


@dataclass(frozen=True)
class CapLine:
    """A count that must stay under a cap derived from last year's total."""

    target: Target
    count: int
    cap: int | None  # the cap for the whole year
    period_cap: Fraction | None  # the cap pro-rated to the period
    baseline: int | None
    baseline_year: int
    baseline_source: str
    cut: float
    projected: Fraction | None  # the period's end count at the pace so far; None when too early to say
    mark: Mark
    own: int | None = None  # the bot's own count, when `count` is the year's configured total of record
    commune_cap: bool = False  # a department's line: the cap is set for the whole commune, not for it


@dataclass(frozen=True)
class ShareLine:
    """A share that must reach a target."""

    target: Target
    part: int
    whole: int
    floor: float
    mark: Mark

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.part, self.whole) if self.whole else None


Line = CapLine | ShareLine


@dataclass(frozen=True)
class TargetReport:
    """A period's standing against every target of the plan, for the commune or one department."""

    period: Period
    as_of: date
    scope: str
    lines: tuple[Line, ...]
    secret_documents: int
    data_from: date | None = None  # the records begin after the period did: figures are partial
    tasks: TaskCounts | None = None
    closed: bool = False  # every day of the period had passed: its marks are verdicts, never a pace

    @property
    def year(self) -> int:
        return self.period.year

    def line(self, key: str) -> Line:
        """The line of one target."""
        return next(line for line in self.lines if line.target.key == key)


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
    target: Target,
    count: int,
    baseline: Baseline,
    cut: float,
    period: Period,
    today: date,
    data_from: date | None,
    *,
    recorded: int | None = None,
    commune_cap: bool = False,
) -> CapLine:
    """Mark a capped count: over the cap is missed whenever it happens; records that do not cover the period
    (`data_from` after its start) give no other verdict; a closed period is met; a running one is judged by its
    exact pace once there are enough days of data. A configured total (`recorded`) is the figure of record,
    complete by definition; the bot's own count is kept beside it."""
    base = getattr(baseline, target.baseline)
    cap = compute_cap(base, cut)
    period_cap = prorated_cap(cap, period)
    figure, own = (count, None) if recorded is None else (recorded, count)
    partial = data_from is not None and recorded is None
    elapsed = period.elapsed(today, data_from)
    projected = None
    if not period.is_over(today) and not partial and elapsed >= MIN_DAYS_FOR_PACE:
        projected = Fraction(count * period.days, elapsed)  # the pace of the days with data, over the period
    if figure == 0 and recorded is None:
        mark = Mark.NO_DATA
    elif period_cap is None:
        mark = Mark.NONE
    elif figure > period_cap:
        mark = Mark.MISSED
    elif partial:
        mark = Mark.INCOMPLETE
    elif period.is_over(today):
        mark = Mark.MET
    elif projected is None:
        mark = Mark.NONE
    else:
        mark = Mark.ON_TRACK if projected <= period_cap else Mark.BEHIND
    year = period.year - 1
    return CapLine(target, figure, cap, period_cap, base, year, baseline.source, cut, projected, mark, own, commune_cap)


def compute_share_line(
    target: Target, part: int, whole: int, floor: float, *, closed: bool = False, partial: bool = False
) -> ShareLine:
    """Mark a share: no records, no data; records short of the period, no verdict; else at or above the floor
    is met, below it missed once the period is closed and behind while it runs."""
    if whole == 0:
        return ShareLine(target, part, whole, floor, Mark.NO_DATA)
    met = Fraction(part, whole) >= Fraction(str(floor))
    if partial:
        mark = Mark.INCOMPLETE
    elif closed:
        mark = closed_mark(met)
    else:
        mark = Mark.MET if met else Mark.BEHIND
    return ShareLine(target, part, whole, floor, mark)


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
    recorded: Baseline | None = None,
    commune_caps: bool = False,
) -> TargetReport:
    """The standing of `period` as of `today` against the plan. `recorded`: the configured totals of this very
    period (a calendar year), its figures of record; `commune_caps`: a department's report, whose caps are the
    commune's (set from the commune's baseline, not for one department)."""
    data_from = data_from if data_from is not None and data_from > period.start else None
    closed = period.is_over(today)

    def line(target: Target) -> Line:
        goal = target.goal(targets)
        part = target.part(counts)
        if target.whole is None:
            total = getattr(recorded, target.baseline) if recorded is not None else None
            return compute_cap_line(
                target, part, baseline, goal, period, today, data_from, recorded=total, commune_cap=commune_caps
            )
        whole, partial = target.whole(counts), data_from is not None
        return compute_share_line(target, part, whole, goal, closed=closed, partial=partial)

    return TargetReport(
        period=period,
        as_of=min(today, period.end),
        scope=scope,
        lines=tuple(line(target) for target in TARGETS),
        secret_documents=counts.secret_documents,
        data_from=data_from,
        tasks=tasks,
        closed=closed,
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
