"""The plan's target computations, pure: counts from storage in, figures and marks out."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction


class Mark(StrEnum):
    """Where a figure stands against its target."""

    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NONE = "none"


@dataclass(frozen=True)
class Counts:
    """What was logged in a year (not cancelled), aggregated in SQL."""

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
    """Tasks of a year due by today: how many, how many closed on time, how many open and overdue."""

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
class CapLine:
    """A count that must stay under a cap derived from last year's total."""

    count: int
    cap: int | None
    projected: int
    mark: Mark
    cut: float = 0.0


@dataclass(frozen=True)
class ShareLine:
    """A share that must reach a target; None when nothing was logged."""

    share: Fraction | None
    target: float
    mark: Mark


@dataclass(frozen=True)
class TargetReport:
    """The year's standing against every target of the plan."""

    year: int
    as_of: date | None
    meetings: CapLine
    online_meetings: ShareLine
    documents: CapLine
    electronic_documents: ShareLine
    dossiers: ShareLine
    secret_documents: int
    scope: str = ""
    tasks: TaskCounts | None = None


def compute_cap(baseline: int | None, cut: float) -> int | None:
    """Last year's total less the cut, rounded down: 120 and 10% -> 108; None without a baseline."""
    if baseline is None:
        return None
    return math.floor(baseline * (1 - Decimal(str(cut))))


def compute_projection(count: int, year: int, today: date) -> int:
    """The year-end count at the rate so far (the count itself once the year is over)."""
    if today.year != year:
        return count
    start = date(year, 1, 1)
    elapsed = (today - start).days + 1
    days_in_year = (date(year + 1, 1, 1) - start).days
    return round(Fraction(count * days_in_year, elapsed))


def compute_cap_line(count: int, cap: int | None, year: int, today: date, cut: float = 0.0) -> CapLine:
    """Mark a capped count: over the cap is behind; a finished year under it is met; else by pace."""
    projected = compute_projection(count, year, today)
    if cap is None:
        mark = Mark.NONE
    elif count > cap:
        mark = Mark.BEHIND
    elif today.year > year:
        mark = Mark.MET
    else:
        mark = Mark.ON_TRACK if projected <= cap else Mark.BEHIND
    return CapLine(count, cap, projected, mark, cut)


def compute_share_line(part: int, whole: int, target: float) -> ShareLine:
    """Mark a share: at or above the target is met; no data, no mark."""
    if whole == 0:
        return ShareLine(None, target, Mark.NONE)
    share = Fraction(part, whole)
    return ShareLine(share, target, Mark.MET if share >= Fraction(str(target)) else Mark.BEHIND)


def compute_target_report(
    counts: Counts,
    targets: Targets,
    *,
    year: int,
    today: date,
    baseline_meetings: int | None,
    baseline_documents: int | None,
    scope: str = "",
    tasks: TaskCounts | None = None,
) -> TargetReport:
    """The standing of `year` as of `today` against the plan."""
    non_secret = counts.electronic_documents + counts.paper_documents
    return TargetReport(
        year=year,
        as_of=today if today.year == year else None,
        meetings=compute_cap_line(
            counts.meetings, compute_cap(baseline_meetings, targets.meeting_cut), year, today, targets.meeting_cut
        ),
        online_meetings=compute_share_line(counts.online_meetings, counts.meetings, targets.online_meeting_share),
        documents=compute_cap_line(
            counts.documents, compute_cap(baseline_documents, targets.document_cut), year, today, targets.document_cut
        ),
        electronic_documents=compute_share_line(
            counts.electronic_documents, non_secret, targets.electronic_document_share
        ),
        dossiers=compute_share_line(
            counts.dossiers_online,
            counts.dossiers_online + counts.dossiers_paper,
            targets.digital_dossier_share,
        ),
        secret_documents=counts.secret_documents,
        scope=scope,
        tasks=tasks,
    )


@dataclass(frozen=True)
class Baseline:
    """A year's totals that the next year's cuts are measured against."""

    meetings: int | None = None
    documents: int | None = None


@dataclass(frozen=True)
class Plan:
    """The plan as configured: its targets and the baseline totals by year."""

    targets: Targets = Targets()
    baselines: Mapping[int, Baseline] = field(default_factory=dict)

    def report(
        self, counts: Counts, tasks: TaskCounts, *, year: int, today: date, scope: str, commune: bool
    ) -> TargetReport:
        """The standing of `year` as of `today`; caps only for the commune (baselines are commune totals)."""
        baseline = self.baselines.get(year - 1, Baseline()) if commune else Baseline()
        return compute_target_report(
            counts,
            self.targets,
            year=year,
            today=today,
            baseline_meetings=baseline.meetings,
            baseline_documents=baseline.documents,
            scope=scope,
            tasks=tasks,
        )
