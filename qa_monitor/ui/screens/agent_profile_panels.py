"""The agent profile's body: the trend and above/below-the-team charts, and the tables
of strengths and weaknesses, weakest questions, recent comments and critical failures.

Rules:
- One switch (areas, sections, questions) drives both the above/below chart and its
  table, so they always show the same rows: those with at least ``MIN_N`` of the
  agent's scores and a team figure.
- Double-click (or Enter) on a weakest question, or on a question in the strengths
  table, emits ``questionActivated(form id, question id)``; on a comment or a critical
  failure, ``evaluationActivated(evaluation id)``.
- Every table says in words when it is empty.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.reports import charts_profile
from qa_monitor.reports.analytics_profile import AgentProfile
from qa_monitor.reports.analytics_profile_areas import MIN_N, AreaKind, Comparison
from qa_monitor.reports.charts_profile import comparison_label
from qa_monitor.reports.charts_style import empty_figure
from qa_monitor.ui.models.dashboard_table_models import KEY_ROLE, SORT_ROLE
from qa_monitor.ui.models.profile_table_models import (
    CommentsModel,
    ComparisonTableModel,
    CriticalFailuresModel,
    WeakestQuestionsModel,
)
from qa_monitor.ui.widgets.chart_widget import ChartWidget

SCOPES = ("category", "section", "question")


class ProfilePanels(QWidget):
    questionActivated = Signal(str, str)  # form id, question id
    evaluationActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.profile: AgentProfile | None = None
        self._loaded = False
        em = self.fontMetrics().height()
        self.trend_chart = ChartWidget(self.tr("Score trend"))
        self.difference_chart = ChartWidget(self.tr("Above and below the team"))
        self.difference_chart.setToolTip(
            self.tr("Agent minus team, in percentage points of the score")
        )
        self.difference_chart.pointClicked.connect(self._bar_clicked)
        self.difference_chart.describe = self._describe_bar
        self.charts = (self.trend_chart, self.difference_chart)
        self._shown_rows: tuple[Comparison, ...] = ()
        self.areas_model = ComparisonTableModel(self)
        self.weakest_model = WeakestQuestionsModel(self)
        self.comments_model = CommentsModel(self)
        self.critical_model = CriticalFailuresModel(self)
        # The text column that takes the spare width: numbers stay in sight.
        self.areas_view = self._table(self.areas_model, self.tr("Strengths and weaknesses"), 10, 0)
        self.weakest_view = self._table(self.weakest_model, self.tr("Weakest questions"), 10, 0)
        self.comments_view = self._table(self.comments_model, self.tr("Recent comments"), 12, 6)
        self.critical_view = self._table(self.critical_model, self.tr("Critical failures"), 6, 5)
        self.weakest_view.setToolTip(
            self.tr(
                "Double-click a question (or press Enter) to list the evaluations that missed it"
            )
        )
        for view in (self.comments_view, self.critical_view):
            view.setToolTip(self.tr("Double-click a row (or press Enter) to open the evaluation"))
            view.setWordWrap(True)
        self.areas_view.activated.connect(self._area_activated)
        self.weakest_view.activated.connect(self._question_activated)
        self.comments_view.activated.connect(self._evaluation_activated)
        self.critical_view.activated.connect(self._evaluation_activated)

        self.empty_labels: dict[QTableView, QLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(em * 2)
        grid.setVerticalSpacing(em)
        grid.addWidget(self.trend_chart, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.difference_chart, 0, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self._areas_box(), 1, 1)
        grid.addWidget(
            self._titled(
                self.tr("Weakest questions"),
                self.weakest_view,
                self.tr("No question was missed in this period."),
                self.tr("Most often below full marks (N/A answers left out)"),
            ),
            1,
            0,
        )
        grid.addWidget(
            self._titled(
                self.tr("Recent comments"),
                self.comments_view,
                self.tr("Reviewers left no comments in this period."),
                self.tr("The 20 newest, overall and per question"),
            ),
            2,
            0,
            1,
            2,
        )
        grid.addWidget(
            self._titled(
                self.tr("Critical failures"),
                self.critical_view,
                self.tr("No critical failures in this period."),
            ),
            3,
            0,
            1,
            2,
        )
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.clear(self.tr("Choose an agent to see their profile."))

    # ------------------------------------------------------------------ building
    def _table(self, model: QAbstractTableModel, name: str, rows: int, stretch: int) -> QTableView:
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        view = QTableView()
        view.setAccessibleName(name)
        view.setModel(proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the analytics' order
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        view.setMinimumHeight(self.fontMetrics().height() * (rows + 2))
        return view

    def _titled(self, text: str, view: QTableView, empty: str, note: str = "") -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        caption = QLabel(text)
        caption.setProperty("role", "sectionTitle")
        font = caption.font()
        font.setBold(True)
        caption.setFont(font)
        caption.setBuddy(view)
        head.addWidget(caption)
        if note:
            hint = QLabel(note)
            hint.setProperty("role", "muted")
            head.addWidget(hint)
        head.addStretch(1)
        column.addLayout(head)
        column.addWidget(view, 1)
        label = QLabel(empty)
        label.setProperty("role", "muted")
        label.setWordWrap(True)
        column.addWidget(label)
        self.empty_labels[view] = label
        return box

    def _areas_box(self) -> QWidget:
        box = self._titled(
            self.tr("Strengths and weaknesses"),
            self.areas_view,
            self.tr("Not enough scores for the agent and the team to compare."),
        )
        switch = QHBoxLayout()
        self.scope_group = QButtonGroup(self)
        names = (self.tr("Areas"), self.tr("Sections"), self.tr("Questions"))
        for i, name in enumerate(names):
            button = QToolButton()
            button.setText(name)
            button.setCheckable(True)
            button.setAccessibleName(self.tr("Compare by {0}").format(name))
            self.scope_group.addButton(button, i)
            switch.addWidget(button)
        self.scope_group.button(SCOPES.index("section")).setChecked(True)
        self.scope_group.idClicked.connect(lambda _i: self._show_areas())
        hint = QLabel(self.tr("at least {0} of the agent's scores").format(MIN_N))
        hint.setProperty("role", "muted")
        switch.addWidget(hint)
        switch.addStretch(1)
        column = box.layout()
        assert isinstance(column, QVBoxLayout)
        column.insertLayout(1, switch)
        return box

    # ------------------------------------------------------------------ showing
    def scope(self) -> str:
        return SCOPES[max(self.scope_group.checkedId(), 0)]

    def set_scope(self, scope: str) -> None:
        self.scope_group.button(SCOPES.index(scope)).setChecked(True)
        self._show_areas()

    def clear(self, message: str, *, no_data: bool = False) -> None:
        """The empty state: every chart says ``message`` (``no_data``: with the hint to
        widen the period), every table is empty."""
        self.profile = None
        # Before an agent is chosen the tables have nothing to say; after, "none".
        self._loaded = no_data
        figure = empty_figure if no_data else charts_profile.prompt_figure
        for chart, title in (
            (self.trend_chart, self.tr("Score trend")),
            (self.difference_chart, self.tr("Above and below the team")),
        ):
            chart.set_builder(lambda fig, theme, t=title: figure(t, message, theme=theme, fig=fig))
        self._shown_rows = ()
        for model in (
            self.areas_model,
            self.weakest_model,
            self.comments_model,
            self.critical_model,
        ):
            model.set_rows(())
        self._update_empty()

    def show_profile(self, p: AgentProfile) -> None:
        self.profile = p
        self._loaded = True
        self.trend_chart.set_builder(
            lambda fig, theme: charts_profile.profile_trend_figure(
                p.trend, p.name, p.team_name, theme=theme, fig=fig
            )
        )
        self._show_areas()
        self.weakest_model.set_rows(p.weakest_questions)
        self.comments_model.set_rows(p.comments)
        self.critical_model.set_rows(p.critical_failures)
        for view in (self.weakest_view, self.comments_view, self.critical_view):
            view.resizeColumnsToContents()
            self._cap_columns(view)
        self.comments_view.resizeRowsToContents()
        self.critical_view.resizeRowsToContents()
        self._update_empty()

    def _show_areas(self) -> None:
        p = self.profile
        if p is None:
            return
        scope = self.scope()
        titles = {
            "category": self.tr("Areas: agent minus team"),
            "section": self.tr("Sections: agent minus team"),
            "question": self.tr("Questions: agent minus team"),
        }
        if scope == "category":
            rows = tuple(c for c in p.areas.categories if c.difference is not None and c.n >= MIN_N)
            rows = tuple(sorted(rows, key=lambda c: -(c.difference or 0.0)))
        elif scope == "section":
            rows = p.areas.ranked_sections()
        else:
            rows = p.areas.ranked_questions()
        title = titles[scope]
        self._shown_rows = tuple(charts_profile.shown_differences(rows))
        self.difference_chart.set_builder(
            lambda fig, theme: charts_profile.differences_figure(
                rows, title, min_height=charts_profile.TREND_HEIGHT, theme=theme, fig=fig
            )
        )
        self.areas_model.set_rows(rows)
        self.areas_view.resizeColumnsToContents()
        self._cap_columns(self.areas_view)
        self._update_empty()

    def _cap_columns(self, view: QTableView) -> None:
        # Long texts would push the numbers out of sight: cap text columns (the question
        # beside a comment gets more room, the comment itself stretches).
        em = self.fontMetrics().horizontalAdvance("M")
        wide = view in (self.comments_view, self.critical_view)
        for col in range(view.model().columnCount()):
            limit = em * (24 if wide and col == 3 else 13)
            if view.columnWidth(col) > limit:
                view.setColumnWidth(col, limit)

    def _update_empty(self) -> None:
        for view, label in self.empty_labels.items():
            label.setVisible(self._loaded and view.model().rowCount() == 0)

    # ------------------------------------------------------------------ drill-down
    def _bar_clicked(self, key: str, index: int) -> None:
        if key == "difference" and 0 <= index < len(self._shown_rows):
            item = self._shown_rows[index]
            if item.kind is AreaKind.QUESTION and item.form_id is not None:
                self.questionActivated.emit(item.form_id, item.key)

    def _describe_bar(self, key: str, index: int) -> str:
        if key != "difference" or not 0 <= index < len(self._shown_rows):
            return ""
        item = self._shown_rows[index]
        loc = QLocale()
        text = self.tr("{0}: agent {1}%, team {2}% (n = {3})").format(
            comparison_label(item),
            loc.toString(float(item.percent or 0.0), "f", 1),
            loc.toString(float(item.team_percent or 0.0), "f", 1),
            item.n,
        )
        if item.kind is AreaKind.QUESTION:
            text += "\n" + self.tr("Click to list the evaluations that missed it")
        return text

    def _area_activated(self, index: QModelIndex) -> None:
        key = index.data(KEY_ROLE)
        if key and key[0] == "question":
            self.questionActivated.emit(key[1], key[2])

    def _question_activated(self, index: QModelIndex) -> None:
        key = index.data(KEY_ROLE)
        if key:
            self.questionActivated.emit(key[1], key[2])

    def _evaluation_activated(self, index: QModelIndex) -> None:
        key = index.data(KEY_ROLE)
        if key:
            self.evaluationActivated.emit(int(key[1]))
