"""Reminders a person asked to hear of later: one item, in one chat, until a day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime
from storage.models.people import in_commune


class Snooze(Base):
    """`/hoanlai`: reminders of `item` ('V4', 'nam 2026') are not sent to this chat before `until`."""

    __tablename__ = "snoozes"
    __table_args__ = (
        in_commune("people", name="fk_snoozes_person", column="person_id"),
        Index("ix_snoozes_chat", "commune_id", "channel", "chat_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int] = mapped_column()
    item: Mapped[str] = mapped_column(String(40))
    until: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
