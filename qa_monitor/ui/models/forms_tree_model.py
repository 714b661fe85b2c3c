"""Forms and their versions as a two-level tree, plus the proxy that searches and sorts it.

Top-level rows are forms; their children are versions, newest first (a draft on top).
Every state is a word in the Status column, with an icon beside it: colour never
carries it alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont, QGuiApplication, QIcon

from qa_monitor.core.records import FormInfo, FormStatus, FormVersionSummary
from qa_monitor.ui import icons
from qa_monitor.ui.date_texts import moment_text
from qa_monitor.ui.widgets.widget_style import ltr, muted_color

Index = QModelIndex | QPersistentModelIndex
FORM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
VERSION_ID_ROLE = Qt.ItemDataRole.UserRole + 2  # None on form rows
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 4
HEADERS = ("Form", "Id", "Status", "Published", "Published by", "Evaluations")
COUNT_COLUMN = 5
NOT_SET = "—"
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_TOP = 0  # internal id of a form row; a version row stores its form's row + 1

_ICONS = {
    "draft": "mdi6.pencil-outline",
    "published": "mdi6.check-circle-outline",
    "current": "mdi6.check-circle",
    "superseded": "mdi6.history",
    "retired": "mdi6.archive-outline",
}


def version_state(info: FormInfo, version: FormVersionSummary) -> str:
    """draft, current (the version new evaluations use), retired, or superseded."""
    if version.status is FormStatus.DRAFT:
        return "draft"
    latest = info.latest_published
    if latest is not None and latest.id == version.id:
        return "retired" if info.status is FormStatus.RETIRED else "current"
    return "superseded"


class FormsTreeModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None, zone: Callable[[], str] | None = None):
        """``zone``: the centre's time zone, read at each ``set_forms`` (moments are
        shown in it)."""
        super().__init__(parent)
        self._zone_of = zone or (lambda: "UTC")
        self._zone = "UTC"
        self._forms: list[FormInfo] = []
        self._versions: list[list[FormVersionSummary]] = []  # per form, newest first
        self._names: Mapping[int, str] = {}
        self._locale = QLocale()
        self._icons: dict[str, QIcon] = {}

    # ---------------------------------------------------------------- content
    def set_forms(self, forms: Sequence[FormInfo], reviewer_names: Mapping[int, str]) -> None:
        self._zone = self._zone_of()
        self.beginResetModel()
        self._forms = list(forms)
        self._versions = [sorted(f.versions, key=lambda v: -v.version) for f in self._forms]
        self._names = dict(reviewer_names)
        self.endResetModel()

    def forms(self) -> list[FormInfo]:
        return list(self._forms)

    def form_info(self, form_id: str) -> FormInfo | None:
        return next((f for f in self._forms if f.form_id == form_id), None)

    def index_of(self, form_id: str, version_id: int | None = None) -> QModelIndex:
        row = next((i for i, f in enumerate(self._forms) if f.form_id == form_id), -1)
        if row < 0:
            return QModelIndex()
        form_index = self.index(row, 0)
        if version_id is None:
            return form_index
        child = next((i for i, v in enumerate(self._versions[row]) if v.id == version_id), -1)
        return self.index(child, 0, form_index) if child >= 0 else form_index

    def row_of(self, index: Index) -> tuple[FormInfo, FormVersionSummary | None] | None:
        """The form (and version, on a version row) at ``index``."""
        if not index.isValid():
            return None
        parent = index.internalId()
        if parent == _TOP:
            return self._forms[index.row()], None
        return self._forms[parent - 1], self._versions[parent - 1][index.row()]

    # ---------------------------------------------------------------- Qt model
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._forms)
        if parent.internalId() == _TOP and parent.column() == 0:
            return len(self._versions[parent.row()])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[section])
        if role == Qt.ItemDataRole.TextAlignmentRole and section == COUNT_COLUMN:
            return _RIGHT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        found = self.row_of(index)
        if found is None:
            return None
        info, version = found
        col = index.column()
        if role == FORM_ID_ROLE:
            return info.form_id
        if role == VERSION_ID_ROLE:
            return version.id if version else None
        if role == SEARCH_ROLE:
            return f"{info.title} {info.form_id}".casefold()
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COUNT_COLUMN:
            return _RIGHT
        state = self._state(info, version)
        if role == Qt.ItemDataRole.DecorationRole and col == 2:
            return self._icon(state)
        if role == Qt.ItemDataRole.ForegroundRole and state in ("retired", "superseded"):
            return muted_color(QGuiApplication.palette())
        if role == Qt.ItemDataRole.FontRole and version is None:
            font = QFont()
            font.setBold(True)
            font.setItalic(state == "retired")
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(info, version, state)
        if role == SORT_ROLE:
            return self._sort_key(info, version, col)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(info, version, col, state)
        return None

    # ---------------------------------------------------------------- cells
    def _state(self, info: FormInfo, version: FormVersionSummary | None) -> str:
        if version is not None:
            return version_state(info, version)
        if info.status is FormStatus.RETIRED:
            return "retired"
        return "draft" if info.status is FormStatus.DRAFT else "current"

    def _icon(self, state: str) -> QIcon:
        icon = self._icons.get(state)
        if icon is None:
            color = QGuiApplication.palette().text().color()
            icon = icons.icon(_ICONS[state], color=color)
            self._icons[state] = icon
        return icon

    def _when(self, moment: datetime | None) -> str:
        if moment is None:
            return NOT_SET
        return moment_text(moment, self._zone, self._locale)

    def _status_text(self, info: FormInfo, version: FormVersionSummary | None, state: str) -> str:
        if version is not None:
            return {
                "draft": self.tr("Draft"),
                "current": self.tr("Published · in use"),
                "retired": self.tr("Published · retired"),
                "superseded": self.tr("Published · superseded"),
            }[state]
        latest, draft = info.latest_published, info.draft
        if latest is None:
            return self.tr("Draft · never published")
        text = self.tr("Retired") if state == "retired" else self.tr("Published")
        text += " " + ltr(f"v{latest.version}")
        if draft is not None:
            text += " · " + self.tr("draft {0}").format(ltr(f"v{draft.version}"))
        return text

    def _display(
        self, info: FormInfo, version: FormVersionSummary | None, col: int, state: str
    ) -> str:
        if col == 0:
            if version is None:
                return info.title
            return self.tr("Version {0}").format(version.version)
        if col == 1:
            return ltr(info.form_id) if version is None else ""
        if col == 2:
            return self._status_text(info, version, state)
        shown = version if version is not None else info.latest_published
        if col == 3:
            return self._when(shown.published_at if shown else None)
        if col == 4:
            by = shown.published_by if shown else None
            return self._names.get(by, NOT_SET) if by is not None else NOT_SET
        count = version.evaluation_count if version is not None else info.evaluation_count
        return self._locale.toString(count)

    def _tooltip(self, info: FormInfo, version: FormVersionSummary | None, state: str) -> str:
        if version is None:
            return self.tr("{0} ({1}): %n version(s)", "", len(info.versions)).format(
                info.title, info.form_id
            )
        return {
            "draft": self.tr("The working copy; publish it to let reviewers use it"),
            "current": self.tr("New evaluations use this version"),
            "retired": self.tr("The form is retired: no new evaluations; bring it back to use it"),
            "superseded": self.tr(
                "Earlier evaluations keep this version; new ones use a newer one"
            ),
        }[state]

    def _sort_key(self, info: FormInfo, version: FormVersionSummary | None, col: int) -> Any:
        if version is not None:
            return version.version  # versions keep their order whatever the column
        latest = info.latest_published
        if col == 3:
            return latest.published_at.isoformat() if latest and latest.published_at else ""
        if col == COUNT_COLUMN:
            return info.evaluation_count
        if col == 1:
            return info.form_id
        if col == 2:
            return (info.status.value, info.title.casefold())
        if col == 4:
            by = latest.published_by if latest else None
            return self._names.get(by, "").casefold() if by is not None else ""
        return info.title.casefold()


class FormsFilterProxy(QSortFilterProxyModel):
    """Searches form titles and ids (a form's versions come with it) and hides retired
    forms unless asked; versions always sort newest first."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.search = ""
        self.show_retired = True
        self.setSortRole(SORT_ROLE)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self.search = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_show_retired(self, show: bool) -> None:
        self.beginFilterChange()
        self.show_retired = show
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if source_parent.isValid():
            return True  # a shown form shows all its versions
        model = self.sourceModel()
        assert isinstance(model, FormsTreeModel)
        index = model.index(source_row, 0)
        found = model.row_of(index)
        if found is None:
            return False
        info = found[0]
        if not self.show_retired and info.status is FormStatus.RETIRED:
            return False
        return not self.search or self.search in str(index.data(SEARCH_ROLE))

    def lessThan(self, left: Index, right: Index) -> bool:
        if left.parent().isValid():
            # Newest first in either sort order: the view flips the result when descending.
            newer = left.data(SORT_ROLE) > right.data(SORT_ROLE)
            return newer if self.sortOrder() == Qt.SortOrder.AscendingOrder else not newer
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        return bool(a < b)
