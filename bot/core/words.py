"""Words as typed on a phone, compared without case or Vietnamese diacritics."""

from __future__ import annotations

import re
import unicodedata


def fold(value: str) -> str:
    """Lower case without Vietnamese diacritics: 'Trực Tuyến' -> 'truc tuyen'."""
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def compact(value: str) -> str:
    """Folded, without spaces, '_' or '-': the key every alias is looked up by."""
    return re.sub(r"[\s_\-]+", "", fold(value))
