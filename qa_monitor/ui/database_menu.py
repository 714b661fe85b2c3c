"""The Database menu: check for damage, back up now, restore a backup, archive export and
import; and the automatic backups (daily when the app opens, and when it closes).

Everything slow runs off the GUI thread (``workers.Job``) on its own connection. The
main window owns the session, so the menu asks it through callables: ``get_session()``
and ``reopen(path)`` (open the restored or imported database in the window).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox, QProgressDialog

from qa_monitor.services.archive_service import Manifest, export_to, import_from
from qa_monitor.services.backup_service import BackupService, back_up
from qa_monitor.ui import icons
from qa_monitor.ui.dialogs.check_dialog import CheckDialog
from qa_monitor.ui.dialogs.restore_dialog import RestoreDialog
from qa_monitor.ui.session import Session
from qa_monitor.ui.workers import Job, JobControl

log = logging.getLogger(__name__)
ARCHIVE_FILTER = "QA Monitor archive (*.qaarchive)"


def tr(text: str) -> str:
    return QCoreApplication.translate("DatabaseMenu", text)


def backup_service(session: Session) -> BackupService:
    services = session.services
    return BackupService(services.db, services.repos.settings, services.clock)


class DatabaseMenu(QMenu):
    def __init__(
        self,
        window: QMainWindow,
        get_session: Callable[[], Session],
        reopen: Callable[[Path], object],
    ):
        super().__init__(tr("Data&base"), window)
        self.window_ = window
        self.get_session = get_session
        self.reopen = reopen
        self.jobs: list[Job] = []
        self.actions_by_key: dict[str, QAction] = {}
        for key, text, slot, icon, tip in (
            (
                "check",
                tr("&Check database…"),
                self.check,
                "mdi6.database-check-outline",
                tr("Read every page of the database and say whether anything is damaged"),
            ),
            (
                "backup",
                tr("&Back up now"),
                self.back_up_now,
                "mdi6.content-save-move-outline",
                tr("Write a checked copy of the database to the backup folder"),
            ),
            (
                "restore",
                tr("&Restore backup…"),
                self.restore,
                "mdi6.backup-restore",
                tr("Replace the database by a backup, after seeing what it holds"),
            ),
            (
                "archive_export",
                tr("&Export archive…"),
                self.export_archive,
                "mdi6.archive-arrow-down-outline",
                tr("Everything in one file that another installation can import"),
            ),
            (
                "archive_import",
                tr("&Import archive into a new database…"),
                self.import_archive,
                "mdi6.archive-arrow-up-outline",
                tr("Make a new database from an archive file"),
            ),
        ):
            action = QAction(icons.icon(icon, color=self.palette().text().color()), text, self)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.triggered.connect(lambda _checked=False, s=slot: s())
            self.addAction(action)
            self.actions_by_key[key] = action
            if key == "restore":
                self.addSeparator()

    # ------------------------------------------------------------------ helpers
    def _status(self, text: str) -> None:
        self.window_.statusBar().showMessage(text, 10_000)

    def _start(
        self,
        work: Callable[[JobControl], object],
        done: Callable[[object], None],
        busy: str,
    ) -> Job:
        job = Job(work, parent=self)
        job.succeeded.connect(done)
        job.failed.connect(lambda exc: QMessageBox.warning(self.window_, tr("Database"), str(exc)))
        job.finished.connect(lambda: self.jobs.remove(job) if job in self.jobs else None)
        self.jobs.append(job)
        self._status(busy)
        job.start()
        return job

    def wait_for_jobs(self) -> None:
        for job in list(self.jobs):
            job.wait()

    # ------------------------------------------------------------------ actions
    def check(self) -> CheckDialog:
        dialog = CheckDialog(self.get_session().path, self.window_)
        dialog.open()
        return dialog

    def back_up_now(self, reason: str = "") -> Job:
        plan = backup_service(self.get_session()).plan()
        return self._start(
            lambda _c: back_up(plan, reason=reason),
            lambda path: self._status(tr("Backed up the database to {0}.").format(path)),
            tr("Backing up the database…"),
        )

    def backup_if_due(self) -> Job | None:
        """The daily backup, when the newest is a day old (run when a database opens)."""
        if not backup_service(self.get_session()).due():
            return None
        return self.back_up_now("daily")

    def backup_on_close(self, session: Session) -> bool:
        """Back up before the window closes, with progress; Cancel closes without it.
        Nothing else writes by then, so the copy goes in steps it can stop."""
        plan = backup_service(session).plan()
        dialog = QProgressDialog(
            tr("Backing up {0} before closing…").format(plan.db_path.name),
            tr("Close without a backup"),
            0,
            100,
            self.window_,
        )
        dialog.setWindowTitle(tr("Backup"))
        dialog.setMinimumDuration(500)

        def work(control: JobControl) -> Path:
            def progress(done: int, total: int) -> None:
                control.check()
                control.progress(done, total)

            return back_up(plan, progress=progress)

        job = Job(work, parent=self)
        job.progressed.connect(lambda done, total: dialog.setValue(done * 100 // max(total, 1)))
        job.failed.connect(lambda exc: log.warning("Backup on close failed: %s", exc))
        job.finished.connect(dialog.reset)
        dialog.canceled.connect(job.cancel)
        job.start()
        dialog.exec()
        job.wait()
        return not job.cancel_requested()

    def restore(self) -> RestoreDialog:
        session = self.get_session()
        dialog = RestoreDialog(session.path, backup_service(session).folder(), self.window_)
        dialog.restored.connect(self._restored)
        dialog.open()
        return dialog

    def _restored(self, path: object) -> None:
        assert isinstance(path, Path)
        self.reopen(path)
        self._status(tr("The backup was restored into {0}.").format(path))

    def export_archive(self, target: Path | None = None) -> Job | None:
        session = self.get_session()
        if target is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self.window_,
                tr("Export archive"),
                str(session.path.with_suffix(".qaarchive")),
                tr(ARCHIVE_FILTER),
            )
            if not chosen:
                return None
            target = Path(chosen)
        db_path = session.path

        def work(_control: JobControl) -> Manifest:
            return export_to(db_path, target)

        def done(manifest: object) -> None:
            assert isinstance(manifest, Manifest)
            rows = sum(t.rows for t in manifest.tables.values())
            QMessageBox.information(
                self.window_,
                tr("Export archive"),
                tr("The archive {0} holds {1} rows in {2} tables and was checked.").format(
                    target, f"{rows:,}", len(manifest.tables)
                ),
            )

        return self._start(work, done, tr("Writing the archive…"))

    def import_archive(self, source: Path | None = None, target: Path | None = None) -> Job | None:
        if source is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self.window_, tr("Import archive"), "", tr(ARCHIVE_FILTER)
            )
            if not chosen:
                return None
            source = Path(chosen)
        if target is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self.window_,
                tr("New database for the archive"),
                str(source.with_suffix(".db")),
                tr("QA Monitor database (*.db)"),
            )
            if not chosen:
                return None
            target = Path(chosen)
        new_db = target

        def done(_manifest: object) -> None:
            answer = QMessageBox.question(
                self.window_,
                tr("Import archive"),
                tr("The archive was imported into {0}. Open that database now?").format(new_db),
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.reopen(new_db)

        return self._start(
            lambda _c: import_from(source, new_db), done, tr("Importing the archive…")
        )


def build_database_menu(
    window: QMainWindow,
    get_session: Callable[[], Session],
    reopen: Callable[[Path], object],
) -> DatabaseMenu:
    menu = DatabaseMenu(window, get_session, reopen)
    window.menuBar().addMenu(menu)
    return menu
