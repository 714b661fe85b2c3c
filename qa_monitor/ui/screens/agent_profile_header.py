"""The agent profile's header: the agent picker (a combo you can type in to search),
the period presets, the busy indicator, the export button and the key-figure tiles.

Rules:
- Typing in the agent combo filters the agents by any part of the name; choosing one
  emits ``agentChosen(id)``. Inactive agents are listed after the active ones, marked.
- A filter handed over by another screen whose dates match no preset shows as a
  "Custom" period; choosing a preset replaces it.
- Tiles say direction in words and arrows (▲ up, ▼ down), never colour alone.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QLocale, QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.records import Agent
from qa_monitor.reports.analytics_filter import DashboardFilter
from qa_monitor.reports.analytics_profile import AgentProfile
from qa_monitor.ui import icons
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.widgets.kpi_tile_widget import KpiTile
from qa_monitor.ui.widgets.name_completer import NameKeyCompleter, only_match, set_item_keys
from qa_monitor.ui.widgets.widget_style import ltr

PRESETS = ("last_30", "last_90", "month", "quarter", "year", "all")
CUSTOM = "custom"


def preset_filter(base: DashboardFilter, key: str, today: date) -> DashboardFilter:
    """``base`` with the dates of preset ``key`` (ending ``today``)."""
    presets = {
        "last_30": lambda: base.last_30_days(today),
        "last_90": lambda: base.last_90_days(today),
        "month": lambda: base.this_month(today),
        "quarter": lambda: base.this_quarter(today),
        "year": lambda: base.this_year(today),
    }
    return presets.get(key, base.all_time)()


class ProfileHeader(QWidget):
    agentChosen = Signal(int)
    periodChanged = Signal()
    exportRequested = Signal()

    def __init__(self, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.today = today
        self._locale = QLocale()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        title = QLabel(self.tr("Agent profile"))
        title.setProperty("role", "pageTitle")
        top.addWidget(title)
        top.addSpacing(self.fontMetrics().horizontalAdvance("M") * 2)
        top.addLayout(self._pickers())
        top.addStretch(1)
        self.busy_label = QLabel(self.tr("Updating…"))
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName(self.tr("Updating the agent profile"))
        self.busy.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 8)
        top.addWidget(self.busy_label)
        top.addWidget(self.busy)
        self.export_button = QPushButton(self.tr("Export coaching workbook…"))
        self.export_button.setIcon(
            icons.icon("mdi6.microsoft-excel", color=self.palette().text().color())
        )
        self.export_button.setAccessibleName(self.tr("Export coaching workbook"))
        self.export_button.setToolTip(
            self.tr("Write this agent's coaching workbook (Excel) for the period shown")
        )
        self.export_button.clicked.connect(self.exportRequested)
        top.addWidget(self.export_button)
        layout.addLayout(top)

        who = QHBoxLayout()
        self.name_label = QLabel()
        self.name_label.setProperty("role", "sectionTitle")
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.name_label.setFont(font)
        self.name_label.setAccessibleName(self.tr("Agent"))
        self.team_label = QLabel()
        self.team_label.setProperty("role", "muted")
        self.range_label = QLabel()
        self.range_label.setProperty("role", "muted")
        who.addWidget(self.name_label)
        who.addSpacing(self.fontMetrics().horizontalAdvance("M"))
        who.addWidget(self.team_label)
        who.addStretch(1)
        who.addWidget(self.range_label)
        layout.addLayout(who)

        tiles = QHBoxLayout()
        self.evaluations_tile = KpiTile(self.tr("Evaluations"))
        self.mean_tile = KpiTile(self.tr("Mean score"))
        self.pass_tile = KpiTile(self.tr("Pass rate"))
        self.critical_tile = KpiTile(self.tr("Critical failures"))
        self.change_tile = KpiTile(self.tr("Change vs previous period"))
        self.tiles = (
            self.evaluations_tile,
            self.mean_tile,
            self.pass_tile,
            self.critical_tile,
            self.change_tile,
        )
        for tile in self.tiles:
            tiles.addWidget(tile, 1)
        layout.addLayout(tiles)
        self.set_busy(False)

    def _pickers(self) -> QGridLayout:
        self.agent = QComboBox()
        self.agent.setEditable(True)
        self.agent.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.agent.setAccessibleName(self.tr("Agent"))
        self.agent.setToolTip(self.tr("Type part of a name to find an agent"))
        self.agent.lineEdit().setPlaceholderText(self.tr("Type to search agents"))
        self.agent.setMinimumContentsLength(22)
        # Finds names by their key: Persian or Arabic letter forms, case and marks aside.
        self.agent.setCompleter(NameKeyCompleter(self.agent))
        self.agent.activated.connect(self._agent_activated)
        # Enter picks the one agent the typed text finds, without going down the list.
        line = self.agent.lineEdit()
        assert line is not None  # the combo is editable
        line.returnPressed.connect(self._enter_pressed)
        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Period"))
        self.period.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        names = (
            self.tr("Last 30 days"),
            self.tr("Last 90 days"),
            self.tr("This month"),
            self.tr("This quarter"),
            self.tr("This year"),
            self.tr("All time"),
        )
        for text, key in zip(names, PRESETS, strict=True):
            self.period.addItem(text, key)
        self.period.setCurrentIndex(PRESETS.index("last_90"))
        self.period.currentIndexChanged.connect(lambda _i: self.periodChanged.emit())
        grid = QGridLayout()
        for col, (text, widget) in enumerate(
            ((self.tr("A&gent"), self.agent), (self.tr("&Period"), self.period))
        ):
            caption = QLabel(text)
            caption.setBuddy(widget)
            grid.addWidget(caption, 0, 2 * col)
            grid.addWidget(widget, 0, 2 * col + 1)
        return grid

    # ------------------------------------------------------------------ choices
    def set_agents(self, agents: list[Agent]) -> None:
        blocker = QSignalBlocker(self.agent)
        current = self.agent.currentData()
        self.agent.clear()
        for agent in sorted(agents, key=lambda a: (not a.active, a.name.casefold())):
            name = agent.name if agent.active else self.tr("{0} (inactive)").format(agent.name)
            self.agent.addItem(name, agent.id)
        set_item_keys(self.agent)
        self.select_agent(current)
        del blocker

    def select_agent(self, agent_id: int | None) -> bool:
        index = -1 if agent_id is None else self.agent.findData(agent_id)
        with QSignalBlocker(self.agent):
            self.agent.setCurrentIndex(index)
        return index >= 0

    def _agent_activated(self, index: int) -> None:
        agent_id = self.agent.itemData(index)
        if agent_id is not None:
            self.agentChosen.emit(int(agent_id))

    def _enter_pressed(self) -> None:
        row = only_match(self.agent)
        if row < 0 or row == self.agent.currentIndex():
            return  # none or several found, or already chosen (from the list)
        completer = self.agent.completer()
        popup = completer.popup() if completer is not None else None
        if popup is not None:
            popup.hide()
        with QSignalBlocker(self.agent):
            self.agent.setCurrentIndex(row)
        self._agent_activated(row)

    def period_key(self) -> str:
        return str(self.period.currentData())

    def set_period(self, f: DashboardFilter) -> None:
        """Show the preset whose dates ``f`` has, else a Custom item with its dates."""
        with QSignalBlocker(self.period):
            custom = self.period.findData(CUSTOM)
            if custom >= 0:
                self.period.removeItem(custom)
            for index, key in enumerate(PRESETS):
                other = preset_filter(f, key, self.today)
                if (other.date_from, other.date_to) == (f.date_from, f.date_to):
                    self.period.setCurrentIndex(index)
                    return
            start = "…" if f.date_from is None else self._day(f.date_from)
            end = "…" if f.date_to is None else self._day(f.date_to)
            self.period.addItem(self.tr("Custom: {0} – {1}").format(start, end), CUSTOM)
            self.period.setCurrentIndex(self.period.count() - 1)

    def _day(self, day: date) -> str:
        return date_text(day, self._locale)

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.busy_label.setVisible(busy)

    # ------------------------------------------------------------------ figures
    def clear_profile(self, name: str = "") -> None:
        self.name_label.setText(name or self.tr("No agent chosen"))
        self.team_label.clear()
        self.range_label.clear()
        for tile in self.tiles:
            tile.set_value("—")

    def _num(self, value: float | None) -> str:
        """One decimal in the user's locale, kept left-to-right."""
        if value is None:
            return "—"
        return ltr(self._locale.toString(float(value), "f", 1))

    def show_profile(self, p: AgentProfile) -> None:
        loc, k, num = self._locale, p.kpis, self._num
        self.name_label.setText(p.name)
        self.team_label.setText(
            self.tr("Team: {0}").format(p.team_name) if p.team_name else self.tr("No team")
        )
        if p.first is not None and p.last is not None:
            self.range_label.setText(ltr(f"{self._day(p.first)} – {self._day(p.last)}"))
        else:
            self.range_label.clear()
        team_n = self.tr("team: {0}").format(ltr(loc.toString(k.team_n))) if p.team_id else ""
        self.evaluations_tile.set_value(
            ltr(loc.toString(k.n)),
            team_n,
            self.tr("Submitted evaluations of this agent in the period"),
        )
        score = k.score
        ci = ""
        if score is not None and score.low is not None and score.high is not None:
            ci = self.tr("95% CI {0}–{1}").format(num(score.low), num(score.high))
        team_mean = self.tr("team {0}").format(num(k.team_mean)) if k.team_mean is not None else ""
        self.mean_tile.set_value(
            num(k.mean),
            " · ".join(t for t in (ci, team_mean) if t),
            self.tr("Mean score (%) with its 95% confidence interval"),
        )
        passed = k.passed
        if passed is None:
            no_mark = self.tr("no pass mark on these forms") if k.n else ""
            self.pass_tile.set_value("—", no_mark)
        else:
            detail = self.tr("{0} of {1}").format(passed.successes, passed.n)
            if k.team_passed is not None:
                detail += " · " + self.tr("team {0}%").format(num(k.team_passed.rate * 100))
            self.pass_tile.set_value(f"{num(passed.rate * 100)}%", detail)
        critical = k.critical
        share = ""
        if critical is not None:
            share = self.tr("{0}% of evaluations").format(num(critical.rate * 100))
        self.critical_tile.set_value(ltr(loc.toString(k.critical_failures)), share)
        self._show_change(p)

    def _show_change(self, p: AgentProfile) -> None:
        k = p.kpis
        if p.filter.previous_period() is None:
            self.change_tile.set_value("—", self.tr("choose a period with an end to compare"))
            return
        if k.mean is None:
            self.change_tile.set_value("—", self.tr("no scores in this period"))
            return
        if k.change is None:
            self.change_tile.set_value("—", self.tr("no scores in the previous period"))
            return
        arrow = "▲" if k.change > 0 else "▼" if k.change < 0 else "="
        sign = "+" if k.change > 0 else ""
        value = f"{arrow} {ltr(sign + self._locale.toString(float(k.change), 'f', 1))}"
        detail = self.tr("from {0} (n = {1})").format(self._num(k.previous_mean), k.previous_n)
        test = k.change_test
        if test is not None:
            significant = test.p_value < 0.05
            detail += " · " + (self.tr("significant") if significant else self.tr("within noise"))
        self.change_tile.set_value(
            value,
            detail,
            self.tr(
                "Mean score against the previous period of the same length; "
                "significant: Welch's t-test, p < 0.05"
            ),
        )
