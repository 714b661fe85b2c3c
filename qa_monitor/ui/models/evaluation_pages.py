"""Loading the evaluations list's pages off the GUI thread.

Rules:
- ``PageLoader`` runs the list service (its own read-only connection per call) on one
  worker thread and hands results back by its signals (emitted there, so queued to the
  GUI thread's receivers), tagged with the generation
  the model gave the request; widgets are never touched in the worker.
- ``load_first`` cancels whatever the previous generation still runs or waits to run
  (its SQLite statement is interrupted within milliseconds), so changing the sort or a
  filter quickly never queues work nobody will look at. ``load_more`` runs under the
  current generation's token, so the next ``load_first`` stops it too.
- A failure is logged with its traceback and reported as a sentence.
- The owner calls ``cancel()`` then ``wait()`` before the database goes away.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QThreadPool, Signal

from qa_monitor.core.records import EvaluationFilter
from qa_monitor.services.evaluation_list_service import CancelToken, EvaluationListService
from qa_monitor.ui.workers import QueryJob, emit_safely


class PageLoader(QObject):
    firstLoaded = Signal(int, object)  # generation, FirstPage
    moreLoaded = Signal(int, int, object)  # generation, offset, tuple of EvaluationRow
    failed = Signal(int, str)  # generation, what went wrong

    def __init__(self, service: EvaluationListService, parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self._token = CancelToken()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

    def load_first(self, generation: int, flt: EvaluationFilter, limit: int) -> None:
        """Count ``flt`` and read its first ``limit`` rows (stopping older requests)."""
        self._token.cancel()
        self._token = CancelToken()
        self._start(
            lambda t: self.service.first_page(flt, limit, t),
            lambda page: emit_safely(self.firstLoaded, generation, page),
            generation,
        )

    def load_more(self, generation: int, flt: EvaluationFilter, offset: int, limit: int) -> None:
        """Read ``limit`` more rows of ``flt`` from ``offset``."""
        self._start(
            lambda t: self.service.page(flt, offset, limit, t),
            lambda rows: emit_safely(self.moreLoaded, generation, offset, rows),
            generation,
        )

    def _start(
        self, work: Callable[[CancelToken], object], done: Callable[[object], None], gen: int
    ) -> None:
        self._pool.start(
            QueryJob(
                work,
                self._token,
                done,
                lambda error: emit_safely(self.failed, gen, error),
                what="Loading the evaluations list",
            )
        )

    def cancel(self) -> None:
        self._token.cancel()

    def wait(self) -> None:
        self._pool.waitForDone()
