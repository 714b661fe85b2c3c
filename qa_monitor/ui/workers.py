"""Running slow work (exports, imports, previews of big files) off the GUI thread.

(``QueryJob`` is the lighter runnable of the screens that show only their latest
answer, the dashboard, the agent profile and the evaluations list: a cancellable read,
no progress.)

A ``Job`` wraps a plain callable ``work(control)``; ``start()`` hands it to a
``QThreadPool``. The callable reports progress with ``control.progress(done, total)`` and
asks ``control.cancelled()`` now and then; its result, its exception or its
cancellation comes back to the GUI thread as a signal of the ``Job``.

Rules:
- The work never touches a widget: it only computes and returns a value. Everything
  it reports crosses threads through queued signals of a relay created on the GUI
  thread, so slots run on the GUI thread.
- An SQLite connection belongs to the thread that opened it. Work that needs the
  database opens its own (``with_services(path, work)``) inside the worker and closes
  it before returning; it never uses the GUI's ``session.services``.
- Progress is throttled (at most one signal per ``PROGRESS_INTERVAL_S``, plus the
  last), so a job that reports every row does not flood the event loop.
- Exactly one of ``succeeded``, ``failed``, ``cancelled`` is emitted, then ``finished``.
  An exception whose type is in ``cancel_errors`` (or ``JobCancelled``) counts as a
  cancellation; any other is logged and handed to ``failed`` for a sentence in the UI.
- Whoever owns a running job calls ``cancel()`` and ``wait()`` before the owner (or the
  database) goes away, so no result arrives for a closed dialog.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from qa_monitor.services import Services
from qa_monitor.services.cancellation import Cancelled, CancelToken

log = logging.getLogger(__name__)
T = TypeVar("T")
PROGRESS_INTERVAL_S = 0.05


class JobCancelled(Exception):
    """Raised by ``JobControl.check()`` once a cancel was asked for."""


class _Relay(QObject):
    """Created on the GUI thread; emitting from the worker queues the call to it."""

    progressed = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)
    stopped = Signal()


class JobControl:
    """What running work sees: a progress reporter and a cancel flag (thread-safe)."""

    def __init__(self, relay: _Relay | None = None):
        self._relay = relay
        self._cancel = threading.Event()
        self._last_emit = 0.0

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Stop here (JobCancelled) if a cancel was asked for."""
        if self._cancel.is_set():
            raise JobCancelled()

    def progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last_emit < PROGRESS_INTERVAL_S:
            return
        self._last_emit = now
        if self._relay is not None:
            emit_safely(self._relay.progressed, int(done), int(total))

    def request_cancel(self) -> None:
        self._cancel.set()


def emit_safely(signal: object, *args: object) -> None:
    """``signal.emit(*args)`` from a worker thread; dropped quietly if the GUI side was
    deleted meanwhile (a screen or dialog closed while its work ran)."""
    try:
        signal.emit(*args)  # type: ignore[attr-defined]
    except RuntimeError:  # the GUI side was deleted meanwhile: nobody is listening
        log.debug("Job result dropped: its receiver is gone")


class QueryJob(QRunnable):
    """A cancellable read for a screen that shows only its latest answer.

    ``work(token)`` runs on a pool thread; then exactly one of ``done(result)``,
    ``failed(sentence)`` or ``cancelled()`` is called, on that thread: pass callbacks
    that emit queued signals (``emit_safely``), never ones that touch widgets. The
    token's ``Cancelled`` counts as cancelled; an exception of a type in ``expected``
    (e.g. an agent deleted meanwhile) becomes its message, any other is logged with its
    traceback under ``what`` first.
    """

    def __init__(
        self,
        work: Callable[[CancelToken], object],
        token: CancelToken,
        done: Callable[[object], None],
        failed: Callable[[str], None],
        *,
        cancelled: Callable[[], None] | None = None,
        expected: tuple[type[Exception], ...] = (),
        what: str = "Background query",
    ):
        super().__init__()
        self.work, self.token, self.done, self.failed = work, token, done, failed
        self.cancelled, self.expected, self.what = cancelled, expected, what

    def run(self) -> None:
        try:
            result = self.work(self.token)
        except Cancelled:
            if self.cancelled is not None:
                self.cancelled()
            return
        except Exception as exc:  # becomes a sentence in the UI
            if not isinstance(exc, self.expected):
                log.exception("%s failed", self.what)
            self.failed(str(exc))
            return
        self.done(result)


