"""Errors storage raises, each with a message a supervisor can act on."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path


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


class StorageFailure(StorageError):
    """The database file could not be read or written; the message names the file and
    says what to do. The CLI exits with ``EXIT_STORAGE`` for these."""

    def __init__(self, path: str | os.PathLike[str], message: str):
        self.path = Path(path)
        super().__init__(message)


class DamagedDatabaseError(StorageFailure):
    """SQLite's own check found the file damaged; it is not opened for writing, so no
    new work is added to a file that may lose it. The message names the newest backup."""

    def __init__(self, path: str, message: str, newest_backup: str | None = None):
        super().__init__(path, message)
        self.newest_backup = newest_backup


class DatabaseBusyError(StorageFailure):
    """Another program or window kept the write lock longer than we waited."""

    def __init__(self, path: str | os.PathLike[str]):
        super().__init__(
            path,
            f"The database '{path}' is busy with another program's changes (an import, "
            "a team sync or another copy of QA Monitor); try again when it has finished.",
        )


class DiskFullError(StorageFailure):
    def __init__(self, path: str | os.PathLike[str]):
        super().__init__(
            path,
            f"The disk holding '{path}' is full; free some space on it and try again.",
        )


class ReadOnlyDatabaseError(StorageFailure):
    def __init__(self, path: str | os.PathLike[str]):
        super().__init__(
            path,
            f"The database '{path}' is read-only; allow writing to the file, or copy it to a "
            "folder you can write to and open the copy.",
        )


class ReadOnlyFolderError(StorageFailure):
    def __init__(self, path: str | os.PathLike[str]):
        super().__init__(
            path,
            f"The folder of the database '{path}' is read-only, and QA Monitor must create "
            "its working files beside the database; move the database to a folder you can "
            "write to, or allow writing to this one.",
        )


class DatabaseCorruptError(StorageFailure):
    def __init__(self, path: str | os.PathLike[str]):
        super().__init__(
            path,
            f"The database '{path}' is damaged; restore it from a backup, or run "
            "'qa-monitor check' to see what is wrong.",
        )


class StorageIOError(StorageFailure):
    def __init__(self, path: str | os.PathLike[str]):
        super().__init__(
            path,
            f"The database '{path}' could not be read or written (a disk or network "
            "error); check that its drive is connected and try again.",
        )


# SQLite's primary result codes (the low byte of an extended code).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = (
    5, 6, 8, 10, 11, 13, 14, 26,
)  # fmt: skip
# The folder cannot hold the -wal and -shm files WAL needs beside the database.
_READONLY_DIRECTORY = _READONLY | (6 << 8)


def translate_sqlite_error(exc: sqlite3.Error, path: str | os.PathLike[str]) -> Exception:
    """The StorageFailure for a storage-level sqlite3 error on the database at ``path``;
    other errors (a constraint, a programming error) are returned unchanged."""
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc).lower()
    primary = None if code is None else code & 0xFF
    if primary in (_BUSY, _LOCKED) or "database is locked" in text:
        return DatabaseBusyError(path)
    if primary == _FULL or "disk is full" in text:
        return DiskFullError(path)
    if code == _READONLY_DIRECTORY:
        return ReadOnlyFolderError(path)
    if primary == _READONLY or "readonly database" in text:
        return _read_only(Path(path))
    if primary in (_CORRUPT, _NOTADB) or "malformed" in text:
        return DatabaseCorruptError(path)
    if primary == _CANTOPEN:
        folder = Path(path).parent
        if folder.is_dir() and not os.access(folder, os.W_OK):
            return ReadOnlyFolderError(path)
        return StorageIOError(path)
    if primary == _IOERR or "disk i/o error" in text:
        return StorageIOError(path)
    return exc


def _read_only(path: Path) -> StorageFailure:
    if path.exists() and not os.access(path, os.W_OK):
        return ReadOnlyDatabaseError(path)
    if not os.access(path.parent, os.W_OK):
        return ReadOnlyFolderError(path)
    return ReadOnlyDatabaseError(path)


def translate_os_error(exc: OSError, path: str | os.PathLike[str]) -> StorageFailure:
    """The StorageFailure for an OSError writing or reading the file at ``path``."""
    if exc.errno == errno.ENOSPC:
        return FileWriteError(
            path, f"Cannot write '{path}': the disk is full; free some space and try again."
        )
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        return FileWriteError(
            path,
            f"Cannot write '{path}': the file or its folder is read-only; choose another "
            "folder or allow writing to this one.",
        )
    return FileWriteError(
        path,
        f"Cannot use '{path}' ({exc.strerror or exc}); check the drive and the name and try again.",
    )


class FileWriteError(StorageFailure):
    """A file other than the database (an export, a backup) could not be written."""
