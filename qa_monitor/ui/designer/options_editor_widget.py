"""A question's answer options: label, id and (when scored) the fraction of the points each earns.

Editing the label of an option added here also renames its id while the id still reads as
the label (so a new option gets a sensible id without typing one). Existing ids never move:
reports and outcome fields rely on them.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QLocale, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.form_edit import follows_title, id_from_title, starter_options
from qa_monitor.core.forms import (
    FormSettings,
    Option,
    Question,
    QuestionType,
    default_options,
    option_fails,
)
from qa_monitor.ui.designer import designer_labels as labels
from qa_monitor.ui.designer.designer_labels import tr

LABEL, ID, FRACTION, FAILS = range(4)
_Index = QModelIndex | QPersistentModelIndex


class FractionDelegate(QStyledItemDelegate):
    """Fractions are edited in a 0–1 spin box and shown without trailing zeros."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        spin = QDoubleSpinBox(parent)
        spin.setRange(0.0, 1.0)
        spin.setDecimals(3)
        spin.setSingleStep(0.05)
        return spin

    def displayText(self, value: object, locale: QLocale) -> str:
        if isinstance(value, float):
            return f"{value:.3g}"
        return super().displayText(value, locale)


class OptionsEditorWidget(QWidget):
    optionsEdited = Signal(object)  # tuple[Option, ...]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._options: tuple[Option, ...] = ()
        self._qtype = QuestionType.YES_NO
        # The form's settings decide whether a Partial answer fails by default.
        self._settings = FormSettings()
        self._loading = False
        self._fresh: set[str] = set()  # ids of options added here, which follow their label
        self.model = QStandardItemModel(0, 4, self)
        self.model.setHorizontalHeaderLabels(
            [tr("Answer"), tr("Id"), tr("Share of points"), tr("Fails")]
        )
        for column, tip in (
            (FRACTION, tr("1 = full points, 0.5 = half, 0 = none")),
            (FAILS, tr("Choosing it triggers the question's critical rule (default: worth 0)")),
        ):
            header = self.model.horizontalHeaderItem(column)
            assert header is not None
            header.setToolTip(tip)
        self.model.itemChanged.connect(self._item_changed)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr("Answer options"))
        self.table.setItemDelegateForColumn(FRACTION, FractionDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)
        for column in (ID, FRACTION, FAILS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        color = self.palette().color(QPalette.ColorRole.ButtonText)
        self.add_button = self._button(buttons, "mdi6.plus", tr("Add option"), color, self.add)
        self.remove_button = self._button(
            buttons, "mdi6.minus", tr("Remove option"), color, self.remove_current
        )
        self.up_button = self._button(
            buttons, "mdi6.arrow-up", tr("Move option up"), color, lambda: self._move(-1)
        )
        self.down_button = self._button(
            buttons, "mdi6.arrow-down", tr("Move option down"), color, lambda: self._move(1)
        )
        buttons.addStretch(1)
        self.reset_button = self._button(
            buttons, "mdi6.restore", tr("Standard options"), color, self.reset
        )
        self.reset_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        layout.addLayout(buttons)

    def _button(self, row: QHBoxLayout, icon: str, text: str, color, slot) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(labels.icon(icon, color))
        button.setText(text)
        button.setToolTip(text)
        button.setAccessibleName(text)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    # ------------------------------------------------------------------ showing
    def set_options(
        self,
        options: tuple[Option, ...],
        qtype: QuestionType,
        settings: FormSettings | None = None,
    ) -> None:
        """Show ``options`` of a ``qtype`` question (kept as is while they are unchanged);
        ``settings`` are the form's, which decide whether a Partial answer fails."""
        settings = self._settings if settings is None else settings
        scored = qtype.scored
        self.table.setColumnHidden(FRACTION, not scored)
        self.table.setColumnHidden(FAILS, not scored)
        standard = default_options(qtype)
        self.reset_button.setVisible(bool(standard))
        self.reset_button.setEnabled(options != standard)
        if options == self._options and qtype is self._qtype and settings == self._settings:
            return
        self._options, self._qtype, self._settings = options, qtype, settings
        row = self.table.currentIndex().row()
        self._loading = True
        # Same number of options: update the cells in place, so an open cell editor and the
        # current row survive (this runs inside the model's own change signal).
        if self.model.rowCount() != len(options):
            self.model.setRowCount(0)
            for option in options:
                self.model.appendRow(self._row(option))
        else:
            for index, option in enumerate(options):
                self._update_row(index, option)
        self._loading = False
        if 0 <= row < len(options) and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(row, LABEL))
        self._fit_height()
        self._update_buttons()

    def _fit_height(self) -> None:
        """As tall as the options (two rows at least), scrolling beyond about six."""
        rows = min(max(self.model.rowCount(), 2), 6)
        row_height = self.table.verticalHeader().defaultSectionSize()
        header = self.table.horizontalHeader().sizeHint().height()
        frame = self.table.frameWidth() * 2
        self.table.setFixedHeight(header + rows * row_height + frame)

    def _update_row(self, row: int, option: Option) -> None:
        fresh = self._row(option)
        for column, new in enumerate(fresh):
            item = self.model.item(row, column)
            assert item is not None
            for role in (Qt.ItemDataRole.EditRole, Qt.ItemDataRole.CheckStateRole):
                if item.data(role) != new.data(role):
                    item.setData(new.data(role), role)

    def _row(self, option: Option) -> list[QStandardItem]:
        label, oid = QStandardItem(option.label), QStandardItem(option.id)
        fraction = QStandardItem()
        fraction.setData(option.fraction, Qt.ItemDataRole.EditRole)
        fraction.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        fails = QStandardItem()
        fails.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )
        failing = self._failing(option)
        fails.setCheckState(Qt.CheckState.Checked if failing else Qt.CheckState.Unchecked)
        fails.setData(tr("Fails"), Qt.ItemDataRole.AccessibleTextRole)
        return [label, oid, fraction, fails]

    def _failing(self, option: Option) -> bool:
        """Whether the option fails as the question stands (its own ``fails``, else the
        form's rule for Partial answers, else worth 0)."""
        question = Question("", "", self._qtype, 1.0, (option,))
        return option_fails(question, option, self._settings)

    def options(self) -> tuple[Option, ...]:
        return self._options

    # ------------------------------------------------------------------ editing
    def _item_changed(self, item: QStandardItem) -> None:
        if self._loading:
            return
        row, column = item.row(), item.column()
        if not 0 <= row < len(self._options):
            return
        old = self._options[row]
        if column == LABEL:
            label = item.text()
            option = replace(old, label=label)
            if old.id in self._fresh and follows_title(old.id, old.label, "option"):
                others = {o.id for i, o in enumerate(self._options) if i != row}
                option = replace(option, id=id_from_title(label, others, "option"))
                self._fresh.add(option.id)
        elif column == ID:
            option = replace(old, id=item.text().strip())
        elif column == FRACTION:
            value = item.data(Qt.ItemDataRole.EditRole)
            option = replace(old, fraction=None if value is None else float(value))
        else:
            checked = item.checkState() == Qt.CheckState.Checked
            default = self._failing(replace(old, fails=None))
            option = replace(old, fails=None if checked == default else checked)
        self._commit((*self._options[:row], option, *self._options[row + 1 :]), row)

    def _commit(self, options: tuple[Option, ...], row: int) -> None:
        if options == self._options:
            return
        self.set_options(options, self._qtype)
        if 0 <= row < len(options):
            self.table.setCurrentIndex(self.model.index(row, LABEL))
        self.optionsEdited.emit(options)

    def add(self) -> None:
        """A new option at the end (worth nothing when scored), its label ready to type."""
        number = len(self._options) + 1
        label = tr("Option %1").replace("%1", str(number))
        oid = id_from_title(f"option {number}", {o.id for o in self._options}, "option")
        option = Option(oid, label, 0.0 if self._qtype.scored else None)
        self._fresh.add(oid)
        self._commit((*self._options, option), len(self._options))
        self.table.edit(self.model.index(len(self._options) - 1, LABEL))

    def remove_current(self) -> None:
        row = self.table.currentIndex().row()
        if 0 <= row < len(self._options):
            options = self._options[:row] + self._options[row + 1 :]
            self._commit(options, min(row, len(options) - 1))

    def reset(self) -> None:
        self._commit(default_options(self._qtype) or starter_options(self._qtype), 0)

    def _move(self, step: int) -> None:
        row = self.table.currentIndex().row()
        target = row + step
        if 0 <= row < len(self._options) and 0 <= target < len(self._options):
            options = list(self._options)
            options[row], options[target] = options[target], options[row]
            self._commit(tuple(options), target)

    def _update_buttons(self) -> None:
        row = self.table.currentIndex().row()
        count = len(self._options)
        self.remove_button.setEnabled(0 <= row < count)
        self.up_button.setEnabled(0 < row < count)
        self.down_button.setEnabled(0 <= row < count - 1)
