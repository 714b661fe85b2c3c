"""The Reviewer quality screen on a real database, driven with real key events: the
period chosen with the keyboard, a reviewer chosen with the arrow keys redraws the
drift chart, Enter puts the keyboard in the chart, the unreliable question is listed
with its wording and a plain verdict, and Ctrl+Shift+E writes the report shown to a
workbook (the file dialog answered by the test)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from qa_monitor.ui.models.reviewer_quality_models import QuestionsTableModel, ReviewersTableModel
from qa_monitor.ui.screens.reviewer_quality_screen import ReviewerQualityScreen
from qa_monitor.ui.session import Session
from tests.reports.analytics_data import Centre, open_centre
from tests.services.reviewer_quality_data import plant_strictness, plant_unreliable_q1

TIMEOUT = 10_000


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    services, built = open_centre(tmp_path / "qa.db")
    with services:
        yield built


def show(qtbot, centre: Centre) -> ReviewerQualityScreen:  # type: ignore[no-untyped-def]
    screen = ReviewerQualityScreen(Session(centre.services, centre.services.path))
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        screen.show()
    # All time, with the keyboard: the period is the first stop, End its last choice.
    screen.period.setFocus()
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        qtbot.keyClick(screen.period, Qt.Key.Key_End)
    assert screen.period.currentData() == "all"
    return screen


def cell(table, row: int, column: int) -> str:  # type: ignore[no-untyped-def]
    return str(table.model().index(row, column).data(Qt.ItemDataRole.AccessibleTextRole))


def chart_title(screen: ReviewerQualityScreen) -> str:
    figure = screen.drift_chart.figure
    assert figure is not None
    return figure.axes[0].get_title(loc="left")


def test_keyboard_chooses_a_reviewer_and_the_drift_follows(qtbot, centre: Centre) -> None:  # type: ignore[no-untyped-def]
    plant_strictness(centre)
    plant_unreliable_q1(centre)
    screen = show(qtbot, centre)
    table = screen.reviewers_table

    # Tab from the period lands in the reviewers table.
    qtbot.keyClick(screen.period, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is table
    # Strictest first: R1 (11.3 points stricter, within noise), then R2, then Expert.
    names = [cell(table, r, ReviewersTableModel.REVIEWER) for r in range(3)]
    assert names == ["R1", "R2", "Expert (expert)"]
    assert cell(table, 0, ReviewersTableModel.STRICTNESS) == (
        "11.3 points stricter than peers, within noise (-1.7 to 24.2)"
    )
    assert cell(table, 2, ReviewersTableModel.CAL_MAD) == "—"  # the expert: no denominator
    assert cell(table, 0, ReviewersTableModel.OVERTURN_RATE) == "—"  # nothing decided
    assert "R1" in chart_title(screen)

    revision = screen.drift_chart.revision
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert screen.selected_reviewer_id() == centre.reviewers[1].id
    qtbot.waitUntil(lambda: screen.drift_chart.revision > revision, timeout=TIMEOUT)
    assert "R2" in chart_title(screen)
    axes = screen.drift_chart.figure.axes[0]  # type: ignore[union-attr]
    # March and April: one point each, the zero line dashed.
    (line,) = [ln for ln in axes.lines if ln.get_marker() == "o"]
    assert len(line.get_xdata()) == 2
    assert any(ln.get_linestyle() == "--" for ln in axes.lines)

    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is screen.drift_chart.canvas
    assert "R2" in chart_title(screen)


def test_the_unreliable_question_is_listed_with_its_wording(
    qtbot, qtmodeltester, centre: Centre
) -> None:  # type: ignore[no-untyped-def]
    plant_unreliable_q1(centre)
    screen = show(qtbot, centre)
    table = screen.questions_table

    assert screen.questions_pages.currentIndex() == 0
    assert cell(table, 0, QuestionsTableModel.QUESTION) == "Behaviour q1"
    assert cell(table, 0, QuestionsTableModel.FORM) == "Ten behaviours"
    assert cell(table, 0, QuestionsTableModel.VERDICT) == (
        "Unreliable: reviewers disagree more than chance allows — rewrite or drop"
    )
    assert cell(table, 0, QuestionsTableModel.SESSIONS) == "6"
    verdicts = {
        cell(table, r, QuestionsTableModel.VERDICT) for r in range(table.model().rowCount())
    }
    assert "Reliable" in verdicts
    header = screen.reviewers_model.headerData(
        ReviewersTableModel.STRICTNESS, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert "same form, for the same team, in the same calendar month" in header
    qtmodeltester.check(screen.questions_model)
    qtmodeltester.check(screen.reviewers_model)


def test_empty_states_say_what_to_do(qtbot, centre: Centre) -> None:  # type: ignore[no-untyped-def]
    screen = show(qtbot, centre)

    assert screen.reviewers_pages.currentIndex() == 1
    assert "Choose a longer period" in screen.reviewers_empty.text()
    assert screen.questions_pages.currentIndex() == 1
    assert "Calibration screen (Ctrl+Shift+L)" in screen.questions_empty.text()


class SaveAs:
    """Stands in for the file dialog: records what it was shown, answers ``name``."""

    def __init__(self, name: str):
        self.name = name
        self.asked: list[tuple[str, str, str]] = []

    def __call__(self, _parent, caption: str, start: str, filters: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
        self.asked.append((caption, start, filters))
        return self.name, filters if self.name else ""


EXPORT_KEYS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_ctrl_shift_e_writes_the_report_shown(qtbot, centre: Centre, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    plant_strictness(centre)
    plant_unreliable_q1(centre)
    screen = show(qtbot, centre)
    save_as = SaveAs(str(tmp_path / "quality"))  # no suffix: .xlsx is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    assert screen.export_action.isEnabled()
    assert "Ctrl+Shift+E" in screen.export_action.toolTip()

    qtbot.keyClick(screen.reviewers_table, Qt.Key.Key_E, EXPORT_KEYS)
    (_caption, start, filters) = save_as.asked[0]
    assert Path(start).name.startswith("reviewer-quality-") and start.endswith(".xlsx")
    assert filters == "Excel workbook (*.xlsx)"
    assert not screen.export_action.isEnabled()  # while it writes
    qtbot.waitUntil(lambda: not screen.exporter.is_running(), timeout=TIMEOUT)

    out = tmp_path / "quality.xlsx"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["About", "Reviewers", "Drift", "Questions"]
    shown = [cell(screen.reviewers_table, r, ReviewersTableModel.REVIEWER) for r in range(3)]
    written = [row[0] for row in wb["Reviewers"].iter_rows(min_row=3, values_only=True)]
    assert written == shown == ["R1", "R2", "Expert (expert)"]
    assert screen.report is not None
    assert (
        [row[2] for row in wb["Reviewers"].iter_rows(min_row=3, max_row=4, values_only=True)]
        == [
            float(f"{r.quality.strictness.value:.16g}")  # type: ignore[union-attr]
            for r in screen.report.reviewers[:2]
        ]
    )
    assert wb["About"]["A2"].value == "All calls, whatever their date."
    assert wb["Questions"]["B3"].value == "Behaviour q1"
    said = screen.export_status.text()
    assert said.startswith("Exported the reviewer quality report to quality.xlsx in ")
    assert screen.export_icon.isVisibleTo(screen) and screen.export_action.isEnabled()

    # The button is the last Tab stop, after the questions.
    screen.questions_table.setFocus()
    qtbot.keyClick(screen.questions_table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is screen.export_button


def test_an_export_that_cannot_be_written_says_why(
    qtbot, centre: Centre, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    plant_strictness(centre)
    screen = show(qtbot, centre)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveAs(""))  # the user cancels
    qtbot.keyClick(screen.reviewers_table, Qt.Key.Key_E, EXPORT_KEYS)
    assert screen.exporter.job is None and screen.export_status.text() == ""

    missing = tmp_path / "gone" / "quality.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveAs(str(missing)))
    qtbot.keyClick(screen.reviewers_table, Qt.Key.Key_E, EXPORT_KEYS)
    qtbot.waitUntil(lambda: not screen.exporter.is_running(), timeout=TIMEOUT)
    assert "the folder" in screen.export_status.text()
    assert "does not exist" in screen.export_status.text()
    assert screen.export_icon.isVisibleTo(screen)
    assert not missing.parent.exists()
