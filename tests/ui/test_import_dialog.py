"""The import dialog on a real database: remapping a column, every refused row shown,
partial import, the mapping remembered, cancel writing nothing, unreadable files."""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from qa_monitor.services import Changes, Services
from qa_monitor.services.import_fields import ImportKind
from qa_monitor.services.import_service import ImportService
from qa_monitor.ui.dialogs.import_dialog import ImportDialog
from qa_monitor.ui.models.import_preview_models import ImportSampleModel, RowProblemsModel
from qa_monitor.ui.session import Session
from tests.factories import Seed, seed

# "Staff code" is no header the importer knows: the user must map it to the agent id.
CALLS = [
    "Ticket,Start time,Staff code,Channel",
    "T-1,2026-03-01 10:00,ext-17,phone",
    "T-2,2026-03-01 10:30,ext-17,chat",
    "T-3,2026-03-01 11:00,nobody,phone",
]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "qa.db"


@pytest.fixture
def services(db_path: Path) -> Iterator[Services]:
    with Services.open(db_path) as opened:
        yield opened


@pytest.fixture
def seeded(services: Services) -> Seed:
    return seed(services)  # agent Sara Ahmadi, phone-system id ext-17


@pytest.fixture
def session(services: Services, seeded: Seed, db_path: Path) -> Session:
    return Session(services, db_path, seeded.reviewer.id)


@pytest.fixture
def calls(tmp_path: Path) -> Path:
    path = tmp_path / "calls.csv"
    path.write_text("\n".join(CALLS) + "\n", encoding="utf-8")
    return path


def _dialog(qtbot, session: Session, kind: ImportKind, path: Path | None = None) -> ImportDialog:
    dialog = ImportDialog(session, kind, path)
    qtbot.addWidget(dialog)
    dialog.resize(1200, 800)
    dialog.show()
    _settle(qtbot, dialog)
    return dialog


def _settle(qtbot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=10_000)


def _count(services: Services) -> int:
    return int(services.db.execute("SELECT count(*) FROM interactions").fetchone()[0])


def _remap(qtbot, dialog: ImportDialog) -> None:
    combo = dialog.mapping.combos["agent_external_id"]
    combo.setCurrentIndex(combo.findText("Staff code"))  # as the user picks it
    _settle(qtbot, dialog)


def test_remap_see_the_refused_row_import_the_rest_and_remember(
    qtbot, session: Session, services: Services, calls: Path, tmp_path: Path
) -> None:
    before = _count(services)
    dialog = _dialog(qtbot, session, ImportKind.INTERACTIONS, calls)
    assert (
        "Header on row" in dialog.file_info.text() and "comma-separated" in dialog.file_info.text()
    )
    assert dialog.mapping.combos["external_id"].currentText() == "Ticket"  # guessed
    assert "Agent id (phone system) or Agent name" in dialog.status.text()
    assert not dialog.import_button.isEnabled()

    _remap(qtbot, dialog)
    preview = dialog.preview
    assert preview is not None and preview.mapping.header_for("agent_external_id") == "Staff code"
    problems = dialog.panes.problem_model
    assert problems.rowCount() == 1
    assert problems.index(0, 0).data() == "4" and problems.index(0, 1).data() == "Staff code"
    assert "not in the roster" in problems.index(0, 2).data()
    assert dialog.panes.problem_box.title() == "Refused rows (1)"
    sample = dialog.panes.sample_model
    assert sample.rowCount() == 3
    assert [sample.index(r, 0).data() for r in range(3)] == ["OK", "OK", "Refused"]
    assert "1 of 3 rows are refused" in dialog.status.text()
    assert not dialog.import_button.isEnabled()  # until the user accepts a partial import

    report = tmp_path / "refused.csv"
    assert dialog.panes.save_report(report)
    with report.open(encoding="utf-8-sig", newline="") as f:
        saved = list(csv.reader(f))
    assert saved[0] == ["File", "Row", "Column", "Reason"] and saved[1][:3] == [
        "calls.csv",
        "4",
        "Staff code",
    ]

    dialog.partial.setChecked(True)
    assert dialog.partial.text() == "Import the other 2 rows and skip the 1 refused"
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert isinstance(imported.args[0], Changes) and imported.args[0].interactions
    _settle(qtbot, dialog)
    assert dialog.status.text() == "calls.csv: 2 added, 0 updated, 1 refused (of 3 rows)."
    assert not dialog.import_button.isEnabled()  # done; no second import by accident
    assert _count(services) == before + 2
    assert services.interactions.find_interaction("T-2") is not None
    assert services.interactions.find_interaction("T-3") is None
    dialog.close()

    again = _dialog(qtbot, session, ImportKind.INTERACTIONS, calls)
    assert again.mapping.combos["agent_external_id"].currentText() == "Staff code"
    assert again.preview is not None and not again.preview.missing


