"""The export dialog drives the real writers in a worker: the workbook or CSV it leaves,
the filter it describes, cancel leaving no file, and clear messages on failure."""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument, QTextOption
from PySide6.QtWidgets import QLabel, QMainWindow

from qa_monitor.core.records import EvaluationFilter, EvaluationKind, EvaluationStatus
from qa_monitor.services import NO_CHANGES, Services
from qa_monitor.ui import data_menu
from qa_monitor.ui.dialogs import export_jobs
from qa_monitor.ui.dialogs.export_dialog import ExportDialog, ExportFormat, ExportMode
from qa_monitor.ui.session import Session
from tests.factories import Seed, failing_answers, interaction_data, passing_answers, seed

TODAY = date(2026, 3, 20)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "qa.db"


@pytest.fixture
def services(db_path: Path) -> Iterator[Services]:
    with Services.open(db_path) as opened:
        yield opened


@pytest.fixture
def seeded(services: Services) -> Seed:
    """Three submitted evaluations of Sara Ahmadi (team Billing) and one draft."""
    s = seed(services)
    for n, answers in enumerate((passing_answers(), failing_answers(), passing_answers(), None)):
        interaction = services.interactions.create_interaction(
            interaction_data(s.agent.id, external_id=f"call-{n + 10}")
        )
        draft = services.evaluations.start_evaluation(interaction.id, s.version.id, s.reviewer.id)
        if answers is not None:
            services.evaluations.save_draft(draft.id, answers)
            assert services.evaluations.submit(draft.id, s.reviewer.id).ok
    return s


@pytest.fixture
def session(services: Services, seeded: Seed, db_path: Path) -> Session:
    return Session(services, db_path, seeded.reviewer.id)


def _dialog(qtbot, session: Session, flt: EvaluationFilter | None = None, **kw) -> ExportDialog:
    """The dialog, shown, with "open" recorded in ``dialog.opened`` instead of launching."""
    dialog = ExportDialog(session, flt, today=TODAY, **kw)
    qtbot.addWidget(dialog)
    opened: list[QUrl] = []
    dialog.opened = opened  # type: ignore[attr-defined]
    dialog.open_url = lambda url: opened.append(url) or True
    dialog.show()
    return dialog


def _texts(dialog: ExportDialog) -> list[str]:
    return [label.text() for label in dialog.findChildren(QLabel)]


def _run(qtbot, dialog: ExportDialog) -> None:
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.job is not None
    qtbot.waitUntil(lambda: not dialog.job.is_running(), timeout=20_000)


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if ".tmp" in p.name]


def test_export_to_excel_through_the_dialog(qtbot, session: Session, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, session)
    assert dialog.path_edit.text().endswith("qa-evaluations-2026-03-20.xlsx")
    target = tmp_path / "out" / "march.xlsx"
    target.parent.mkdir()
    dialog.path_edit.setText(str(target))
    _run(qtbot, dialog)
    assert dialog.export_result is not None, dialog.status.text()
    assert "Exported 3 evaluation" in dialog.status.text()
    book = openpyxl.load_workbook(target, read_only=True)
    assert {"Summary", "Evaluations", "Answers"} <= set(book.sheetnames)
    note, *rows = list(book["Evaluations"].iter_rows(values_only=True))
    assert "drafts are left out" in note[0]
    assert len(rows) == 1 + 3  # header and the submitted evaluations: no draft by default
    assert {r[rows[0].index("Agent")] for r in rows[1:]} == {"Sara Ahmadi"}
    book.close()
    assert dialog.open_file.isVisible() and dialog.show_folder.isVisible()
    dialog.open_result()
    dialog.show_result_folder()
    assert [u.toLocalFile() for u in dialog.opened] == [str(target), str(target.parent)]
    assert _leftovers(target.parent) == []


