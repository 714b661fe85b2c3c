"""The Outcomes screen's reads, off the GUI thread.

Rules:
- Two kinds of request, each with its generation: the outcomes (figures per period,
  churn reasons, save rates by reason and by agent: one read-only connection, one
  job) and the drivers of one form. A newer request of a kind cancels the older one,
  whose answer never arrives (``Cancelled``) or is dropped by the screen.
- The work only calls the services on its own read-only connection (``run_readonly``)
  and hands back frozen results by queued signals.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from qa_monitor.core.churn_reasons import ChurnReasons
from qa_monitor.services.cancellation import CancelToken, run_readonly
from qa_monitor.services.drivers_service import DriversQuery, DriversReport, DriversService
from qa_monitor.services.outcome_service import (
    ChurnReasonsReport,
    OutcomeQuery,
    OutcomeReport,
    OutcomeService,
    SaveRate,
)
from qa_monitor.ui.workers import QueryJob, emit_safely


@dataclass(frozen=True, slots=True)
class OutcomesResult:
    report: OutcomeReport
    reasons: ChurnReasonsReport
    by_reason: tuple[SaveRate, ...]
    by_agent: tuple[SaveRate, ...]


def read_outcomes(db: object, query: OutcomeQuery, reasons: ChurnReasons) -> OutcomesResult:
    service = OutcomeService(db)  # type: ignore[arg-type]
    return OutcomesResult(
        service.report(query),
        service.churn_reasons(query, reasons),
        tuple(service.save_rates(query, "reason")),
        tuple(service.save_rates(query, "agent")),
    )


class OutcomesLoader(QObject):
    outcomes = Signal(int, object)  # generation, OutcomesResult
    drivers = Signal(int, object)  # generation, DriversReport
    failed = Signal(str, int, str)  # "outcomes" or "drivers", generation, what went wrong

    def __init__(self, path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.path = path
        self._tokens: dict[str, CancelToken] = {}
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)

    def _token(self, kind: str) -> CancelToken:
        old = self._tokens.get(kind)
        if old is not None:
            old.cancel()
        token = self._tokens[kind] = CancelToken()
        return token

    def load_outcomes(self, generation: int, query: OutcomeQuery, reasons: ChurnReasons) -> None:
        path = self.path
        self._pool.start(
            QueryJob(
                lambda t: run_readonly(path, lambda db: read_outcomes(db, query, reasons), t),
                self._token("outcomes"),
                lambda result: emit_safely(self.outcomes, generation, result),
                lambda error: emit_safely(self.failed, "outcomes", generation, error),
                what="Reading customer outcomes",
            )
        )

    def load_drivers(self, generation: int, query: DriversQuery) -> None:
        path = self.path

        def work(t: CancelToken) -> DriversReport:
            return run_readonly(path, lambda db: DriversService(db).report(query), t)  # type: ignore[arg-type]

        self._pool.start(
            QueryJob(
                work,
                self._token("drivers"),
                lambda result: emit_safely(self.drivers, generation, result),
                lambda error: emit_safely(self.failed, "drivers", generation, error),
                what="Reading the drivers of customer outcomes",
            )
        )

    def cancel(self) -> None:
        for token in self._tokens.values():
            token.cancel()

    def wait(self) -> None:
        self._pool.waitForDone()
