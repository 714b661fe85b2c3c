"""One open database as the UI sees it: the services, the file, and who is reviewing."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QMessageBox, QWidget

from qa_monitor.services import DamagedDatabaseError, NotADatabaseError, Services, StorageError
from qa_monitor.ui.database_lock import DatabaseLock, acquire
from qa_monitor.ui.workers import wait_for_worker

log = logging.getLogger(__name__)
RECENT_KEY = "database/recent"
MAX_RECENT = 8


def tr(text: str) -> str:
    return QCoreApplication.translate("Session", text)


@dataclass
class Session:
    services: Services
    path: Path
    reviewer_id: int | None = None
    lock: DatabaseLock = field(default_factory=lambda: DatabaseLock(None))

    def close(self) -> None:
        self.services.close()
        self.lock.release()


def remember_recent(path: Path) -> None:
    settings = QSettings()
    recent = [p for p in recent_databases() if Path(p) != path]
    settings.setValue(RECENT_KEY, [str(path), *recent][:MAX_RECENT])


def recent_databases() -> list[str]:
    value = QSettings().value(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings flattens a one-item list on some platforms
        value = [value]
    return [str(v) for v in (value or [])]


def reviewer_key(path: Path) -> str:
    # The reviewer is remembered per database file: the same person may be "Sara" in the
    # team's database and absent from a demo one.
    return f"reviewer/{path.resolve().as_posix()}"


def open_session(path: Path, parent: QWidget | None, *, switching: bool = False) -> Session | None:
    """Open ``path``; on failure say why in a sentence (no traceback) and return None.
    Another copy of the app with ``path`` open is asked about first (``database_lock``;
    ``switching``: the question offers to keep the database already open)."""
    lock = acquire(path, parent, switching=switching)
    if lock is None:
        return None
    upgrade_first(path, parent)
    try:
        services = Services.open(path)
    except (DamagedDatabaseError, NotADatabaseError) as exc:
        restored = offer_restore(path, exc, parent)
        if restored is None:
            lock.release()
            return None
        services = restored
    except StorageError as exc:
        lock.release()
        log.warning("Cannot open database %s: %s", path, exc)
        QMessageBox.warning(parent, tr("Cannot open database"), str(exc))
        return None
    except OSError as exc:
        lock.release()
        log.warning("Cannot open database %s: %s", path, exc)
        QMessageBox.warning(
            parent,
            tr("Cannot open database"),
            tr(
                "The file {0} cannot be opened: {1}. Check that the folder exists and that "
                "you may write to it."
            ).format(path, exc.strerror or exc),
        )
        return None
    remember_recent(path)
    stored = QSettings().value(reviewer_key(path))
    reviewer_id = int(stored) if stored not in (None, "") else None
    if reviewer_id is not None:
        active = {r.id for r in services.people.list_reviewers(active_only=True)}
        if reviewer_id not in active:
            reviewer_id = None
    tell_database(services, reviewer_id)
    return Session(services, path, reviewer_id, lock)


def upgrade_first(path: Path, parent: QWidget | None) -> None:
    """Run a pending upgrade of ``path`` on a worker thread behind a busy window: on a
    large database an upgrade takes minutes (m009 about a minute per 100,000
    evaluations), and the window must keep painting meanwhile. What goes wrong is said
    by the open that follows, on the GUI thread."""
    if not Services.pending_upgrades(path):
        return

    def work() -> None:
        try:
            Services.upgrade(path)
        except (StorageError, OSError) as exc:
            log.info("Upgrade of %s stopped; the open will say why: %s", path, exc)

    text = tr(
        "Upgrading {0} for this version of QA Monitor…\n"
        "This happens once and can take a few minutes on a large database.\n"
        "If it is interrupted, the database stays as it was."
    ).format(path.name)
    log.info("Upgrading %s", path)
    wait_for_worker(parent, work, text)


def offer_restore(path: Path, exc: StorageError, parent: QWidget | None) -> Services | None:
    """A damaged or empty database cannot be opened, so Database ▸ Restore cannot be
    reached: say why, offer to restore the newest backup, and open the result."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from qa_monitor.services.backup_service import (
        BackupError,
        default_folder,
        newest_backup,
        restore_backup,
    )

    log.warning("Cannot open database %s: %s", path, exc)
    newest = newest_backup(path) if path.exists() else None
    if newest is None:
        QMessageBox.warning(parent, tr("Cannot open database"), str(exc))
        return None
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Cannot open database"), str(exc), parent=parent)
    restore = box.addButton(tr("&Restore the newest backup"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is not restore:
        return None
    # The app cannot work before this is done; the wait cursor says it is busy.
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        restore_backup(path, newest, default_folder(path))
        return Services.open(path)
    except (BackupError, StorageError) as again:
        QMessageBox.warning(parent, tr("Cannot open database"), str(again))
        return None
    finally:
        QApplication.restoreOverrideCursor()


def set_reviewer(session: Session, reviewer_id: int) -> None:
    session.reviewer_id = reviewer_id
    QSettings().setValue(reviewer_key(session.path), reviewer_id)
    tell_database(session.services, reviewer_id)


def tell_database(services: Services, reviewer_id: int | None) -> None:
    """Store who uses this installation in the database too (a setting that stays on
    this machine): the calibration service and blind scoring read it there, so what
    this reviewer may see follows the reviewer chosen here."""
    if services.settings.centre().current_reviewer_id == reviewer_id:
        return
    try:
        services.settings.set_current_reviewer(reviewer_id)
    except (StorageError, LookupError) as exc:
        log.warning("Could not store the current reviewer in the database: %s", exc)
