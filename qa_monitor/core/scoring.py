"""Scoring an evaluation: the single place the rules of DOMAIN.md are implemented.

Rules:
- A scored question earns ``option.fraction * points`` out of ``points``.
- N/A (where allowed), a question hidden by its condition, and (while drafting) an
  unanswered question leave both earned and possible points. A question is hidden by a
  condition on an earlier answer, or by one on the interaction (its channel or
  direction) that the interaction scored does not meet; facts not given hide nothing.
- A section with nothing applicable is N/A and drops out; in weighted mode the
  weights re-normalise over the remaining sections.
- Points mode: score = sum earned / sum possible * 100.
  Weighted mode: score = sum(weight * section%) / sum(weight) over applicable sections.
- Bonus questions add earned points without adding possible points; ``cap_bonus``
  keeps the score at 100 at most.
- A failing answer on a section-critical question sets that section to 0; on a
  form-critical question it sets the whole score to 0. A failing answer is one that
  earns nothing (No, Fail) or that the form marks failing; a Partial answer
  (yes/partial/no, pass/partial/fail: half the points unless the form says otherwise)
  fails only when the form's ``partial_fails`` setting says so. The score before critical
  failures is always kept, with the questions that caused them. Any critical
  failure fails the evaluation whatever the score.
- Progress counts every question that will be asked: the visible questions that need an
  answer (scored ones, and unscored ones marked required). Until each has its answer the
  live score is provisional (``ScoreResult.complete`` is False).
- Scores are kept at full precision; they are shown with one decimal, rounded half up
  (:func:`displayed_score`, the one function every screen, export and report uses).
- **Decisions follow what is displayed**: pass/fail and the band are taken on the
  displayed score, so a score shown as 80.0 (79.95 or 79.988) passes a pass mark of 80
  while 79.94 (shown 79.9) fails it, and a score shown as 90.0 is in the band starting
  at 90. Half up is decimal, not binary: a score that is exactly 79.95 but computed as
  79.94999999999999 still shows and counts as 80.0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from qa_monitor.core.answers import Answer, Answers
from qa_monitor.core.forms import (
    Category,
    CriticalLevel,
    Form,
    InteractionFacts,
    Question,
    ScoringMode,
    Section,
    option_fails,
    sorted_bands,
)
from qa_monitor.core.metrics import round_half_up

# Scores are shown, and decided, at this many decimals.
SCORE_DECIMALS = 1


class QuestionStatus(StrEnum):
    SCORED = "scored"  # answered, counts
    NA = "na"  # answered N/A
    HIDDEN = "hidden"  # condition not met: counts as N/A
    UNANSWERED = "unanswered"  # visible, required, no answer yet
    UNSCORED = "unscored"  # data question, never scored


@dataclass(frozen=True, slots=True)
class QuestionScore:
    question_id: str
    section_id: str
    status: QuestionStatus
    earned: float = 0.0
    possible: float = 0.0
    option_id: str | None = None
    failing: bool = False  # the chosen option is a failing answer
    critical: CriticalLevel = CriticalLevel.NONE

    @property
    def counts(self) -> bool:
        return self.status is QuestionStatus.SCORED

    @property
    def full_marks(self) -> bool:
        return self.counts and self.earned >= self.possible and not self.failing


@dataclass(frozen=True, slots=True)
class CriticalCause:
    question_id: str
    section_id: str
    level: CriticalLevel
    option_id: str


@dataclass(frozen=True, slots=True)
class SectionScore:
    section_id: str
    category: Category
    weight: float
    earned: float  # after a section-critical failure: 0
    earned_before_critical: float
    possible: float
    critical_failed: bool

    @property
    def applicable(self) -> bool:
        return self.possible > 0

    @property
    def percent(self) -> float | None:
        if not self.applicable:
            return None
        return self.earned / self.possible * 100.0

    @property
    def percent_before_critical(self) -> float | None:
        if not self.applicable:
            return None
        return self.earned_before_critical / self.possible * 100.0


@dataclass(frozen=True, slots=True)
class CategoryScore:
    category: Category
    percent: float | None
    percent_before_critical: float | None
    earned: float
    possible: float


@dataclass(frozen=True, slots=True)
class ScoreResult:
    score: float | None  # None when nothing on the form applies
    score_before_critical: float | None
    passed: bool | None
    band: str | None
    earned: float
    possible: float
    sections: tuple[SectionScore, ...]
    categories: tuple[CategoryScore, ...]
    questions: tuple[QuestionScore, ...]
    critical_causes: tuple[CriticalCause, ...]
    answered: int  # scored questions answered or N/A
    answerable: int  # scored questions visible
    # Progress over every question that will be asked: the visible ones needing an answer
    # (scored, and unscored marked required); see ``score_evaluation``.
    asked_answered: int = 0
    asked: int = 0

    @property
    def complete(self) -> bool:
        """Every question that will be asked has its answer: the score is final."""
        return self.asked_answered >= self.asked

    @property
    def critical_failed(self) -> bool:
        return bool(self.critical_causes)

    @property
    def auto_failed(self) -> bool:
        return any(c.level is CriticalLevel.FORM for c in self.critical_causes)

    def section(self, section_id: str) -> SectionScore | None:
        return next((s for s in self.sections if s.section_id == section_id), None)

    def category(self, category: Category) -> CategoryScore | None:
        return next((c for c in self.categories if c.category is category), None)

    def question(self, question_id: str) -> QuestionScore | None:
        return next((q for q in self.questions if q.question_id == question_id), None)


def visible_question_ids(
    form: Form, answers: Answers, interaction: InteractionFacts | None = None
) -> set[str]:
    """Questions whose conditions hold, in form order.

    A condition looks at an earlier question; if that question is itself hidden,
    N/A or unanswered, the dependent question is hidden too. A condition on the
    interaction looks at ``interaction`` (see ``InteractionCondition.holds``).
    """
    visible: set[str] = set()
    for _section, question in form.questions():
        on_interaction = question.interaction_condition
        if on_interaction is not None and not on_interaction.holds(interaction):
            continue
        cond = question.condition
        if cond is None:
            visible.add(question.id)
            continue
        if cond.question_id not in visible:
            continue
        ans = answers.get(cond.question_id)
        if ans is None or ans.na:
            continue
        chosen = ans.value if isinstance(ans.value, tuple) else (ans.value,)
        if any(v in cond.option_ids for v in chosen):
            visible.add(question.id)
    return visible


def _score_question(
    form: Form, section: Section, question: Question, answer: Answer | None, visible: bool
) -> QuestionScore:
    def result(status: QuestionStatus) -> QuestionScore:
        return QuestionScore(question.id, section.id, status, critical=question.critical)

    if not question.scored:
        return result(QuestionStatus.UNSCORED if visible else QuestionStatus.HIDDEN)
    if not visible:
        return result(QuestionStatus.HIDDEN)
    if answer is not None and answer.na and question.allow_na:
        return result(QuestionStatus.NA)
    option = question.option(answer.value) if answer and isinstance(answer.value, str) else None
    if option is None or option.fraction is None:
        return result(QuestionStatus.UNANSWERED)
    return QuestionScore(
        question.id,
        section.id,
        QuestionStatus.SCORED,
        earned=option.fraction * question.points,
        possible=0.0 if question.bonus else question.points,
        option_id=option.id,
        failing=option_fails(question, option, form.settings),
        critical=question.critical,
    )


def score_evaluation(
    form: Form, answers: Answers, interaction: InteractionFacts | None = None
) -> ScoreResult:
    """Score ``answers`` against ``form`` following every rule in this module's docstring.

    ``interaction`` is the channel and direction of the interaction scored, for questions
    shown only on some interactions; pass it wherever it is known.
    """
    visible = visible_question_ids(form, answers, interaction)
    question_scores: list[QuestionScore] = []
    sections: list[SectionScore] = []
    causes: list[CriticalCause] = []
    for section in form.sections:
        earned = possible = 0.0
        section_failed = False
        for question in section.questions:
            qs = _score_question(
                form, section, question, answers.get(question.id), question.id in visible
            )
            question_scores.append(qs)
            if not qs.counts:
                continue
            earned += qs.earned
            possible += qs.possible
            if qs.failing and question.critical is not CriticalLevel.NONE:
                assert qs.option_id is not None
                causes.append(
                    CriticalCause(question.id, section.id, question.critical, qs.option_id)
                )
                section_failed = section_failed or question.critical is CriticalLevel.SECTION
        sections.append(
            SectionScore(
                section_id=section.id,
                category=section.category,
                weight=section.weight,
                earned=0.0 if section_failed else earned,
                earned_before_critical=earned,
                possible=possible,
                critical_failed=section_failed,
            )
        )

    mode = form.settings.scoring_mode
    before = _combine(sections, mode, before_critical=True)
    after = _combine(sections, mode, before_critical=False)
    if any(c.level is CriticalLevel.FORM for c in causes) and after is not None:
        after = 0.0
    if form.settings.cap_bonus:
        before = None if before is None else min(before, 100.0)
        after = None if after is None else min(after, 100.0)

    passed: bool | None = None
    band: str | None = None
    if after is not None:
        passed = passes_mark(form, after) and not causes
        band = band_for(form, after)
    scored = [q for q in question_scores if q.status in (QuestionStatus.SCORED, QuestionStatus.NA)]
    answerable = [
        q
        for q in question_scores
        if q.status in (QuestionStatus.SCORED, QuestionStatus.NA, QuestionStatus.UNANSWERED)
    ]
    # Questions that will be asked: visible and needing an answer (scored ones always,
    # unscored ones when marked required). An answer, N/A included, counts.
    asked = [
        (section_question[1], qs)
        for section_question, qs in zip(form.questions(), question_scores, strict=True)
        if qs.status is not QuestionStatus.HIDDEN and section_question[1].is_required
    ]
    asked_answered = [
        q
        for q, qs in asked
        if qs.status is not QuestionStatus.UNANSWERED and _has_answer(answers, q)
    ]
    return ScoreResult(
        score=after,
        score_before_critical=before,
        passed=passed,
        band=band,
        earned=sum(s.earned for s in sections),
        possible=sum(s.possible for s in sections),
        sections=tuple(sections),
        categories=_categories(sections, mode),
        questions=tuple(question_scores),
        critical_causes=tuple(causes),
        answered=len(scored),
        answerable=len(answerable),
        asked_answered=len(asked_answered),
        asked=len(asked),
    )


def _has_answer(answers: Answers, question: Question) -> bool:
    answer = answers.get(question.id)
    return answer is not None and not answer.is_empty


def _combine(
    sections: Iterable[SectionScore], mode: ScoringMode, *, before_critical: bool
) -> float | None:
    applicable = [s for s in sections if s.applicable]
    if not applicable:
        return None
    if mode is ScoringMode.POINTS:
        earned = sum(s.earned_before_critical if before_critical else s.earned for s in applicable)
        return earned / sum(s.possible for s in applicable) * 100.0
    total_weight = sum(s.weight for s in applicable)
    if total_weight <= 0:
        return None
    weighted = 0.0
    for s in applicable:
        pct = s.percent_before_critical if before_critical else s.percent
        assert pct is not None
        weighted += s.weight * pct
    return weighted / total_weight


def _categories(sections: list[SectionScore], mode: ScoringMode) -> tuple[CategoryScore, ...]:
    """Per-category score, combined from the category's sections with the form's own mode."""
    result = []
    for category in Category:
        members = [s for s in sections if s.category is category]
        if not members:
            continue
        result.append(
            CategoryScore(
                category=category,
                percent=_combine(members, mode, before_critical=False),
                percent_before_critical=_combine(members, mode, before_critical=True),
                earned=sum(s.earned for s in members),
                possible=sum(s.possible for s in members),
            )
        )
    return tuple(result)


def displayed_score(score: float) -> float:
    """The score as every screen, export and report shows it: one decimal, half up.

    Pass/fail and bands are decided on this value too (module docstring).
    """
    return round_half_up(score, SCORE_DECIMALS)


def passes_mark(form: Form, score: float) -> bool:
    """Whether the displayed score reaches the form's pass mark (critical failures aside)."""
    return displayed_score(score) >= form.settings.pass_mark


def band_for(form: Form, score: float) -> str | None:
    """The highest band whose minimum the displayed score reaches (None when the form has
    no bands)."""
    shown = displayed_score(score)
    for band in sorted_bands(form.settings):
        if shown >= band.minimum:
            return band.name
    return None
