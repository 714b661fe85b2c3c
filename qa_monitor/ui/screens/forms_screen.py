"""The Forms screen: every form with its versions, and the form designer in the same place.

Page 0 lists forms → versions (status, when and by whom published, evaluations per
version) with the actions; page 1 edits one form's draft. What happens to the data
is in ``forms_actions`` (list actions) and ``forms_editing`` (the editing session);
this module builds the page, keeps the selection and says what happened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.records import FormInfo, FormStatus, FormVersionSummary
from qa_monitor.services import Changes
from qa_monitor.ui import icons
from qa_monitor.ui.models.forms_tree_model import (
    FORM_ID_ROLE,
    FormsFilterProxy,
    FormsTreeModel,
)
from qa_monitor.ui.screens.form_editing_page import FormEditingPage
from qa_monitor.ui.screens.form_version_panel import FormVersionPanel
from qa_monitor.ui.screens.forms_actions import FormsActions
from qa_monitor.ui.screens.forms_editing import FormsEditing
from qa_monitor.ui.screens.forms_prompts import Prompter
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.widget_style import em, muted_label

log = logging.getLogger(__name__)
Selected = tuple[FormInfo, FormVersionSummary | None]
Undo = Callable[[], tuple[str, int | None] | None]  # returns what to select afterwards
# The title column's width, in font heights: about 25 and 50 letters.
TITLE_MIN, TITLE_MAX = 11, 22


class FormsScreen(FormsActions, FormsEditing, QWidget):
    changed = Signal(object)  # Changes
    new_blank_action: QAction
    new_template_action: QAction
    import_action: QAction
    scorecard_action: QAction
    edit_action: QAction
    publish_action: QAction
    discard_action: QAction
    retire_action: QAction
    bring_back_action: QAction
    compare_action: QAction
    export_action: QAction
    duplicate_action: QAction
    undo_action: QAction

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, prompter: Prompter | None = None
    ):
        QWidget.__init__(self, parent)
        self.session = session
        self.prompter = prompter or Prompter(self)
        self._undo: Undo | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        self.list_page = QWidget()
        self._build_list_page(self.list_page)
        self.editing = FormEditingPage()
        self.editing.backRequested.connect(self.back)
        self.editing.saveRequested.connect(self.save_draft)
        self.editing.publishRequested.connect(self.publish_editing)
        self.pages.addWidget(self.list_page)
        self.pages.addWidget(self.editing)
        layout.addWidget(self.pages)
        self.set_undo(None)
        self.refresh()

    # ---------------------------------------------------------------- building
    def _action(
        self, text: str, icon: str, keys: str, tip: str, slot: Callable[[], object]
    ) -> QAction:
        action = QAction(icons.icon(icon, color=self.palette().text().color()), text, self)
        action.setShortcuts([QKeySequence(k) for k in keys.split()])
        # The list page's keys only work on the list: the editor has its own.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if keys:
            native = QKeySequence.SequenceFormat.NativeText
            tip = f"{tip} ({', '.join(k.toString(native) for k in action.shortcuts())})"
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.list_page.addAction(action)
        return action

    def _build_actions(self) -> None:
        for name, text, icon, keys, tip, slot in [
            ("new_blank", self.tr("&Blank form…"), "file-document-plus-outline",
             "Ctrl+Shift+A Ins", self.tr("Start a new form from nothing"), self.new_blank),
            ("new_template", self.tr("From a &template…"), "file-star-outline", "",
             self.tr("Start a new form from a shipped template"), self.new_from_template),
            ("import", self.tr("&Import YAML…"), "file-import-outline", "Ctrl+I",
             self.tr("Import a form file (YAML) as a draft"), self.import_yaml),
            ("scorecard", self.tr("Import Excel &scorecard…"), "file-excel-outline",
             "Ctrl+Shift+I", self.tr("Turn a scorecard spreadsheet into a draft form"),
             self.import_scorecard),
            ("edit", self.tr("&Edit"), "pencil-outline", "F2", self.tr(
                "Edit the draft, or start a new draft from the latest version; Enter and "
                "double-click work too"), self.edit_selected),
            ("publish", self.tr("&Publish…"), "publish", "Ctrl+Shift+P",
             self.tr("Publish the draft as a new version"), self.publish_selected),
            ("discard", self.tr("&Discard draft…"), "delete-outline", "Del",
             self.tr("Throw the draft away; published versions stay"), self.discard_selected),
            ("retire", self.tr("&Retire…"), "archive-arrow-down-outline", "Ctrl+Shift+R",
             self.tr("Stop new evaluations with this form; its history stays"),
             self.retire_selected),
            ("bring_back", self.tr("&Bring back"), "archive-arrow-up-outline", "Ctrl+Shift+B",
             self.tr("Let reviewers use the retired form again"), self.bring_back_selected),
            ("compare", self.tr("&Compare versions…"), "compare-horizontal", "Ctrl+D",
             self.tr("What changed between two versions"), self.compare_selected),
            ("export", self.tr("E&xport YAML…"), "file-export-outline", "Ctrl+Shift+E",
             self.tr("Save the selected version as a form file"), self.export_selected),
            ("duplicate", self.tr("D&uplicate…"), "content-copy", "Ctrl+Shift+D",
             self.tr("Copy the form as a new form with its own id"), self.duplicate_selected),
            ("undo", self.tr("Undo"), "undo", "Ctrl+Z",
             self.tr("Undo the last discard, retire or bring back"), self.undo),
        ]:  # fmt: skip
            setattr(self, f"{name}_action", self._action(text, f"mdi6.{icon}", keys, tip, slot))
        self.new_menu.addActions([self.new_blank_action, self.new_template_action])
        self.new_menu.addSeparator()
        self.new_menu.addActions([self.import_action, self.scorecard_action])

    def _build_list_page(self, page: QWidget) -> None:
        layout = QVBoxLayout(page)
        title = QLabel(self.tr("Forms"))
        title.setProperty("role", "pageTitle")
        layout.addWidget(title)
        self.new_menu = QMenu(self)
        self._build_actions()
        self.toolbar = QToolBar()
        self.toolbar.setAccessibleName(self.tr("Form actions"))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        new_button = QToolButton()
        new_button.setText(self.tr("New form"))
        new_button.setIcon(self.new_blank_action.icon())
        new_button.setToolTip(self.tr("Blank, from a template, or imported (Ctrl+Shift+A)"))
        new_button.setAccessibleName(self.tr("New form"))
        new_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        new_button.setMenu(self.new_menu)
        new_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.new_button = new_button
        self.toolbar.addWidget(new_button)
        for action in (self.edit_action, self.publish_action, self.discard_action,
                       self.retire_action, self.bring_back_action, self.compare_action,
                       self.export_action, self.duplicate_action):  # fmt: skip
            self.toolbar.addAction(action)
            self.toolbar.widgetForAction(action).setAccessibleName(
                action.text().replace("&", "").rstrip("…")
            )
        layout.addWidget(self.toolbar)
        filters = QHBoxLayout()
        self.search = QLineEdit(placeholderText=self.tr("Search form titles and ids (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search forms"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(em(self, 20))
        self.search.textChanged.connect(self._filter_changed)
        find = QAction(self)
        find.setShortcut(QKeySequence("Ctrl+F"))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(lambda: self.search.setFocus())
        page.addAction(find)
        self.show_retired = QCheckBox(self.tr("Show re&tired forms"))
        self.show_retired.setChecked(True)
        self.show_retired.toggled.connect(lambda _on: self._filter_changed())
        self.count_label = muted_label("")
        filters.addWidget(self.search)
        filters.addWidget(self.show_retired)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        layout.addLayout(filters)
        self.model = FormsTreeModel(self, lambda: self.session.services.settings.centre().timezone)
        self.proxy = FormsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView()
        self.tree.setAccessibleName(self.tr("Forms and their versions"))
        self.tree.setModel(self.proxy)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Every column keeps the width refresh() gives it: a stretched title column
        # shrank to "…" when the other columns took the list's width (1280×800).
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.tree.header().setStretchLastSection(False)
        self.tree.doubleClicked.connect(self._double_clicked)
        # A form opened shows its versions: their statuses are longer ("in use").
        self.tree.expanded.connect(lambda _index: self._fit_columns())
        self.tree.viewport().installEventFilter(self)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        enter = QAction(self.tree)
        enter.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
        enter.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        enter.triggered.connect(self.edit_selected)
        self.tree.addAction(enter)
        self.empty = QWidget()
        empty_layout = QVBoxLayout(self.empty)
        self.empty_text = QLabel(wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty_new = QPushButton(self.tr("New form…"))
        self.empty_new.setMenu(self.new_menu)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_text)
        empty_layout.addWidget(self.empty_new, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.tree)
        self.list_stack.addWidget(self.empty)
        self.panel = FormVersionPanel()
        splitter = QSplitter()
        splitter.addWidget(self.list_stack)
        splitter.addWidget(self.panel)
        # The version summary needs room for section titles and shares; the list's
        # columns fit in about 55 em.
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([em(self, 56), em(self, 44)])
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        self.status = QLabel(wordWrap=True)
        self.status.setAccessibleName(self.tr("Status"))
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setToolTip(self.undo_action.toolTip())
        self.undo_button.clicked.connect(self.undo)
        self.undo_button.hide()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.undo_button)
        layout.addLayout(bottom)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()  # the title column follows the list's width
        return super().eventFilter(watched, event)

    def _context_menu(self, pos: QPoint) -> None:
        if not self.tree.indexAt(pos).isValid():
            self.new_menu.popup(self.tree.viewport().mapToGlobal(pos))
            return
        menu = QMenu(self)
        for action in (self.edit_action, self.publish_action, self.discard_action, None,
                       self.retire_action, self.bring_back_action, None, self.compare_action,
                       self.export_action, self.duplicate_action):  # fmt: skip
            if action is None:
                menu.addSeparator()
            elif action.isEnabled():
                menu.addAction(action)
        menu.popup(self.tree.viewport().mapToGlobal(pos))

    def _double_clicked(self, _index: QModelIndex) -> None:
        self.edit_selected()

    # ---------------------------------------------------------------- selection
    def selected(self) -> Selected | None:
        rows = self.tree.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_of(self.proxy.mapToSource(rows[0]))

    def select(self, form_id: str, version_id: int | None = None) -> bool:
        """Select the form (or one of its versions) if listed; True when it is visible."""
        index = self.proxy.mapFromSource(self.model.index_of(form_id, version_id))
        if not index.isValid():
            self.tree.clearSelection()
            return False
        if index.parent().isValid():
            self.tree.expand(index.parent())
        flags = QItemSelectionModel.SelectionFlag
        self.tree.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.tree.scrollTo(index)
        return True

    def refresh(self, changes: Changes | None = None) -> None:
        """Reload the forms (or only when ``changes`` touch what the list shows)."""
        if changes is not None and not (changes.forms or changes.evaluations or changes.people):
            return
        current = self.selected()
        keep = (current[0].form_id, current[1].id if current[1] else None) if current else None
        expanded = self._expanded_ids()
        services = self.session.services
        names = {r.id: r.name for r in services.people.list_reviewers()}
        self.model.set_forms(services.forms.list_forms(), names)
        for form_id in expanded:
            index = self.proxy.mapFromSource(self.model.index_of(form_id))
            if index.isValid():
                self.tree.expand(index)
        if keep is not None:
            self.select(*keep)
        if self.selected() is None and self.proxy.rowCount():
            # Open on the first form, so the summary beside the list is never empty.
            self.tree.setCurrentIndex(self.proxy.index(0, 0))
        self._fit_columns()
        self._update_views()

    def _fit_columns(self) -> None:
        """Every column fits its contents (versions shown included); the title takes
        what the list has left, but never less than TITLE_MIN (a stretched title column
        shrank to "…" at 1280×800) nor more than its titles or TITLE_MAX; a
        longer title is elided, its tooltip has it whole, and the list scrolls."""
        for column in range(self.model.columnCount()):
            self.tree.resizeColumnToContents(column)
            self.tree.setColumnWidth(column, self.tree.columnWidth(column) + em(self, 0.5))
        wanted = min(self.tree.columnWidth(0), em(self, TITLE_MAX))
        others = sum(self.tree.columnWidth(c) for c in range(1, self.model.columnCount()))
        left = self.tree.viewport().width() - others
        self.tree.setColumnWidth(0, max(em(self, TITLE_MIN), min(wanted, left)))

    def _expanded_ids(self) -> list[str]:
        ids = []
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.tree.isExpanded(index):
                ids.append(str(index.data(FORM_ID_ROLE)))
        return ids

    def _filter_changed(self) -> None:
        self.proxy.set_search(self.search.text())
        self.proxy.set_show_retired(self.show_retired.isChecked())
        self._update_views()

    def _update_views(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        keys = self.new_blank_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if total == 0:
            self.empty_text.setText(
                self.tr(
                    "No forms yet. Start one from a shipped template or from nothing ({0}), "
                    "or import a form file or an Excel scorecard."
                ).format(keys)
            )
        else:
            self.empty_text.setText(
                self.tr("No form matches “{0}”. Clear the search, or tick Show retired.").format(
                    self.search.text().strip()
                )
            )
        self.empty_new.setVisible(total == 0)
        self.list_stack.setCurrentIndex(0 if shown else 1)
        text = self.tr("{0} of {1} forms").format(shown, total) if shown != total else ""
        self.count_label.setText(text or self.tr("{0} forms").format(total))
        self._update_actions()

    def _update_actions(self) -> None:
        found = self.selected()
        info = found[0] if found else None
        has = info is not None
        draft = info.draft if info else None
        self.edit_action.setEnabled(has)
        self.publish_action.setEnabled(draft is not None)
        self.discard_action.setEnabled(draft is not None)
        self.retire_action.setEnabled(has and info.status is FormStatus.PUBLISHED)  # type: ignore[union-attr]
        self.bring_back_action.setEnabled(has and info.status is FormStatus.RETIRED)  # type: ignore[union-attr]
        self.compare_action.setEnabled(has and len(info.versions) >= 2)  # type: ignore[union-attr]
        self.export_action.setEnabled(has)
        self.duplicate_action.setEnabled(has)
        self._show_panel(found)

    def _show_panel(self, found: Selected | None) -> None:
        if found is None:
            self.panel.show_version(None, None, None)
            return
        info, version = found
        shown = version or info.draft or info.latest_published
        form = self.session.services.forms.get_version(shown.id).form if shown else None
        self.panel.show_version(info, shown, form)

    # ---------------------------------------------------------------- messages and undo
    def say(self, message: str) -> None:
        self.status.setText(message)
        self.status.setAccessibleDescription(message)

    def finish(
        self, message: str, changes: Changes, select: tuple[str, int | None] | None = None
    ) -> None:
        """After a change: reload, select what it concerned, say it, tell other screens."""
        self.refresh()
        if select is not None and not self.select(*select) and self.search.text():
            self.search.clear()
            self.select(*select)
        self.say(message)
        if changes.any:
            self.changed.emit(changes)

    def set_undo(self, undo: Undo | None) -> None:
        self._undo = undo
        self.undo_button.setVisible(undo is not None)
        self.undo_action.setEnabled(undo is not None)

    def undo(self) -> None:
        undo, self._undo = self._undo, None
        self.set_undo(None)
        if undo is not None:
            self.run_undo(undo)
