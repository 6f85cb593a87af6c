"""What tests expect the bot to say, read from the catalogue rather than copied into each test: when a text
changes, the tests follow it, and a reply that is not the catalogue's still fails."""

from __future__ import annotations

from bot.core.texts import CATALOGUE, text

RECEIPTS = ("meeting.logged", "document.logged", "dossiers.logged", "report.submitted")


def receipt(number: int | None = None) -> str:
    """How every entry's receipt begins: 'Đã ghi #' (with its number, if given: 'Đã ghi #3')."""
    prefix = text("meeting.logged", id="\0", mode="", day="", department="", summary="").split("\0")[0]
    return prefix if number is None else f"{prefix}{number}"


def is_receipt(reply: str, number: int | None = None) -> bool:
    """Whether a reply is an entry's receipt (with that number, if given)."""
    return reply.startswith(receipt(number)) and (number is None or not reply[len(receipt(number))].isdigit())


def receipts_agree() -> bool:
    """Every entry's receipt begins alike (what `receipt` relies on)."""
    return all(CATALOGUE[key].startswith(CATALOGUE["meeting.logged"].split("{id}")[0]) for key in RECEIPTS)
