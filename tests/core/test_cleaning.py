"""Cleaning text at the door: NFC, no control characters but newline and tab, lone surrogates told apart, and
any stored text made writable by the XML renderers."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.cleaning import clean_line, clean_text, has_lone_surrogate, xml_safe

# Any code point, surrogates included: what a JSON payload ("\ud800") or an old database row can carry.
ANY_TEXT = st.text(st.characters(codec=None, categories=None, exclude_categories=()), max_size=60)
XML_CHARACTER = {0x9, 0xA, 0xD, *range(0x20, 0xD800), *range(0xE000, 0xFFFE)}


@pytest.mark.parametrize(
    "raw,cleaned",
    [
        ("Họp giao ban\x01tuần", "Họp giao bantuần"),
        ("dòng một\r\ndòng hai\rba", "dòng một\ndòng hai\nba"),
        ("cột\tmột\x00\x1f\x7f\x85", "cột\tmột"),
        ("Ho\u0323p", "Họp"),  # decomposed (as some keyboards and macOS send it) becomes one character
        ("\ufeffTrích yếu", "Trích yếu"),
        ("abc\u202edcb", "abcdcb"),
        ("Báo cáo 125/UBND-VP", "Báo cáo 125/UBND-VP"),
    ],
)
def test_clean_text(raw, cleaned):
    assert clean_text(raw) == cleaned


def test_clean_line_folds_every_break_and_tab_to_one_space():
    assert clean_line("  Kế hoạch\n\ttuyên\u2028truyền\x02  ") == "Kế hoạch tuyên truyền"


@given(ANY_TEXT)
def test_clean_text_leaves_no_control_character_and_is_stable(raw):
    cleaned = clean_text(raw)
    assert not [c for c in cleaned if unicodedata.category(c) == "Cc" and c not in "\t\n"]
    assert unicodedata.is_normalized("NFC", cleaned)
    assert clean_text(cleaned) == cleaned


@given(ANY_TEXT)
def test_clean_line_is_one_trimmed_line(raw):
    line = clean_line(raw)
    assert "\n" not in line and "\t" not in line and "  " not in line and line == line.strip()


@pytest.mark.parametrize("raw,lone", [("a\ud800b", True), ("\udfff", True), ("Họp 😀", False), ("", False)])
def test_a_lone_surrogate_is_told_apart(raw, lone):
    assert has_lone_surrogate(raw) is lone


@given(ANY_TEXT)
def test_xml_safe_text_holds_only_what_xml_allows_and_keeps_the_rest(raw):
    safe = xml_safe(raw)
    assert all(ord(c) in XML_CHARACTER or ord(c) > 0xFFFF for c in safe)
    assert not has_lone_surrogate(safe)
    assert safe.encode("utf-8").decode("utf-8") == safe
    if not has_lone_surrogate(raw) and all(ord(c) in XML_CHARACTER or ord(c) > 0xFFFF for c in raw):
        assert safe == raw
