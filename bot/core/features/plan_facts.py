"""The plan's obligations beyond its five targets, as /chitieu shows them below the targets: the feedback
received and answered (§II.6, §IV.5), the dossiers resolved online and on time (§I.2, §IV.4: the 95% is of
dossiers "received and resolved" digitally), the documents received electronically (§II.5: "văn bản đi, đến").
Counts from storage in, lines out; a share the plan sets a number for is marked as the targets are, and no
verdict is invented where it sets none."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from bot.core.targets import Mark, Target, Targets, compute_share_line
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_count, format_percent, format_target_percent


@dataclass(frozen=True)
class FeedbackCounts:
    """Feedback received in a period: answered by its deadline, after it, and still open (overdue among them)."""

    received: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class ResolvedCounts:
    """Dossiers resolved in a period: online, on paper, and how many of them after their deadline."""

    online: int = 0
    paper: int = 0
    late: int = 0

    @property
    def total(self) -> int:
        return self.online + self.paper


@dataclass(frozen=True)
class IncomingCounts:
    """Documents received in a period, by how they came (a secret one is counted, never shared)."""

    electronic: int = 0
    paper: int = 0
    secret: int = 0


# The plan's floors these shares are held to: the dossiers' 95% and the documents' 100%, as configured.
RESOLVED = Target("resolved", lambda t: t.digital_dossier_share, lambda c: c.online, lambda c: c.total)
INCOMING = Target("incoming", lambda t: t.electronic_document_share, lambda c: c.electronic, lambda c: 0)


@dataclass(frozen=True)
class PlanFacts:
    """The other obligations' figures of one scope over the period /chitieu shows."""

    feedback: FeedbackCounts
    resolved: ResolvedCounts = ResolvedCounts()
    incoming: IncomingCounts = IncomingCounts()
    targets: Targets = field(default_factory=Targets)
    closed: bool = False  # the period is over: a share's mark is a verdict
    partial: bool = False  # the records do not cover the period: no verdict

    @property
    def empty(self) -> bool:
        """Nothing of these obligations recorded in the period."""
        incoming = self.incoming.electronic + self.incoming.paper + self.incoming.secret
        return self.feedback.received == 0 and self.resolved.total == 0 and incoming == 0

    def mark(self, target: Target, part: int, whole: int) -> Mark:
        """A share's mark, by the targets' own rule."""
        floor = target.goal(self.targets)
        return compute_share_line(target, part, whole, floor, closed=self.closed, partial=self.partial).mark


add_strings(
    {
        "facts.feedback": (
            "• Góp ý, kiến nghị tiếp nhận: {received} – trả lời đúng hạn {on_time}, trễ hạn {late}, "
            "chưa trả lời {open}{overdue}"
        ),
        "facts.feedback_overdue": " (quá hạn {count})",
        "facts.feedback_none": "• Góp ý, kiến nghị: chưa tiếp nhận",
        "facts.header": "📌 Nhiệm vụ khác của Kế hoạch:",
        "facts.resolved": (
            "• Hồ sơ TTHC giải quyết trực tuyến: {online}/{total} hồ sơ – {share} (chỉ tiêu {target}) {mark}; "
            "đúng hạn {on_time}/{total} – {on_time_share}"
        ),
        "facts.resolved_none": "• Hồ sơ TTHC giải quyết: chưa có số liệu",
        "facts.incoming": "• Văn bản đến điện tử (trừ mật): {electronic}/{whole} – {share} (chỉ tiêu {target}) {mark}",
        "facts.incoming_secret": "  (thêm {secret} văn bản đến mật, không tính tỷ lệ điện tử)",
        "facts.incoming_none": "• Văn bản đến: chưa có số liệu",
        "doc.fact.resolved": (
            "Giải quyết {total} hồ sơ thủ tục hành chính, trong đó {online} hồ sơ trực tuyến ({share}, chỉ tiêu "
            "{target}); giải quyết đúng hạn {on_time} hồ sơ ({on_time_share}), trễ hạn {late} hồ sơ."
        ),
        "doc.fact.incoming": (
            "Tiếp nhận {whole} văn bản đến (trừ văn bản mật), trong đó {electronic} văn bản điện tử ({share}, chỉ "
            "tiêu {target}){secret}."
        ),
        "doc.fact.incoming_secret": "; ngoài ra {secret} văn bản mật",
        "doc.fact.feedback": (
            "Tiếp nhận {received} ý kiến, kiến nghị, phản ánh của Nhân dân, tổ chức, Mặt trận Tổ quốc và các đoàn "
            "thể; đã trả lời đúng hạn {on_time}, trả lời trễ hạn {late}; còn {open} ý kiến chưa trả lời{overdue}."
        ),
        "doc.fact.feedback_overdue": " (quá hạn {count})",
    }
)


