"""The catalogue: every string by key, filled with values; and `render`, from a view to its text."""

from __future__ import annotations

from collections.abc import Mapping
from functools import singledispatch

CATALOGUE: dict[str, str] = {}


def add_strings(strings: Mapping[str, str]) -> None:
    """Add a feature's strings; a key may be defined once only."""
    clash = CATALOGUE.keys() & strings.keys()
    if clash:
        raise ValueError(f"text keys defined twice: {sorted(clash)}")
    CATALOGUE.update(strings)


def text(key: str, **values: object) -> str:
    """The catalogue string for `key`, filled with `values`."""
    return CATALOGUE[key].format(**values)


@singledispatch
def render(view: object) -> str:
    """The chat text of a view; each feature's text module registers its views."""
    raise TypeError(f"no text for {type(view).__name__}")
