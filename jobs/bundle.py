"""Gathering what a sweep planned into one message per chat and reminder time (the morning bundle).

The planner still plans each reminder under its own key, so nothing is said twice; here the new ones that are due
(not expired) are grouped by chat and moment, snoozed items are left out, and each group becomes a bundle whose
key names its items: a pass that finds more for the same chat later writes a second, smaller bundle.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from bot.core.bundle import SNOOZE_BUTTON, Bundle, Notice, Snoozed, render_bundle, without_snoozed
from bot.core.notices import from_body
from bot.core.texts.catalogue import text
from jobs.planner import Planned
from storage import outbox
from storage.chats import Recipient
from storage.models.messaging import OutboxKind, OutboxStatus

BUNDLED_KINDS = frozenset(
    {OutboxKind.REPORT, OutboxKind.REPORT_ESCALATION, OutboxKind.TASK, OutboxKind.TASK_ESCALATION,
     OutboxKind.TASK_NUDGE}
)  # fmt: skip


@dataclass(frozen=True)
class PlannedBundle:
    """One chat's bundle: quacks like a `Planned` (key, recipients, text, status, due_at) for the CLI and demo."""

    key: outbox.OutboxKey
    recipient: Recipient
    view: Bundle
    due_at: datetime
    items: tuple[Planned, ...]
    status: OutboxStatus = OutboxStatus.PENDING

    @property
    def recipients(self) -> tuple[Recipient, ...]:
        return (self.recipient,)

    @property
    def text(self) -> str:
        return render_bundle(self.view, self.due_at.date()) or ""

    @property
    def body(self) -> dict:
        snoozed = [{"item": s.item, "until": s.until.isoformat()} for s in self.view.snoozed]
        return {"kind": "bundle", "snoozed": snoozed}

    @property
    def buttons(self) -> list[list[str]]:
        return [[text("bundle.button"), SNOOZE_BUTTON]]


def snoozed_from(body: dict | None) -> tuple[Snoozed, ...]:
    """The snoozed items a bundle's body names."""
    return tuple(Snoozed(s["item"], date.fromisoformat(s["until"])) for s in (body or {}).get("snoozed", ()))


def _stage(moment: datetime, keys: Iterable[outbox.OutboxKey]) -> str:
    named = "|".join(sorted(f"{k.kind}:{k.subject}:{k.stage}:{k.day}" for k in keys))
    digest = hashlib.sha1(named.encode()).hexdigest()
    return f"{moment:%H%M}-{digest[:10]}"


def gather(
    new: Iterable[Planned], snoozes: Mapping[tuple[str, str], Mapping[str, date]], tz
) -> tuple[list[Planned], list[PlannedBundle]]:
    """(messages sent alone, bundles): each due reminder goes into its chat's bundle for its moment."""
    alone: list[Planned] = []
    groups: dict[Recipient, list[Planned]] = {}
    for item in new:
        if item.key.kind not in BUNDLED_KINDS or item.status is not OutboxStatus.PENDING:
            alone.append(item)
            continue
        for recipient in item.recipients:
            groups.setdefault(recipient, []).append(item)
    bundles = []
    for recipient, items in groups.items():
        # One message a chat a pass: after an outage, what was due at an earlier reminder time goes with today's.
        moment = max(i.due_at for i in items)
        local = moment.astimezone(tz)
        held = snoozes.get((recipient.channel, recipient.chat_id), {})
        snoozed = tuple(Snoozed(item, until) for item, until in sorted(held.items()))
        kept = without_snoozed([i.view for i in items], snoozed, local.date())
        items = [i for i in items if i.view in kept]
        if not items:
            continue
        view = Bundle(local.date(), tuple(i.view for i in items), snoozed)
        subject = outbox.chat_subject(recipient.channel, recipient.chat_id)
        key = outbox.OutboxKey(OutboxKind.BUNDLE, subject, _stage(local, [i.key for i in items]), local.date())
        bundles.append(PlannedBundle(key, recipient, view, moment, tuple(items)))
    return alone, bundles


def notices_of(bodies: Iterable[dict]) -> tuple[Notice, ...]:
    """The notices kept in bundled rows."""
    return tuple(from_body(body) for body in bodies)
