"""Reading the My queue screen's lists off the GUI thread.

Rules (as dispute_loader):
- ``QueueLoader`` runs a read of the queue service on one worker thread, on its own
  read-only connection (``queue_list_service.read_queue``: opened and closed there,
  with the GUI's clock so "today" is the same on both sides), and hands the result
  back by its signals, tagged with the request's kind ("mine", "coverage") and the
  generation the screen gave it. Widgets are never touched in the worker.
- A new request of a kind cancels the one before of that kind (a read already
  running is interrupted);
  the screen also drops an older answer by its generation.
- A failure is logged with its traceback and reported as a sentence.
- The owner calls ``wait()`` before the database goes away.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from qa_monitor.services.cancellation import CancelToken
from qa_monitor.services.common import Clock
from qa_monitor.services.queue_list_service import read_queue
from qa_monitor.services.queue_service import QueueService
from qa_monitor.ui.workers import QueryJob, emit_safely


class QueueLoader(QObject):
    loaded = Signal(str, int, object)  # kind, generation, result
    failed = Signal(str, int, str)  # kind, generation, what went wrong

    def __init__(self, path: Path, clock: Clock, parent: QObject | None = None):
        super().__init__(parent)
        self.path, self.clock = path, clock
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._tokens: dict[str, CancelToken] = {}

    def load(self, kind: str, generation: int, work: Callable[[QueueService], object]) -> None:
        path, clock = self.path, self.clock
        old = self._tokens.get(kind)
        if old is not None:
            old.cancel()
        token = self._tokens[kind] = CancelToken()
        self._pool.start(
            QueryJob(
                lambda t: read_queue(path, clock, work, t),
                token,
                lambda result: emit_safely(self.loaded, kind, generation, result),
                lambda error: emit_safely(self.failed, kind, generation, error),
                what=f"Loading the queue ({kind})",
            )
        )

    def cancel(self) -> None:
        for token in self._tokens.values():
            token.cancel()

    def wait(self) -> None:
        self._pool.waitForDone()
