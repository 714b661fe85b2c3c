"""The Outcomes screen's tables: outcomes per period, churn reasons, save rates and the
drivers of customer outcomes (one model per table).

Rules:
- A figure's cell reads "value (low–high)"; its hover text is the formula with the
  inputs and the interval's method; a missing figure reads "—" and its hover text says
  why (no counts for the period, counts that leave a gap, too few answers).
- ``SORT_ROLE`` gives raw values (a missing figure sorts first); ``ID_ROLE`` a row's
  key (the period's index, the agent's id or the reason's code, the question's id).
- Figures are isolated left to right (``ltr``) for display; the accessible text is
  plain.
- Drivers rows below the minimum n are greyed and read "too few answers (n)".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QGuiApplication

from qa_monitor.core.drivers import FDR, MIN_GROUP, Effect, Outcome
from qa_monitor.core.metrics import REPEAT_WINDOW_DAYS
from qa_monitor.services.outcome_service import Grain, PeriodOutcomes, ReasonCount, SaveRate
from qa_monitor.ui import outcome_texts as texts
from qa_monitor.ui.models.table_base import ID_ROLE, RIGHT, SORT_ROLE, HeaderedTable, Index
from qa_monitor.ui.widgets.widget_style import ltr, muted_color

DISPLAY, TIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole


Cell = tuple[str, str, object, bool] | tuple[str, str, object, bool, str]
_CELL_ROLES = frozenset({DISPLAY, ACCESSIBLE, TIP, SORT_ROLE, Qt.ItemDataRole.TextAlignmentRole})


def _basic(role: int, text: str, tip: str, sort: object, numeric: bool, shown: str = "") -> Any:
    if role == DISPLAY:
        if shown:
            return shown
        # Figures with their brackets read left to right in a right-to-left layout too.
        return ltr(text) if numeric else text
    if role == ACCESSIBLE:
        return text
    if role == TIP:
        return tip or None
    if role == SORT_ROLE:
        return sort
    if role == Qt.ItemDataRole.TextAlignmentRole and numeric:
        return RIGHT
    return None


class _CachedCells(HeaderedTable):
    """A cell's texts are made once per reset: sizing the columns asks every cell for
    several roles, and a figure's hover text (its formula with the inputs) is not cheap
    (at 1M evaluations, all time by quarter: 0.9 s of the GUI thread before this)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._cells: dict[tuple[int, int], Cell] = {}
        self._columns = -1  # fixed once known; headers() translates on every call
        self.modelReset.connect(self._cells.clear)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        if self._columns < 0:
            self._columns = len(self.headers())
        return self._columns

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        if role == ID_ROLE:
            return self.row_id(index.row())
        if role not in _CELL_ROLES:
            return self.other_role(index.row(), role)
        key = (index.row(), index.column())
        cell = self._cells.get(key)
        if cell is None:
            cell = self._cells[key] = self.cell(*key)
        return _basic(role, *cell)

    def row_id(self, row: int) -> object:
        raise NotImplementedError

    def other_role(self, row: int, role: int) -> Any:
        return None

    def cell(self, row: int, col: int) -> Cell:
        raise NotImplementedError


