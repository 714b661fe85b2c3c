"""What the form is worth: possible points and share of the score per section and category.

The numbers come from ``core.form_summary`` (the same rules as scoring); a share is drawn as
a light bar behind its percentage so the heavy sections stand out at a glance.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.form_summary import FormSummary, summarize_form
from qa_monitor.core.forms import CriticalLevel, Form, ScoringMode
from qa_monitor.ui.designer import designer_labels as labels
from qa_monitor.ui.designer.designer_labels import tr
from qa_monitor.ui.widgets.widget_style import em, format_score, ltr, mix, muted_label, scaled_font

SHARE_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class ShareDelegate(QStyledItemDelegate):
    """The share (0..1) as a bar filling the cell, under its percentage."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        share = index.data(SHARE_ROLE)
        if isinstance(share, float) and share > 0:
            palette = option.palette  # type: ignore[attr-defined]
            rect = option.rect.adjusted(2, 3, -2, -3)  # type: ignore[attr-defined]
            width = round(rect.width() * min(share, 1.0))
            if option.direction == Qt.LayoutDirection.RightToLeft:  # type: ignore[attr-defined]
                rect.setLeft(rect.right() - width)
            else:
                rect.setWidth(width)
            base = palette.color(QPalette.ColorRole.Base)
            painter.fillRect(rect, mix(base, palette.color(QPalette.ColorRole.Highlight), 0.3))
        super().paint(painter, option, index)


def _number(value: float) -> str:
    return ltr(f"{value:g}")


def _share(value: float) -> QStandardItem:
    item = QStandardItem(ltr(format_score(value * 100)))
    item.setData(value, SHARE_ROLE)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _cell(text: str, *, number: bool = False) -> QStandardItem:
    item = QStandardItem(text)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class FormSummaryWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary: FormSummary | None = None
        layout = QVBoxLayout(self)
        self.totals = QLabel(self)
        self.totals.setWordWrap(True)
        self.totals.setFont(scaled_font(self.font(), 1.05, bold=True))
        layout.addWidget(self.totals)
        self.critical = QLabel(self)
        self.critical.setWordWrap(True)
        layout.addWidget(self.critical)
        self.sections_model = QStandardItemModel(self)
        self.sections_view = self._table(tr("Sections"), self.sections_model, layout)
        self.categories_model = QStandardItemModel(self)
        self.categories_view = self._table(tr("Categories"), self.categories_model, layout)
        self.rule = muted_label("", self, 0.9)
        self.rule.setWordWrap(True)
        layout.addWidget(self.rule)
        layout.addStretch(1)

    def _table(self, title: str, model: QStandardItemModel, layout: QVBoxLayout) -> QTableView:
        heading = QLabel(title, self)
        heading.setFont(scaled_font(self.font(), bold=True))
        layout.addWidget(heading)
        view = QTableView(self)
        view.setModel(model)
        view.setAccessibleName(title)
        view.verticalHeader().hide()
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        view.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout.addWidget(view)
        return view

    def set_form(self, form: Form) -> None:
        summary = summarize_form(form)
        self.summary = summary
        self._show_totals(summary)
        headers = [
            tr("Section"), tr("Category"), tr("Questions"), tr("Scored"),
            tr("Points"), tr("Bonus"), tr("Share"),
        ]  # fmt: skip
        rows = []
        for number, s in enumerate(summary.sections, start=1):
            rows.append(
                [
                    _cell(f"{ltr(str(number))}. {s.title or tr('(no title)')}"),
                    _cell(labels.category_label(s.category)),
                    _cell(str(s.question_count), number=True),
                    _cell(str(s.scored_count), number=True),
                    _cell(_number(s.possible_points), number=True),
                    _cell(_number(s.bonus_points) if s.bonus_points else "—", number=True),
                    _share(s.effective_weight),
                ]
            )
        self._fill(self.sections_view, self.sections_model, headers, rows, 0)
        cat_rows = [
            [
                _cell(labels.category_label(c.category)),
                _cell(_number(c.possible_points), number=True),
                _share(c.effective_weight),
            ]
            for c in summary.categories
        ]
        self._fill(
            self.categories_view,
            self.categories_model,
            [tr("Category"), tr("Points"), tr("Share")],
            cat_rows,
            0,
        )

    def _fill(
        self, view: QTableView, model: QStandardItemModel, headers: list[str],
        rows: list[list[QStandardItem]], stretch: int,
    ) -> None:  # fmt: skip
        model.clear()
        model.setHorizontalHeaderLabels(headers)
        for row in rows:
            model.appendRow(row)
        share_column = len(headers) - 1
        view.setItemDelegateForColumn(share_column, ShareDelegate(view))
        header = view.horizontalHeader()
        mode = QHeaderView.ResizeMode
        for column in range(len(headers)):
            header.setSectionResizeMode(
                column, mode.Stretch if column == stretch else mode.ResizeToContents
            )
        # The share's bar needs room to be read as a length.
        header.setSectionResizeMode(share_column, mode.Fixed)
        header.resizeSection(share_column, em(self, 7))
        # As tall as the rows: the pane scrolls, not each table.
        count = max(model.rowCount(), 1)
        height = view.verticalHeader().defaultSectionSize()
        view.setFixedHeight(header.sizeHint().height() + count * height + 2 * view.frameWidth())

    def _show_totals(self, summary: FormSummary) -> None:
        text = tr("%1 possible points").replace("%1", _number(summary.total_possible))
        if summary.total_bonus:
            text += " · " + tr("%1 bonus points").replace("%1", _number(summary.total_bonus))
        text += " · " + tr("%1 of %2 questions scored").replace(
            "%1", str(summary.scored_count)
        ).replace("%2", str(summary.question_count))
        if summary.max_score is not None and summary.max_score > 100:
            text += " · " + tr("best score %1").replace("%1", ltr(format_score(summary.max_score)))
        self.totals.setText(text)
        form_level = summary.critical_count.get(CriticalLevel.FORM, 0)
        section_level = summary.critical_count.get(CriticalLevel.SECTION, 0)
        self.critical.setText(
            tr("Critical questions: %1 fail the whole evaluation, %2 zero their section")
            .replace("%1", str(form_level))
            .replace("%2", str(section_level))
        )
        if summary.scoring_mode is ScoringMode.POINTS:
            self.rule.setText(
                tr("Points mode: a section's share is its points over the form's points.")
            )
        else:
            self.rule.setText(
                tr(
                    "Weighted mode: a section's share is its weight over the weights of the "
                    "sections that have points."
                )
            )
