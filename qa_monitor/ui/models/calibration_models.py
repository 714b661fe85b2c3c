"""The Calibration screen's tables and its loader: the sessions, an open session's
participants, and a revealed session's reviewers and question × reviewer matrix.

Rules (UX.md, Tables):
- Numbers right-aligned in the user's locale (scores and points one decimal, half up;
  alpha two); "—" where there is no value. Every cell's text is a bidi isolate, the
  plain text its accessible text.
- Before the reveal nothing here holds a score or an answer: the participants table
  knows only states.
- The matrix marks a disagreeing question and an answer that differs from the
  benchmark's with a shade *and* a sign ("≠" before the answer, "⚠" before the
  question), and its tooltip and accessible text say it in words.
- ``CalibrationLoader`` reads on one worker thread (``CalibrationListService``), a
  generation per request; a newer list (or detail) request cancels the older one of
  its kind, whose answer is dropped; widgets are never touched there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QGuiApplication

from qa_monitor.core.calibration import (
    Band,
    Bands,
    MatrixRow,
    Participant,
    ReviewerResult,
    answer_key,
    answer_label,
)
from qa_monitor.services.calibration_list_service import (
    CalibrationListService,
    CancelToken,
    ListedSession,
    RevealView,
)
from qa_monitor.services.calibration_service import ParticipantState, QuestionAlpha
from qa_monitor.ui.calibration_texts import (
    alpha_number,
    alpha_sentence,
    answer_text,
    band_color,
    band_icon,
    band_text,
    band_word,
    interval_text,
    my_part_text,
    percent,
    points,
    score_text,
    state_icon,
    state_text,
    verdict_word,
    warning_color,
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
from qa_monitor.ui.widgets.widget_style import is_dark, mix
from qa_monitor.ui.workers import QueryJob, emit_safely

DIFFERS_MARK = "≠"
DISAGREES_MARK = "⚠"
EXPERT_MARK = "★"


def two_lines(name: str) -> str:
    """A name broken after its first word ("Leila\nNavabi")."""
    first, _space, rest = name.partition(" ")
    return f"{first}\n{rest}" if rest else first


class _Rows(HeaderedTable):
    """Rows of a list; ``text`` per cell, with its sort value and the row's id."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> Sequence[Any]:
        return self._rows

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, row_id: Any) -> int:
        return next((i for i, r in enumerate(self._rows) if self.row_id(r) == row_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def text(self, row: Any, col: int) -> str:
        raise NotImplementedError

    def sort_value(self, row: Any, col: int) -> Any:
        return self.text(row, col).casefold()

    def row_id(self, row: Any) -> Any:
        raise NotImplementedError

    def extra(self, row: Any, col: int, role: int) -> Any:
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return isolate(self.text(row, col))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.text(row, col)
        if role == ID_ROLE:
            return self.row_id(row)
        if role == SORT_ROLE:
            return self.sort_value(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self.NUMERIC:
            return RIGHT
        return self.extra(row, col, role)


# ------------------------------------------------------------------ the sessions
class SessionsTableModel(_Rows):
    """The sessions list (``CalibrationService.sessions``): open ones first."""

    # What a reviewer looks for first comes first: a narrow list still shows it.
    TITLE, MINE, SCORED, DATE, CALL, FORM, EXPERT = range(7)
    NUMERIC = frozenset({SCORED})
    ELASTIC = (TITLE, CALL, FORM, EXPERT)

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Session"),
            self.tr("My part"),
            self.tr("Scored"),
            self.tr("Due / revealed"),
            self.tr("Call"),
            self.tr("Form"),
            self.tr("Expert"),
        )

    def tips(self) -> tuple[str, ...]:
        return (
            self.tr("The session's title; open sessions are listed first"),
            self.tr("What is left for you: To score, Draft (begun), Submitted, or — (not invited)"),
            self.tr("Reviewers who have submitted, of those invited"),
            self.tr("When an open session is due, or the day it was revealed"),
            self.tr("The call scored in the session: its id in your phone or chat system"),
            self.tr("The form and the version the session scores with"),
            self.tr("The benchmark reviewer, or Consensus: the panel agrees the answers"),
        )

    def row_id(self, row: ListedSession) -> int:
        return row.id

    def text(self, row: ListedSession, col: int) -> str:
        if col == self.TITLE:
            return row.title
        if col == self.CALL:
            return row.call
        if col == self.FORM:
            return self.tr("{0} v{1}").format(row.form_title, row.version)
        if col == self.EXPERT:
            return row.expert_name or self.tr("Consensus")
        if col == self.SCORED:
            return self.tr("{0} of {1}").format(row.submitted, row.invited)
        if col == self.MINE:
            return my_part_text(row.mine) if row.revealed_at is None else NO_VALUE
        if row.revealed_at is not None:
            return self.tr("Revealed {0}").format(self._moment_date(row.revealed_at))
        if row.due_date is not None:
            return self.tr("Due {0}").format(self._date(row.due_date))
        return NO_VALUE

    def sort_value(self, row: ListedSession, col: int) -> Any:
        if col == self.SCORED:
            return (row.submitted, row.invited)
        if col == self.DATE:
            moment = row.revealed_at.date() if row.revealed_at else row.due_date
            return (row.revealed_at is not None, moment.isoformat() if moment else "")
        return super().sort_value(row, col)

    def extra(self, row: ListedSession, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.CALL:
                return self.tr("{0}, {1}").format(row.agent_name, self._date(row.interaction_date))
            return self.text(row, col)
        return None


# ------------------------------------------------------------------ an open session
class ParticipantsModel(_Rows):
    """Who is invited and how far they are: never a score or an answer."""

    NAME, STATE = range(2)

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Reviewer"), self.tr("State"))

    def row_id(self, row: ParticipantState) -> int:
        return row.reviewer_id

    def text(self, row: ParticipantState, col: int) -> str:
        if col == self.NAME:
            return self.tr("{0} (expert)").format(row.name) if row.is_expert else row.name
        return state_text(row.state)

    def extra(self, row: ParticipantState, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and col == self.STATE:
            return state_icon(row.state)
        return None


# ------------------------------------------------------------------ a revealed session
class MatrixModel(HeaderedTable):
    """Rows: the scored questions anyone saw, in form order. Columns: the section, the
    question, one per submitted reviewer (the expert first), then the question's
    agreement, alpha, interval, n, verdict, agreed answer and note."""

    SECTION, QUESTION = 0, 1
    AFTER = ("agreement", "alpha", "interval", "n", "verdict", "agreed", "note")

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._view: RevealView | None = None
        self._rows: tuple[MatrixRow, ...] = ()
        self._people: tuple[Participant, ...] = ()
        self._has_expert = False
        self._section_starts: set[str] = set()

    def set_reveal(self, view: RevealView | None) -> None:
        self.beginResetModel()
        self._view = view
        self._rows = view.reveal.rows if view else ()
        self._people = view.reveal.participants if view else ()
        self._has_expert = bool(view and view.view.record.expert_id is not None)
        rows = self._rows
        self._section_starts = {
            r.question.id
            for i, r in enumerate(rows)
            if i == 0 or rows[i - 1].section_title != r.section_title
        }
        self.endResetModel()

    # -- shape ----------------------------------------------------------------------------
    @property
    def first_after(self) -> int:
        return 2 + len(self._people)

    def column_kind(self, col: int) -> str:
        if col < 2:
            return ("section", "question")[col]
        if col < self.first_after:
            return "reviewer"
        return self.AFTER[col - self.first_after]

    def column_of(self, kind: str) -> int:
        return self.first_after + self.AFTER.index(kind)

    def reviewer_column(self, reviewer_id: int) -> int:
        ids = [p.reviewer_id for p in self._people]
        return 2 + ids.index(reviewer_id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def headers(self) -> tuple[str, ...]:
        names = tuple(
            f"{EXPERT_MARK} {two_lines(p.name)}" if p.is_expert else two_lines(p.name)
            for p in self._people
        )
        return (
            self.tr("Section"),
            self.tr("Question"),
            *names,
            self.tr("Agreement"),
            self.tr("Alpha"),
            self.tr("95% interval"),
            self.tr("n"),
            self.tr("Verdict"),
            self.tr("Agreed"),
            self.tr("Note"),
        )

    def tips(self) -> tuple[str, ...]:
        people = tuple(
            self.tr("★ {0}: the expert, the benchmark of the session").format(p.name)
            if p.is_expert
            else self.tr("{0}'s answers").format(p.name)
            for p in self._people
        )
        return (
            "",
            self.tr("⚠ marks a question the reviewers did not all answer the same"),
            *people,
            self.tr("Share of the reviewers who gave the most common answer"),
            self.tr(
                "Krippendorff's alpha over this session and the form's recent revealed "
                "sessions (each session one unit): nominal for yes/no and choices, "
                "ordinal for scales"
            ),
            self.tr("Percentile bootstrap 95% interval, sessions resampled 1,000 times"),
            self.tr("Sessions in which two or more reviewers answered the question"),
            self.tr("0.80 or more: reliable; 0.667 or more: tentative; below: unreliable"),
            self.tr("The answer the panel agreed on when the session was discussed"),
            self.tr("The panel's note; ✎ marks one that says the guidance must change"),
        )

    def row_at(self, row: int) -> MatrixRow:
        return self._rows[row]

    def row_of(self, question_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.question.id == question_id), -1)

    def question_alpha(self, row: MatrixRow) -> QuestionAlpha | None:
        return self._view.questions.get(row.question.id) if self._view else None

    # -- cells ----------------------------------------------------------------------------
    def benchmark_name(self) -> str:
        return self.tr("the expert's") if self._has_expert else self.tr("the agreed")

    def text(self, row: MatrixRow, col: int) -> str:
        kind = self.column_kind(col)
        if kind == "section":
            # Only on a section's first question: the column reads as a grouping.
            return row.section_title if row.question.id in self._section_starts else ""
        if kind == "question":
            text = row.question.text
            return f"{DISAGREES_MARK} {text}" if row.disagrees else text
        if kind == "reviewer":
            cell = row.cells[col - 2]
            shown = answer_text(cell.label, cell.key, cell.hidden)
            return f"{DIFFERS_MARK} {shown}" if cell.differs else shown
        qa = self.question_alpha(row)
        if kind == "agreement":
            return percent(row.modal_share)
        if kind == "alpha":
            return alpha_number(qa.estimate.alpha) if qa else NO_VALUE
        if kind == "interval":
            return interval_text(qa.estimate) if qa else NO_VALUE
        if kind == "n":
            return self._locale.toString(qa.estimate.units) if qa else NO_VALUE
        if kind == "verdict":
            return verdict_word(qa.verdict) if qa else NO_VALUE
        agreed = row.agreed
        if kind == "agreed":
            key = answer_key(agreed.answer) if agreed is not None else None
            if key is None:
                return NO_VALUE
            return answer_text(answer_label(row.question, key), key, False)
        if agreed is None or not (agreed.note or agreed.guidance_change):
            return ""
        first = agreed.note.splitlines()[0] if agreed.note else ""
        return f"✎ {first}" if agreed.guidance_change else first

    def spoken(self, row: MatrixRow, col: int) -> str:
        """The cell's text for a screen reader and its tooltip: the marks in words."""
        kind = self.column_kind(col)
        if kind == "section":
            return row.section_title
        if kind == "question" and row.disagrees:
            return self.tr("{0} — the reviewers did not all answer the same").format(
                row.question.text
            )
        if kind == "reviewer":
            cell = row.cells[col - 2]
            name = self._people[col - 2].name
            shown = answer_text(cell.label, cell.key, cell.hidden)
            if cell.differs:
                text = self.tr("{0}: {1} — differs from the answer most reviewers gave").format(
                    name, shown
                )
                key = row.benchmark_key
                if key is not None:
                    bench = answer_text(answer_label(row.question, key), key, False)
                    text = self.tr("{0}: {1} — differs from {2} answer, {3}").format(
                        name, shown, self.benchmark_name(), bench
                    )
            else:
                text = self.tr("{0}: {1}").format(name, shown)
            if cell.comment:
                text = self.tr("{0}. Comment: {1}").format(text, cell.comment)
            return text
        if kind == "alpha":
            qa = self.question_alpha(row)
            return alpha_sentence(qa.estimate, "sessions") if qa else NO_VALUE
        if kind == "note" and row.agreed is not None:
            note = row.agreed.note
            if row.agreed.guidance_change:
                return self.tr("The guidance must change. {0}").format(note)
            return note
        return self.text(row, col)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        kind = self.column_kind(col)
        if role == Qt.ItemDataRole.DisplayRole:
            return isolate(self.text(row, col))
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return self.spoken(row, col)
        if role == ID_ROLE:
            return row.question.id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if kind in ("agreement", "alpha", "n"):
                return RIGHT
            if kind == "reviewer":
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            palette = QGuiApplication.palette()
            base = palette.base().color()
            strength = 0.3 if is_dark(palette) else 0.18
            if kind == "reviewer" and row.cells[col - 2].differs:
                return mix(base, warning_color(palette), strength * 1.6)
            if row.disagrees and kind in ("section", "question"):
                return mix(base, warning_color(palette), strength * 0.7)
            return None
        if role == Qt.ItemDataRole.FontRole and kind == "reviewer" and row.cells[col - 2].differs:
            font = QGuiApplication.font()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.TextAlignmentRole
            and 0 <= section < self.columnCount()
            and self.column_kind(section) == "reviewer"
        ):
            return int(Qt.AlignmentFlag.AlignCenter)
        return super().headerData(section, orientation, role)


class ScoresModel(HeaderedTable):
    """Each submitted reviewer's score, deviation from the benchmark and band, one
    column per reviewer: the columns of ``MatrixModel`` (whose headers it shows), so
    the two tables line up, this one above the answers."""

    SCORE, DEVIATION, BAND = range(3)

    def __init__(self, matrix: MatrixModel, parent: QObject | None = None):
        super().__init__(parent)
        self.matrix = matrix
        self.bands = Bands()
        self._people: tuple[Participant, ...] = ()
        self._results: dict[int, ReviewerResult] = {}
        self._benchmark = ""

    def set_reveal(self, view: RevealView | None) -> None:
        self.beginResetModel()
        r = view.reveal if view else None
        self.bands = r.bands if r else Bands()
        self._people = r.participants if r else ()
        self._results = {x.participant.reviewer_id: x for x in r.results} if r else {}
        has_expert = bool(view and view.view.record.expert_id is not None)
        self._benchmark = self.tr("the expert") if has_expert else self.tr("the benchmark")
        self.endResetModel()

    def headers(self) -> tuple[str, ...]:
        return self.matrix.headers()

    def tips(self) -> tuple[str, ...]:
        return self.matrix.tips()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.matrix.columnCount()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self._people else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        return self.matrix.headerData(section, orientation, role)

    def person(self, col: int) -> Participant | None:
        index = col - 2
        return self._people[index] if 0 <= index < len(self._people) else None

    def label(self, row: int) -> str:
        return (
            self.tr("Score"),
            self.tr("Deviation from {0} (points)").format(self._benchmark),
            self.tr("Band"),
        )[row]

    def text(self, row: int, col: int) -> str:
        if col == MatrixModel.SECTION:
            return self.label(row)
        person = self.person(col)
        if person is None:
            return ""
        result = self._results.get(person.reviewer_id)
        if row == self.SCORE:
            return score_text(person.score)
        if row == self.DEVIATION:
            if result is None:
                return self.tr("benchmark") if person.is_expert else NO_VALUE
            return points(result.deviation, signed=True)
        return band_word(result.band if result else None)

    def spoken(self, row: int, col: int) -> str:
        person = self.person(col)
        if person is None:
            return self.text(row, col)
        result = self._results.get(person.reviewer_id)
        if row == self.BAND:
            shown = band_text(result.band if result else None, self.bands)
        else:
            shown = self.text(row, col)
        return self.tr("{0}, {1}: {2}").format(person.name, self.label(row).casefold(), shown)

    def band_of(self, col: int) -> Band | None:
        person = self.person(col)
        result = self._results.get(person.reviewer_id) if person else None
        return result.band if result else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return isolate(self.text(row, col))
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return self.spoken(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and self.person(col) is not None:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and col == MatrixModel.SECTION:
            font = QGuiApplication.font()
            font.setBold(True)
            return font
        if row == self.BAND and self.person(col) is not None:
            band = self.band_of(col)
            if role == Qt.ItemDataRole.ForegroundRole:
                return band_color(band, QGuiApplication.palette())
            if role == Qt.ItemDataRole.DecorationRole:
                return band_icon(band)
        return None


# ------------------------------------------------------------------ the loader
class CalibrationLoader(QObject):
    listed = Signal(int, object)  # generation, list of ListedSession
    detailed = Signal(int, object)  # generation, SessionView | RevealView
    failed = Signal(int, str, str)  # generation, "list" | "detail", what went wrong

    def __init__(self, service: CalibrationListService, parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self._tokens = {"list": CancelToken(), "detail": CancelToken()}
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

    def _start(self, kind: str, generation: int, work: Any, signal: Any, what: str) -> None:
        self._tokens[kind].cancel()
        token = self._tokens[kind] = CancelToken()
        self._pool.start(
            QueryJob(
                work,
                token,
                lambda result: emit_safely(signal, generation, result),
                lambda error: emit_safely(self.failed, generation, kind, error),
                expected=(LookupError,),
                what=what,
            )
        )

    def load_list(self, generation: int, mine_only: bool, limit: int) -> None:
        service = self.service
        self._start(
            "list",
            generation,
            lambda t: service.sessions(mine_only, limit, t),
            self.listed,
            "Loading the calibration sessions",
        )

    def load_detail(self, generation: int, session_id: int) -> None:
        service = self.service
        self._start(
            "detail",
            generation,
            lambda t: service.detail(session_id, t),
            self.detailed,
            "Loading a calibration session",
        )

    def cancel(self) -> None:
        for token in self._tokens.values():
            token.cancel()

    def wait(self) -> None:
        self._pool.waitForDone()
