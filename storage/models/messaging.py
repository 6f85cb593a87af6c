"""Messages in and out: the outbox, handled messages, pending choices, group bindings."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime
from storage.models.people import Department, in_commune


class OutboxKind(StrEnum):
    """What an outbox message is about."""

    REPLY = "reply"  # the answer to a message, sent at once and retried until it arrives
    REPORT = "report"
    REPORT_ESCALATION = "report_escalation"
    TASK_ASSIGNED = "task_assigned"
    TASK = "task"
    TASK_ESCALATION = "task_escalation"
    TASK_NUDGE = "task_nudge"
    DIGEST = "digest"
    UNREACHABLE = "unreachable"
    CLOCK = "clock"  # the server's clock disagrees with the messages' dates
    BUNDLE = "bundle"  # everything one chat is reminded of at one reminder time, in one message
    DEAD_LETTER = "dead_letter"  # an update crashed the bot twice and was set aside


class OutboxStatus(StrEnum):
    """Where an outbox message stands."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    UNKNOWN = "unknown"  # may or may not have arrived: never resent blindly
    EXPIRED = "expired"  # too old to be worth sending
    SUPERSEDED = "superseded"  # no longer true: the report came, the task closed
    FAILED = "failed"
    UNREACHABLE = "unreachable"
    BUNDLED = "bundled"  # a reminder said inside a bundle: never sent alone, settled with its bundle


class OutboxMessage(Base):
    """A message to send, written under its unique key before any attempt: sent at most once."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("kind", "subject", "stage", "day", "channel", "chat_id", name="uq_outbox_key"),
        Index("ix_outbox_status_next_attempt", "status", "next_attempt_at"),
        Index("ix_outbox_chat", "channel", "chat_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(160))
    stage: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(64))
    is_group: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(String(300))
    reply_to: Mapped[str | None] = mapped_column(String(64))  # the message answered, quoted in a group
    edit_message_id: Mapped[str | None] = mapped_column(String(64))  # a tapped question, replaced by the answer
    buttons: Mapped[list | None] = mapped_column(JSON)  # [[label, token], ...] where the channel has buttons
    body: Mapped[dict | None] = mapped_column(JSON)  # a notice to render when sent, so "còn N ngày" stays true
    attachment: Mapped[dict | None] = mapped_column(JSON)  # {"path", "name", "kind"}: a file sent with the text
    # A one-time link or code: sent without a link preview, its text blanked once it will not be sent again.
    secret: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    bundle: Mapped[str | None] = mapped_column(String(20))  # a bundled reminder: the stage of its bundle's key
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # the process sending it, while `sending`
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # past this, its sender is taken for dead


class HandledMessage(Base):
    """A message that changed something, with the reply it got: a redelivery gets the same reply."""

    __tablename__ = "handled_messages"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    reply: Mapped[str] = mapped_column(Text)
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GroupBinding(Base):
    """A group chat bound to a department: its reminders go there too."""

    __tablename__ = "group_bindings"
    __table_args__ = (
        UniqueConstraint("channel", "chat_id"),
        in_commune("departments", name="fk_group_bindings_department", column="department_id"),
        Index("ix_group_bindings_department_id", "department_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(64))
    department_id: Mapped[int] = mapped_column(Integer)
    bound_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    bound_at: Mapped[datetime] = mapped_column(UTCDateTime)
    unreachable_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    department: Mapped[Department] = relationship(
        primaryjoin="GroupBinding.department_id == Department.id", foreign_keys=[department_id], viewonly=True
    )


class PendingChoice(Base):
    """A question asked with options: answered once, by the person asked, before it expires."""

    __tablename__ = "pending_choices"
    __table_args__ = (Index("ix_pending_choices_chat", "channel", "chat_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    options: Mapped[list] = mapped_column(JSON)  # [{"label", "command", "confirmed"}, ...]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    consumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InboxUpdate(Base):
    """An update as a channel delivered it, committed before the channel is told it arrived."""

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("channel", "update_key", name="uq_inbox_key"),
        Index("ix_inbox_unhandled", "handled_at", "id"),
        Index("ix_inbox_chat", "channel", "chat", "handled_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    update_key: Mapped[str] = mapped_column(String(128))  # the channel's update id, or its message id
    payload: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # handlings that failed with an error
    error: Mapped[str | None] = mapped_column(String(300))
    chat: Mapped[str | None] = mapped_column(String(64))  # the chat it came from: one chat's updates go in order
    started: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # handlings begun, crashes too
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # the process handling it
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # past this, its handler is taken for dead
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set aside: it crashed the bot twice


class SendSlot(Base):
    """One of a channel's sends per second for the whole deployment: a replica takes a free slot for each send and
    frees it a second after the platform answered, so all replicas together keep to the platform's rate."""

    __tablename__ = "send_slots"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)
    free_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when it may be taken again
    paused_until: Mapped[datetime] = mapped_column(UTCDateTime)  # the channel's 429, seen by every replica
    holder: Mapped[str] = mapped_column(String(80), default="")  # who took it last: only they settle it


class ChatPace(Base):
    """A chat's pace for the whole deployment, kept where replicas sharing one PostgreSQL database all see it: its
    bucket as the instant it is full again (the generic cell rate algorithm), so together they send a private chat
    its burst then one a second, and a group no more than Telegram's twenty a minute."""

    __tablename__ = "chat_paces"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    full_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # a row past it says nothing: pruned
