"""One copy of the app per database file: a lock file beside it (``<db>.lock``).

Two copies writing one SQLite file do not corrupt it, but each shows stale lists and
their team syncs would race over one journal; a user who opened the file twice by
mistake should know. Rules:
- The lock is a ``QLockFile`` holding this process's id and host name. A lock whose
  process is gone (the app crashed, the computer restarted) is taken over silently.
- A lock held by another process shows one question: Quit (or keep the database that
  is open, when switching) or open anyway, not recommended.
- This process opening the same file again (a second window, tests) is not a second
  copy: no question.
- A folder where no lock file can be made (read-only media) does not stop the app:
  the database opens without one, as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLockFile, QSysInfo
from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger(__name__)


def tr(text: str) -> str:
    return QCoreApplication.translate("DatabaseLock", text)


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class DatabaseLock:
    """The lock of one open database (``held`` False when opened without one)."""

    def __init__(self, lock: QLockFile | None):
        self._lock = lock

    @property
    def held(self) -> bool:
        return self._lock is not None and self._lock.isLocked()

    def release(self) -> None:
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None


def acquire(
    db_path: Path, parent: QWidget | None, *, switching: bool = False
) -> DatabaseLock | None:
    """Lock ``db_path`` for this process, asking first if another copy holds it.

    Returns None when the user chose not to open it (Quit, or keep the current one
    when ``switching``)."""
    # A new database's folder, so the lock can go beside the file (a failure is
    # reported when the database itself cannot be made).
    with contextlib.suppress(OSError):
        db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(lock_path(db_path)))
    # Never stale by age (the app may stay open for weeks); stale only when the process
    # that holds it is gone, which QLockFile checks on this computer.
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        return DatabaseLock(lock)
    if lock.error() != QLockFile.LockError.LockFailedError:
        log.warning("No lock file for %s (%s); opening without one", db_path, lock.error())
        return DatabaseLock(None)
    # PySide6 returns (pid, host, app), pid 0 when the file could not be read.
    pid, host, _app = lock.getLockInfo()
    here = not host or host == QSysInfo.machineHostName()
    if here and pid == os.getpid():
        return DatabaseLock(None)  # this process has it open already
    if ask_open_anyway(db_path, pid, "" if here else host, parent, switching):
        log.warning("Opening %s although process %s on %s has it open", db_path, pid, host)
        return DatabaseLock(None)
    return None


def ask_open_anyway(
    db_path: Path, pid: int, host: str, parent: QWidget | None, switching: bool
) -> bool:
    """The question shown when another copy has the file open; True: open anyway."""
    if host:
        text = tr(
            "QA Monitor is already open on {0} on the computer {1}. Opening it twice risks "
            "each copy showing out-of-date lists and their team syncs getting in each "
            "other's way. Close it there first, or open another database."
        ).format(db_path, host)
    else:
        text = tr(
            "QA Monitor is already open on {0} (process {1} on this computer). Opening it "
            "twice risks each copy showing out-of-date lists and their team syncs getting "
            "in each other's way. Switch to the open window, or open another database."
        ).format(db_path, pid)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Database already open"))
    box.setText(text)
    keep = box.addButton(
        tr("Keep the current database") if switching else tr("Quit"),
        QMessageBox.ButtonRole.RejectRole,
    )
    anyway = box.addButton(tr("Open anyway (not recommended)"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.setObjectName("databaseAlreadyOpen")
    box.exec()
    return box.clickedButton() is anyway
