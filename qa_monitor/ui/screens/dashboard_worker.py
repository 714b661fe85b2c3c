"""Dashboard queries off the GUI thread, newest request wins and older ones stop.

Rules:
- ``submit`` numbers each request (its generation), cancels every request still
  running or queued (``CancelToken``: the running SQLite statement is aborted within
  about a millisecond) and starts the new one on a ``QThreadPool``.
- The worker only calls the dashboard service (its own read-only connection) and
  hands back the frozen result by a queued signal; widgets are never touched there.
- Per request, ``charts`` may arrive first (the charts' part of the result, so the
  screen draws while the people tables are computed); then exactly one of ``done``,
  ``failed`` or ``cancelled``, all on the GUI thread. A failure is logged with its
  traceback and reported as a sentence.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThreadPool, Signal

from qa_monitor.reports.analytics import DashboardFilter
from qa_monitor.services.dashboard_service import CancelToken, DashboardService
from qa_monitor.ui.workers import QueryJob, emit_safely


class _Relay(QObject):
    charts = Signal(int, object)  # generation, Dashboard without its people tables
    done = Signal(int, object)  # generation, Dashboard
    failed = Signal(int, str)
    cancelled = Signal(int)


class DashboardWorker(QObject):
    charts = Signal(int, object)  # generation, Dashboard without its people tables
    done = Signal(int, object)  # generation, Dashboard
    failed = Signal(int, str)
    cancelled = Signal(int)

    def __init__(self, service: DashboardService, parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self.generation = 0
        self.cancelled_count = 0  # requests stopped early, for tests and benchmarks
        self._tokens: dict[int, CancelToken] = {}
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._relay = _Relay(self)
        self._relay.charts.connect(self.charts)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._relay.cancelled.connect(self._on_cancelled)

    @property
    def running(self) -> int:
        """Requests not yet answered."""
        return len(self._tokens)

    def submit(self, f: DashboardFilter) -> int:
        """Start a query for ``f`` (stopping older ones); returns its generation."""
        self.cancel()
        self.generation += 1
        token = CancelToken()
        self._tokens[self.generation] = token
        gen, relay, service = self.generation, self._relay, self.service
        self._pool.start(
            QueryJob(
                lambda t: service.build(f, t, lambda part: emit_safely(relay.charts, gen, part)),
                token,
                lambda result: emit_safely(relay.done, gen, result),
                lambda error: emit_safely(relay.failed, gen, error),
                cancelled=lambda: emit_safely(relay.cancelled, gen),
                what="Dashboard query",
            )
        )
        return self.generation

    def cancel(self) -> None:
        """Stop every request still running or queued."""
        for token in self._tokens.values():
            token.cancel()

    def retire(self) -> None:
        """Stop every request and ignore any answer still on its way (closing)."""
        self.cancel()
        self.generation += 1

    def wait(self) -> None:
        """Block until no request runs (before the database goes away)."""
        self._pool.waitForDone()

    def _on_done(self, gen: int, result: object) -> None:
        self._tokens.pop(gen, None)
        self.done.emit(gen, result)

    def _on_failed(self, gen: int, error: str) -> None:
        self._tokens.pop(gen, None)
        self.failed.emit(gen, error)

    def _on_cancelled(self, gen: int) -> None:
        self._tokens.pop(gen, None)
        self.cancelled_count += 1
        self.cancelled.emit(gen)
