"""The Outcomes screen's "Drivers" tab: behaviours that move customer outcomes.

Rules:
- A note that stays in sight says these are associations, not proof of cause, and how
  results are hidden (below the minimum n) and flagged (5 % false-discovery rate).
- The form and the outcome are chosen (CSAT by default); the chart ranks the chosen
  outcome's shown comparisons by |effect size|; the table lists every question and
  outcome, the chosen outcome first, rows below the minimum n greyed with "too few
  answers (n)".
- Questions that predict nothing measurable are listed as candidates to reword or drop.
- The scatter shows QA score against CSAT with Pearson's r, its interval and n.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.drivers import FDR, MIN_GROUP, Outcome, ranked, size_interval
from qa_monitor.reports.charts_outcomes import (
    DriverBar,
    DriversTexts,
    ScatterTexts,
    drivers_figure,
    score_csat_figure,
)
from qa_monitor.reports.charts_style import ChartTheme
from qa_monitor.services.drivers_service import DriversReport
from qa_monitor.ui import outcome_texts as texts
from qa_monitor.ui.models.outcomes_models import DriversModel
from qa_monitor.ui.screens.outcomes_tables import fit, outcome_table, titled
from qa_monitor.ui.widgets.chart_widget import ChartWidget


class DriversView(QWidget):
    formChanged = Signal()

    def __init__(self, forms: list[tuple[str, str]], parent: QWidget | None = None):
        """``forms``: (title, form id) pairs to choose from."""
        super().__init__(parent)
        self.report: DriversReport | None = None
        layout = QVBoxLayout(self)
        self.note = QLabel(
            self.tr(
                "These are associations, not proof that a behaviour causes the outcome: calls "
                "that earn full marks on a question can differ in other ways too. A comparison "
                "needs at least {0} answers with full marks and {0} without; smaller ones are "
                "hidden. A result is flagged when it is significant at a {1} % false-discovery "
                "rate (Benjamini–Hochberg). Regular evaluations only."
            ).format(MIN_GROUP, round(FDR * 100))
        )
        self.note.setWordWrap(True)
        self.note.setProperty("role", "notice")
        self.note.setAccessibleName(self.tr("About these results"))
        layout.addWidget(self.note)
        bar = QHBoxLayout()
        self.form = QComboBox()
        self.form.setAccessibleName(self.tr("Form"))
        for title, form_id in forms:
            self.form.addItem(title, form_id)
        self.form.currentIndexChanged.connect(lambda _i: self.formChanged.emit())
        self.outcome = QComboBox()
        self.outcome.setAccessibleName(self.tr("Outcome"))
        for outcome in Outcome:
            self.outcome.addItem(texts.outcome_name(outcome), outcome.value)
        self.outcome.currentIndexChanged.connect(lambda _i: self._show())
        for text, combo in ((self.tr("For&m:"), self.form), (self.tr("O&utcome:"), self.outcome)):
            caption = QLabel(text)
            caption.setBuddy(combo)
            bar.addWidget(caption)
            bar.addWidget(combo)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.months = QLabel()
        self.months.setProperty("role", "muted")
        self.months.setWordWrap(True)
        layout.addWidget(self.months)

        self.chart = ChartWidget(self.tr("Behaviours that move customer outcomes"))
        self.scatter = ChartWidget(self.tr("QA score against CSAT"))
        self.model = DriversModel(self)
        self.table = outcome_table(self.tr("Drivers by question"), self.model, self)
        self.candidates = QListWidget()
        self.candidates.setAccessibleName(self.tr("Candidates to reword or drop"))
        self.candidates.setMaximumHeight(self.fontMetrics().height() * 8)
        grid = QGridLayout()
        grid.addWidget(self.chart, 0, 0, Qt.AlignmentFlag.AlignTop)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.scatter)
        column.addWidget(
            titled(
                self.tr("Candidates to re&word or drop"),
                self.candidates,
                self.tr(
                    "Questions compared with at least one outcome that go with no measurable "
                    "difference in any (every effect size below 0.1, none flagged)."
                ),
            )
        )
        column.addStretch(1)
        grid.addWidget(side, 0, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout.addLayout(grid)
        layout.addWidget(titled(self.tr("Drivers by &question"), self.table))
        layout.addStretch(1)

    def form_id(self) -> str | None:
        data = self.form.currentData()
        return None if data is None else str(data)

    def chosen(self) -> Outcome:
        return Outcome(self.outcome.currentData())

    def show_report(self, report: DriversReport) -> None:
        self.report = report
        first, last = report.months
        self.months.setText(
            self.tr("Whole months read: {0} to {1}.").format(
                texts.period_name(first, first, texts.Grain.MONTH),
                texts.period_name(last, last, texts.Grain.MONTH),
            )
        )
        self.candidates.clear()
        for question in report.questions:
            if question.predicts_nothing:
                # Isolated: a wording in another script than the layout's keeps its
                # own direction (its question mark stays at its end).
                self.candidates.addItem(f"\u2068{report.text(question.question_id)}\u2069")
        if not self.candidates.count():
            self.candidates.addItem(self.tr("None: every question compared goes with something."))
        self._show_scatter(report)
        self._show()

    def _show(self) -> None:
        report = self.report
        if report is None:
            return
        outcome = self.chosen()
        effects = ranked(report.questions, outcome)
        bars = []
        for e in effects:
            low, high = size_interval(e) or (None, None)
            bars.append(
                DriverBar(report.text(e.question_id), e.effect_size or 0.0, low, high, e.flagged)
            )
        chart_texts = DriversTexts(
            self.tr("Behaviours that move {0}").format(texts.outcome_name(outcome)),
            self.tr("Effect size (full marks against not; whiskers: 95 % interval)"),
            self.tr("Significant at 5 % FDR"),
            self.tr("Not significant"),
            self.tr(
                "No question has enough answers on both sides for this outcome (at least {0} "
                "each). Choose a longer period or another outcome."
            ).format(MIN_GROUP),
        )

        def build(fig: Figure | None, theme: ChartTheme) -> Figure:
            return drivers_figure(bars, chart_texts, theme=theme, fig=fig)

        self.chart.set_builder(build)
        # The table: the chosen outcome's rows first (largest |effect| first, hidden
        # ones after), then the other outcomes'.
        order = {o: i for i, o in enumerate(Outcome)}
        order[outcome] = -1
        rows = [(report.text(e.question_id), e) for q in report.questions for e in q.effects]
        rows.sort(key=lambda r: (order[r[1].outcome], not r[1].shown, -abs(r[1].effect_size or 0)))
        self.model.set_rows(rows)
        fit(self.table, len(rows))

    def _show_scatter(self, report: DriversReport) -> None:
        c = report.score_csat
        if c.r is None:
            summary = self.tr(
                "Too few evaluations with a CSAT answer for a correlation (n = {0})."
            ).format(c.n)
        elif c.low is None or c.high is None:
            summary = self.tr("r = {0}, n = {1}").format(texts.number(c.r, 2), c.n)
        else:
            summary = self.tr("r = {0} (95 % interval {1} to {2}), n = {3}").format(
                texts.number(c.r, 2), texts.number(c.low, 2), texts.number(c.high, 2), c.n
            )
        self.correlation_text = summary
        scatter_texts = ScatterTexts(
            self.tr("QA score against CSAT"),
            self.tr("QA score (%)"),
            self.tr("CSAT answer (1–5)"),
            summary,
            self.tr("No evaluation of this form has a CSAT answer in this period."),
        )
        points = report.points

        def build(fig: Figure | None, theme: ChartTheme) -> Figure:
            return score_csat_figure(points, scatter_texts, theme=theme, fig=fig)

        self.scatter.set_builder(build)
