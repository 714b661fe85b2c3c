"""Loading the Coaching screen's sessions (with their follow-up) off the GUI thread.

As ``DisputeLoader``: one worker thread, a generation per request, a newer request
cancels the older one (its SQLite statement is interrupted), results come back by
queued signals and widgets are never touched in the worker. The owner calls
``cancel()`` then ``wait()`` before the database goes away.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, QThreadPool, Signal

from qa_monitor.services.coaching_list_service import (
    CancelToken,
    CoachingListService,
    SessionFilter,
)
from qa_monitor.ui.workers import QueryJob, emit_safely


class CoachingLoader(QObject):
    loaded = Signal(int, object)  # generation, list of ListedSession
    failed = Signal(int, str)  # generation, what went wrong

    def __init__(self, service: CoachingListService, parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self._token = CancelToken()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

    def load(self, generation: int, flt: SessionFilter, today: date) -> None:
        self._token.cancel()
        token = self._token = CancelToken()
        service = self.service
        self._pool.start(
            QueryJob(
                lambda t: service.sessions(flt, today, t),
                token,
                lambda rows: emit_safely(self.loaded, generation, rows),
                lambda error: emit_safely(self.failed, generation, error),
                what="Loading the coaching sessions",
            )
        )

    def cancel(self) -> None:
        self._token.cancel()

    def wait(self) -> None:
        self._pool.waitForDone()
