"""The Data menu: exports of evaluations (Excel, CSV), an agent's coaching workbook, and
imports of rosters, call logs and survey results.

The main window owns the session and the screens, so the menu asks it through
callables: ``get_session()`` (the open database, which changes when the user switches
files), ``get_export_filter()`` (the Evaluations screen's current filter) and
``on_changes(Changes)`` (refresh the screens after an import).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from qa_monitor.core.records import EvaluationFilter
from qa_monitor.services import Changes
from qa_monitor.services.import_fields import ImportKind, import_refusal
from qa_monitor.ui import icons
from qa_monitor.ui.dialogs.export_choices import ExportFormat, ExportMode
from qa_monitor.ui.session import Session

if TYPE_CHECKING:
    # Imported when a dialog is opened, not with the menu at start: they bring the Excel
    # writers and the file readers (openpyxl, charset_normalizer; ~0.6 s).
    from qa_monitor.ui.dialogs.export_dialog import ExportDialog
    from qa_monitor.ui.dialogs.import_dialog import ImportDialog

EXPORT_SHORTCUT = "Ctrl+E"


def tr(text: str) -> str:
    return QCoreApplication.translate("DataMenu", text)


class DataMenu(QMenu):
    """The menu; ``actions_by_key`` names its actions (``export_xlsx``, ``import_roster``…)
    and ``make_*`` build the dialogs, which the actions then run modally."""

    def __init__(
        self,
        window: QWidget,
        get_session: Callable[[], Session],
        get_export_filter: Callable[[], EvaluationFilter],
        on_changes: Callable[[Changes], None],
    ):
        super().__init__(tr("&Data"), window)
        self.window_ = window
        self.get_session = get_session
        self.get_export_filter = get_export_filter
        self.on_changes = on_changes
        self.actions_by_key: dict[str, QAction] = {}
        self._imports: dict[str, tuple[ImportKind, str]] = {}
        self._add(
            "export_xlsx",
            tr("Export evaluations to &Excel…"),
            lambda: self.make_export(ExportFormat.XLSX).exec(),
            "mdi6.microsoft-excel",
            tr("Export the evaluations the Evaluations screen shows to a workbook"),
            EXPORT_SHORTCUT,
        )
        self._add(
            "export_csv",
            tr("Export evaluations to &CSV…"),
            lambda: self.make_export(ExportFormat.CSV).exec(),
            "mdi6.file-delimited-outline",
            tr("One row per evaluation, for other tools"),
        )
        self._add(
            "export_feedback",
            tr("Export agent &feedback…"),
            lambda: self.make_feedback_export().exec(),
            "mdi6.account-star-outline",
            tr("A coaching workbook for one agent and period"),
        )
        self.addSeparator()
        for key, text, icon, tip, kind in (
            (
                "import_roster",
                tr("Import &roster…"),
                "mdi6.account-multiple-plus-outline",
                tr("Agents and teams from a .csv or .xlsx file"),
                ImportKind.ROSTER,
            ),
            (
                "import_interactions",
                tr("Import &interactions…"),
                "mdi6.phone-log",
                tr("A call log from your phone or ticket system"),
                ImportKind.INTERACTIONS,
            ),
            (
                "import_surveys",
                tr("Import &survey results…"),
                "mdi6.emoticon-happy-outline",
                tr("CSAT, NPS and CES answers for interactions already imported"),
                ImportKind.SURVEYS,
            ),
            (
                "import_customer_counts",
                tr("Import customer c&ounts…"),
                "mdi6.account-group-outline",
                tr("Customers at the start, at the end and new, per period"),
                ImportKind.CUSTOMER_COUNTS,
            ),
            (
                "import_customers",
                tr("Import customer &list…"),
                "mdi6.card-account-details-outline",
                tr("Customers with the day they joined and the day they left"),
                ImportKind.CUSTOMERS,
            ),
            (
                "import_churn",
                tr("Import c&hurn events…"),
                "mdi6.account-arrow-right-outline",
                tr("Customers who left: when, why, and after which interaction"),
                ImportKind.CHURN_EVENTS,
            ),
        ):
            self._add(key, text, self._importer(kind), icon, tip)
            self._imports[key] = (kind, tip)
        # A disabled entry says why when hovered.
        self.setToolTipsVisible(True)
        self.aboutToShow.connect(self.update_imports)

    def update_imports(self) -> None:
        """Enable the imports this installation's team-server role may make; the others
        say why (the service refuses them too, and the server would)."""
        role = self.get_session().services.settings.team_role()
        for key, (kind, tip) in self._imports.items():
            refused = import_refusal(kind, role)
            action = self.actions_by_key[key]
            action.setEnabled(refused is None)
            if refused is None:
                why = tip
            elif role == "agent":
                why = tr("An agent's login on the team server imports nothing.")
            elif kind is ImportKind.ROSTER:
                why = tr("On the team server only a supervisor's login imports the roster.")
            else:
                why = tr("On the team server only a supervisor's login imports customer data.")
            action.setToolTip(why)
            action.setStatusTip(why)

    def _add(
        self,
        key: str,
        text: str,
        slot: Callable[[], object],
        icon: str,
        tip: str,
        shortcut: str | None = None,
    ) -> QAction:
        action = QAction(icons.icon(icon, color=self.palette().text().color()), text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            tip = f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        self.actions_by_key[key] = action
        return action

    # ------------------------------------------------------------------ dialogs
    def _importer(self, kind: ImportKind) -> Callable[[], object]:
        return lambda: self.make_import(kind).exec()

    def make_export(self, fmt: ExportFormat) -> ExportDialog:
        from qa_monitor.ui.dialogs.export_dialog import ExportDialog

        return ExportDialog(
            self.get_session(), self.get_export_filter(), fmt=fmt, parent=self.window_
        )

    def make_feedback_export(self, agent_id: int | None = None) -> ExportDialog:
        """The coaching-workbook export; ``agent_id`` (the agent profile's) is preselected."""
        from qa_monitor.ui.dialogs.export_dialog import ExportDialog

        flt = (
            self.get_export_filter()
            if agent_id is None
            else EvaluationFilter(agent_ids=(agent_id,))
        )
        return ExportDialog(
            self.get_session(), flt, mode=ExportMode.AGENT_FEEDBACK, parent=self.window_
        )

    def make_import(self, kind: ImportKind) -> ImportDialog:
        from qa_monitor.ui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self.get_session(), kind, parent=self.window_)
        dialog.imported.connect(self.on_changes)
        screen = self.window_.screen()
        if screen is not None:
            area = screen.availableGeometry()
            dialog.resize(min(1400, area.width() * 9 // 10), min(900, area.height() * 9 // 10))
        return dialog


def build_data_menu(
    window: QWidget,
    menu_bar: QMenuBar,
    get_session: Callable[[], Session],
    get_export_filter: Callable[[], EvaluationFilter],
    on_changes: Callable[[Changes], None],
    *,
    before: QMenu | None = None,
) -> DataMenu:
    """Add the "&Data" menu to ``menu_bar`` (before ``before``, else after the menus
    already there) and return it."""
    menu = DataMenu(window, get_session, get_export_filter, on_changes)
    if before is not None:
        menu_bar.insertMenu(before.menuAction(), menu)
    else:
        menu_bar.addMenu(menu)
    return menu
