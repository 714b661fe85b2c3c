"""The controls a question card answers with: key-labelled option buttons and data editors."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QEvent,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPalette, QPen, QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QToolButton,
    QWidget,
)

from qa_monitor.ui.date_texts import date_pattern, date_style
from qa_monitor.ui.widgets.date_field_widget import set_up_date_edit
from qa_monitor.ui.widgets.widget_style import em, scaled_font

_ARROWS = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)


class OptionButton(QPushButton):
    """A large checkable answer button that shows its keyboard key in a badge.

    The badge sits at the leading edge (mirrored in right-to-left layouts); the chosen
    answer is filled with the palette's highlight and drawn bold, so it reads in any scheme.
    """

    def __init__(self, label: str, key: str, parent: QWidget | None = None) -> None:
        super().__init__(label, parent)
        self._key = key
        self._hint: QSize | None = None
        self.setCheckable(True)
        self.setAccessibleName(label)
        if key:
            hint = QCoreApplication.translate("OptionButton", "Key: %1")
            self.setAccessibleDescription(hint.replace("%1", key))

    @property
    def key(self) -> str:
        return self._key

    def _shows_badge(self) -> bool:
        return bool(self._key) and self._key != self.text()

    def sizeHint(self) -> QSize:
        # Cached: a big form asks thousands of times while laying out.
        if self._hint is None:
            fm = self.fontMetrics()
            unit = fm.height()
            width = fm.horizontalAdvance(self.text()) + unit * 1.6
            if self._shows_badge():
                width += unit * 1.4 + fm.horizontalAdvance(self._key)
            self._hint = QSize(max(round(width), round(unit * 2.6)), round(unit * 2.1))
        return self._hint

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._hint = None
        super().changeEvent(event)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _ARROWS:
            event.ignore()  # Left/Right: the card moves between options; Up/Down: the form
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        painter.drawControl(QStyle.ControlElement.CE_PushButtonBevel, option)
        palette = self.palette()
        checked = self.isChecked()
        enabled = self.isEnabled()
        group = QPalette.ColorGroup.Active if enabled or checked else QPalette.ColorGroup.Disabled
        text_color = palette.color(group, QPalette.ColorRole.ButtonText)
        inner = QRectF(self.rect()).adjusted(2.5, 2.5, -2.5, -2.5)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if checked:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(
                palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
            )
            painter.drawRoundedRect(inner, 4, 4)
            text_color = palette.color(
                QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText
            )
        if self.hasFocus():
            ring = text_color if checked else palette.color(QPalette.ColorRole.Highlight)
            painter.setPen(QPen(ring, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(inner.adjusted(2, 2, -2, -2) if checked else inner, 4, 4)
        fm = self.fontMetrics()
        pad = em(self, 0.6)
        content = self.rect().adjusted(pad, 0, -pad, 0)
        direction = self.layoutDirection()
        if self._shows_badge():
            side = fm.height() * 1.25
            badge_w = round(max(side, fm.horizontalAdvance(self._key) + fm.height() * 0.6))
            logical = QRect(content.x(), round((self.height() - side) / 2), badge_w, round(side))
            badge = QStyle.visualRect(direction, content, logical)
            faint = QColor(text_color)
            faint.setAlphaF(0.55)
            painter.setPen(QPen(faint, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(badge).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
            painter.setPen(text_color)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, self._key)
            content = QStyle.visualRect(
                direction, content, content.adjusted(badge_w + round(fm.height() * 0.5), 0, 0, 0)
            )
        painter.setPen(text_color)
        painter.setFont(scaled_font(self.font(), bold=checked))
        align = Qt.AlignmentFlag.AlignVCenter | (
            Qt.AlignmentFlag.AlignHCenter if not self._shows_badge() else Qt.AlignmentFlag.AlignLeft
        )
        text = painter.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, content.width()
        )
        painter.drawText(content, int(QStyle.visualAlignment(direction, align)), text)


class TagCheckBox(QCheckBox):
    """A checkbox for multi-choice tags; arrows belong to the card and the form."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _ARROWS:
            event.ignore()
            return
        super().keyPressEvent(event)