def feedback_line(counts: FeedbackCounts) -> str:
    """The feedback line of /chitieu."""
    if counts.received == 0:
        return text("facts.feedback_none")
    overdue = text("facts.feedback_overdue", count=counts.overdue) if counts.overdue else ""
    return text(
        "facts.feedback", received=counts.received, on_time=counts.on_time, late=counts.late, open=counts.open,
        overdue=overdue,
    )  # fmt: skip


def doc_facts(facts: PlanFacts | None, group: int) -> list[str]:
    """The drafted report's sentences on these obligations, under the plan's task group they belong to."""
    if facts is None:
        return []
    found = []
    if group == 5 and facts.resolved.total:
        found.append(text("doc.fact.resolved", **_resolved_values(facts)))
    if group == 5 and (incoming := facts.incoming).electronic + incoming.paper:
        secret = text("doc.fact.incoming_secret", secret=format_count(incoming.secret)) if incoming.secret else ""
        found.append(text("doc.fact.incoming", secret=secret, **_incoming_values(facts)))
    if group == 6 and facts.feedback.received:
        counts = facts.feedback
        overdue = text("doc.fact.feedback_overdue", count=counts.overdue) if counts.overdue else ""
        values = {"received": counts.received, "on_time": counts.on_time, "late": counts.late, "open": counts.open}
        found.append(text("doc.fact.feedback", overdue=overdue, **values))
    return found


def _goal(target: Target, targets: Targets) -> str:
    floor = target.goal(targets)
    shown = format_target_percent(floor)
    return shown if floor >= 1 else f"≥{shown}"


def _resolved_values(facts: PlanFacts) -> dict[str, object]:
    counts, floor = facts.resolved, RESOLVED.goal(facts.targets)
    on_time = counts.total - counts.late
    return {
        "online": format_count(counts.online),
        "total": format_count(counts.total),
        "share": format_percent(Fraction(counts.online, counts.total), floor=floor),
        "target": _goal(RESOLVED, facts.targets),
        "on_time": format_count(on_time),
        "on_time_share": format_percent(Fraction(on_time, counts.total), floor=1),
        "late": format_count(counts.late),
        "mark": text(f"mark.{facts.mark(RESOLVED, counts.online, counts.total)}"),
    }


def _incoming_values(facts: PlanFacts) -> dict[str, object]:
    counts, floor = facts.incoming, INCOMING.goal(facts.targets)
    whole = counts.electronic + counts.paper
    return {
        "electronic": format_count(counts.electronic),
        "whole": format_count(whole),
        "share": format_percent(Fraction(counts.electronic, whole), floor=floor),
        "target": _goal(INCOMING, facts.targets),
        "mark": text(f"mark.{facts.mark(INCOMING, counts.electronic, whole)}"),
    }


def resolved_line(facts: PlanFacts) -> str:
    """Dossiers resolved: the digital share against the plan's floor, and the share on time."""
    if facts.resolved.total == 0:
        return text("facts.resolved_none")
    return text("facts.resolved", **_resolved_values(facts)).rstrip()


def incoming_lines(facts: PlanFacts) -> list[str]:
    """Documents received: the electronic share (secret ones apart), shown beside the issued ones'."""
    counts = facts.incoming
    lines = []
    if counts.electronic + counts.paper == 0:
        lines.append(text("facts.incoming_none"))
    else:
        lines.append(text("facts.incoming", **_incoming_values(facts)).rstrip())
    if counts.secret:
        lines.append(text("facts.incoming_secret", secret=format_count(counts.secret)))
    return lines


@render.register
def render_plan_facts(view: PlanFacts) -> str:
    """The lines /chitieu adds below the targets."""
    lines = [text("facts.header"), feedback_line(view.feedback), resolved_line(view), *incoming_lines(view)]
    return "\n".join(lines)
