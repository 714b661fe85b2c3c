"""A date that can be typed or picked: a text field in the shown date format and a
calendar button.

Rules:
- Typing takes the format every list shows ("14/11/2026"; ``date_texts.parse_date``
  also reads ISO 8601 and Western digits); a whole, real date counts as soon as it is
  typed (``dateChanged``), half-typed text waits and is marked until it is whole or
  the field is left (then the last date comes back, or, in an optional field, empty
  text means no date).
- The calendar (the button, Alt+Down or F4) opens on the chosen date, or on the
  centre's current month when there is none; its week starts on the configured day;
  a click or Enter picks the day, Esc closes it.
- ``dateChanged`` fires only on a change made by the user, never by ``set_date``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDateTimeEdit,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.date_format import format_date
from qa_monitor.ui import icons
from qa_monitor.ui.date_texts import CentreDay, date_pattern, date_style, parse_date

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class _CalendarPopup(QFrame):
    picked = Signal(object)  # date

    def __init__(self, owner: QWidget):
        super().__init__(owner, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.activated.connect(self._pick)
        self.calendar.clicked.connect(self._pick)
        layout.addWidget(self.calendar)

    def _pick(self, day: QDate) -> None:
        self.picked.emit(date(day.year(), day.month(), day.day()))
        self.close()


class DateField(QWidget):
    dateChanged = Signal(object)  # date | None

    def __init__(
        self,
        centre: Callable[[], CentreDay] | None = None,
        *,
        optional: bool = False,
        parent: QWidget | None = None,
    ):
        """``centre``: the centre's today and first weekday, asked when the calendar
        opens (today's date and Monday without it); ``optional``: empty means no date."""
        super().__init__(parent)
        self._centre = centre or (lambda: CentreDay(date.today()))
        self.optional = optional
        self._date: dt.date | None = None
        self._minimum, self._maximum = EARLIEST, LATEST
        self.popup: _CalendarPopup | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.edit = QLineEdit()
        self.edit.textEdited.connect(self._typed)
        self.edit.editingFinished.connect(self._finished)
        self.edit.installEventFilter(self)
        self.button = QToolButton()
        self.button.setIcon(icons.icon("mdi6.calendar-month-outline",
                                     color=self.palette().text().color()))  # fmt: skip
        self.button.setAccessibleName(self.tr("Open the calendar"))
        self.button.setToolTip(self.tr("Pick a day on the calendar (Alt+Down)"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_calendar)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self._show(None)

    # ------------------------------------------------------------------ value
    def date(self) -> dt.date | None:
        """The chosen date (None: none, in an optional field)."""
        return self._date

    def set_date(self, day: dt.date | None) -> None:
        """Show ``day`` (None: none), without ``dateChanged``."""
        if day is not None:
            day = min(max(day, self._minimum), self._maximum)
        self._date = day if day is not None or self.optional else self._date
        self._show(self._date)

    def set_range(self, minimum: dt.date, maximum: dt.date) -> None:
        self._minimum, self._maximum = minimum, maximum
        if self._date is not None and not minimum <= self._date <= maximum:
            self.set_date(self._date)

    def text(self) -> str:
        return self.edit.text()

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)

    def _example(self) -> str:
        return format_date(self._centre().today, date_style(self.locale()))

    def _show(self, day: dt.date | None) -> None:
        self.edit.setText("" if day is None else format_date(day, date_style(self.locale())))
        self._mark(valid=True)

    def _mark(self, *, valid: bool) -> None:
        example = self._example()
        if valid:
            tip = self.tr("Type a date such as {0}, or pick one on the calendar (Alt+Down).")
            if self.optional:
                tip += " " + self.tr("Leave it empty for any date.")
        else:
            tip = self.tr("This is not a whole date yet: type it as {0}.")
        self.edit.setToolTip(tip.format(example))
        self.edit.setProperty("invalid", not valid)
        if self.optional:
            self.edit.setPlaceholderText(self.tr("Any date"))
        else:
            self.edit.setPlaceholderText(example)
        palette = self.edit.palette()
        role = self.edit.foregroundRole()
        palette.setColor(role, self.palette().color(role) if valid else Qt.GlobalColor.red)
        self.edit.setPalette(palette)

    def _typed(self, text: str) -> None:
        if not text.strip() and self.optional:
            self._mark(valid=True)
            self._change(None)
            return
        day = parse_date(text, self.locale())
        valid = day is not None and self._minimum <= day <= self._maximum
        self._mark(valid=valid)
        if valid:
            self._change(day)

    def _finished(self) -> None:
        self._show(self._date)  # the date in the shown format, or the last whole one

    def _change(self, day: dt.date | None) -> None:
        if day != self._date:
            self._date = day
            self.dateChanged.emit(day)

    # ------------------------------------------------------------------ calendar
    def open_calendar(self) -> None:
        """Open the calendar on the chosen date, or the centre's current month."""
        centre = self._centre()
        if self.popup is None:
            self.popup = _CalendarPopup(self)
            self.popup.picked.connect(self._picked)
        calendar = self.popup.calendar
        calendar.setLocale(self.locale())
        calendar.setFirstDayOfWeek(Qt.DayOfWeek(centre.week_start % 7 + 1))
        calendar.setDateRange(_qdate(self._minimum), _qdate(self._maximum))
        shown = self._date or min(max(centre.today, self._minimum), self._maximum)
        calendar.setSelectedDate(_qdate(shown))
        calendar.setCurrentPage(shown.year, shown.month)
        self.popup.adjustSize()
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        corner = self.rect().bottomRight() if rtl else self.rect().bottomLeft()
        at = self.mapToGlobal(corner)
        if rtl:
            at -= QPoint(self.popup.width(), 0)
        self.popup.move(at)
        self.popup.show()
        calendar.setFocus()

    def _picked(self, day: dt.date) -> None:
        self._change(day)
        self._show(day)
        self.edit.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            key = event
            assert isinstance(key, QKeyEvent)
            down = key.key() == Qt.Key.Key_Down
            alt = key.modifiers() & Qt.KeyboardModifier.AltModifier
            if key.key() == Qt.Key.Key_F4 or (down and alt):
                self.open_calendar()
                return True
        return super().eventFilter(watched, event)


def set_up_date_edit(edit: QDateTimeEdit, centre: CentreDay | None = None) -> None:
    """A ``QDateEdit`` that always holds a date (a deadline, a period's end) shown as
    every list shows dates, with the calendar's week starting on the centre's day."""
    # Left to right first, then the format: Qt reverses a format set right to left.
    edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    edit.setDisplayFormat(date_pattern(edit.locale()))
    edit.setCalendarPopup(True)
    if centre is not None:
        edit.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek(centre.week_start % 7 + 1))