class PeriodsModel(_CachedCells):
    KEYS = (
        "crr",
        "churn",
        "simple_index",
        "nps",
        "csat",
        "csat_mean",
        "ces",
        "fcr",
        "fcr_repeat",
        "save_rate",
    )
    PERIOD, CUSTOMERS = 0, 1
    FIRST_FIGURE = 2
    NUMERIC = frozenset(range(1, 2 + len(KEYS)))

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.periods: tuple[PeriodOutcomes, ...] = ()
        self.grain = Grain.MONTH

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Period"),
            self.tr("Customers S → E (N new)"),
            self.tr("CRR"),
            self.tr("Churn rate"),
            self.tr("Simple index"),
            self.tr("NPS"),
            self.tr("CSAT (4–5)"),
            self.tr("CSAT mean"),
            self.tr("CES"),
            self.tr("FCR (reported)"),
            self.tr("FCR (repeat contacts)"),
            self.tr("Save rate"),
        )

    def tips(self) -> tuple[str, ...]:
        return (
            self.tr("Calendar periods in the centre's time zone"),
            self.tr("Customers at the start and the end of the period, and new customers"),
            self.tr("Customer retention rate: ((E − N) / S) × 100, with its Wilson interval"),
            self.tr("Customers lost (S + N − E) of those at the start, with its Wilson interval"),
            self.tr("E / S × 100, only for periods without new customers; no interval"),
            self.tr("Net promoter score in points, normal-approximation interval"),
            self.tr("Share of CSAT answers of 4 or 5, with its Wilson interval"),
            self.tr("Mean CSAT answer (1–5), Student's t interval"),
            self.tr("Mean customer effort answer (1–7), Student's t interval"),
            self.tr(
                "First-contact resolution as reported: share answered or imported as "
                "resolved on first contact, Wilson"
            ),
            self.tr(
                "First-contact resolution from repeat contacts: share of judged contacts "
                "whose customer did not contact again within {0} days, Wilson"
            ).format(REPEAT_WINDOW_DAYS),
            self.tr("Retention calls saved of those decided, Wilson interval"),
        )

    def set_periods(self, periods: Sequence[PeriodOutcomes], grain: Grain) -> None:
        self.beginResetModel()
        self.periods, self.grain = tuple(periods), grain
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.periods)

    def row_id(self, row: int) -> object:
        return row

    def cell(self, row: int, col: int) -> Cell:
        p = self.periods[row]
        if col == self.PERIOD:
            name = texts.period_name(p.start, p.end, self.grain)
            return (name, "", p.start.isoformat(), False)
        if col == self.CUSTOMERS:
            if p.base is None:
                return (texts.DASH, texts.gap_text(p.gap), -1, True)
            b = p.base
            text = self.tr("{0} → {1} ({2} new)").format(
                self._count(b.start), self._count(b.end), self._count(b.new)
            )
            tip = (
                self.tr("From the imported customer counts.")
                if b.source == "counts"
                else self.tr("From the customer list.")
            )
            return (text, tip, b.start, True)
        key = self.KEYS[col - self.FIRST_FIGURE]
        figure = getattr(p, key)
        if figure is None:
            return (texts.DASH, texts.missing_text(key, p), -1e9, True)
        text = texts.figure_text(key, figure)
        return (text, texts.formula(key, figure), figure.value, True)


class _RowsTable(_CachedCells):
    """A table of a tuple of rows, replaced whole by ``set_rows``."""

    rows: tuple[Any, ...]

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rows = ()

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)


class ReasonsModel(_RowsTable):
    REASON, TEAM, N, SHARE, CUMULATIVE = range(5)
    NUMERIC = frozenset({N, SHARE, CUMULATIVE})

    rows: tuple[ReasonCount, ...]

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Reason"),
            self.tr("Team that can act"),
            self.tr("Customers"),
            self.tr("Share"),
            self.tr("Cumulative"),
        )

    def row_id(self, row: int) -> object:
        return self.rows[row].code

    def cell(self, row: int, col: int) -> Cell:
        r = self.rows[row]
        if col == self.REASON:
            tip = ""
            if r.texts:
                written = "; ".join(f"{t} ({n})" for t, n in r.texts[:8])
                tip = self.tr("As the files wrote it: {0}").format(written)
            return (texts.reason_label(r.code, r.label), tip, r.label, False)
        if col == self.TEAM:
            return (texts.team_label(r.acting_team), "", r.acting_team, False)
        if col == self.N:
            return (self._count(r.n), "", r.n, True)
        value = r.share if col == self.SHARE else r.cumulative
        return (self.tr("{0} %").format(texts.number(value)), "", value, True)


