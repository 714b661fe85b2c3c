"""Loading the evaluations list's pages off the GUI thread.

Rules:
- ``PageLoader`` runs the list service (its own read-only connection per call) on one
  worker thread and hands results back by queued signals, tagged with the generation
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


class _Relay(QObject):
    first = Signal(int, object)  # generation, FirstPage
    more = Signal(int, int, object)  # generation, offset, tuple of EvaluationRow
    failed = Signal(int, str)


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
        self._relay = _Relay(self)
        self._relay.first.connect(self.firstLoaded)
        self._relay.more.connect(self.moreLoaded)
        self._relay.failed.connect(self.failed)

    def load_first(self, generation: int, flt: EvaluationFilter, limit: int) -> None:
        """Count ``flt`` and read its first ``limit`` rows (stopping older requests)."""
        self._token.cancel()
        self._token = CancelToken()
        relay = self._relay
        self._start(
            lambda t: self.service.first_page(flt, limit, t),
            lambda page: emit_safely(relay.first, generation, page),
            generation,
        )

    def load_more(self, generation: int, flt: EvaluationFilter, offset: int, limit: int) -> None:
        """Read ``limit`` more rows of ``flt`` from ``offset``."""
        relay = self._relay
        self._start(
            lambda t: self.service.page(flt, offset, limit, t),
            lambda rows: emit_safely(relay.more, generation, offset, rows),
            generation,
        )

    def _start(
        self, work: Callable[[CancelToken], object], done: Callable[[object], None], gen: int
    ) -> None:
        relay = self._relay
        self._pool.start(
            QueryJob(
                work,
                self._token,
                done,
                lambda error: emit_safely(relay.failed, gen, error),
                what="Loading the evaluations list",
            )
        )

    def cancel(self) -> None:
        self._token.cancel()

    def wait(self) -> None:
        self._pool.waitForDone()
