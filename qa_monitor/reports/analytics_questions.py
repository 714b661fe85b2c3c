"""Most missed behaviours: the question miss-rate Pareto and its drill-down.

Rules:
- A question is identified by (form id, question id): the same id in later versions of
  a form is the same question (its versions are added up); its wording is the latest
  version's, and ``form_title`` the form's title, for labels (never the form id).
- Answered = scored answers (N/A, hidden, unanswered and unscored questions are left
  out); missed = answered with fewer points than possible (a partial answer on a
  1–5 scale counts as a miss); miss rate = missed / answered. Bonus questions
  (no possible points) are never missed.
- Pareto order: most misses first, then the higher rate, then form and question id.
  ``share`` is the question's part of all misses and ``cumulative_share`` the running
  total down the list (the classic Pareto line), both 0..1.
- The drill-down lists the evaluations behind a bar: those in the filter that missed
  the question, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from qa_monitor.core.forms import Category
from qa_monitor.core.statistics import Proportion, wilson_interval
from qa_monitor.reports.analytics_filter import DashboardFilter
from qa_monitor.storage import analytics_lookups as lookups
from qa_monitor.storage.analytics_queries import question_sums_per_question


@dataclass(frozen=True, slots=True)
class QuestionMiss:
    form_id: str
    question_id: str
    text: str
    section_title: str
    category: Category | None
    answered: int
    missed: int
    critical_failures: int  # failing answers on critical questions
    rate: Proportion | None  # missed / answered with its 95% Wilson interval
    share: float
    cumulative_share: float
    form_title: str = ""  # what users call the form (labels never show ``form_id``)


def _category(text: str) -> Category | None:
    try:
        return Category(text)
    except ValueError:
        return None


def question_pareto(
    db: sqlite_utils.Database, f: DashboardFilter, limit: int | None = None
) -> tuple[QuestionMiss, ...]:
    """Questions by misses, most first (see the module rules); the first ``limit``."""
    rows = question_sums_per_question(db, f.scope())
    forms = {form_id for form_id, _q in rows}
    info = lookups.question_info(db, forms)
    titles = lookups.form_titles(db, forms)
    total_missed = sum(s.n_missed for s in rows.values())
    ordered = sorted(
        rows.items(),
        key=lambda kv: (-kv[1].n_missed, -(kv[1].n_missed / kv[1].n if kv[1].n else 0.0), kv[0]),
    )
    out = []
    running = 0
    for (form_id, question_id), sums in ordered[:limit]:
        running += sums.n_missed
        item = info.get((form_id, question_id))
        category = _category(item.category) if item else None
        out.append(
            QuestionMiss(
                form_id=form_id,
                question_id=question_id,
                text=item.text if item else question_id,
                section_title=item.section_title if item else "",
                category=category,
                answered=sums.n,
                missed=sums.n_missed,
                critical_failures=sums.n_failing,
                rate=wilson_interval(sums.n_missed, sums.n),
                share=sums.n_missed / total_missed if total_missed else 0.0,
                cumulative_share=running / total_missed if total_missed else 0.0,
                form_title=titles.get(form_id, ""),
            )
        )
    return tuple(out)


def evaluations_for_question(
    db: sqlite_utils.Database,
    f: DashboardFilter,
    question_id: str,
    *,
    form_id: str | None = None,
    missed_only: bool = True,
    limit: int = 500,
) -> tuple[int, ...]:
    """Ids of the evaluations behind a Pareto bar: in the filter, scoring the question
    and (unless ``missed_only`` is False) missing it; newest first, at most ``limit``."""
    return tuple(
        lookups.evaluation_ids_for_question(
            db, f.scope(), question_id, form_id=form_id, missed_only=missed_only, limit=limit
        )
    )
