"""Which column of the file feeds each field of an import: one row per field, a combo of
the file's columns, and the first value it would read.

Rules:
- Required fields are marked in words ("required") and, while unmapped, say so
  ("choose a column"); a group of which one is needed ("Agent id or Agent name") is
  explained under the list.
- Each file column feeds one field: choosing a column already used elsewhere takes it
  from the other field (which becomes "not imported"), as ``auto_mapping`` would.
- The widget starts from the mapping the service suggests (remembered or guessed) and
  emits ``mappingChanged(ColumnMapping)`` on every change the user makes; updates
  that come from a new preview of the same file never rebuild the combos.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QWidget

from qa_monitor.services.import_fields import FIELDS, NEEDS_ONE_OF, ImportField, ImportKind
from qa_monitor.services.import_mapping import ColumnMapping
from qa_monitor.ui.models.import_preview_models import cell_text

NOT_IMPORTED = None
_DATE_ORDERS = (None, True, False)


class ColumnMappingWidget(QWidget):
    mappingChanged = Signal(object)  # ColumnMapping

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind: ImportKind | None = None
        self.headers: tuple[str, ...] = ()
        self.combos: dict[str, QComboBox] = {}
        self._states: dict[str, QLabel] = {}
        self._examples: dict[str, QLabel] = {}
        self._first_row: tuple[object, ...] = ()
        self.grid = QGridLayout(self)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.date_order = QComboBox()
        self.date_order.setAccessibleName(self.tr("Date order"))
        self.date_order.addItem(self.tr("Detect from the file"), None)
        self.date_order.addItem(self.tr("Day first (31/12/2026)"), True)
        self.date_order.addItem(self.tr("Month first (12/31/2026)"), False)
        self.date_order.setToolTip(
            self.tr("How to read dates such as 03/04/2026 (ISO dates are never ambiguous)")
        )
        self.date_order.currentIndexChanged.connect(lambda _i: self._emit())
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setProperty("role", "muted")

    # ------------------------------------------------------------------ filling
    def set_columns(
        self,
        kind: ImportKind,
        headers: tuple[str, ...],
        mapping: ColumnMapping,
        first_row: tuple[object, ...] = (),
    ) -> None:
        """Show ``mapping`` for a file with ``headers``; rebuilds only for a new file/kind."""
        self._first_row = first_row
        if kind != self.kind or headers != self.headers:
            self._rebuild(kind, headers)
        for name, combo in self.combos.items():
            with QSignalBlocker(combo):
                combo.setCurrentIndex(max(0, combo.findData(mapping.header_for(name))))
        with QSignalBlocker(self.date_order):
            self.date_order.setCurrentIndex(_DATE_ORDERS.index(mapping.day_first))
        self._refresh_rows()

    def clear(self) -> None:
        self._rebuild(None, ())

    def _rebuild(self, kind: ImportKind | None, headers: tuple[str, ...]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget not in (self.date_order, self.note):
                widget.deleteLater()
        self.kind, self.headers = kind, headers
        self.combos.clear()
        self._states.clear()
        self._examples.clear()
        if kind is None:
            return
        for column, text in enumerate(
            (self.tr("Field"), self.tr("Column in the file"), "", self.tr("First value"))
        ):
            caption = QLabel(text)
            bold = QFont(caption.font())
            bold.setBold(True)
            caption.setFont(bold)
            self.grid.addWidget(caption, 0, column)
        for row, f in enumerate(FIELDS[kind], start=1):
            self._add_field(row, f, headers)
        last = len(FIELDS[kind]) + 1
        caption = QLabel(self.tr("Date order:"))
        caption.setBuddy(self.date_order)
        self.grid.addWidget(caption, last, 0)
        self.grid.addWidget(self.date_order, last, 1)
        self.grid.addWidget(self.note, last + 1, 0, 1, 4)
        self.grid.setRowStretch(last + 2, 1)
        labels = {f.name: f.label for f in FIELDS[kind]}
        group = NEEDS_ONE_OF[kind]
        self.note.setText(
            self.tr("Also needed: a column for {0}.").format(
                self.tr(" or ").join(labels[n] for n in group)
            )
            if group
            else ""
        )

    def _add_field(self, row: int, f: ImportField, headers: tuple[str, ...]) -> None:
        label = QLabel(f.label)
        combo = QComboBox()
        combo.setAccessibleName(f.label)
        combo.addItem(self.tr("— not imported —"), NOT_IMPORTED)
        for header in headers:
            if header.strip():
                combo.addItem(header, header)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(14)
        label.setBuddy(combo)
        state = QLabel()
        if f.required:
            bold = QFont(label.font())
            bold.setBold(True)
            label.setFont(bold)
            label.setToolTip(self.tr("Required: the import needs this column"))
        example = QLabel()
        example.setProperty("role", "muted")
        combo.currentIndexChanged.connect(lambda _i, name=f.name: self._picked(name))
        self.grid.addWidget(label, row, 0)
        self.grid.addWidget(combo, row, 1)
        self.grid.addWidget(state, row, 2)
        self.grid.addWidget(example, row, 3)
        self.combos[f.name] = combo
        self._states[f.name] = state
        self._examples[f.name] = example

    # ------------------------------------------------------------------ reading
    def mapping(self) -> ColumnMapping:
        if self.kind is None:
            raise ValueError("no file is shown")
        columns = {n: str(c.currentData()) for n, c in self.combos.items() if c.currentData()}
        return ColumnMapping(self.kind, columns, self.date_order.currentData())

    def choose(self, field_name: str, header: str | None) -> None:
        """Feed ``field_name`` from ``header`` (None: not imported), as a user would."""
        combo = self.combos[field_name]
        index = combo.findData(header)
        if index < 0:
            raise ValueError(f"the file has no column '{header}'")
        combo.setCurrentIndex(index)

    # ------------------------------------------------------------------ reacting
    def _picked(self, name: str) -> None:
        header = self.combos[name].currentData()
        if header:
            for other, combo in self.combos.items():
                if other != name and combo.currentData() == header:
                    with QSignalBlocker(combo):
                        combo.setCurrentIndex(0)
        self._refresh_rows()
        self._emit()

    def _emit(self) -> None:
        if self.kind is not None:
            self.mappingChanged.emit(self.mapping())

    def _refresh_rows(self) -> None:
        if self.kind is None:
            return
        position = {h: i for i, h in reversed(list(enumerate(self.headers)))}
        for f in FIELDS[self.kind]:
            header = self.combos[f.name].currentData()
            state = self._states[f.name]
            if header is None:
                state.setText(self.tr("⚠ choose a column") if f.required else "")
            else:
                state.setText(self.tr("required") if f.required else "")
            at = position.get(header, -1) if header else -1
            value = cell_text(self._first_row[at]) if 0 <= at < len(self._first_row) else ""
            self._examples[f.name].setText(value[:40] + ("…" if len(value) > 40 else ""))
            self._examples[f.name].setToolTip(value)
