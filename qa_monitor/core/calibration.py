"""Calibration sessions: several reviewers score one interaction blind on one form
version, then the session is revealed and compared question by question.

Rules (DOMAIN.md, "Calibration and trust in the score"):
- A session has a title, one interaction, one published form version, the invited
  reviewers (at least two, counting the expert) and a benchmark: an **expert** who
  scores with them, or **consensus** (no expert: the panel agrees an answer per
  question when the session is discussed).
- **Blind**: until the session is revealed nobody sees another participant's answers
  or score; the session only says who has submitted. Revealing needs two submitted
  evaluations and, in expert sessions, the expert's; revealing while invited reviewers
  have not submitted is allowed when asked for explicitly, and their later evaluations
  do not join the session.
- **Benchmark score**: the expert's score; in a consensus session the score of the
  agreed answers once every question anyone answered has one, until then the median
  of the participants' scores (said so on the screen).
- **Deviation** = reviewer's score − benchmark, in points (positive: more lenient).
  **Variance bands** on |deviation|: up to ``acceptable`` (default 5) is acceptable,
  up to ``discuss`` (default 10) is discussed, above that means stop and recalibrate.
  A band's bounds are inclusive and it is read on the deviation as shown (one decimal,
  half up): with the defaults, 5.04 (shown +5.0) is acceptable, 5.05 (+5.1) is
  discussed, 10.0 discussed, 10.1 recalibrate.
- **Spread**: lowest and highest participant score, their difference, and the sample
  standard deviation (n − 1; none with fewer than two scores).
- **Matrix**: one row per scored question that at least one participant saw, in form
  order; a cell is the participant's answer (N/A, or not shown when a condition hid
  it). A row *disagrees* when the answers given (N/A included) are not all the same;
  a cell *differs* when it is not the benchmark's answer (the expert's, or the agreed
  one in consensus sessions), or, without one, not the most common answer.
- **Reviewer totals** over several sessions count only the sessions where the reviewer
  has a deviation (an expert is the benchmark of their own session, not compared): the
  mean absolute deviation, the mean signed deviation (bias), and how many deviations
  fell in each band, each judged by the bands of its own session.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from qa_monitor.core.agreement import AlphaEstimate, AlphaLevel
from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Form, Question
from qa_monitor.core.reviewer_quality import Verdict
from qa_monitor.core.scoring import displayed_score

DEFAULT_ACCEPTABLE = 5.0
DEFAULT_DISCUSS = 10.0
MAX_BAND = 100.0
MAX_TITLE_CHARS = 200
MAX_NOTE_CHARS = 5_000
MAX_PARTICIPANTS = 50
MIN_PARTICIPANTS = 2


class CalibrationRefusal(ValueError):
    """A session or note that cannot be stored as given; the message says why and what
    to do."""


class Band(StrEnum):
    ACCEPTABLE = "acceptable"
    DISCUSS = "discuss"
    RECALIBRATE = "recalibrate"


@dataclass(frozen=True, slots=True)
class Bands:
    """Variance bands in points of score (see the module rules)."""

    acceptable: float = DEFAULT_ACCEPTABLE
    discuss: float = DEFAULT_DISCUSS

    def band(self, deviation: float) -> Band:
        """The band of a deviation as it is shown (one decimal, half up): decisions
        follow what is displayed (DOMAIN.md), so "+5.0" is never "discuss"."""
        size = abs(displayed_score(deviation))
        if size <= self.acceptable + 1e-9:
            return Band.ACCEPTABLE
        if size <= self.discuss + 1e-9:
            return Band.DISCUSS
        return Band.RECALIBRATE

    def check(self) -> Bands:
        """The bands, or CalibrationRefusal with the sentence to show."""
        for value in (self.acceptable, self.discuss):
            if not math.isfinite(value) or not 0 <= value <= MAX_BAND:
                raise CalibrationRefusal(
                    f"A variance band is from 0 to 100 points of score; {value:g} is outside it."
                )
        if self.discuss < self.acceptable:
            raise CalibrationRefusal(
                f"The 'discuss' band ends at {self.discuss:g} points, below where the "
                f"'acceptable' band ends ({self.acceptable:g}); make it at least "
                f"{self.acceptable:g}."
            )
        return self

    def text(self) -> str:
        """The bands as stored in the centre's setting: "5,10"."""
        return f"{self.acceptable:g},{self.discuss:g}"

    @classmethod
    def parse(cls, text: str | None) -> Bands:
        """Bands from the setting's text; the defaults when it is missing or damaged."""
        if not text:
            return cls()
        try:
            low, high = (float(part) for part in text.split(","))
            return cls(low, high).check()
        except (ValueError, TypeError):
            return cls()


# -- answers as the matrix shows and compares them ---------------------------------------
NA = "N/A"


