"""A reply shaped for a channel: split under its length at line breaks, choices as buttons or numbers."""

from __future__ import annotations

import pytest

from bot.core.messages import ChannelProfile, Option, Reply
from bot.core.replies import outgoing, parse_choice_token, split_text, units

TELEGRAM = ChannelProfile("telegram", max_text=4096, buttons=True)
ZALO = ChannelProfile("zalo", max_text=2000, buttons=False)


def test_short_text_is_one_part():
    assert split_text("Đã ghi #1.", 2000) == ["Đã ghi #1."]


LINES = [f"{n}. Nguyễn Văn Thành viên số {n} – đầu mối – Phòng Văn hóa – Xã hội" for n in range(300)]


@pytest.mark.parametrize("limit", [2000, 4096])
def test_long_text_is_cut_at_line_breaks_under_the_limit(limit):
    parts = split_text("\n".join(LINES), limit)
    assert len(parts) > 1 and all(units(p) <= limit for p in parts)
    assert "\n".join(parts) == "\n".join(LINES), "nothing lost, nothing reordered, lines whole"


def test_lines_longer_than_a_tiny_limit_lose_no_word():
    parts = split_text("\n".join(LINES), 50)
    assert all(units(p) <= 50 for p in parts)
    assert " ".join("\n".join(parts).split()) == " ".join(" ".join(LINES).split())


def test_a_line_longer_than_the_limit_is_cut_between_words():
    line = " ".join(["trực tuyến"] * 50)
    parts = split_text(line, 40)
    assert all(units(p) <= 40 for p in parts)
    assert all(not p.startswith(" ") and not p.endswith(" ") for p in parts)
    assert " ".join(parts) == line


def test_a_single_enormous_word_is_cut_where_it_must_be():
    parts = split_text("x" * 5000, 2000)
    assert [len(p) for p in parts] == [2000, 2000, 1000]


def test_emoji_count_twice_as_the_chat_apps_count():
    assert units("📊") == 2 and units("Đã") == 2
    assert all(units(p) <= 10 for p in split_text("📊" * 12, 10))


def test_options_are_buttons_where_the_channel_has_them():
    reply = Reply("Hình thức?", (Option("Trực tuyến", "/hop truc_tuyen"), Option("Trực tiếp", "/hop truc_tiep")))
    [message] = outgoing(reply, TELEGRAM, choice_id=7)
    assert message.text == "Hình thức?"
    assert [(b.label, parse_choice_token(b.token)) for b in message.buttons] == [
        ("Trực tuyến", (7, 1)),
        ("Trực tiếp", (7, 2)),
    ]


def test_options_are_numbered_lines_where_it_has_not():
    reply = Reply("Hình thức?", (Option("Trực tuyến", "/hop truc_tuyen"), Option("Trực tiếp", "/hop truc_tiep")))
    [message] = outgoing(reply, ZALO, choice_id=7)
    assert message.text == "Hình thức?\n1. Trực tuyến\n2. Trực tiếp" and message.buttons == ()


def test_buttons_go_with_the_last_part():
    reply = Reply("\n".join(["dòng"] * 2000), (Option("A", "/a"),))
    parts = outgoing(reply, TELEGRAM, choice_id=1)
    assert len(parts) > 1 and parts[-1].buttons and not any(p.buttons for p in parts[:-1])


@pytest.mark.parametrize("token", ["c:1", "c:x:1", "/hop truc_tuyen", "c:1:2:3", "c:" + "9" * 13 + ":1"])
def test_only_our_tokens_are_choices(token):
    assert parse_choice_token(token) is None
