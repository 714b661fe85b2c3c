"""The Reviewer quality screen's tables (reviewers, question agreement) and its loader.

Rules (UX.md, Tables):
- Numbers right-aligned with one decimal in the user's locale; "—" where a value has
  no denominator (no comparable work, no calibration against the expert, no evaluation
  or no decided dispute in the period).
- Strictness reads as a sentence: "3.2 points stricter than peers (1.1 to 5.3)",
  "2.0 points more lenient than peers (…)", with ", within noise" before the interval
  when the 95 % interval contains zero; the sort value is the offset itself.
- Every header has a tooltip giving its formula. ``ID_ROLE`` names the row's reviewer
  or question; ``SORT_ROLE`` gives the raw value; texts are bidi isolates (``isolate``).
- ``ReviewerQualityLoader`` runs the service on one worker thread under a
  ``CancelToken``; a newer request cancels the older; results come back by queued
  signals tagged with the screen's generation; widgets are never touched there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    Qt,
    QThreadPool,
    Signal,
)

from qa_monitor.core.reviewer_quality import Offset, Verdict
from qa_monitor.services.cancellation import CancelToken
from qa_monitor.services.reviewer_quality_service import (
    QuestionReliability,
    ReviewerQualityRow,
    ReviewerQualityService,
)
from qa_monitor.ui.models.dashboard_table_models import isolate
from qa_monitor.ui.models.table_base import (
    ID_ROLE,
    NO_VALUE,
    RIGHT,
    SORT_ROLE,
    HeaderedTable,
    Index,
)
from qa_monitor.ui.workers import QueryJob, emit_safely


class _Table(HeaderedTable):
    """Rows of a sequence, each cell a text (``text``), with its sort value and id."""

    def text(self, row: Any, col: int) -> str:
        raise NotImplementedError

    def sort_value(self, row: Any, col: int) -> Any:
        raise NotImplementedError

    def row_id(self, row: Any) -> Any:
        raise NotImplementedError

    def rows(self) -> Sequence[Any]:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rows = self.rows()
        if not index.isValid() or index.row() >= len(rows):
            return None
        row, col = rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return isolate(self.text(row, col))
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(row, col)
        if role == ID_ROLE:
            return self.row_id(row)
        if role == SORT_ROLE:
            return self.sort_value(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self.NUMERIC:
            return RIGHT
        return None

    def row_of(self, row_id: Any) -> int:
        return next((i for i, r in enumerate(self.rows()) if self.row_id(r) == row_id), -1)

    def _number(self, value: float | None, decimals: int = 1) -> str:
        return NO_VALUE if value is None else self._locale.toString(value, "f", decimals)

    def _percent(self, share: float | None) -> str:
        if share is None:
            return NO_VALUE
        return self.tr("{0}%").format(self._locale.toString(share * 100, "f", 1))


class ReviewersTableModel(_Table):
    """One row per reviewer (``ReviewerQualityService.report``)."""

    (REVIEWER, EVALUATIONS, STRICTNESS, CAL_N, CAL_MAD, CAL_BIAS, DISPUTE_RATE,
     OVERTURN_RATE) = range(8)  # fmt: skip
    NUMERIC = frozenset({EVALUATIONS, CAL_N, CAL_MAD, CAL_BIAS, DISPUTE_RATE, OVERTURN_RATE})

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[ReviewerQualityRow] = []

    def set_rows(self, rows: Sequence[ReviewerQualityRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> Sequence[ReviewerQualityRow]:
        return self._rows

    def row_at(self, row: int) -> ReviewerQualityRow:
        return self._rows[row]

    def row_id(self, row: ReviewerQualityRow) -> int:
        return row.quality.reviewer_id

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Reviewer"),
            self.tr("Evaluations"),
            self.tr("Strictness against peers (95% interval)"),
            self.tr("Calibrations"),
            self.tr("Mean deviation"),
            self.tr("Bias"),
            self.tr("Dispute rate"),
            self.tr("Overturn rate"),
        )

    def tips(self) -> tuple[str, ...]:
        return (
            self.tr("The reviewer; the expert is the benchmark of calibration sessions"),
            self.tr("Scored regular evaluations of interactions in the period"),
            self.tr(
                "Comparable work: regular evaluations on the same form, for the same team, "
                "in the same calendar month. In each such cell where peers also scored, "
                "offset = peers' mean score − the reviewer's mean score; strictness is the "
                "mean of the offsets weighted by the reviewer's evaluations in each cell, "
                "in points (positive: stricter than peers). The interval is a 95% t "
                'interval over the cells; "within noise" when it contains zero.'
            ),
            self.tr(
                "Calibration evaluations of the reviewer that the expert also scored "
                "(same interaction)"
            ),
            self.tr(
                "Mean absolute deviation from the expert in points: mean of |reviewer's "
                "score − expert's score| over the calibration evaluations (target: 5 or less)"
            ),
            self.tr(
                "Bias against the expert in points: mean of (reviewer's score − expert's "
                "score) over the calibration evaluations; positive scores higher than the "
                "expert, negative lower"
            ),
            self.tr("Evaluations the agent disputed ÷ the reviewer's evaluations in the period"),
            self.tr("Disputed questions whose answer was changed ÷ disputed questions decided"),
        )

    def strictness_text(self, offset: Offset | None) -> str:
        if offset is None:
            return self.tr("— (no comparable work)")
        value = self._number(abs(offset.value))
        if offset.low is None or offset.high is None:
            return self.tr("{0} points from peers in one cell (no interval)").format(
                self._number(offset.value)
            )
        low, high = self._number(offset.low), self._number(offset.high)
        # The estimate is always shown; "within noise" says the interval holds zero.
        if offset.within_noise:
            if offset.value > 0:
                text = self.tr("{0} points stricter than peers, within noise ({1} to {2})")
            else:
                text = self.tr("{0} points more lenient than peers, within noise ({1} to {2})")
        elif offset.value > 0:
            text = self.tr("{0} points stricter than peers ({1} to {2})")
        else:
            text = self.tr("{0} points more lenient than peers ({1} to {2})")
        return text.format(value, low, high)

    def text(self, row: ReviewerQualityRow, col: int) -> str:
        q = row.quality
        if col == self.REVIEWER:
            return self.tr("{0} (expert)").format(q.name) if q.is_expert else q.name
        if col == self.EVALUATIONS:
            return self._locale.toString(q.evaluations)
        if col == self.STRICTNESS:
            return self.strictness_text(q.strictness)
        if col == self.CAL_N:
            return NO_VALUE if q.is_expert else self._locale.toString(q.calibration_n)
        if col == self.CAL_MAD:
            return self._number(q.calibration_mad)
        if col == self.CAL_BIAS:
            if q.calibration_bias is None:
                return NO_VALUE
            sign = "+" if q.calibration_bias > 0 else ""
            return sign + self._number(q.calibration_bias)
        if col == self.DISPUTE_RATE:
            return self._percent(row.dispute_rate)
        return self._percent(row.overturn_rate)

    def sort_value(self, row: ReviewerQualityRow, col: int) -> Any:
        q = row.quality
        values: dict[int, Any] = {
            self.REVIEWER: q.name.casefold(),
            self.EVALUATIONS: q.evaluations,
            self.STRICTNESS: q.strictness.value if q.strictness else -1e9,
            self.CAL_N: q.calibration_n,
            self.CAL_MAD: q.calibration_mad if q.calibration_mad is not None else -1.0,
            self.CAL_BIAS: q.calibration_bias if q.calibration_bias is not None else -1e9,
            self.DISPUTE_RATE: row.dispute_rate if row.dispute_rate is not None else -1.0,
            self.OVERTURN_RATE: row.overturn_rate if row.overturn_rate is not None else -1.0,
        }
        return values[col]


class QuestionsTableModel(_Table):
    """Agreement per question over recent calibration sessions."""

    FORM, QUESTION, ALPHA, INTERVAL, SESSIONS, VERDICT = range(6)
    NUMERIC = frozenset({ALPHA, SESSIONS})

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[QuestionReliability] = []

    def set_rows(self, rows: Sequence[QuestionReliability]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> Sequence[QuestionReliability]:
        return self._rows

    def row_id(self, row: QuestionReliability) -> tuple[str, str]:
        return (row.form_id, row.question_id)

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Form"),
            self.tr("Question"),
            self.tr("Alpha"),
            self.tr("Interval (95%)"),
            self.tr("Sessions"),
            self.tr("Verdict"),
        )

    def tips(self) -> tuple[str, ...]:
        return (
            "",
            self.tr("The question's wording in the form's latest version"),
            self.tr(
                "Krippendorff's alpha over the reviewers' answers in recent calibration "
                "sessions: 1 − observed disagreement ÷ disagreement expected by chance; "
                "nominal for yes/no and choices, ordinal for scales"
            ),
            self.tr(
                "Percentile bootstrap interval: sessions resampled 500 times with a fixed seed"
            ),
            self.tr(
                "Calibration sessions (one interaction scored by several reviewers) in "
                "which two or more reviewers answered the question; the latest 30 per form"
            ),
            self.tr("0.80 or more: reliable; 0.667 or more: tentative; below: unreliable"),
        )

    def verdict_text(self, verdict: Verdict) -> str:
        return {
            Verdict.UNRELIABLE: self.tr(
                "Unreliable: reviewers disagree more than chance allows — rewrite or drop"
            ),
            Verdict.TENTATIVE: self.tr("Tentative: agreement is fair; watch it"),
            Verdict.RELIABLE: self.tr("Reliable"),
            Verdict.TOO_FEW: self.tr("Too few calibrations to judge"),
            Verdict.UNDEFINED: self.tr("Every reviewer gave the same answer: nothing to judge"),
        }[verdict]

    def text(self, row: QuestionReliability, col: int) -> str:
        if col == self.FORM:
            return row.form_title
        if col == self.QUESTION:
            return row.text
        if col == self.ALPHA:
            return self._number(row.alpha, 2)
        if col == self.INTERVAL:
            if row.low is None or row.high is None:
                return NO_VALUE
            return self.tr("{0} to {1}").format(self._number(row.low, 2), self._number(row.high, 2))
        if col == self.SESSIONS:
            return self._locale.toString(row.sessions)
        return self.verdict_text(row.verdict)

    def sort_value(self, row: QuestionReliability, col: int) -> Any:
        values: dict[int, Any] = {
            self.FORM: row.form_title.casefold(),
            self.QUESTION: row.text.casefold(),
            self.ALPHA: row.alpha if row.alpha is not None else 9.0,
            self.INTERVAL: row.low if row.low is not None else 9.0,
            self.SESSIONS: row.sessions,
            self.VERDICT: list(Verdict).index(row.verdict),
        }
        return values[col]


class ReviewerQualityLoader(QObject):
    loaded = Signal(int, object)  # generation, ReviewerQualityReport
    failed = Signal(int, str)  # generation, what went wrong

    def __init__(self, service: ReviewerQualityService, parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self._token = CancelToken()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

    def load(self, generation: int, start: date | None, end: date | None) -> None:
        """Read the report of ``start`` to ``end`` (stopping an older request)."""
        self._token.cancel()
        token = self._token = CancelToken()
        service = self.service
        self._pool.start(
            QueryJob(
                lambda t: service.report(start, end, t),
                token,
                lambda report: emit_safely(self.loaded, generation, report),
                lambda error: emit_safely(self.failed, generation, error),
                what="Loading the reviewer quality report",
            )
        )

    def cancel(self) -> None:
        self._token.cancel()

    def wait(self) -> None:
        self._pool.waitForDone()
