"""The plan's obligations beyond its five targets, as /chitieu shows them below the targets: the feedback
received and answered (§II.6, §IV.5). Counts from storage in, lines out; no verdict is invented where the plan
sets no number."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.texts.catalogue import add_strings, render, text


@dataclass(frozen=True)
class FeedbackCounts:
    """Feedback received in a period: answered by its deadline, after it, and still open (overdue among them)."""

    received: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class PlanFacts:
    """The other obligations' figures of one scope over the period /chitieu shows."""

    feedback: FeedbackCounts

    @property
    def empty(self) -> bool:
        """Nothing of these obligations recorded in the period."""
        return self.feedback.received == 0


add_strings(
    {
        "facts.feedback": (
            "• Góp ý, kiến nghị tiếp nhận: {received} – trả lời đúng hạn {on_time}, trễ hạn {late}, "
            "chưa trả lời {open}{overdue}"
        ),
        "facts.feedback_overdue": " (quá hạn {count})",
        "facts.feedback_none": "• Góp ý, kiến nghị: chưa tiếp nhận",
        "facts.header": "📌 Nhiệm vụ khác của Kế hoạch:",
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
    if group == 6 and facts.feedback.received:
        counts = facts.feedback
        overdue = text("doc.fact.feedback_overdue", count=counts.overdue) if counts.overdue else ""
        values = {"received": counts.received, "on_time": counts.on_time, "late": counts.late, "open": counts.open}
        found.append(text("doc.fact.feedback", overdue=overdue, **values))
    return found


@render.register
def render_plan_facts(view: PlanFacts) -> str:
    """The lines /chitieu adds below the targets."""
    return "\n".join([text("facts.header"), feedback_line(view.feedback)])
