"""Every feature's declaration, found by looking: each service module that declares a `FEATURE` adds its commands
and questions, in its order. Adding a command touches its feature's modules and no list anywhere else."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from bot.core.registry import Feature, Registry


@cache
def registry() -> Registry:
    """The commands of every feature of `bot.service`, built once."""
    import bot.service as package

    features = []
    for info in pkgutil.iter_modules(package.__path__):
        feature = getattr(importlib.import_module(f"{package.__name__}.{info.name}"), "FEATURE", None)
        if isinstance(feature, Feature):
            features.append(feature)
    return Registry(features)
