"""A score broken down so anyone can check it by hand: as text and as JSON-ready data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Form
from qa_monitor.core.scoring import SCORE_DECIMALS, QuestionStatus, ScoreResult, displayed_score


def fmt_score(value: float | None) -> str:
    """The displayed score (one decimal, half up: the value the verdict follows); '—'
    when there is no score."""
    return "—" if value is None else f"{displayed_score(value):.{SCORE_DECIMALS}f}"


def breakdown_data(
    form: Form, answers: Mapping[str, Answer], result: ScoreResult
) -> dict[str, Any]:
    """Everything that went into the score, unrounded."""
    sections = {s.id: s for s in form.sections}
    return {
        "form": {
            "id": form.id,
            "title": form.title,
            "mode": form.settings.scoring_mode.value,
            "pass_mark": form.settings.pass_mark,
        },
        "score": result.score,
        "score_before_critical": result.score_before_critical,
        "passed": result.passed,
        "band": result.band,
        "earned": result.earned,
        "possible": result.possible,
        "answered": result.answered,
        "answerable": result.answerable,
        "sections": [
            {
                "id": s.section_id,
                "title": sections[s.section_id].title,
                "category": s.category.value,
                "weight": s.weight,
                "earned": s.earned,
                "earned_before_critical": s.earned_before_critical,
                "possible": s.possible,
                "percent": s.percent,
                "percent_before_critical": s.percent_before_critical,
                "critical_failed": s.critical_failed,
            }
            for s in result.sections
        ],
        "categories": [
            {
                "category": c.category.value,
                "percent": c.percent,
                "percent_before_critical": c.percent_before_critical,
                "earned": c.earned,
                "possible": c.possible,
            }
            for c in result.categories
        ],
        "critical_causes": [
            {
                "question": c.question_id,
                "section": c.section_id,
                "level": c.level.value,
                "answer": c.option_id,
            }
            for c in result.critical_causes
        ],
        "questions": [
            {
                "id": q.question_id,
                "section": q.section_id,
                "status": q.status.value,
                "answer": _answer_text(answers.get(q.question_id)),
                "earned": q.earned,
                "possible": q.possible,
            }
            for q in result.questions
        ],
    }


def _answer_text(answer: Answer | None) -> str | None:
    if answer is None:
        return None
    if answer.na:
        return "N/A"
    if isinstance(answer.value, tuple):
        return ", ".join(answer.value)
    return None if answer.value is None else str(answer.value)


def format_breakdown(form: Form, answers: Mapping[str, Answer], result: ScoreResult) -> str:
    """A plain-text report of the score, its sections, categories and critical causes."""
    lines: list[str] = []
    add = lines.append
    verdict = "no score" if result.passed is None else ("PASS" if result.passed else "FAIL")
    if result.critical_failed:
        verdict += " (critical failure)"
    add(f"Form: {form.title} [{form.id}]")
    add(f"Mode: {form.settings.scoring_mode.value}   Pass mark: {form.settings.pass_mark:g}")
    add("")
    add(f"Overall score:         {fmt_score(result.score):>6}   {verdict}")
    add(f"Score before critical: {fmt_score(result.score_before_critical):>6}")
    add(f"Band:                  {result.band or '—'}")
    add(f"Answered:              {result.answered} of {result.answerable} scored questions")
    add("")
    add("Sections")
    width = max((len(s.title) for s in form.sections), default=10)
    for s in result.sections:
        title = form.section(s.section_id).title  # type: ignore[union-attr]
        pct = "N/A" if s.percent is None else f"{fmt_score(s.percent)}%"
        note = ""
        if s.critical_failed:
            note = f"  CRITICAL (before: {fmt_score(s.percent_before_critical)}%)"
        add(
            f"  {title:<{width}}  {s.category.label:<17} weight {s.weight:<4g} "
            f"{s.earned_before_critical:>6g} / {s.possible:<6g} {pct:>7}{note}"
        )
    add("")
    add("Categories")
    for c in result.categories:
        pct = "N/A" if c.percent is None else f"{fmt_score(c.percent)}%"
        add(f"  {c.category.label:<17} {pct:>7}")
    add("")
    add("Critical failures")
    if not result.critical_causes:
        add("  none")
    for cause in result.critical_causes:
        question = form.question(cause.question_id)
        text = question.text if question else cause.question_id
        scope = "whole form (auto-fail)" if cause.level.value == "form" else "its section"
        add(f"  {cause.question_id}: \"{text}\" answered '{cause.option_id}' -> zeroes {scope}")
    add("")
    add("Questions")
    qwidth = max((len(q.question_id) for q in result.questions), default=10) + 1
    for q in result.questions:
        if q.status is QuestionStatus.UNSCORED:
            shown = _answer_text(answers.get(q.question_id)) or "—"
            add(f"  {q.question_id:<{qwidth}} {'data':<10} {shown}")
            continue
        answer = _answer_text(answers.get(q.question_id)) or "—"
        pts = f"{q.earned:g} / {q.possible:g}" if q.counts else "excluded"
        add(f"  {q.question_id:<{qwidth}} {q.status.value:<10} {answer:<10} {pts}")
    return "\n".join(lines)
