"""Text from a person or a file made fit to store and to render: one Unicode form (NFC), no control characters
but newline and tab, lone surrogates told apart so they can be refused, and any stored text made writable by the
XML-based renderers (.xlsx, .docx), which refuse control characters outright."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from bot.core.messages import Incoming

# Every line break as "\n" first, so a Windows "\r\n" is one break, not a break and a dropped control.
LINE_BREAK = re.compile(r"\r\n?|[\u2028\u2029]")
# C0 and C1 controls and DEL (tab and newline aside), the byte-order mark, and the bidirectional embeddings,
# overrides and isolates, which make a line display in an order other than the one it is stored in.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u202a-\u202e\u2066-\u2069]")
# Half of a UTF-16 pair on its own: no encoding can write it, so the file or the database fails on it.
SURROGATE = re.compile(r"[\ud800-\udfff]")
# What XML 1.0 cannot hold besides surrogates: openpyxl's ILLEGAL_CHARACTERS_RE and lxml refuse these.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value: str) -> str:
    """Text as stored: line breaks as newlines, control characters other than newline and tab removed, NFC."""
    return unicodedata.normalize("NFC", CONTROL.sub("", LINE_BREAK.sub("\n", value)))


def clean_line(value: str) -> str:
    """One-line text as stored (a name, a number, a title): cleaned, each run of whitespace one space, trimmed."""
    return " ".join(clean_text(value).split())


def has_lone_surrogate(value: str) -> bool:
    """Whether the text holds a lone surrogate (U+D800..U+DFFF), which cannot be stored: refuse it, saying so."""
    return SURROGATE.search(value) is not None


def xml_safe(value: str) -> str:
    """Any stored text as an .xlsx or .docx can hold it: characters XML forbids dropped, a lone surrogate shown as
    U+FFFD, the rest untouched (text stored before cleaning existed included)."""
    return SURROGATE.sub("\ufffd", NOT_XML.sub("", value))


def cleaned(incoming: Incoming) -> tuple[Incoming, bool]:
    """A message as stored: its text and sender's name cleaned; and whether it must be answered as unreadable (a
    lone surrogate in a private message or a group command; in a group, other chatter is not for the bot)."""
    unreadable = has_lone_surrogate(incoming.text) or has_lone_surrogate(incoming.sender_name)
    unreadable = unreadable and (not incoming.is_group or incoming.text.lstrip().startswith("/"))
    text = clean_text(SURROGATE.sub("", incoming.text))
    return replace(incoming, text=text, sender_name=clean_line(SURROGATE.sub("", incoming.sender_name))), unreadable