def answer_key(answer: Answer | None) -> str | None:
    """What an answer is compared as: the option id, 'N/A', or None (not answered)."""
    if answer is None:
        return None
    if answer.na:
        return NA
    value = answer.value
    if value is None or value == "" or value == ():
        return None
    if isinstance(value, tuple):
        return ",".join(sorted(str(v) for v in value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def answer_label(question: Question, key: str | None) -> str:
    """The option's label for an answer key ('' when not answered)."""
    if key is None:
        return ""
    if key == NA:
        return NA
    option = question.option(key)
    return option.label if option is not None else key


@dataclass(frozen=True, slots=True)
class Participant:
    """One invited reviewer and, once submitted, their evaluation."""

    reviewer_id: int
    name: str
    is_expert: bool
    evaluation_id: int | None  # None: not submitted (into this session)
    score: float | None
    answers: Mapping[str, Answer]
    visible: frozenset[str]  # question ids the reviewer's form showed

    @property
    def submitted(self) -> bool:
        return self.evaluation_id is not None


@dataclass(frozen=True, slots=True)
class Agreed:
    """The panel's agreed answer and note for one question."""

    question_id: str
    answer: Answer | None  # None: no agreed answer yet
    note: str = ""
    guidance_change: bool = False


@dataclass(frozen=True, slots=True)
class Cell:
    reviewer_id: int
    key: str | None  # answer key; None: not answered or hidden
    label: str  # what the matrix shows
    hidden: bool  # a condition hid the question for this reviewer
    differs: bool  # not the benchmark's (or the most common) answer
    comment: str


@dataclass(frozen=True, slots=True)
class MatrixRow:
    section_title: str
    question: Question
    cells: tuple[Cell, ...]  # in the order of ``Reveal.participants``
    disagrees: bool
    distinct: int  # different answers given (N/A included)
    modal_share: float | None  # share of answers that are the most common one
    benchmark_key: str | None  # the expert's or agreed answer
    agreed: Agreed | None


@dataclass(frozen=True, slots=True)
class ReviewerResult:
    participant: Participant
    deviation: float | None  # score − benchmark; None without both
    band: Band | None


@dataclass(frozen=True, slots=True)
class Spread:
    low: float
    high: float
    sd: float | None

    @property
    def range(self) -> float:
        return self.high - self.low


@dataclass(frozen=True, slots=True)
class QuestionAlpha:
    """A question's agreement over the form's recent revealed sessions (units: sessions)."""

    question_id: str
    level: AlphaLevel  # nominal (yes/no, choices) or ordinal (ordered scales)
    estimate: AlphaEstimate
    verdict: Verdict


class BenchmarkKind(StrEnum):
    EXPERT = "expert"
    AGREED = "agreed"  # consensus: the agreed answers' score
    MEDIAN = "median"  # consensus, agreed answers incomplete: the panel's median
    NONE = "none"  # expert session whose expert has not submitted


@dataclass(frozen=True, slots=True)
class Reveal:
    participants: tuple[Participant, ...]  # submitted ones: expert first, then by name
    missing: tuple[Participant, ...]  # invited, not submitted into the session
    rows: tuple[MatrixRow, ...]
    results: tuple[ReviewerResult, ...]  # the non-expert participants, as ``participants``
    benchmark: float | None
    benchmark_kind: BenchmarkKind
    spread: Spread | None
    bands: Bands

    @property
    def disagreeing_rows(self) -> int:
        return sum(1 for r in self.rows if r.disagrees)


def spread_of(scores: Sequence[float]) -> Spread | None:
    if not scores:
        return None
    sd = statistics.stdev(scores) if len(scores) >= 2 else None
    return Spread(min(scores), max(scores), sd)


def reveal(
    form: Form,
    invited: Sequence[Participant],
    agreed: Mapping[str, Agreed],
    bands: Bands,
    agreed_score: float | None,
    has_expert: bool,
) -> Reveal:
    """The revealed session (module rules). ``agreed_score``: the score of the agreed
    answers when every question anyone answered has one (None otherwise)."""
    submitted = [p for p in invited if p.submitted]
    submitted.sort(key=lambda p: (not p.is_expert, p.name.casefold(), p.reviewer_id))
    missing = tuple(
        sorted(
            (p for p in invited if not p.submitted),
            key=lambda p: (p.name.casefold(), p.reviewer_id),
        )
    )
    expert = next((p for p in submitted if p.is_expert), None) if has_expert else None
    rows = []
    for section, question in form.questions():
        if not question.scored:
            continue
        if not any(question.id in p.visible for p in submitted):
            continue
        keys = [
            answer_key(p.answers.get(question.id)) if question.id in p.visible else None
            for p in submitted
        ]
        given = [k for k in keys if k is not None]
        counts = Counter(given)
        note = agreed.get(question.id)
        if expert is not None:
            bench = answer_key(expert.answers.get(question.id))
        elif note is not None and note.answer is not None:
            bench = answer_key(note.answer)
        else:
            bench = None
        reference: str | None
        if bench is not None:
            reference = bench
        elif counts:
            top = counts.most_common()
            # A tie for most common has no reference: nothing is marked as differing.
            reference = top[0][0] if len(top) == 1 or top[0][1] > top[1][1] else None
        else:
            reference = None
        cells = []
        for p, key in zip(submitted, keys, strict=True):
            hidden = question.id not in p.visible
            answer = p.answers.get(question.id)
            cells.append(
                Cell(
                    p.reviewer_id,
                    key,
                    answer_label(question, key),
                    hidden,
                    key is not None and reference is not None and key != reference,
                    "" if answer is None else answer.comment,
                )
            )
        rows.append(
            MatrixRow(
                section.title,
                question,
                tuple(cells),
                len(counts) > 1,
                len(counts),
                counts.most_common(1)[0][1] / len(given) if given else None,
                bench,
                note,
            )
        )
    scores = [p.score for p in submitted if p.score is not None]
    if has_expert:
        kind = BenchmarkKind.EXPERT if expert is not None else BenchmarkKind.NONE
        benchmark = expert.score if expert is not None else None
    elif agreed_score is not None:
        kind, benchmark = BenchmarkKind.AGREED, agreed_score
    elif scores:
        kind, benchmark = BenchmarkKind.MEDIAN, statistics.median(scores)
    else:
        kind, benchmark = BenchmarkKind.NONE, None
    results = []
    for p in submitted:
        if p is expert:
            continue
        deviation = None
        if benchmark is not None and p.score is not None:
            deviation = p.score - benchmark
        results.append(
            ReviewerResult(p, deviation, None if deviation is None else bands.band(deviation))
        )
    return Reveal(
        tuple(submitted),
        missing,
        tuple(rows),
        tuple(results),
        benchmark,
        kind,
        spread_of(scores),
        bands,
    )


@dataclass(frozen=True, slots=True)
class ReviewerTotal:
    """One reviewer's deviations over several sessions (see the module rules)."""

    reviewer_id: int
    name: str
    sessions: int  # sessions with a deviation
    mean_absolute: float
    bias: float  # mean signed deviation: positive, more lenient than the benchmark
    acceptable: int
    discuss: int
    recalibrate: int
    largest: float  # the largest absolute deviation

    @property
    def within_acceptable(self) -> float:
        return self.acceptable / self.sessions

    @property
    def within_discuss(self) -> float:
        """Share of deviations in the acceptable or the discuss band."""
        return (self.acceptable + self.discuss) / self.sessions


def reviewer_totals(reveals: Iterable[Reveal]) -> list[ReviewerTotal]:
    """Per reviewer, by name: their deviations over ``reveals`` (module rules); a
    reviewer never compared with a benchmark has no total."""
    found: dict[int, tuple[str, list[ReviewerResult]]] = {}
    for r in reveals:
        for result in r.results:
            if result.deviation is None or result.band is None:
                continue
            p = result.participant
            found.setdefault(p.reviewer_id, (p.name, []))[1].append(result)
    totals = []
    for reviewer_id, (name, results) in found.items():
        deviations = [x.deviation for x in results if x.deviation is not None]
        bands = Counter(x.band for x in results)
        totals.append(
            ReviewerTotal(
                reviewer_id,
                name,
                len(deviations),
                math.fsum(abs(d) for d in deviations) / len(deviations),
                math.fsum(deviations) / len(deviations),
                bands[Band.ACCEPTABLE],
                bands[Band.DISCUSS],
                bands[Band.RECALIBRATE],
                max(abs(d) for d in deviations),
            )
        )
    totals.sort(key=lambda t: (t.name.casefold(), t.reviewer_id))
    return totals


def agreed_answers_complete(rows_answered: set[str], agreed: Mapping[str, Agreed]) -> bool:
    """Whether every question anyone answered has an agreed answer."""
    return bool(rows_answered) and all(
        (a := agreed.get(q)) is not None and a.answer is not None for q in rows_answered
    )


def check_title(title: str) -> str:
    text = " ".join(title.split())
    if not text:
        raise CalibrationRefusal("Give the session a title, such as 'Billing calls, week 49'.")
    if len(text) > MAX_TITLE_CHARS:
        raise CalibrationRefusal(
            f"A session's title is at most {MAX_TITLE_CHARS} characters; this one has {len(text)}."
        )
    return text


def check_note(question_text: str, note: str) -> str:
    if len(note) > MAX_NOTE_CHARS:
        raise CalibrationRefusal(
            f"The note on '{question_text}' has {len(note):,} characters; a note is at most "
            f"{MAX_NOTE_CHARS:,}. Shorten it."
        )
    return note.strip()


def guidance_with_note(guidance: str, note: str, session_title: str, day: str) -> str:
    """A question's guidance with a calibration note appended (kept if already there)."""
    line = f"Calibration '{session_title}', {day}: {note.strip()}"
    if line in guidance:
        return guidance
    return f"{guidance.rstrip()}\n\n{line}" if guidance.strip() else line