class _NumberSpin(QDoubleSpinBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel does not take focus

    def textFromValue(self, value: float) -> str:
        return self.locale().toString(value, "g", 12)

    def wheelEvent(self, event: QWheelEvent) -> None:
        # A wheel turned to read down the form must not change an answer on its way:
        # unless the reviewer is in this field, the page scrolls.
        if not self.hasFocus():
            event.ignore()
            return
        super().wheelEvent(event)


class _DateTimeEdit(QDateTimeEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not self.hasFocus():  # as _NumberSpin: the page scrolls instead
            event.ignore()
            return
        super().wheelEvent(event)


class NumberEditor(QWidget):
    """A number with a clear empty state: the lowest step below the range reads "Not set"."""

    edited = Signal()

    def __init__(self, minimum: float | None, maximum: float | None, parent=None) -> None:
        super().__init__(parent)
        low = -1e9 if minimum is None else minimum
        self._sentinel = low - 1
        self._syncing = False
        self.spin = _NumberSpin(self)
        self.spin.setDecimals(4)
        self.spin.setRange(self._sentinel, 1e9 if maximum is None else maximum)
        self.spin.setSpecialValueText(self.tr("Not set"))
        self.spin.setValue(self._sentinel)
        self.spin.setAccessibleName(self.tr("Number"))
        self.spin.setFixedWidth(em(self, 8))
        self.spin.valueChanged.connect(self._changed)
        self.clear_button = QToolButton(self)
        self.clear_button.setText("×")
        self.clear_button.setAccessibleName(self.tr("Clear the number"))
        self.clear_button.setToolTip(self.tr("Clear the number"))
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.clear_button.clicked.connect(lambda: self.spin.setValue(self._sentinel))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)
        self.setFocusProxy(self.spin)

    def value(self) -> float | int | None:
        raw = self.spin.value()
        if raw <= self._sentinel:
            return None
        return int(raw) if float(raw).is_integer() else raw

    def set_value(self, value: object) -> None:
        self._syncing = True
        try:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            self.spin.setValue(float(value) if ok else self._sentinel)
        finally:
            self._syncing = False

    def _changed(self) -> None:
        if not self._syncing:
            self.edited.emit()


class DateTimeEditor(QWidget):
    """A date and time with a "Not set" checkbox: unticking it starts from now."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._syncing = False
        self.not_set = QCheckBox(self.tr("Not set"), self)
        self.not_set.setAccessibleName(self.tr("Date and time not set"))
        self.not_set.setChecked(True)
        self.edit = _DateTimeEdit(self)
        set_up_date_edit(self.edit)
        self.edit.setDisplayFormat(f"{date_pattern()} {date_style().time_pattern}")
        self.edit.setAccessibleName(self.tr("Date and time"))
        self.edit.setEnabled(False)
        self.not_set.toggled.connect(self._not_set_toggled)
        self.edit.dateTimeChanged.connect(self._changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.not_set)
        layout.addStretch(1)
        self.setFocusProxy(self.not_set)

    def value(self) -> str | None:
        if self.not_set.isChecked():
            return None
        return self.edit.dateTime().toString("yyyy-MM-ddTHH:mm")

    def set_value(self, value: object) -> None:
        self._syncing = True
        try:
            when = _parse_datetime(value)
            self.not_set.setChecked(when is None)
            if when is not None:
                self.edit.setDateTime(when)
        finally:
            self._syncing = False

    def _not_set_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(not checked and self.not_set.isEnabled())
        if not checked and not self._syncing:
            now = QDateTime.currentDateTime()
            now.setTime(now.time().addSecs(-now.time().second()))
            self.edit.setDateTime(now)
        self._changed()

    def _changed(self) -> None:
        if not self._syncing:
            self.edited.emit()

    def set_editable(self, editable: bool) -> None:
        self.not_set.setEnabled(editable)
        self.edit.setEnabled(editable and not self.not_set.isChecked())


def _parse_datetime(value: object) -> QDateTime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return QDateTime(
        QDate(parsed.year, parsed.month, parsed.day),
        QTime(parsed.hour, parsed.minute, parsed.second),
    )


class AnswerTextEdit(QPlainTextEdit):
    """Free text: a few lines tall; Tab leaves the field instead of typing a tab."""

    def __init__(self, parent: QWidget | None = None, lines: float = 3.2) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFixedHeight(em(self, lines))
