"""The Outcomes screen on a small, hand-checked database, driven with real keys: the
figures of the articles' examples with their intervals and formulas, a period without
counts that says why, the churn-reason Pareto's order and cumulative share, the
drivers tab with a planted effect flagged, the association note in sight and rows
below the minimum n greyed, and the drill-down from a period's row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from qa_monitor.core.answers import Answer
from qa_monitor.core.records import EvaluationFilter
from qa_monitor.services import Services
from qa_monitor.services.import_mapping import ImportKind
from qa_monitor.services.import_service import ImportService
from qa_monitor.ui.models.outcomes_models import DriversModel, PeriodsModel, ReasonsModel
from qa_monitor.ui.screens.outcomes_screen import OutcomesScreen
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.widget_style import muted_color
from tests.factories import (
    START,
    FakeClock,
    Seed,
    interaction_data,
    passing_answers,
    seed,
    store_ten_contacts,
)

TIMEOUT = 10_000
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
COUNT_HEADER = "Period start,Period end,Team,Customers at start,Customers at end,New customers"


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    # 1 March 2026: "This year" is January to March.
    with Services.open(tmp_path / "qa.db", clock=FakeClock()) as opened:
        yield opened


@pytest.fixture
def seeded(services: Services) -> Seed:
    return seed(services)


def _import(services: Services, path: Path, text: str, kind: ImportKind) -> None:
    path.write_text(text, "utf-8")
    report = ImportService.from_services(services).run_import(path, kind)
    assert report.committed, report.refused


def _counts(services: Services, tmp_path: Path) -> None:
    rows = [COUNT_HEADER, "2026-01-01,2026-01-31,,20,24,5", "2026-02-01,2026-02-28,,352,298,0"]
    _import(services, tmp_path / "counts.csv", "\n".join(rows) + "\n", ImportKind.CUSTOMER_COUNTS)


def _churn(services: Services, tmp_path: Path) -> None:
    customers = ["Customer,Customer since"] + [f"C{i},2025-01-01" for i in range(10)]
    _import(services, tmp_path / "c.csv", "\n".join(customers) + "\n", ImportKind.CUSTOMERS)
    rows = ["Customer,Churn date,Reason"]
    rows += [f"C{i},2026-01-05,Competitor" for i in range(5)]
    rows += [f"C{i},2026-01-06,ROI and value" for i in range(5, 8)]
    rows += ["C8,2026-01-07,Did not say", "C9,2026-01-07,Low usage"]
    _import(services, tmp_path / "ch.csv", "\n".join(rows) + "\n", ImportKind.CHURN_EVENTS)


def _greetings(services: Services, seeded: Seed) -> None:
    """80 scored calls in March: greeted ones have CSAT 4–5, the others 2–3."""
    for i in range(80):
        greet = "yes" if i < 40 else "no"
        csat = (5, 4)[i % 2] if greet == "yes" else (3, 2)[i % 2]
        when = datetime(2026, 3, 2, 9, tzinfo=UTC) + timedelta(minutes=37 * i)
        data = interaction_data(seeded.agent.id, external_id=f"G-{i}", started_at=when)
        interaction = services.interactions.create_interaction(data)
        services.interactions.link_survey(interaction.id, csat=csat)
        started = services.evaluations.start_evaluation(
            interaction.id, seeded.version.id, seeded.reviewer.id
        )
        answers = dict(passing_answers())
        answers["greet"] = Answer("greet", greet, comment="" if greet == "yes" else "no hello")
        services.evaluations.save_draft(started.id, answers)
        assert services.evaluations.submit(started.id).ok


def show(qtbot, services: Services) -> OutcomesScreen:  # type: ignore[no-untyped-def]
    screen = OutcomesScreen(Session(services, services.path, None))
    qtbot.addWidget(screen)
    screen.resize(1600, 1000)
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        screen.show()
    return screen


def cell(model, row: int, column: int, role=ACCESSIBLE) -> str:  # type: ignore[no-untyped-def]
    return str(model.index(row, column).data(role))


def column(key: str) -> int:
    return PeriodsModel.FIRST_FIGURE + PeriodsModel.KEYS.index(key)


def test_the_articles_examples_with_intervals_formulas_and_a_period_without_counts(
    qtbot, services: Services, seeded: Seed, tmp_path: Path
) -> None:
    _counts(services, tmp_path)
    screen = show(qtbot, services)
    model = screen.periods_model
    assert [cell(model, r, PeriodsModel.PERIOD) for r in range(3)] == [
        "Jan 2026",
        "Feb 2026",
        "Mar 2026",
    ]
    # January: S = 20, E = 24, N = 5 → CRR 95.0 %, Wilson 76.4–99.1 %.
    assert cell(model, 0, column("crr")) == "95.0 % (76.4–99.1 %)"
    tip = cell(model, 0, column("crr"), Qt.ItemDataRole.ToolTipRole)
    assert tip == (
        "CRR = ((E − N) / S) × 100 = ((24 − 5) / 20) × 100 = 95.0 %; "
        "95 % Wilson interval 76.4–99.1 %"
    )
    assert cell(model, 0, column("churn")).startswith("5.0 % (")
    assert cell(model, 0, PeriodsModel.CUSTOMERS) == "20 → 24 (5 new)"
    # New customers joined in January: no simple index, and the hover says why.
    assert cell(model, 0, column("simple_index")) == "—"
    assert "no customers joined" in cell(
        model, 0, column("simple_index"), Qt.ItemDataRole.ToolTipRole
    )
    # February: 352 → 298 with none new → 84.7 %, no interval.
    assert cell(model, 1, column("simple_index")) == "84.7 %"
    assert "298 / 352" in cell(model, 1, column("simple_index"), Qt.ItemDataRole.ToolTipRole)
    # March: nothing imported, and the row says so.
    assert cell(model, 2, column("crr")) == "—"
    assert "No customer counts were imported for this period" in cell(
        model, 2, column("crr"), Qt.ItemDataRole.ToolTipRole
    )
    assert (
        cell(model, 2, column("csat"), Qt.ItemDataRole.ToolTipRole) == "No answers in this period."
    )
    # The tiles show the latest period, which has no counts: they say why.
    assert screen.latest.text() == "Latest period: Mar 2026"
    assert screen.tiles["crr"].value() == "—"
    assert "No customer counts" in screen.tiles["crr"].detail()

    # Quarters with the keyboard: counts for January and February only do not stand for
    # the first quarter, and the quarter says so.
    screen.grain.setFocus()
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        qtbot.keyClick(screen.grain, Qt.Key.Key_Down)
    assert cell(model, 0, PeriodsModel.PERIOD) == "Q1 2026"
    assert cell(model, 0, column("crr")) == "—"
    assert "cover only part of this period" in cell(
        model, 0, column("crr"), Qt.ItemDataRole.ToolTipRole
    )


def test_fcr_from_repeat_contacts_beside_the_reported_one(
    qtbot, services: Services, seeded: Seed
) -> None:
    """February's ten contacts of four customers (tests/factories.py), judged at the
    session's clock, 1 March 09:00: 4 of 7 resolved, 3 still inside their 7 days. The
    seed's own call (1 March 09:00) is March's only contact, and still pending; January
    has one call without a customer reference."""
    store_ten_contacts(services, seeded.agent.id)
    january = interaction_data(
        seeded.agent.id, external_id="J-1", started_at=START.replace(month=1), customer_ref=None
    )
    services.interactions.create_interaction(january)
    screen = show(qtbot, services)
    model = screen.periods_model
    tip = Qt.ItemDataRole.ToolTipRole
    assert cell(model, 1, column("fcr_repeat")) == "57.1 % (25.0–84.2 %)"
    assert cell(model, 1, column("fcr_repeat"), tip) == (
        "FCR = contacts with no repeat within 7 days / judged contacts × 100 = 4 / 7 × 100 "
        "= 57.1 %; 95 % Wilson interval 25.0–84.2 %. Not judged yet: 3 contacts within 7 "
        "days of now or of the end of the call log."
    )
    # The reported FCR beside it: nobody answered or imported the flag.
    assert cell(model, 1, column("fcr")) == "—"
    assert cell(model, 1, column("fcr"), tip) == "No answers in this period."
    assert model.headerData(column("fcr_repeat"), Qt.Orientation.Horizontal) == (
        "FCR (repeat contacts)"
    )
    # January has no contact with a customer reference; the row says what to do.
    assert cell(model, 0, column("fcr_repeat")) == "—"
    assert "import the call log with its customer column" in cell(
        model, 0, column("fcr_repeat"), tip
    )
    # The tile shows the latest period, March: its one contact is not judged yet.
    tile = screen.tiles["fcr_repeat"]
    assert tile.value() == "—"
    assert tile.detail() == (
        "This period's 1 contact cannot be judged yet: within 7 days of now or of the end "
        "of the call log."
    )
    # The trend draws it (the reported FCR has no figure to draw).
    chart = screen.trend_chart.figure
    assert chart is not None
    assert [line.get_label() for line in chart.axes[0].lines] == ["FCR (repeat contacts)"]

    # Ten days later, with a call of 11 March imported: February is all judged, and
    # March's first call too, which is too few to show; the tile says so.
    services.clock.advance(days=10)  # type: ignore[attr-defined]
    later = interaction_data(
        seeded.agent.id, external_id="M-11", started_at=services.clock(), customer_ref="E"
    )
    services.interactions.create_interaction(later)
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        screen.refresh()
    assert cell(model, 1, column("fcr_repeat")) == "60.0 % (31.3–83.2 %)"
    assert "not judged yet" not in cell(model, 1, column("fcr_repeat"), tip)
    assert screen.tiles["fcr_repeat"].detail().startswith("Too few contacts judged (1)")


def test_a_periods_row_drills_into_its_evaluations(
    qtbot, services: Services, seeded: Seed, tmp_path: Path
) -> None:
    _counts(services, tmp_path)
    screen = show(qtbot, services)
    table = screen.periods_table
    table.setFocus()
    table.selectRow(1)
    table.setCurrentIndex(table.model().index(1, 0))
    with qtbot.waitSignal(screen.drillDown, timeout=TIMEOUT) as signal:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    flt: EvaluationFilter = signal.args[0]
    assert (flt.date_from.isoformat(), flt.date_to.isoformat()) == ("2026-02-01", "2026-02-28")


def test_churn_reasons_pareto_in_order_with_its_cumulative_share(
    qtbot, services: Services, seeded: Seed, tmp_path: Path
) -> None:
    _churn(services, tmp_path)
    screen = show(qtbot, services)
    qtbot.keyClick(screen.tabs, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert screen.tabs.currentIndex() == 1
    model = screen.churn.reasons_model
    rows = [
        (
            cell(model, r, ReasonsModel.REASON),
            cell(model, r, ReasonsModel.TEAM),
            cell(model, r, ReasonsModel.N),
            cell(model, r, ReasonsModel.CUMULATIVE),
        )
        for r in range(model.rowCount())
    ]
    assert rows == [
        ("Competitor or price", "Marketing and sales", "5", "50.0 %"),
        ("ROI and value", "Metrics, customer support and relationship management", "3", "80.0 %"),
        ("Low usage", "Customer support and onboarding", "1", "90.0 %"),
        ("Other", "No team named", "1", "100.0 %"),
    ]
    assert "Did not say (1)" in cell(model, 3, ReasonsModel.REASON, Qt.ItemDataRole.ToolTipRole)
    figure = screen.churn.chart.figure
    assert figure is not None
    bars, line = figure.axes
    assert [round(p.get_height()) for p in bars.patches] == [5, 3, 1, 1]
    assert list(line.lines[0].get_ydata()) == pytest.approx([50, 80, 90, 100])


def test_drivers_flag_the_planted_effect_and_say_it_is_association(
    qtbot, services: Services, seeded: Seed
) -> None:
    _greetings(services, seeded)
    screen = show(qtbot, services)
    with qtbot.waitSignal(screen.driversLoaded, timeout=TIMEOUT):
        screen.load_drivers()
    screen.tabs.setFocus()
    qtbot.keyClick(screen.tabs, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert screen.tabs.currentIndex() == 2
    view = screen.drivers
    assert view.note.isVisible()
    assert view.note.text().startswith(
        "These are associations, not proof that a behaviour causes the outcome"
    )
    model = view.model
    greet = [r for r in range(model.rowCount()) if model.rows[r][1].question_id == "greet"]
    first = model.rows[0][1]
    assert (first.question_id, first.outcome.value) == ("greet", "csat")  # CSAT, largest first
    assert cell(model, 0, DriversModel.SIGNIFICANT) == "Yes"
    assert cell(model, 0, DriversModel.DIFFERENCE).startswith("+2.00 (")
    assert cell(model, 0, DriversModel.N) == "40 / 40"
    assert greet
    # Questions everybody got full marks on cannot be compared: greyed, with their n.
    hidden = next(r for r in range(model.rowCount()) if not model.rows[r][1].shown)
    assert cell(model, hidden, DriversModel.DIFFERENCE) == "too few answers (0)"
    colour = model.index(hidden, 0).data(Qt.ItemDataRole.ForegroundRole)
    assert colour == muted_color(QGuiApplication.palette())
    # The scatter's correlation is said with its interval and n.
    assert view.correlation_text.startswith("r = ")
    assert view.correlation_text.endswith("n = 80")
    chart = view.chart.figure
    assert chart is not None
    assert chart.axes[0].patches[0].get_hatch() in (None, "")  # flagged: filled, no hatch


def test_churn_reason_editor_saves_and_validates_with_the_keyboard(
    qtbot, services: Services, seeded: Seed
) -> None:
    from qa_monitor.ui.screens.settings_churn_reasons import ChurnReasonsSettingsGroup

    group = ChurnReasonsSettingsGroup(Session(services, services.path, None))
    qtbot.addWidget(group)
    group.refresh()
    group.show()
    reasons = group.list
    assert reasons.count() == 8
    assert reasons.item(0).text() == "Incorrect use case — Marketing and sales"
    # An existing reason's code cannot change; its label and teams can.
    reasons.setFocus()
    qtbot.keyClick(reasons, Qt.Key.Key_Home)
    assert group.code.isReadOnly()
    group.teams.setFocus()
    group.teams.selectAll()
    qtbot.keyClicks(group.teams, "Product; Sales")
    # Insert adds a reason before "other", with the label selected for typing.
    reasons.setFocus()
    qtbot.keyClick(reasons, Qt.Key.Key_Insert)
    assert reasons.currentRow() == 7 and not group.code.isReadOnly()
    qtbot.keyClicks(group.label, "Moved abroad")
    with qtbot.waitSignal(group.changed, timeout=TIMEOUT):
        assert group.save()
    stored = services.settings.churn_reasons()
    assert stored.by_code("incorrect_use_case").teams == ("Product", "Sales")
    assert [r.label for r in stored.reasons][-2:] == ["Moved abroad", "Other"]
    # "other" cannot be removed (Delete does nothing on it).
    reasons.setFocus()
    qtbot.keyClick(reasons, Qt.Key.Key_End)
    qtbot.keyClick(reasons, Qt.Key.Key_Delete)
    assert reasons.count() == 9 and not group.remove_button.isEnabled()
    # A label left empty is refused with the core's sentence, and nothing is stored.
    qtbot.keyClick(reasons, Qt.Key.Key_Home)
    group.label.setFocus()
    group.label.selectAll()
    qtbot.keyClick(group.label, Qt.Key.Key_Backspace)
    assert not group.save()
    assert group.error.text.text() == (
        "Every churn reason needs a code and a label. Nothing was changed."
    )
    assert services.settings.churn_reasons().by_code("incorrect_use_case").label == (
        "Incorrect use case"
    )
    # Restore defaults puts the shipped list back in the fields.
    qtbot.mouseClick(group.defaults_button, Qt.MouseButton.LeftButton)
    assert reasons.count() == 8


def test_an_import_refreshes_the_screen_and_a_failure_is_a_sentence(
    qtbot, services: Services, seeded: Seed, tmp_path: Path, monkeypatch
) -> None:
    from qa_monitor.services import Changes
    from qa_monitor.ui.models import outcomes_loader

    screen = show(qtbot, services)
    assert cell(screen.periods_model, 0, column("crr")) == "—"
    _counts(services, tmp_path)
    screen.refresh(Changes(people=True))  # not what the screen shows: nothing read
    assert not screen._loading
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        screen.refresh(Changes(outcomes=True))
    assert cell(screen.periods_model, 0, column("crr")) == "95.0 % (76.4–99.1 %)"

    def broken(*_args: object) -> None:
        raise RuntimeError("the disk is unreadable")

    monkeypatch.setattr(outcomes_loader, "read_outcomes", broken)
    with qtbot.waitSignal(screen.loader.failed, timeout=TIMEOUT):
        screen.load()
    assert screen.status.text().startswith(
        "Customer outcomes could not be read: the disk is unreadable. The figures shown"
    )
    # The figures shown stay.
    assert cell(screen.periods_model, 0, column("crr")) == "95.0 % (76.4–99.1 %)"


def test_a_tiles_interval_never_wraps_before_its_per_cent_sign() -> None:
    """Seen on a real display with the window at its first size: the tile read
    "95 % interval 96.1–97.4" and then "%" alone on the next line."""
    from qa_monitor.core.outcome_figures import rate
    from qa_monitor.ui import outcome_texts

    figure = rate(2514, 2597)
    assert figure is not None
    text = outcome_texts.interval_text("crr", figure)
    assert "%" in text and " %" not in text and "\u00a0%" in text
