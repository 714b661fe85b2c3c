"""Loading the Disputes screen's queue and rates off the GUI thread.

Rules:
- ``DisputeLoader`` runs the dispute list service (its own read-only connection per
  call) on one worker thread and hands the results back by its signals (emitted
  there, so queued to the GUI thread's receivers), tagged with the generation the
  screen gave the request; widgets are never touched in the worker.
- The queue and the rates are requested separately (a new period reads only the
  rates), each under its own ``CancelToken``: a new request of one kind cancels the
  older request of that kind (its SQLite statement is interrupted within
  milliseconds), so stepping through dates never queues reads nobody will look at.
- A failure is logged with its traceback and reported as a sentence.
- The owner calls ``cancel()`` then ``wait()`` before the database goes away.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, QThreadPool, Signal

from qa_monitor.services.dispute_list_service import CancelToken, DisputeListService
from qa_monitor.ui.workers import QueryJob, emit_safely


class DisputeLoader(QObject):
    queueLoaded = Signal(int, object)  # generation, (today, list of QueueItem)
    ratesLoaded = Signal(int, object)  # generation, list of ReviewerRates
    queueFailed = Signal(int, str)  # generation, what went wrong
    ratesFailed = Signal(int, str)

    def __init__(self, service: DisputeListService, parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self._queue_token, self._rates_token = CancelToken(), CancelToken()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

    def load_queue(self, generation: int, today: date) -> None:
        """Read the open disputes as of ``today`` (stopping an older queue request)."""
        self._queue_token.cancel()
        token = self._queue_token = CancelToken()
        service = self.service
        self._pool.start(
            QueryJob(
                lambda t: (today, service.queue(today, t)),
                token,
                lambda result: emit_safely(self.queueLoaded, generation, result),
                lambda error: emit_safely(self.queueFailed, generation, error),
                what="Loading the dispute queue",
            )
        )

    def load_rates(self, generation: int, start: date, end: date) -> None:
        """Read the rates per reviewer from ``start`` to ``end`` (stopping an older
        rates request)."""
        self._rates_token.cancel()
        token = self._rates_token = CancelToken()
        service = self.service
        self._pool.start(
            QueryJob(
                lambda t: service.reviewer_rates(start, end, t),
                token,
                lambda rates: emit_safely(self.ratesLoaded, generation, rates),
                lambda error: emit_safely(self.ratesFailed, generation, error),
                what="Loading the dispute rates",
            )
        )

    def cancel_rates(self) -> None:
        self._rates_token.cancel()

    def cancel(self) -> None:
        self._queue_token.cancel()
        self._rates_token.cancel()

    def wait(self) -> None:
        self._pool.waitForDone()
