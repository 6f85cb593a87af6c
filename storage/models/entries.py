"""What departments log: meetings, documents, dossier tallies, report submissions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime
from storage.models.people import Department, Person, in_commune


class Entry(Base):
    """Something a department logged: a meeting, a document, a dossier tally, a report submission; `number` is the
    #N users see, counted within the commune."""

    __tablename__ = "entries"
    __table_args__ = (
        UniqueConstraint("commune_id", "number", name="uq_entries_number"),
        UniqueConstraint(
            "commune_id", "source_channel", "source_chat_id", "source_message_id", name="uq_entries_source"
        ),
        in_commune("departments", name="fk_entries_department", column="department_id"),
        in_commune("people", name="fk_entries_person", column="person_id"),
        Index("ix_entries_year_department", "year", "department_id"),
        # Covers the period tally (/chitieu, the digest): an index-only scan, no row lookups.
        Index(
            "ix_entries_tally",
            "commune_id",
            "occurred_on",
            "kind",
            "cancelled_at",
            "department_id",
            "meeting_online",
            "document_kind",
            "dossiers_online",
            "dossiers_paper",
        ),
        Index("ix_entries_department_occurred_on", "department_id", "occurred_on"),
        Index(
            "uq_entries_document_number",
            "commune_id",
            "year",
            "document_number_key",
            unique=True,
            sqlite_where=text("kind = 'document' AND cancelled_at IS NULL AND document_number_key IS NOT NULL"),
            postgresql_where=text("kind = 'document' AND cancelled_at IS NULL AND document_number_key IS NOT NULL"),
        ),
        Index(
            "uq_entries_report_submission",
            "department_id",
            "report_code",
            "report_year",
            unique=True,
            sqlite_where=text("kind = 'report' AND cancelled_at IS NULL"),
            postgresql_where=text("kind = 'report' AND cancelled_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    department_id: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int] = mapped_column(Integer, index=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    source_channel: Mapped[str] = mapped_column(String(20))
    source_chat_id: Mapped[str] = mapped_column(String(64))
    source_message_id: Mapped[str] = mapped_column(String(64))
    meeting_online: Mapped[bool | None] = mapped_column(Boolean)
    document_kind: Mapped[str | None] = mapped_column(String(10))
    document_number: Mapped[str | None] = mapped_column(String(50))
    document_number_key: Mapped[str | None] = mapped_column(String(50))
    dossiers_online: Mapped[int | None] = mapped_column(Integer)
    dossiers_paper: Mapped[int | None] = mapped_column(Integer)
    resolved_online: Mapped[int | None] = mapped_column(Integer)  # dossiers resolved: online, on paper, late
    resolved_paper: Mapped[int | None] = mapped_column(Integer)
    resolved_late: Mapped[int | None] = mapped_column(Integer)
    report_code: Mapped[str | None] = mapped_column(String(20))
    report_year: Mapped[int | None] = mapped_column(Integer)
    file_id: Mapped[str | None] = mapped_column(String(200))

    department: Mapped[Department] = relationship(
        primaryjoin="Entry.department_id == Department.id", foreign_keys=[department_id], viewonly=True
    )
    person: Mapped[Person] = relationship(
        primaryjoin="Entry.person_id == Person.id", foreign_keys=[person_id], viewonly=True
    )

    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_abstract": True}


class Meeting(Entry):
    """One meeting held, online or in person."""

    __mapper_args__ = {"polymorphic_identity": "meeting"}


class Document(Entry):
    """One administrative document issued: electronic, paper or secret."""

    __mapper_args__ = {"polymorphic_identity": "document"}


class DossierTally(Entry):
    """Administrative-procedure dossiers received on a day, online and on paper."""

    __mapper_args__ = {"polymorphic_identity": "dossiers"}


class ResolvedTally(Entry):
    """Administrative-procedure dossiers resolved on a day, online and on paper, and how many of them late."""

    __mapper_args__ = {"polymorphic_identity": "resolved"}


class IncomingDocument(Entry):
    """One document received (văn bản đến): electronic, paper or secret (a secret one by count only)."""

    __mapper_args__ = {"polymorphic_identity": "incoming"}


class ReportSubmission(Entry):
    """A department's report for one period (a kind and a year), with the file if one was sent."""

    __mapper_args__ = {"polymorphic_identity": "report"}


class EntryDay(Base):
    """What a department's live entries of one day add up to (reports aside): the counters every tally sums, kept
    in the same transaction as each entry stored or cancelled, so a period's figures read one row a department a
    day instead of every entry (`storage/entry_days.py`)."""

    __tablename__ = "entry_days"
    __table_args__ = (
        in_commune("departments", name="fk_entry_days_department", column="department_id"),
        Index("ix_entry_days_department", "commune_id", "department_id", "day"),  # one department's days
        {"sqlite_with_rowid": False},  # the rows kept in key order: a period's days are read in one range
    )

    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    department_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entries: Mapped[int] = mapped_column(Integer)  # live entries summed here: a row at 0 is deleted
    meetings: Mapped[int] = mapped_column(Integer)
    online_meetings: Mapped[int] = mapped_column(Integer)
    documents: Mapped[int] = mapped_column(Integer)
    electronic_documents: Mapped[int] = mapped_column(Integer)
    paper_documents: Mapped[int] = mapped_column(Integer)
    secret_documents: Mapped[int] = mapped_column(Integer)
    dossiers_online: Mapped[int] = mapped_column(Integer)
    dossiers_paper: Mapped[int] = mapped_column(Integer)
    resolved_online: Mapped[int] = mapped_column(Integer)
    resolved_paper: Mapped[int] = mapped_column(Integer)
    resolved_late: Mapped[int] = mapped_column(Integer)
    incoming_electronic: Mapped[int] = mapped_column(Integer)
    incoming_paper: Mapped[int] = mapped_column(Integer)
    incoming_secret: Mapped[int] = mapped_column(Integer)
