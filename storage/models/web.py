"""The web pages' sign-in: one-time links sent by `/web`, and the sessions they open; both kept only as hashes.

A row holds a commune's person (none: the province officer's), so it carries `commune_id` and a composite key
into `people`: a link or a session can only ever name a person of its own commune."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime
from storage.models.people import in_commune


class WebLink(Base):
    """A sign-in link for one person: usable once, until `expires_at`; only the SHA-256 of its token is kept."""

    __tablename__ = "web_links"
    __table_args__ = (in_commune("people", name="fk_web_links_person", column="person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebSession(Base):
    """A signed-in browser: the SHA-256 of its cookie, whose it is, until when, and whether it was ended."""

    __tablename__ = "web_sessions"
    __table_args__ = (
        in_commune("people", name="fk_web_sessions_person", column="person_id"),
        Index("ix_web_sessions_person", "commune_id", "person_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
