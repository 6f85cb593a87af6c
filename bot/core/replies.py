"""A reply shaped for one channel: choices as buttons or numbered lines, and cut to the channel's length."""

from __future__ import annotations

import re

from bot.core.messages import Button, ChannelProfile, Outgoing, Reply

CHOICE_TOKEN = re.compile(r"^c:(\d{1,12}):(\d{1,2})$")


def choice_token(choice_id: int, index: int) -> str:
    """What a button sends back when tapped: the stored choice and the option's number (from 1)."""
    return f"c:{choice_id}:{index}"


def parse_choice_token(token: str) -> tuple[int, int] | None:
    """(choice id, option number) of a button's token, or None if it is not one of ours."""
    match = CHOICE_TOKEN.match(token)
    return (int(match[1]), int(match[2])) if match else None


def units(value: str) -> int:
    """Length as the chat apps count it: UTF-16 code units (an emoji counts two)."""
    return len(value.encode("utf-16-le")) // 2


def _cut_word(word: str, limit: int) -> list[str]:
    """A single word longer than the limit, cut where it must be."""
    pieces, current = [], ""
    for char in word:
        if units(current + char) > limit:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current]


def _split_line(line: str, limit: int) -> list[str]:
    """A line longer than `limit`, cut between words (a single longer word is cut where it must be)."""
    pieces: list[str] = []
    current = ""
    for word in line.split(" "):
        if units(word) > limit:
            if current:
                pieces.append(current)
            *whole, word = _cut_word(word, limit)
            pieces.extend(whole)
            current = ""
        candidate = f"{current} {word}" if current else word
        if units(candidate) > limit:
            pieces.append(current)
            current = word
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def split_text(text: str, limit: int) -> list[str]:
    """Text in parts of at most `limit` UTF-16 units, cut at line breaks, never inside a word."""
    if units(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _split_line(line, limit) if units(line) > limit else [line]:
            candidate = f"{current}\n{piece}" if current else piece
            if units(candidate) > limit:
                parts.append(current)
                current = piece
            else:
                current = candidate
    if current:
        parts.append(current)
    return [part for part in parts if part.strip()]


def numbered(reply: Reply) -> str:
    """The reply's text with its options as numbered lines, for channels without buttons."""
    lines = [f"{n}. {option.label}" for n, option in enumerate(reply.options, 1)]
    return "\n".join([reply.text, *lines])


def outgoing(reply: Reply, profile: ChannelProfile, choice_id: int | None = None) -> list[Outgoing]:
    """The messages that carry `reply` on a channel: options as buttons on the last part, or numbered."""
    if reply.options and profile.buttons and choice_id is not None:
        buttons = tuple(Button(o.label, choice_token(choice_id, n)) for n, o in enumerate(reply.options, 1))
        parts = split_text(reply.text, profile.max_text)
        return [Outgoing(p) for p in parts[:-1]] + [Outgoing(parts[-1], buttons)]
    text = numbered(reply) if reply.options else reply.text
    return [Outgoing(part) for part in split_text(text, profile.max_text)]
