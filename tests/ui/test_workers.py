"""The background-job runner: results, failures, cancels and progress reach the GUI thread
by signals; work that needs the database opens its own connection in the worker."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from qa_monitor.services import Services
from qa_monitor.ui.workers import Job, JobCancelled, JobControl, with_services


class Boom(Exception):
    pass


def _on_gui_thread() -> bool:
    app = QApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def test_result_and_progress_arrive_on_the_gui_thread(qtbot) -> None:
    worker_threads: list[bool] = []

    def work(control: JobControl) -> int:
        worker_threads.append(_on_gui_thread())
        for done in range(1, 4):
            control.progress(done, 3)
        return 42

    job = Job(work)
    progress: list[tuple[int, int, bool]] = []
    job.progressed.connect(lambda d, t: progress.append((d, t, _on_gui_thread())))
    results: list[tuple[object, bool]] = []
    job.succeeded.connect(lambda r: results.append((r, _on_gui_thread())))
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
        assert job.is_running()
    assert results == [(42, True)]
    assert worker_threads == [False]  # the work itself ran elsewhere
    assert progress and progress[-1] == (3, 3, True)
    assert not job.is_running()


def test_a_failure_is_delivered_as_the_exception(qtbot, caplog) -> None:
    def work(_control: JobControl) -> None:
        raise Boom("the disk is full")

    job = Job(work)
    failures: list[object] = []
    job.failed.connect(failures.append)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
    assert len(failures) == 1 and isinstance(failures[0], Boom)
    assert "Background job failed" in caplog.text  # the details go to the log


def test_cancel_stops_the_work_at_its_next_check(qtbot) -> None:
    started = threading.Event()
    steps: list[int] = []

    def work(control: JobControl) -> str:
        started.set()
        for step in range(500):
            control.check()
            steps.append(step)
            time.sleep(0.01)
        return "finished anyway"

    job = Job(work)
    outcome: list[str] = []
    job.succeeded.connect(lambda _r: outcome.append("succeeded"))
    job.cancelled.connect(lambda: outcome.append("cancelled"))
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
        assert started.wait(5)
        job.cancel()
        assert job.cancel_requested()
    assert outcome == ["cancelled"]
    assert len(steps) < 500


def test_a_writer_own_cancel_exception_counts_as_a_cancel(qtbot) -> None:
    class WriterCancelled(Exception):
        pass

    def work(control: JobControl) -> None:
        while not control.cancelled():
            time.sleep(0.005)
        raise WriterCancelled()

    job = Job(work, cancel_errors=(WriterCancelled,))
    outcome: list[str] = []
    job.cancelled.connect(lambda: outcome.append("cancelled"))
    job.failed.connect(lambda _e: outcome.append("failed"))
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
        job.cancel()
    assert outcome == ["cancelled"]


def test_progress_is_throttled_but_the_last_report_always_arrives(qtbot) -> None:
    def work(control: JobControl) -> None:
        for done in range(1, 20_001):
            control.progress(done, 20_000)

    job = Job(work)
    seen: list[int] = []
    job.progressed.connect(lambda d, _t: seen.append(d))
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
    assert seen[-1] == 20_000
    assert len(seen) < 200  # not one signal per row


def test_wait_blocks_until_the_worker_is_done_and_a_job_runs_once(qtbot) -> None:
    release = threading.Event()
    job = Job(lambda _c: release.wait(5))
    job.start()
    assert not job.wait(0.05)
    release.set()
    assert job.wait(5)
    qtbot.waitUntil(lambda: not job.is_running(), timeout=5000)
    with pytest.raises(RuntimeError, match="runs once"):
        job.start()


def test_check_raises_job_cancelled() -> None:
    control = JobControl()
    control.check()
    control.request_cancel()
    with pytest.raises(JobCancelled):
        control.check()


def test_with_services_uses_its_own_connection_in_the_worker(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "qa.db"
    with Services.open(path) as gui_services:
        gui_services.people.add_team("Billing")

        def work(services: Services, _control: JobControl) -> list[str]:
            assert services is not gui_services
            return [t.name for t in services.people.list_teams()]

        job = Job(with_services(path, work))
        results: list[object] = []
        job.succeeded.connect(results.append)
        job.failed.connect(results.append)
        with qtbot.waitSignal(job.finished, timeout=5000):
            job.start()
        assert results == [["Billing"]]
        # The GUI's own connection is still usable afterwards.
        assert [t.name for t in gui_services.people.list_teams()] == ["Billing"]


def test_the_gui_connection_would_not_work_in_a_worker(qtbot, tmp_path: Path) -> None:
    """Why ``with_services`` exists: an SQLite connection refuses another thread."""
    with Services.open(tmp_path / "qa.db") as gui_services:
        job = Job(lambda _c: gui_services.people.list_teams())
        failures: list[object] = []
        job.failed.connect(failures.append)
        with qtbot.waitSignal(job.finished, timeout=5000):
            job.start()
        assert failures and "thread" in str(failures[0])


def test_query_job_reports_exactly_one_outcome(caplog) -> None:
    """The screens' cancellable reads: a result, a sentence for a failure (logged with
    its traceback unless expected), or a cancel, each through its own callback."""
    from qa_monitor.services.cancellation import Cancelled, CancelToken
    from qa_monitor.ui.workers import QueryJob

    def run(work, **options) -> list[tuple[str, object]]:
        seen: list[tuple[str, object]] = []
        job = QueryJob(
            work,
            CancelToken(),
            lambda result: seen.append(("done", result)),
            lambda error: seen.append(("failed", error)),
            cancelled=lambda: seen.append(("cancelled", None)),
            **options,
        )
        job.run()  # the pool's thread would call this
        return seen

    assert run(lambda token: 42) == [("done", 42)]

    def stopped(token: CancelToken) -> int:
        raise Cancelled("superseded")

    assert run(stopped) == [("cancelled", None)]

    def gone(token: CancelToken) -> int:
        raise LookupError("agent 7 no longer exists")

    caplog.clear()
    assert run(gone, expected=(LookupError,)) == [("failed", "agent 7 no longer exists")]
    assert not caplog.records  # expected: a sentence, no traceback in the log
    assert run(gone, what="Profile query") == [("failed", "agent 7 no longer exists")]
    assert "Profile query failed" in caplog.text
