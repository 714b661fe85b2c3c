"""Errors storage raises, each with a message a supervisor can act on."""

from __future__ import annotations


class StorageError(Exception):
    """Base of every error this package raises on purpose."""


class DatabaseOpenError(StorageError):
    """The file cannot be opened or created (missing folder, no permission, locked)."""


class NotADatabaseError(StorageError):
    """The file is not a QA Monitor database."""


class SchemaTooNewError(StorageError):
    """The database was written by a newer QA Monitor; opening it could damage it."""

    def __init__(self, path: str, their_version: int, our_version: int, unknown: list[str]):
        self.path = path
        self.their_version = their_version
        self.our_version = our_version
        self.unknown = unknown
        super().__init__(
            f"The database '{path}' was written by a newer version of QA Monitor "
            f"(schema version {their_version}; this version knows up to {our_version}; "
            f"unknown changes: {', '.join(unknown)}). "
            "Upgrade QA Monitor or open another database."
        )


class NotFoundError(StorageError, LookupError):
    """A record asked for by id does not exist."""

    def __init__(self, what: str, key: object):
        self.what = what
        self.key = key
        super().__init__(f"{what} {key!r} does not exist")


class ConflictError(StorageError, ValueError):
    """The change would break a uniqueness or immutability rule."""


class DamagedDatabaseError(StorageError):
    """SQLite's own check found the file damaged; it is not opened for writing, so no
    new work is added to a file that may lose it."""

    def __init__(self, path: str, message: str, newest_backup: str | None = None):
        self.path = path
        self.newest_backup = newest_backup
        super().__init__(message)
