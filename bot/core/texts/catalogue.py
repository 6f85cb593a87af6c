"""The catalogue: every string by key, filled with values; and `render`, from a view to its text.

Each feature's core module adds its strings and registers its renderers when it is imported; the first lookup of
a key (or of a view) not yet known imports every module that adds some, so no list of them is kept anywhere.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from functools import singledispatch

CATALOGUE: dict[str, str] = {}
TEXT_PACKAGES = ("bot.core.texts", "bot.core.features")
TEXT_MODULES = ("bot.core.notices",)
_loaded = False


def add_strings(strings: Mapping[str, str]) -> None:
    """Add a feature's strings; a key may be defined once only."""
    clash = CATALOGUE.keys() & strings.keys()
    if clash:
        raise ValueError(f"text keys defined twice: {sorted(clash)}")
    CATALOGUE.update(strings)


def load_all() -> None:
    """Import every module that adds strings or renderers (once)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    names = list(TEXT_MODULES)
    for package in TEXT_PACKAGES:
        path = importlib.import_module(package).__path__
        names += [f"{package}.{info.name}" for info in pkgutil.iter_modules(path)]
    for name in names:
        importlib.import_module(name)


def text(key: str, **values: object) -> str:
    """The catalogue string for `key`, filled with `values`."""
    template = CATALOGUE.get(key)
    if template is None:
        load_all()
        template = CATALOGUE[key]
    return template.format(**values)


@singledispatch
def render(view: object) -> str:
    """The chat text of a view; each feature's module registers its views."""
    if not _loaded:
        load_all()
        return render(view)
    raise TypeError(f"no text for {type(view).__name__}")
