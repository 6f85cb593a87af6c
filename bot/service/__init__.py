"""The use cases, one module a feature, behind the pipeline in `pipeline.py`."""

from bot.service.pipeline import Answer, Service

__all__ = ["Answer", "Service"]