def test_the_filter_is_said_in_words_with_its_count(
    qtbot, session: Session, seeded: Seed, tmp_path: Path
) -> None:
    flt = EvaluationFilter(team_ids=(seeded.team.id,), date_from=date(2026, 3, 1))
    dialog = _dialog(qtbot, session, flt)
    texts = _texts(dialog)
    assert any("Billing" in t for t in texts)
    assert any("2026-03-01" in t for t in texts)
    assert any("3 evaluations will be exported" in t for t in texts)
    assert dialog.export_button.isEnabled()
    nothing = _dialog(qtbot, session, EvaluationFilter(date_from=date(2030, 1, 1)))
    assert not nothing.export_button.isEnabled()
    assert any("No evaluations match" in t for t in _texts(nothing))


def test_export_to_csv_switches_the_suffix(qtbot, session: Session, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, session, fmt=ExportFormat.CSV)
    assert dialog.path_edit.text().endswith(".csv")
    assert not dialog.answers.isEnabled()  # no Answers sheet in a CSV
    dialog.path_edit.setText(str(tmp_path / "evaluations.xlsx"))
    dialog.format.setCurrentIndex(dialog.format.findData(ExportFormat.CSV))
    dialog.format.setCurrentIndex(dialog.format.findData(ExportFormat.XLSX))
    dialog.format.setCurrentIndex(dialog.format.findData(ExportFormat.CSV))
    assert dialog.path_edit.text() == str(tmp_path / "evaluations.csv")
    _run(qtbot, dialog)
    with (tmp_path / "evaluations.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) == 1 + 3


def test_cancel_leaves_no_file(qtbot, session: Session, tmp_path: Path, monkeypatch) -> None:
    """The writer is held at its start until Cancel is pressed, so the cancel always lands
    while it runs; the real writer then sees it at its first check."""
    release = threading.Event()
    real = export_jobs.export_workbook

    def held(*args, **kwargs):  # type: ignore[no-untyped-def]
        assert release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(export_jobs, "export_workbook", held)
    dialog = _dialog(qtbot, session)
    target = tmp_path / "cancelled.xlsx"
    dialog.path_edit.setText(str(target))
    assert dialog.start_export()
    assert dialog.close_button.text() == "Cancel" and not dialog.export_button.isEnabled()
    dialog.reject()  # Esc while writing: stop, and keep the dialog open to say so
    assert dialog.isVisible() and dialog.job is not None and dialog.job.cancel_requested()
    release.set()
    qtbot.waitUntil(lambda: not dialog.job.is_running(), timeout=10_000)
    assert dialog.status.text() == "Export cancelled; no file was written."
    assert not target.exists() and _leftovers(tmp_path) == []
    assert dialog.export_result is None and dialog.export_button.isEnabled()
    assert dialog.close_button.text() == "Close"


def test_a_target_that_cannot_be_written_says_why(qtbot, session: Session, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, session)
    dialog.path_edit.setText(str(tmp_path / "no such folder" / "out.xlsx"))
    _run(qtbot, dialog)
    assert "does not exist" in dialog.status.text()
    assert "Traceback" not in dialog.status.text()
    assert not dialog.open_file.isVisible()
    dialog.path_edit.setText(str(tmp_path / "out.xls"))
    assert not dialog.start_export()
    assert "should end in .xlsx" in dialog.status.text()


def test_agent_feedback_workbook(qtbot, session: Session, seeded: Seed, tmp_path: Path) -> None:
    flt = EvaluationFilter(agent_ids=(seeded.agent.id,))
    dialog = _dialog(qtbot, session, flt, mode=ExportMode.AGENT_FEEDBACK)
    period = dialog.agent_period
    assert period is not None and period.agent_id() == seeded.agent.id
    assert dialog.path_edit.text().endswith("coaching-Sara-Ahmadi-2026-03-20.xlsx")
    period.set_period(date(2030, 1, 1), date(2030, 2, 1))
    assert "No evaluations of Sara Ahmadi are counted" in period.count_label.text()
    assert not dialog.export_button.isEnabled()
    period.set_period(date(2026, 1, 1), date(2026, 3, 20))
    assert period.count() == 3  # submitted only: the draft is not coached on
    target = tmp_path / "sara.xlsx"
    dialog.path_edit.setText(str(target))
    _run(qtbot, dialog)
    assert dialog.export_result is not None, dialog.status.text()
    book = openpyxl.load_workbook(target, read_only=True)
    assert book.sheetnames[0] == "Overview"
    assert len(list(book["Evaluations"].iter_rows(values_only=True))) == 2 + 3  # note, header
    book.close()


def test_data_menu_opens_the_dialogs_with_the_screen_filter(
    qtbot, session: Session, seeded: Seed
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    changes: list[object] = []
    flt = EvaluationFilter(team_ids=(seeded.team.id,))
    help_menu = window.menuBar().addMenu("&Help")
    menu = data_menu.build_data_menu(
        window, window.menuBar(), lambda: session, lambda: flt, changes.append, before=help_menu
    )
    assert [a.text() for a in window.menuBar().actions()] == ["&Data", "&Help"]
    assert set(menu.actions_by_key) == {
        "export_xlsx",
        "export_csv",
        "export_feedback",
        "import_roster",
        "import_interactions",
        "import_surveys",
        "import_customer_counts",
        "import_customers",
        "import_churn",
    }
    assert menu.actions_by_key["export_xlsx"].shortcut().toString() == "Ctrl+E"
    export = menu.make_export(ExportFormat.CSV)
    qtbot.addWidget(export)
    assert export.filter == flt and export.current_format() is ExportFormat.CSV
    feedback = menu.make_feedback_export()
    qtbot.addWidget(feedback)
    assert feedback.agent_period is not None
    importer = menu.make_import(data_menu.ImportKind.SURVEYS)
    qtbot.addWidget(importer)
    importer.imported.emit(NO_CHANGES)
    assert changes == [NO_CHANGES]


# -- which evaluations count -------------------------------------------------------------------
def _tick(qtbot, box) -> None:  # type: ignore[no-untyped-def]
    """Tick or untick ``box`` the way a user does: focus it and press Space."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)


def _add_kinds(services: Services, s: Seed) -> None:
    """One submitted calibration evaluation and one submitted self-review of Sara."""
    for n, kind in enumerate((EvaluationKind.CALIBRATION, EvaluationKind.SELF)):
        interaction = services.interactions.create_interaction(
            interaction_data(s.agent.id, external_id=f"call-{n + 20}")
        )
        ev = services.evaluations.start_evaluation(
            interaction.id, s.version.id, s.reviewer.id, kind
        )
        services.evaluations.save_draft(ev.id, passing_answers())
        assert services.evaluations.submit(ev.id, s.reviewer.id).ok


def test_drafts_calibration_and_self_reviews_only_when_ticked(
    qtbot, session: Session, seeded: Seed, tmp_path: Path
) -> None:
    _add_kinds(session.services, seeded)
    dialog = _dialog(qtbot, session)
    boxes = (dialog.counting.drafts, dialog.counting.calibration, dialog.counting.self_review)
    assert not any(box.isChecked() for box in boxes)  # the dashboard's rule by default
    assert dialog.count == 3
    assert "drafts are left out" in dialog.counting.summary.text()
    assert any("3 evaluations will be exported" in t for t in _texts(dialog))
    _tick(qtbot, dialog.counting.drafts)
    _tick(qtbot, dialog.counting.calibration)
    assert dialog.count == 5 and dialog.counting.drafts.isChecked()
    assert dialog.counting.summary.text() == (
        "Counted: evaluations of kind regular, calibration, drafts included."
    )
    _tick(qtbot, dialog.counting.self_review)
    assert dialog.count == 6
    assert any("6 evaluations will be exported" in t for t in _texts(dialog))
    target = tmp_path / "everything.xlsx"
    dialog.path_edit.setText(str(target))
    _run(qtbot, dialog)
    assert "Exported 6 evaluation" in dialog.status.text()
    book = openpyxl.load_workbook(target, read_only=True)
    note, header, *rows = list(book["Evaluations"].iter_rows(values_only=True))
    book.close()
    assert "drafts are included" in note[0]
    kinds = sorted((r[header.index("Kind")], r[header.index("Status")]) for r in rows)
    assert kinds == sorted(
        [("Regular", "Submitted")] * 3
        + [("Regular", "Draft"), ("Calibration", "Submitted"), ("Self-review", "Submitted")]
    )


def test_a_screen_filter_on_drafts_starts_with_drafts_ticked(
    qtbot, session: Session, seeded: Seed
) -> None:
    drafts = EvaluationFilter(statuses=(EvaluationStatus.DRAFT,))
    dialog = _dialog(qtbot, session, drafts)
    assert dialog.counting.drafts.isChecked() and dialog.count == 1
    _tick(qtbot, dialog.counting.drafts)  # nothing the filter asks for is counted now
    assert dialog.count == 0 and not dialog.export_button.isEnabled()
    assert any("No evaluations match" in t for t in _texts(dialog))


def test_coaching_workbook_can_count_self_reviews(
    qtbot, session: Session, seeded: Seed, tmp_path: Path
) -> None:
    _add_kinds(session.services, seeded)
    flt = EvaluationFilter(agent_ids=(seeded.agent.id,))
    dialog = _dialog(qtbot, session, flt, mode=ExportMode.AGENT_FEEDBACK)
    period = dialog.agent_period
    assert period is not None
    period.set_period(date(2026, 1, 1), date(2026, 3, 20))
    assert period.count() == 3
    _tick(qtbot, dialog.counting.self_review)
    assert period.count() == dialog.count == 4
    target = tmp_path / "sara.xlsx"
    dialog.path_edit.setText(str(target))
    _run(qtbot, dialog)
    book = openpyxl.load_workbook(target, read_only=True)
    overview = [r[0] for r in book["Overview"].iter_rows(values_only=True) if r and r[0]]
    rows = list(book["Evaluations"].iter_rows(values_only=True))
    book.close()
    assert "Counts evaluations of kind regular, self-review" in " ".join(map(str, overview))
    assert len(rows) == 2 + 4


def _lines_of(label: QLabel) -> list[str]:
    """The lines ``label`` shows its plain text in, wrapped as a word-wrapped label
    wraps it at its width."""
    document = QTextDocument()
    document.setDefaultFont(label.font())
    document.setDocumentMargin(0)
    option = document.defaultTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    document.setDefaultTextOption(option)
    document.setPlainText(label.text())
    document.setTextWidth(label.contentsRect().width())
    document.documentLayout().documentSize()  # lays the text out
    lines = []
    block = document.begin()
    while block.isValid():
        layout = block.layout()
        for n in range(layout.lineCount()):
            line = layout.lineAt(n)
            lines.append(block.text()[line.textStart() : line.textStart() + line.textLength()])
        block = block.next()
    return lines


def _shown_whole(qtbot, label: QLabel) -> None:
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))


@pytest.mark.parametrize(
    "direction", [Qt.LayoutDirection.LeftToRight, Qt.LayoutDirection.RightToLeft]
)
def test_totals_and_status_lines_are_never_clipped_or_broken_mid_name(
    qtbot, qapp, session: Session, tmp_path: Path, direction
) -> None:
    """Issue 17, item 14: the total said as a three-line sentence kept the height of one
    line (its end clipped), and a finished export's file name broke at its hyphens."""
    qapp.setLayoutDirection(direction)
    try:
        nothing = _dialog(qtbot, session, EvaluationFilter(search="nobody-has-this-text"))
        assert nothing.summary is not None
        total = nothing.summary.count_label
        assert total.text().startswith("No evaluations match")
        qtbot.waitExposed(nothing)
        qtbot.wait(50)
        assert total.height() >= total.heightForWidth(total.width()), "the total is clipped"
        dialog = _dialog(qtbot, session)
        name = "qa-evaluations-2026-03-20-billing-team-north-and-south.xlsx"
        dialog.path_edit.setText(str(tmp_path / name))
        _run(qtbot, dialog)
        status = dialog.status
        assert status.text().startswith("Exported 3 evaluations to")
        _shown_whole(qtbot, status)
        lines = [line.replace("\u2011", "-") for line in _lines_of(status)]
        assert any(name in line for line in lines), f"the file name is broken: {lines}"
        assert status.toolTip() == str(tmp_path / name)
        for label in (total, status, dialog.counting.summary):
            assert label.height() >= label.heightForWidth(label.width())
    finally:
        qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
