"""Team sync for one open database, never on the GUI thread.

Rules:
- A sync runs as a ``Job`` on a pool thread; ``TeamSyncService.sync_now`` opens its own
  connection there, so the screens keep reading and writing while it runs. One sync
  at a time: asking for another while one runs does nothing.
- Automatic syncs every ``interval_minutes`` (Settings ▸ Team) and shortly after the
  database opens (catching up after a night offline); none while team sync is off.
- The status (changes waiting, conflicts, the last sync) is read on a read-only
  connection of a worker too, after every sync, every settings change and every
  local change (debounced): the status bar never waits for the journal.
- After a sync that wrote records here, ``changesArrived`` carries the same
  ``Changes`` a service returns, so the screens refresh through their usual route.
- The server password typed in Settings ▸ Team is held in memory only, for this
  session's syncs (the team server keeps it in libpq's password file).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from qa_monitor.services.cancellation import CancelToken
from qa_monitor.services.sync_service import SyncCancelled
from qa_monitor.services.sync_transport import SyncReport
from qa_monitor.services.team_sync import SyncMode, SyncStatus, TeamSyncService, changes_of
from qa_monitor.ui.workers import Job, JobControl, QueryJob, emit_safely

log = logging.getLogger(__name__)
FIRST_SYNC_DELAY_MS = 15_000
STATUS_DEBOUNCE_MS = 400


class _StatusRelay(QObject):
    done = Signal(object)  # SyncStatus
    failed = Signal(str)


class TeamSyncRunner(QObject):
    statusChanged = Signal(object)  # SyncStatus
    started = Signal()
    progressed = Signal(int, int)  # done, total (0: not known, changes being received)
    finished = Signal(object)  # SyncReport, or None when it failed or was cancelled
    failed = Signal(str)  # a sentence: why the sync could not run
    changesArrived = Signal(object)  # Changes

    def __init__(
        self,
        service: TeamSyncService,
        parent: QObject | None = None,
        *,
        first_delay_ms: int = FIRST_SYNC_DELAY_MS,
        pool: QThreadPool | None = None,
    ):
        super().__init__(parent)
        self.service = service
        self.status: SyncStatus | None = None
        self.problem = ""  # the last attempt's failure, until a sync succeeds
        self.password: str | None = None
        self.progress: tuple[int, int] | None = None
        self.job: Job | None = None
        # The application's pool: it outlives this runner, so a sync that outlasts the
        # window (a slow network at close) is waited for at exit, not on the GUI thread.
        self._pool = pool or QThreadPool.globalInstance()
        self._interval = QTimer(self)
        self._interval.timeout.connect(self.sync_now)
        self._first = QTimer(self, singleShot=True, interval=first_delay_ms)
        self._first.timeout.connect(self.sync_now)
        self._status_later = QTimer(self, singleShot=True, interval=STATUS_DEBOUNCE_MS)
        self._status_later.timeout.connect(self.refresh_status)
        self._status_token = CancelToken()
        self._relay = _StatusRelay(self)
        self._relay.done.connect(self._on_status)
        self._relay.failed.connect(lambda error: log.warning("Sync status: %s", error))
        self._stopped = False
        self.reload_settings(first=True)

    # ---------------------------------------------------------------- settings
    def reload_settings(self, *, first: bool = False) -> None:
        """Follow the stored team settings (after Settings ▸ Team saved them)."""
        settings = self.service.team_settings()
        if settings.mode is SyncMode.OFF or self._stopped:
            self._interval.stop()
            self._first.stop()
        else:
            self._interval.start(settings.interval_minutes * 60_000)
            if first:
                self._first.start()
        self.refresh_status()

    def enabled(self) -> bool:
        return self.service.team_settings().mode is not SyncMode.OFF

    # ---------------------------------------------------------------- status
    def refresh_status(self) -> None:
        """Read the status on a worker; ``statusChanged`` follows."""
        if self._stopped:
            return
        self._status_token.cancel()
        token = self._status_token = CancelToken()
        relay, service = self._relay, self.service
        self._pool.start(
            QueryJob(
                service.read_status,
                token,
                lambda status: emit_safely(relay.done, status),
                lambda error: emit_safely(relay.failed, error),
                what="Sync status",
            )
        )

    def refresh_status_soon(self) -> None:
        """After a local change: the count of changes waiting moved (debounced)."""
        self._status_later.start()

    def _on_status(self, status: SyncStatus) -> None:
        if self._stopped:  # read before the database closed; nobody shows it now
            return
        self.status = status
        self.statusChanged.emit(status)

    # ---------------------------------------------------------------- syncing
    def is_running(self) -> bool:
        return self.job is not None and self.job.is_running()

    def sync_now(self, *, publish: bool = True) -> bool:
        """Start a sync (False: one is running already, or team sync is off);
        ``publish``: a snapshot for new members may follow it when due."""
        if self.is_running() or self._stopped or not self.enabled():
            return False
        service, password = self.service, self.password

        def work(control: JobControl) -> SyncReport:
            return service.sync_now(
                password=password,
                # Sending knows its total; receiving does not (batches arrive as read).
                progress=lambda phase, done, total: control.progress(
                    done, total if phase == "send" else 0
                ),
                cancelled=control.cancelled,
                publish=publish,
            )

        self.job = Job(work, cancel_errors=(SyncCancelled,), parent=self)
        self.job.progressed.connect(self._on_progress)
        self.job.succeeded.connect(self._on_done)
        self.job.failed.connect(self._on_failed)
        self.job.cancelled.connect(lambda: self._end(None))
        self.progress = (0, 0)
        self.job.start(self._pool)
        self.started.emit()
        return True

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def wait(self, timeout_s: float) -> bool:
        """Block until the running sync's thread has stopped (True) or the time passed."""
        return self.job is None or self.job.wait(timeout_s)

    def _on_progress(self, done: int, total: int) -> None:
        if self._stopped:
            return
        self.progress = (done, total)
        self.progressed.emit(done, total)

    def _on_done(self, report: SyncReport) -> None:
        self.problem = ""
        if report.entities and not self._stopped:
            self.changesArrived.emit(changes_of(report))
        self._end(report)

    def _on_failed(self, exc: object) -> None:
        # TransportError and storage errors are sentences; anything else was logged.
        if self._stopped:
            return
        self.problem = str(exc) or type(exc).__name__
        self.failed.emit(self.problem)
        self._end(None)

    def _end(self, report: SyncReport | None) -> None:
        if self._stopped:
            return
        self.progress = None
        self.finished.emit(report)
        self.refresh_status()

    # ---------------------------------------------------------------- closing
    def stop(self, timeout_s: float = 2.0) -> None:
        """No more syncs; cancel the running one and give its thread ``timeout_s`` to
        stop. A sync still running after that (a slow network) finishes on its own
        connection: each batch is one transaction, so nothing is half-written, and
        nothing is shown for it any more."""
        self._stopped = True
        self._interval.stop()
        self._first.stop()
        self._status_later.stop()
        self._status_token.cancel()
        self.cancel()
        self.wait(timeout_s)