class SaveRatesModel(_RowsTable):
    GROUP, RETAINED, LOST, RATE = range(4)
    NUMERIC = frozenset({RETAINED, LOST, RATE})
    rows: tuple[SaveRate, ...]

    def __init__(
        self, group_title: str, name: Callable[[object], str], parent: QObject | None = None
    ):
        super().__init__(parent)
        self.group_title, self.name = group_title, name

    def headers(self) -> tuple[str, ...]:
        return (self.group_title, self.tr("Retained"), self.tr("Lost"), self.tr("Save rate"))

    def row_id(self, row: int) -> object:
        return self.rows[row].key

    def cell(self, row: int, col: int) -> Cell:
        r = self.rows[row]
        if col == self.GROUP:
            return (self.name(r.key), "", self.name(r.key), False)
        if col == self.RETAINED:
            return (self._count(r.retained), "", r.retained, True)
        if col == self.LOST:
            return (self._count(r.lost), "", r.lost, True)
        if r.figure is None:
            tip = texts.tr(
                "Too few decided retention calls ({0}): a figure needs at least {1}."
            ).format(r.retained + r.lost, texts.MIN_N)
            return (texts.DASH, tip, -1.0, True)
        return (
            texts.figure_text("save_rate", r.figure),
            texts.formula("save_rate", r.figure),
            r.figure.value,
            True,
        )


class DriversModel(_RowsTable):
    QUESTION, OUTCOME, DIFFERENCE, SIZE, N, Q, SIGNIFICANT = range(7)
    NUMERIC = frozenset({DIFFERENCE, SIZE, N, Q})

    rows: tuple[tuple[str, Effect], ...]  # (question wording, effect), in the order shown

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Question"),
            self.tr("Outcome"),
            self.tr("Difference (full − not)"),
            self.tr("Effect size"),
            self.tr("n full / not"),
            self.tr("q-value"),
            self.tr("Significant at 5 % FDR"),
        )

    def tips(self) -> tuple[str, ...]:
        return (
            "",
            "",
            self.tr("Outcome with full marks minus without, with its 95 % interval"),
            self.tr("Cohen's d for means and NPS, Cohen's h for rates"),
            self.tr("Answers with full marks / without"),
            self.tr("Benjamini–Hochberg adjusted p-value"),
            self.tr("Whether the q-value is below {0} %").format(round(FDR * 100)),
        )

    def row_id(self, row: int) -> object:
        return self.rows[row][1].question_id

    def other_role(self, row: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not self.rows[row][1].shown:
            return muted_color(QGuiApplication.palette())
        return None

    def cell(self, row: int, col: int) -> Cell:
        wording, e = self.rows[row]
        if col == self.QUESTION:
            # Shown in its own direction, whatever the layout's.
            return (wording, wording, wording, False, f"\u2068{wording}\u2069")
        if col == self.OUTCOME:
            return (texts.outcome_name(e.outcome), "", e.outcome.value, False)
        if col == self.N:
            text = self.tr("{0} / {1}").format(self._count(e.n_full), self._count(e.n_missed))
            return (text, "", min(e.n_full, e.n_missed), True)
        if not e.shown:
            few = min(e.n_full, e.n_missed)
            text = self.tr("too few answers ({0})").format(self._count(few))
            tip = self.tr(
                "Each group needs at least {0} answers for a comparison; the smaller has {1}."
            ).format(MIN_GROUP, few)
            return (text if col == self.DIFFERENCE else "", tip, -1e9, True)
        if col == self.DIFFERENCE:
            return (self._difference(e), self._compare(e), e.difference, True)
        if col == self.SIZE:
            return (texts.number(e.effect_size or 0.0, 2), "", e.effect_size, True)
        if col == self.Q:
            q = e.q_value if e.q_value is not None else 1.0
            text = "< 0.001" if q < 0.001 else texts.number(q, 3)
            return (text, "", q, True)
        text = self.tr("Yes") if e.flagged else self.tr("No")
        return (text, "", int(e.flagged), False)

    def _difference(self, e: Effect) -> str:
        decimals = 2 if e.outcome in (Outcome.CSAT, Outcome.CES) else 1
        return self.tr("{0} ({1} to {2})").format(
            _signed(e.difference or 0.0, decimals),
            _signed(e.low or 0.0, decimals),
            _signed(e.high or 0.0, decimals),
        )

    def _compare(self, e: Effect) -> str:
        decimals = 2 if e.outcome in (Outcome.CSAT, Outcome.CES) else 1
        return self.tr("{0} with full marks, {1} without.").format(
            texts.number(e.value_full or 0.0, decimals),
            texts.number(e.value_missed or 0.0, decimals),
        )


def _signed(value: float, decimals: int) -> str:
    text = texts.number(abs(value), decimals)
    return ("+" if value >= 0 else "−") + text
