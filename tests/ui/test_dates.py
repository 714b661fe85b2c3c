"""Dates on screen (issue 17, item 8): one format everywhere, from the locale and the
centre's time zone; date fields that can be typed, open on the current month and start
the week on the configured day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt

from qa_monitor.services import Services
from qa_monitor.services.evaluation_list_service import EvaluationListService
from qa_monitor.ui.date_texts import CentreDay, centre_day, date_text, moment_text, parse_date
from qa_monitor.ui.models.evaluation_pages import PageLoader
from qa_monitor.ui.models.evaluation_table_model import EvaluationTableModel
from qa_monitor.ui.models.forms_tree_model import FormsTreeModel
from qa_monitor.ui.widgets.date_field_widget import DateField
from tests.factories import FakeClock, seed

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

LATE_EVENING_UTC = datetime(2026, 11, 13, 21, 0, tzinfo=UTC)  # 00:30 on the 14th in Tehran
SATURDAY = 5


def plain(text: str) -> str:
    """``text`` without the marks that keep it left-to-right."""
    return "".join(c for c in text if c not in "\u2066\u2067\u2068\u2069\u200e\u200f")


@pytest.fixture
def british() -> Iterator[QLocale]:
    before = QLocale()
    QLocale.setDefault(QLocale("en_GB"))
    yield QLocale()
    QLocale.setDefault(before)


def test_no_locale_shows_iso_dates_not_day_month_year_with_spaces(qapp) -> None:
    """The C locale (a machine with no language set) wrote "14 11 2026" in lists."""
    assert plain(date_text(date(2026, 11, 14), QLocale.c())) == "2026-11-14"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("en_GB", "14/11/2026"), ("en_US", "11/14/2026"), ("de_DE", "14.11.2026"),
     ("fa_IR", "۲۰۲۶/۱۱/۱۴")],
)  # fmt: skip
def test_a_date_follows_the_locale_with_the_year_in_full(qapp, name, expected) -> None:
    text = date_text(date(2026, 11, 14), QLocale(name))
    assert plain(text) == expected
    assert text.startswith("\u2066")  # left-to-right inside right-to-left text
    assert parse_date(plain(text), QLocale(name)) == date(2026, 11, 14)


def test_moments_are_shown_in_the_centres_zone(qapp) -> None:
    locale = QLocale("en_GB")
    assert plain(moment_text(LATE_EVENING_UTC, "Asia/Tehran", locale)) == "14/11/2026 00:30"
    assert plain(moment_text(LATE_EVENING_UTC, "UTC", locale)) == "13/11/2026 21:00"


def test_the_evaluations_list_and_the_forms_screen_say_dates_the_same_way(
    qtbot, british, tmp_path: Path
) -> None:
    """A list's date and the Forms screen's publication time: the same short format;
    the Forms screen's time in the centre's zone (it showed the machine's, UTC here)."""
    path = tmp_path / "d.db"
    with Services.open(path, clock=FakeClock(LATE_EVENING_UTC)) as services:
        seeded = seed(services, zone="Asia/Tehran")  # the form is published at 21:00 UTC
        services.evaluations.start_evaluation(
            seeded.interaction.id, seeded.version.id, seeded.reviewer.id
        )
        forms = services.forms.list_forms()
    model = FormsTreeModel(None, lambda: "Asia/Tehran")
    model.set_forms(forms, {})
    shown = [plain(str(model.data(model.index(0, c)))) for c in range(model.columnCount())]
    assert "14/11/2026 00:30" in shown

    table = EvaluationTableModel(PageLoader(EvaluationListService(path)))
    with qtbot.waitSignal(table.loaded, timeout=10_000):
        table.reload()
    interaction_day = table.row_at(0).interaction_date
    assert plain(table.data(table.index(0, 0))) == interaction_day.strftime("%d/%m/%Y")
    table.loader.wait()


# ---------------------------------------------------------------------- date fields
@pytest.fixture
def field(qtbot, british) -> DateField:
    widget = DateField(lambda: CentreDay(date(2026, 11, 16), SATURDAY), optional=True)
    widget.setAccessibleName("From")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_a_date_field_takes_a_typed_date(qtbot, field: DateField) -> None:
    field.edit.setFocus()
    with qtbot.waitSignal(field.dateChanged) as changed:
        qtbot.keyClicks(field.edit, "14/11/2026")
    assert changed.args == [date(2026, 11, 14)] and field.date() == date(2026, 11, 14)
    field.edit.clear()
    with qtbot.waitSignal(field.dateChanged) as changed:
        qtbot.keyClicks(field.edit, "2026-11-03")  # ISO is read too
    assert field.date() == date(2026, 11, 3)
    field.edit.editingFinished.emit()
    assert field.text() == "03/11/2026"  # rewritten as every list shows it


def test_half_a_date_waits_and_an_empty_optional_field_means_any(qtbot, field) -> None:
    field.set_date(date(2026, 11, 14))
    field.edit.selectAll()
    with qtbot.assertNotEmitted(field.dateChanged):
        qtbot.keyClicks(field.edit, "31/02/20")
    assert field.date() == date(2026, 11, 14)
    assert field.edit.property("invalid") is True
    field.edit.editingFinished.emit()
    assert field.text() == "14/11/2026"  # the last whole date comes back
    field.edit.selectAll()
    with qtbot.waitSignal(field.dateChanged) as changed:
        qtbot.keyClick(field.edit, Qt.Key.Key_Delete)
    assert changed.args == [None] and field.date() is None


def test_the_calendar_opens_on_the_current_month_and_the_configured_week(qtbot, field) -> None:
    qtbot.keyClick(field.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = field.popup.calendar
    assert field.popup.isVisible()
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 11)  # not January 2000
    assert calendar.firstDayOfWeek() == Qt.DayOfWeek.Saturday
    with qtbot.waitSignal(field.dateChanged) as changed:
        calendar.clicked.emit(calendar.selectedDate().addDays(2))
    assert changed.args == [date(2026, 11, 18)] and not field.popup.isVisible()
    field.set_date(date(2025, 3, 9))
    field.open_calendar()
    assert (calendar.yearShown(), calendar.monthShown()) == (2025, 3)  # the chosen date's


def test_the_centres_day_and_week_come_from_the_settings(qapp, tmp_path: Path) -> None:
    with Services.open(tmp_path / "c.db", clock=FakeClock(LATE_EVENING_UTC)) as services:
        services.settings.set_timezone("Asia/Tehran")
        services.settings.set_week_start(SATURDAY)
        assert centre_day(services) == CentreDay(date(2026, 11, 14), SATURDAY)
