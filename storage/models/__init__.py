"""The tables, one module an aggregate (import a model from its module). Instants are stored as UTC; dates are
commune dates. Importing this package imports every model module, so `Base.metadata` knows every table."""

import importlib
import pkgutil

from storage.models.base import NAMING, Base, UTCDateTime

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

TENANT_TABLES = frozenset(
    table.name for table in Base.metadata.sorted_tables if "commune_id" in table.columns and table.name != "communes"
)

__all__ = ["NAMING", "TENANT_TABLES", "Base", "UTCDateTime"]
