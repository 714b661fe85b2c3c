"""SQLite storage (through sqlite-utils): schema, migrations and repositories.

Repositories take and return ``qa_monitor.core`` records; all SQL lives here.
"""

from qa_monitor.storage.database import Database, open_database
from qa_monitor.storage.errors import (
    ConflictError,
    DamagedDatabaseError,
    DatabaseOpenError,
    NotADatabaseError,
    NotFoundError,
    SchemaTooNewError,
    StorageError,
)

__all__ = [
    "ConflictError",
    "DamagedDatabaseError",
    "Database",
    "DatabaseOpenError",
    "NotADatabaseError",
    "NotFoundError",
    "SchemaTooNewError",
    "StorageError",
    "open_database",
]
