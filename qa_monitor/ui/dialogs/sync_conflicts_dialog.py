"""Sync conflicts: changes two people made offline at the same time, both versions side
by side. The later one is in use (docs/sync.md, merge rules); the other stays in the
record's history. Dismiss marks a conflict as seen; it changes no record.

The list is read on a worker (``TeamSyncService.conflict_details``); "Loading…" shows
only when that takes longer than 200 ms.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelectionModel,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.services.cancellation import CancelToken
from qa_monitor.services.sync_conflicts import ConflictDetail
from qa_monitor.ui.models.sync_conflicts_model import (
    SORT_ROLE,
    ConflictLinesModel,
    SyncConflictsModel,
)
from qa_monitor.ui.session import Session
from qa_monitor.ui.sync_texts import record_text
from qa_monitor.ui.widgets.widget_style import em, scaled_font
from qa_monitor.ui.workers import QueryJob, emit_safely

LOADING_AFTER_MS = 200
LOADING, EMPTY, LIST, FAILED = range(4)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(str)


class SyncConflictsDialog(QDialog):
    dismissed = Signal()  # a conflict was dismissed: the status bar's count moved
    openEvaluationRequested = Signal(int)  # local evaluation id

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Sync conflicts"))
        self.setAccessibleName(self.tr("Sync conflicts"))
        zone = session.services.settings.centre().timezone
        intro = QLabel(
            self.tr(
                "When two people change the same thing while offline, both versions are "
                "kept: the later one is in use and the other stays in the record's "
                "history. Look at both, change the record if it needs it, then dismiss "
                "the conflict."
            )
        )
        intro.setWordWrap(True)
        self.model = SyncConflictsModel(zone, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("conflictsTable")
        self.table.setAccessibleName(self.tr("Conflicts"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self._table_style(self.table)
        self.lines = ConflictLinesModel(zone, self)
        self.lines_table = QTableView()
        self.lines_table.setObjectName("conflictLines")
        self.lines_table.setAccessibleName(self.tr("Both versions side by side"))
        self.lines_table.setModel(self.lines)
        self._table_style(self.lines_table)
        self.lines_table.setWordWrap(True)
        lines_header = self.lines_table.horizontalHeader()
        lines_header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.detail_title = QLabel()
        self.detail_title.setFont(scaled_font(self.font(), 1.1, bold=True))
        self.detail_title.setWordWrap(True)
        self.detail_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.lines_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)

        self.pages = QStackedWidget()
        self.loading = QLabel(self.tr("Loading…"))
        self.empty = QLabel(
            self.tr(
                "No sync conflicts — edits made offline at the same time would appear here."
            )
        )
        self.failure = QLabel()
        for label in (self.loading, self.empty, self.failure):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
        self.loading.setText("")  # set after LOADING_AFTER_MS, so a quick load does not flash
        for page in (self.loading, self.empty, splitter, self.failure):
            self.pages.addWidget(page)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.dismiss_button = QPushButton(self.tr("&Dismiss"))
        self.dismiss_button.setToolTip(
            self.tr("Mark this conflict as seen; both versions stay in the history (Del)")
        )
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.open_button = QPushButton(self.tr("&Open evaluation"))
        self.open_button.setToolTip(self.tr("Look at the evaluation as it is now"))
        self.open_button.clicked.connect(self._open_selected)
        buttons.addButton(self.dismiss_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.activated.connect(self.dismiss_selected)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.pages, 1)
        layout.addWidget(buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_loaded)
        self._relay.failed.connect(self._on_failed)
        self._token = CancelToken()
        self._pool = QThreadPool(self)
        self._loading_timer = QTimer(self, singleShot=True, interval=LOADING_AFTER_MS)
        self._loading_timer.timeout.connect(lambda: self.loading.setText(self.tr("Loading…")))
        self.resize(em(self, 88), em(self, 46))
        self._show_selected()
        self.reload()

    def _table_style(self, table: QTableView) -> None:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)

    # ---------------------------------------------------------------- loading
    def reload(self) -> None:
        self._token.cancel()
        token = self._token = CancelToken()
        if self.model.rowCount() == 0:
            self.pages.setCurrentIndex(LOADING)
            self._loading_timer.start()
        relay, service = self._relay, self.session.services.team_sync
        self._pool.start(
            QueryJob(
                service.conflict_details,
                token,
                lambda rows: emit_safely(relay.done, rows),
                lambda error: emit_safely(relay.failed, error),
                what="Sync conflicts",
            )
        )

    def _on_loaded(self, rows: list[ConflictDetail]) -> None:
        self._loading_timer.stop()
        self.model.set_conflicts(rows)
        # Sized once per load from the worded texts: ResizeToContents (or Qt's own
        # measuring) asks the model for every role of every cell, which took tens of
        # milliseconds of the GUI thread for fifty conflicts.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        cell, head, pad = self.table.fontMetrics(), header.fontMetrics(), em(self, 1.5)
        for column in (1, 2, 3):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal, 0))
            widths = [head.horizontalAdvance(title) + pad] + [
                cell.horizontalAdvance(text) + pad for text in self.model.texts(column)
            ]
            self.table.setColumnWidth(column, max(widths))
        self.pages.setCurrentIndex(LIST if rows else EMPTY)
        if rows:
            self.select_row(0)
            self.table.setFocus()
        self._show_selected()

    def _on_failed(self, error: str) -> None:
        self._loading_timer.stop()
        self.failure.setText(
            self.tr("The conflicts could not be read: {0} Close this window and try again.")
            .format(error)
        )
        self.pages.setCurrentIndex(FAILED)

    # ---------------------------------------------------------------- selection
    def selected(self) -> ConflictDetail | None:
        index = self.table.currentIndex()
        if not index.isValid() or self.pages.currentIndex() != LIST:
            return None
        return self.model.conflict_at(self.proxy.mapToSource(index).row())

    def select_row(self, row: int) -> None:
        """Make ``row`` (of the sorted view) the current, selected one. (QTableView.selectRow
        selects nothing in a right-to-left layout before the view has been painted.)"""
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(self.proxy.index(row, 0), flags)

    def _show_selected(self) -> None:
        detail = self.selected()
        self.lines.set_detail(detail)
        self.lines_table.resizeRowsToContents()  # wrapped answers and comments, once
        self.detail_title.setText(record_text(detail.record) if detail else "")
        self.dismiss_button.setEnabled(detail is not None)
        self.open_button.setEnabled(detail is not None and detail.record.evaluation_id is not None)

    def dismiss_selected(self) -> None:
        detail = self.selected()
        if detail is None:
            return
        row = self.table.currentIndex().row()
        self.session.services.team_sync.dismiss_conflict(detail.row)
        self.model.set_conflicts([d for d in self.model.rows() if d.row != detail.row])
        self.dismissed.emit()
        if self.model.rowCount() == 0:
            self.pages.setCurrentIndex(EMPTY)
            self.close_button.setFocus()
        else:
            self.select_row(min(row, self.model.rowCount() - 1))
        self._show_selected()

    def _open_selected(self) -> None:
        detail = self.selected()
        if detail is not None and detail.record.evaluation_id is not None:
            self.openEvaluationRequested.emit(detail.record.evaluation_id)
            self.accept()

    def done(self, result: int) -> None:
        self._token.cancel()
        self._pool.waitForDone(2000)
        super().done(result)
