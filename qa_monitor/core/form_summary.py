"""What a form is worth: points and share of the score per section and category.

For the live summary beside the form editor. The shares follow scoring.py exactly,
for an evaluation where every question is answered and visible (no N/A, no hidden
conditional question, no critical failure):

- Points mode: a section's share is its possible points over the form's possible
  points (the section weight plays no part).
- Weighted mode: a section's share is its weight over the weights of the sections
  that have possible points (a section with none is N/A and drops out).

Bonus questions add earned points without adding possible points, so they have no
share; they are counted apart, and ``max_score`` says how high a score can go.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_monitor.core.forms import Category, CriticalLevel, Form, ScoringMode, Section


@dataclass(frozen=True, slots=True)
class SectionSummary:
    section_id: str
    title: str
    category: Category
    question_count: int
    scored_count: int  # scored questions, bonus ones included
    possible_points: float  # bonus questions excluded
    bonus_points: float
    # Share (0..1) of the overall score this section carries when everything is answered.
    effective_weight: float


@dataclass(frozen=True, slots=True)
class CategorySummary:
    category: Category
    possible_points: float
    effective_weight: float  # sum of its sections' shares (0 when it has none)


@dataclass(frozen=True, slots=True)
class FormSummary:
    scoring_mode: ScoringMode
    sections: tuple[SectionSummary, ...]
    categories: tuple[CategorySummary, ...]  # all four, in Category order
    total_possible: float
    total_bonus: float
    # Scored questions by critical level (NONE counts the scored questions that are not).
    critical_count: dict[CriticalLevel, int]
    # Share (0..1) of the overall score each scored, non-bonus question carries.
    question_weights: dict[str, float]
    # The best score the form allows: 100, or more when bonus points are not capped;
    # None when nothing on the form is scored.
    max_score: float | None

    @property
    def question_count(self) -> int:
        return sum(s.question_count for s in self.sections)

    @property
    def scored_count(self) -> int:
        return sum(s.scored_count for s in self.sections)

    def section(self, section_id: str) -> SectionSummary | None:
        return next((s for s in self.sections if s.section_id == section_id), None)

    def category(self, category: Category) -> CategorySummary:
        return next(c for c in self.categories if c.category is category)


def _points(section: Section, *, bonus: bool) -> float:
    return sum(q.points for q in section.questions if q.scored and q.bonus == bonus)


def summarize_form(form: Form) -> FormSummary:
    """Points, bonus points and effective weight per section and category (module doc)."""
    mode = form.settings.scoring_mode
    possible = {s.id: _points(s, bonus=False) for s in form.sections}
    bonus = {s.id: _points(s, bonus=True) for s in form.sections}
    total_possible = sum(possible.values())
    # Sections with possible points are the ones scoring.py counts as applicable.
    applicable = [s for s in form.sections if possible[s.id] > 0]
    total_weight = sum(s.weight for s in applicable)

    def share(section: Section) -> float:
        if possible[section.id] <= 0:
            return 0.0
        if mode is ScoringMode.POINTS:
            return possible[section.id] / total_possible
        return section.weight / total_weight if total_weight > 0 else 0.0

    sections = tuple(
        SectionSummary(
            section_id=s.id,
            title=s.title,
            category=s.category,
            question_count=len(s.questions),
            scored_count=sum(1 for q in s.questions if q.scored),
            possible_points=possible[s.id],
            bonus_points=bonus[s.id],
            effective_weight=share(s),
        )
        for s in form.sections
    )
    categories = tuple(
        CategorySummary(
            category=category,
            possible_points=sum(s.possible_points for s in sections if s.category is category),
            effective_weight=sum(s.effective_weight for s in sections if s.category is category),
        )
        for category in Category
    )
    critical_count = dict.fromkeys(CriticalLevel, 0)
    question_weights: dict[str, float] = {}
    for section, summary in zip(form.sections, sections, strict=True):
        for question in section.questions:
            if not question.scored:
                continue
            critical_count[question.critical] += 1
            if not question.bonus and possible[section.id] > 0:
                question_weights[question.id] = (
                    summary.effective_weight * question.points / possible[section.id]
                )
    return FormSummary(
        scoring_mode=mode,
        sections=sections,
        categories=categories,
        total_possible=total_possible,
        total_bonus=sum(bonus.values()),
        critical_count=critical_count,
        question_weights=question_weights,
        max_score=_max_score(form, sections),
    )


def _max_score(form: Form, sections: tuple[SectionSummary, ...]) -> float | None:
    """Every question at full marks, bonus ones included."""
    applicable = [s for s in sections if s.possible_points > 0]
    if not applicable:
        return None
    if form.settings.scoring_mode is ScoringMode.POINTS:
        possible = sum(s.possible_points for s in applicable)
        best = sum(s.possible_points + s.bonus_points for s in applicable) / possible * 100
    else:
        if sum(s.effective_weight for s in applicable) <= 0:
            return None
        best = sum(
            s.effective_weight * (s.possible_points + s.bonus_points) / s.possible_points * 100
            for s in applicable
        )
    return min(best, 100.0) if form.settings.cap_bonus else best
