"""Where one agent stands against their team: the four areas, each section and each
question.

Rules:
- An area's or section's percent is points-weighted, Σ earned / Σ possible × 100 over
  the section scores after critical failures (the dashboard's area average). A
  question's percent is Σ earned / Σ possible over its scored answers; N/A, hidden and
  unanswered questions are not scored answers, so they never count.
- The team is every agent of the agent's current team (the agent included, as on the
  dashboard), over the same filter. ``difference`` = agent − team, in percentage
  points; None when either side has no data.
- Strengths are the sections furthest above the team, weaknesses those furthest
  below; a section (or, in ``ranked_questions``, a question) needs at least ``MIN_N``
  of the agent's scores (a difference over one or two evaluations is noise).
- Miss rate = scored answers below full marks / scored answers (the dashboard's rule).
  Weakest questions: those with at least one miss, by the lower end of the 95% Wilson
  interval of the miss rate (so 1 miss in 1 answer does not outrank 8 in 10), then
  more misses, then the higher rate, then form and question id; questions the agent
  answered fewer than ``MIN_N`` times come after all the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import sqlite_utils

from qa_monitor.core.forms import Category
from qa_monitor.core.statistics import Proportion, wilson_interval
from qa_monitor.storage import analytics_lookups as lookups
from qa_monitor.storage.analytics_queries import (
    QuestionSums,
    Scope,
    SectionSums,
    question_sums,
    question_sums_per_question,
    section_sums,
)

MIN_N = 3
TOP = 5


class AreaKind(StrEnum):
    CATEGORY = "category"
    SECTION = "section"
    QUESTION = "question"


@dataclass(frozen=True, slots=True)
class Comparison:
    """The agent's and the team's points percent on one area, section or question."""

    kind: AreaKind
    form_id: str | None  # None for a category
    key: str  # the category value, section id or question id
    label: str  # section title or question text (a category's value for a category)
    form_title: str
    category: Category | None
    n: int  # the agent's section scores or scored answers
    percent: float | None
    team_n: int
    team_percent: float | None

    @property
    def difference(self) -> float | None:
        if self.percent is None or self.team_percent is None:
            return None
        return self.percent - self.team_percent


@dataclass(frozen=True, slots=True)
class QuestionStat:
    """One question: the agent's misses beside the team's."""

    form_id: str
    question_id: str
    text: str
    section_title: str
    form_title: str
    category: Category | None
    answered: int
    missed: int
    critical_failures: int  # failing answers while it was critical (in that version)
    rate: Proportion | None  # missed / answered, 95% Wilson interval
    team_answered: int
    team_missed: int
    team_rate: Proportion | None
    points: Comparison  # Σ earned / Σ possible, agent vs team


@dataclass(frozen=True, slots=True)
class Areas:
    categories: tuple[Comparison, ...]  # the four areas in their fixed order
    sections: tuple[Comparison, ...]  # in form order (forms by id)
    questions: tuple[QuestionStat, ...]  # weakest first (see the module rules)

    def ranked_sections(self, min_n: int = MIN_N) -> tuple[Comparison, ...]:
        """Sections with a difference and at least ``min_n`` of the agent's section
        scores, furthest above the team first."""
        return _ranked(self.sections, min_n)

    def ranked_questions(self, min_n: int = MIN_N) -> tuple[Comparison, ...]:
        """The same for questions (their points percent), over scored answers."""
        return _ranked(tuple(q.points for q in self.questions), min_n)

    def strengths(self, top: int = TOP, min_n: int = MIN_N) -> tuple[Comparison, ...]:
        """Sections furthest above the team, largest difference first."""
        ranked = self.ranked_sections(min_n)
        return tuple(c for c in ranked if (c.difference or 0.0) > 0)[:top]

    def weaknesses(self, top: int = TOP, min_n: int = MIN_N) -> tuple[Comparison, ...]:
        """Sections furthest below the team, largest shortfall first."""
        ranked = self.ranked_sections(min_n)[::-1]
        return tuple(c for c in ranked if (c.difference or 0.0) < 0)[:top]

    def weakest(self, top: int = 10) -> tuple[QuestionStat, ...]:
        return tuple(q for q in self.questions if q.missed)[:top]


def _ranked(items: tuple[Comparison, ...], min_n: int) -> tuple[Comparison, ...]:
    shown = [c for c in items if c.difference is not None and c.n >= min_n]
    return tuple(sorted(shown, key=lambda c: (-(c.difference or 0.0), c.label, c.key)))


def _percent(earned_q: int, possible_q: int) -> float | None:
    return None if possible_q == 0 else earned_q / possible_q * 100.0


def _category(text: str) -> Category | None:
    try:
        return Category(text)
    except ValueError:
        return None


def _sections(
    db: sqlite_utils.Database, agent: Scope, team: Scope | None
) -> tuple[tuple[Comparison, ...], tuple[Comparison, ...]]:
    by = ("form_id", "section_id", "category")
    mine = section_sums(db, agent, by)
    # Without the agent's own rows there is nothing to compare: skip the team's.
    theirs = section_sums(db, team, by) if team is not None and mine else {}
    forms = {key[0] for key in mine}
    titles = lookups.section_titles(db, forms)
    form_titles = lookups.form_titles(db, forms)
    sections = []
    per_category: dict[Category, tuple[SectionSums, SectionSums]] = {
        c: (SectionSums(), SectionSums()) for c in Category
    }
    for key, sums in mine.items():
        form_id, section_id, category_text = str(key[0]), str(key[1]), str(key[2])
        other = theirs.get(key, SectionSums())
        category = _category(category_text)
        if category is not None:
            own_total, team_total = per_category[category]
            per_category[category] = (own_total + sums, team_total + other)
        title, _position = titles.get((form_id, section_id), (section_id, 0))
        sections.append(
            Comparison(
                AreaKind.SECTION,
                form_id,
                section_id,
                title,
                form_titles.get(form_id, form_id),
                category,
                sums.n,
                _percent(sums.sum_earned_q, sums.sum_possible_q),
                other.n,
                _percent(other.sum_earned_q, other.sum_possible_q),
            )
        )
    order = {key: position for key, (_title, position) in titles.items()}
    sections.sort(key=lambda c: (c.form_id or "", order.get((c.form_id or "", c.key), 0), c.key))
    categories = tuple(
        Comparison(
            AreaKind.CATEGORY,
            None,
            c.value,
            c.value,
            "",
            c,
            own.n,
            _percent(own.sum_earned_q, own.sum_possible_q),
            other.n if team is not None else 0,
            _percent(other.sum_earned_q, other.sum_possible_q),
        )
        for c, (own, other) in per_category.items()
    )
    return categories, tuple(sections)


def _weakest_key(q: QuestionStat) -> tuple[bool, float, int, float, str, str]:
    low = q.rate.low if q.rate is not None else 0.0
    rate = q.rate.rate if q.rate is not None else 0.0
    return (q.answered < MIN_N, -low, -q.missed, -rate, q.form_id, q.question_id)


def _questions(
    db: sqlite_utils.Database, agent: Scope, team: Scope | None
) -> tuple[QuestionStat, ...]:
    by = ("form_id", "question_id")
    mine = question_sums_per_question(db, agent)  # its critical failures are read
    theirs = question_sums(db, team, by) if team is not None and mine else {}
    forms = {key[0] for key in mine}
    info = lookups.question_info(db, forms)
    form_titles = lookups.form_titles(db, forms)
    out = []
    for key, sums in mine.items():
        if not sums.n:
            continue
        form_id, question_id = str(key[0]), str(key[1])
        other = theirs.get(key, QuestionSums())
        item = info.get((form_id, question_id))
        text = item.text if item else question_id
        category = _category(item.category) if item else None
        form_title = form_titles.get(form_id, form_id)
        points = Comparison(
            AreaKind.QUESTION,
            form_id,
            question_id,
            text,
            form_title,
            category,
            sums.n,
            _percent(sums.sum_earned_q, sums.sum_possible_q),
            other.n,
            _percent(other.sum_earned_q, other.sum_possible_q),
        )
        out.append(
            QuestionStat(
                form_id=form_id,
                question_id=question_id,
                text=text,
                section_title=item.section_title if item else "",
                form_title=form_title,
                category=category,
                answered=sums.n,
                missed=sums.n_missed,
                critical_failures=sums.n_failing,
                rate=wilson_interval(sums.n_missed, sums.n),
                team_answered=other.n,
                team_missed=other.n_missed,
                team_rate=wilson_interval(other.n_missed, other.n),
                points=points,
            )
        )
    out.sort(key=_weakest_key)
    return tuple(out)


def compare_areas(db: sqlite_utils.Database, agent: Scope, team: Scope | None) -> Areas:
    """The agent's areas, sections and questions beside the team's (see the rules);
    ``team`` None: the agent has no team, and every team figure is empty."""
    categories, sections = _sections(db, agent, team)
    return Areas(categories, sections, _questions(db, agent, team))