class _Runnable(QRunnable):
    def __init__(
        self,
        work: Callable[[JobControl], object],
        control: JobControl,
        relay: _Relay,
        cancel_errors: tuple[type[BaseException], ...],
        ended: threading.Event,
    ):
        super().__init__()
        self.work, self.control, self.relay = work, control, relay
        self.cancel_errors, self.ended = cancel_errors, ended

    def run(self) -> None:
        try:
            result = self.work(self.control)
        except self.cancel_errors:
            emit_safely(self.relay.stopped)
        except Exception as exc:  # becomes a sentence in the UI; the details go to the log
            log.exception("Background job failed")
            emit_safely(self.relay.failed, exc)
        else:
            emit_safely(self.relay.done, result)
        finally:
            self.ended.set()


class Job(QObject):
    """One piece of background work, as the GUI thread sees it."""

    progressed = Signal(int, int)  # done, total
    succeeded = Signal(object)  # the work's return value
    failed = Signal(object)  # the exception
    cancelled = Signal()
    finished = Signal()  # after any of the three above

    def __init__(
        self,
        work: Callable[[JobControl], object],
        *,
        cancel_errors: tuple[type[BaseException], ...] = (),
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._work = work
        self._cancel_errors: tuple[type[BaseException], ...] = (JobCancelled, *cancel_errors)
        # No parent: the relay lives as long as this Job holds it, on the GUI thread.
        self._relay = _Relay()
        self._relay.progressed.connect(self.progressed)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._relay.stopped.connect(self._on_stopped)
        self.control = JobControl(self._relay)
        self._ended = threading.Event()
        self._started = False
        self._running = False

    def start(self, pool: QThreadPool | None = None) -> None:
        if self._started:
            raise RuntimeError("a Job runs once; make a new one to run the work again")
        self._started = self._running = True
        runnable = _Runnable(
            self._work, self.control, self._relay, self._cancel_errors, self._ended
        )
        (pool or QThreadPool.globalInstance()).start(runnable)

    def cancel(self) -> None:
        """Ask the work to stop at its next check; ``cancelled`` follows if it does."""
        self.control.request_cancel()

    def is_running(self) -> bool:
        """Started and its outcome not yet delivered to the GUI thread."""
        return self._running

    def cancel_requested(self) -> bool:
        return self.control.cancelled()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the worker thread has left the work (True) or the timeout passed.

        The outcome signal is still queued afterwards; it is delivered when the event
        loop runs (or dropped if this Job is deleted first).
        """
        if not self._started:
            return True
        return self._ended.wait(timeout_s)

    def _on_done(self, result: object) -> None:
        self._running = False
        self.succeeded.emit(result)
        self.finished.emit()

    def _on_failed(self, exc: object) -> None:
        self._running = False
        self.failed.emit(exc)
        self.finished.emit()

    def _on_stopped(self) -> None:
        self._running = False
        self.cancelled.emit()
        self.finished.emit()


def with_services(
    db_path: str | Path, work: Callable[[Services, JobControl], T]
) -> Callable[[JobControl], T]:
    """``work`` run on its own connection to ``db_path``, opened and closed in the worker
    thread (an SQLite connection must not cross threads)."""
    path = Path(db_path)

    def run(control: JobControl) -> T:
        with Services.open(path) as services:
            return work(services, control)

    return run


def wait_for_worker(parent: QWidget | None, work: Callable[[], T], text: str) -> T:
    """``work()`` run on a pool thread while the GUI thread keeps painting; its result
    (or its exception, raised here) once it is done.

    For a step the caller cannot go on without, such as reading a file the user just
    chose: the caller keeps its plain sequential code, and a slow or hostile file never
    freezes the window. A window-modal busy dialog (shown after 200 ms) keeps the user
    from starting the same step twice meanwhile. ``work`` should return an expected
    failure as a value; an exception it raises is logged as a bug before it is re-raised.
    """
    outcome: dict[str, object] = {}
    job = Job(lambda _control: work())
    loop = QEventLoop()
    job.succeeded.connect(lambda result: outcome.__setitem__("result", result))
    job.failed.connect(lambda exc: outcome.__setitem__("error", exc))
    job.finished.connect(loop.quit)
    busy = QProgressDialog(text, "", 0, 0, parent)
    busy.setCancelButton(None)  # type: ignore[arg-type]
    busy.setWindowModality(Qt.WindowModality.WindowModal)
    busy.setMinimumDuration(200)
    # The timer that shows the dialog after the minimum duration starts when the value
    # is set to the minimum; without this the busy window never appeared.
    busy.setValue(0)
    busy.setAccessibleName(text)
    job.start()
    # The outcome arrives as a queued signal, so it cannot slip in before exec() runs.
    loop.exec()
    busy.reset()
    busy.deleteLater()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]