def test_cancel_writes_nothing(
    qtbot, session: Session, services: Services, calls: Path, monkeypatch
) -> None:
    """The import is held at its start until Cancel is pressed; the service then sees the
    cancel before its write transaction."""
    release = threading.Event()
    real = ImportService.run_import

    def held(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        assert release.wait(10)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ImportService, "run_import", held)
    before = _count(services)
    dialog = _dialog(qtbot, session, ImportKind.INTERACTIONS, calls)
    _remap(qtbot, dialog)
    dialog.partial.setChecked(True)
    assert dialog.start_import()
    assert dialog.close_button.text() == "Cancel"
    assert not dialog.mapping.isEnabled()  # nothing changes under a running import
    dialog.reject()  # Esc: cancel, and stay open to say what happened
    assert dialog.isVisible()
    release.set()
    _settle(qtbot, dialog)
    assert dialog.status.text() == "Import cancelled; nothing was written."
    assert _count(services) == before
    assert ImportService.from_services(services).saved_mapping(ImportKind.INTERACTIONS) is None
    assert dialog.import_button.isEnabled()  # the user may try again


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("broken.xlsx", b"this is not a workbook", "broken.xlsx"),
        ("notes.pdf", b"%PDF-1.4", "is not a .csv or .xlsx file"),
        ("empty.csv", b"", "is empty"),
    ],
)
def test_an_unreadable_file_says_what_is_wrong(
    qtbot, session: Session, tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    dialog = _dialog(qtbot, session, ImportKind.ROSTER, path)
    assert expected in dialog.status.text()
    assert "Traceback" not in dialog.status.text()
    assert dialog.preview is None and not dialog.import_button.isEnabled()
    assert dialog.panes.sample_model.rowCount() == 0


def test_a_clean_roster_imports_in_one_go(
    qtbot, session: Session, services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("Name;Agent ID;Team\nOlga Petrova;AG2;Retention\n", encoding="utf-8")
    dialog = _dialog(qtbot, session, ImportKind.ROSTER, path)
    assert "semicolon-separated" in dialog.file_info.text()
    assert dialog.status.text() == "All 1 rows can be imported. Press Import to add them."
    assert dialog.panes.problem_box.title() == "Refused rows: none"
    assert not dialog.partial.isVisible() and dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as imported:
        dialog.start_import()
    assert imported.args[0].people
    agent = services.people.find_agent("AG2")
    assert agent is not None and agent.name == "Olga Petrova"


def test_changing_the_kind_checks_the_file_again(qtbot, session: Session, calls: Path) -> None:
    dialog = _dialog(qtbot, session, ImportKind.INTERACTIONS, calls)
    dialog.kind.setCurrentIndex(dialog.kind.findData(ImportKind.SURVEYS))
    _settle(qtbot, dialog)
    assert dialog.windowTitle() == "Import: Survey results"
    assert dialog.preview is not None and dialog.preview.kind is ImportKind.SURVEYS
    assert set(dialog.mapping.combos) == {
        "external_id",
        "csat",
        "nps",
        "ces",
        "resolved",
        "survey_at",
    }


def test_preview_models_pass_modeltester(
    qtbot, qtmodeltester, session: Session, calls: Path
) -> None:
    dialog = _dialog(qtbot, session, ImportKind.INTERACTIONS, calls)
    _remap(qtbot, dialog)
    sample, problems = ImportSampleModel(), RowProblemsModel()
    sample.set_preview(dialog.preview)
    assert dialog.preview is not None
    problems.set_problems(dialog.preview.problems)
    qtmodeltester.check(sample)
    qtmodeltester.check(problems)


def test_the_encoding_is_shown_with_a_sample_and_can_be_chosen(
    qtbot, session: Session, services: Services, tmp_path: Path
) -> None:
    # charset-normalizer reads this short Cyrillic roster as Western European.
    path = tmp_path / "short.csv"
    path.write_bytes("Name;Team\nМария;Sales\n".encode("cp1251"))
    dialog = _dialog(qtbot, session, ImportKind.ROSTER, path)
    shown = dialog.encoding_sample.text()
    assert "Read as Western European (Windows-1252) (detected)" in shown
    assert "Ìàðèÿ;Sales" in shown
    assert dialog.encoding.currentText() == "Detect automatically"

    dialog.encoding.setFocus()
    while dialog.encoding.currentData() != "cp1251":  # down the list, as on the keyboard
        qtbot.keyClick(dialog.encoding, Qt.Key.Key_Down)
    _settle(qtbot, dialog)
    assert dialog.preview is not None and dialog.preview.encoding == "cp1251"
    shown = dialog.encoding_sample.text()
    assert "Read as Cyrillic (Windows-1251), the encoding you chose" in shown
    assert "Мария;Sales" in shown
    assert "Мария" in dialog.panes.sample_model.index(0, 1).data()

    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        dialog.start_import()
    assert "Мария" in {a.name for a in services.people.list_agents()}


def test_a_cp1252_file_shows_its_first_accented_line(
    qtbot, session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "western.csv"
    rows = "".join(f"A{i};Agent {i};Sales\n" for i in range(10))
    path.write_bytes(f"Agent ID;Name;Team\n{rows}ES1;José Núñez;Ventas\n".encode("cp1252"))
    dialog = _dialog(qtbot, session, ImportKind.ROSTER, path)
    lines = dialog.encoding_sample.text().splitlines()
    assert lines[0].startswith("Read as Western European (Windows-1252) (detected)")
    assert lines[1:] == [
        "Agent ID;Name;Team",
        "A0;Agent 0;Sales",
        "A1;Agent 1;Sales",
        "ES1;José Núñez;Ventas",
    ]
    workbook = tmp_path / "roster.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Name", "Team"])
    book.active.append(["Olga", "Sales"])
    book.save(workbook)
    dialog.set_file(workbook)
    _settle(qtbot, dialog)
    assert not dialog.encoding.isEnabled() and dialog.encoding_sample.text() == ""


def test_customer_counts_show_an_impossible_period_and_import_the_rest(
    qtbot, session: Session, services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "counts.csv"
    path.write_text(
        "Period start,Period end,Customers at start,Customers at end,New customers\n"
        "2026-01-01,2026-01-31,20,24,5\n2026-02-01,2026-02-28,24,40,3\n",
        encoding="utf-8",
    )
    dialog = _dialog(qtbot, session, ImportKind.CUSTOMER_COUNTS, path)
    assert dialog.kind.currentText() == "Customer counts per period"
    problems = dialog.panes.problem_model
    assert problems.rowCount() == 1
    assert problems.index(0, 0).data() == "3" and problems.index(0, 1).data() == "Customers at end"
    assert "E (40) is more than S (24) plus N (3)" in problems.index(0, 2).data()
    dialog.partial.setChecked(True)
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert imported.args[0].outcomes
    _settle(qtbot, dialog)
    assert services.db.execute("SELECT count(*) FROM customer_counts").fetchone()[0] == 1
