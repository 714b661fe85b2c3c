"""The Calibration screen's export action: the file dialog (patched here), the workbook
written in a worker while the window stays free, and the outcome said in a message box:
where the file went, the failure's own sentence, or that a cancel left no file."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QPushButton

from qa_monitor.reports.atomic_file import ExportCancelled
from qa_monitor.services import Services
from qa_monitor.services.calibration_service import SessionInput
from qa_monitor.ui.dialogs import calibration_export
from qa_monitor.ui.dialogs.calibration_export import (
    CalibrationExportRun,
    start_calibration_export,
)
from qa_monitor.ui.session import Session
from tests.calibration_data import Built, build
from tests.factories import FakeClock, seed


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "qa.db"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(db_path: Path, clock: FakeClock) -> Iterator[Services]:
    with Services.open(db_path, clock=clock) as opened:
        yield opened


@pytest.fixture
def built(services: Services, clock: FakeClock) -> Built:
    return build(services, seed(services), clock)


@pytest.fixture
def window(qtbot, services: Services, built: Built, db_path: Path) -> QMainWindow:
    window = QMainWindow()
    window.session = Session(services, db_path, built.leila)  # type: ignore[attr-defined]
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def chosen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[str, str]]:
    """The file dialog answers ``tmp_path/out/march`` (no suffix); its calls are kept."""
    calls: list[tuple[str, str]] = []
    (tmp_path / "out").mkdir()

    def answer(_parent: object, caption: str, start: str, _filter: str) -> tuple[str, str]:
        calls.append((caption, start))
        return str(tmp_path / "out" / "march"), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return calls


def _finish(qtbot, run: CalibrationExportRun | None) -> QMessageBox:
    assert run is not None
    qtbot.waitUntil(lambda: run.message is not None, timeout=30_000)
    assert not run.job.is_running() and run.message is not None
    return run.message


def test_export_through_the_action(
    qtbot, window: QMainWindow, chosen: list[tuple[str, str]], tmp_path: Path
) -> None:
    run = start_calibration_export(window, window.session)  # type: ignore[attr-defined]
    caption, start = chosen[0]
    assert caption == "Export calibration sessions"
    assert Path(start).name == "calibration-2026-03-04.xlsx"  # the database's today
    box = _finish(qtbot, run)
    target = tmp_path / "out" / "march.xlsx"
    assert run is not None and run.result is not None and run.result.path == target
    assert box.icon() is QMessageBox.Icon.Information
    text = box.text().replace("\u2066", "").replace("\u2069", "")  # numbers kept LTR
    assert text.startswith(f"The calibration workbook is written to {target} in ")
    assert text.endswith("Sessions in it: 3.")
    book = openpyxl.load_workbook(target, read_only=True)
    assert book.sheetnames[:3] == ["Sessions", "Deviations", "Reviewers"]
    book.close()
    opened: list[QUrl] = []
    run.open_url = lambda url: opened.append(url) or True
    buttons = {b.text(): b for b in box.buttons()}
    buttons["&Open file"].click()
    assert [u.toLocalFile() for u in opened] == [str(target)]
    box.close()
    assert calibration_export.export_folder() == target.parent  # remembered for next time


def test_chosen_sessions_and_a_refusal_in_words(
    qtbot, window: QMainWindow, services: Services, built: Built, chosen: list, tmp_path: Path
) -> None:
    session = window.session  # type: ignore[attr-defined]
    run = start_calibration_export(window, session, [built.week_50])
    assert _finish(qtbot, run).text().endswith("Sessions in it: \u20661\u2069.")
    run.message.close()  # type: ignore[union-attr]
    interaction = services.interactions.find_interaction("call-0001")
    assert interaction is not None
    still_open, _ = services.calibration.create(
        SessionInput(
            "Still open", interaction.id, built.seed.version.id, built.leila, (built.omid,)
        )
    )
    (tmp_path / "out" / "march.xlsx").unlink()
    box = _finish(qtbot, start_calibration_export(window, session, [still_open]))
    assert box.icon() is QMessageBox.Icon.Warning
    assert box.text() == (
        "The session 'Still open' is not revealed yet; its answers stay hidden until it is "
        "(0 of 2 have submitted)."
    )
    box.close()
    assert not (tmp_path / "out" / "march.xlsx").exists()


def test_cancel_leaves_no_file(
    qtbot, window: QMainWindow, chosen: list, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    asked = threading.Event()

    def slow(services: Services, target: Path, scope: object, **kw) -> object:
        kw["progress"](0, 4)
        asked.set()
        while not kw["cancelled"]():
            threading.Event().wait(0.01)
        raise ExportCancelled(target)

    monkeypatch.setattr(calibration_export, "export_calibration_workbook", slow)
    run = start_calibration_export(window, window.session)  # type: ignore[attr-defined]
    assert run is not None
    assert asked.wait(10)
    cancel = run.progress.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    cancel.click()
    box = _finish(qtbot, run)
    assert box.text() == "Export cancelled; no file was written."
    assert run.result is None and not list((tmp_path / "out").iterdir())
    box.close()


def test_no_file_chosen_does_nothing(window: QMainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    assert start_calibration_export(window, window.session) is None  # type: ignore[attr-defined]
