"""Fast answers and cached scores for the benchmark form.

Answers are integer codes, one per question in form order: an index into the
question's ``choices`` (``None`` in a choice is N/A), or ``HIDDEN`` when a condition
hides the question. ``FastForm.sample`` draws them with the probabilities of
``services.demo_answers.AnswerModel.chances`` (one ``random()`` and one ``bisect`` per
question).

Scores always come from ``core.scoring.score_evaluation``, through two caches:

1. per section, the section's codes -> the ``SectionScore`` and per-question scores
   ``score_evaluation`` gives on a form holding only that section (a section's numbers
   depend only on its own answers; the form's conditions stay inside their section);
2. the sums of the sections' earned, earned-before-critical and possible points, and
   whether a form- / any critical question failed -> the evaluation's numbers, from
   ``score_evaluation`` on the full answers the first time the key is seen. In points
   mode those numbers depend on nothing else, and with points that are multiples of
   1/64 the sums are exact in floating point whatever the order (``_check_exact``).

``verify`` re-scores from scratch and compares every number; the generator does it
for every 1,000th evaluation.
"""

from __future__ import annotations

import bisect
import dataclasses
import random
from collections.abc import Sequence
from typing import Any

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import CommentRule, CriticalLevel, Form, ScoringMode
from qa_monitor.core.scoring import ScoreResult, SectionScore, score_evaluation
from qa_monitor.services.demo_answers import COMMENT_RATE, AnswerModel
from qa_monitor.storage.score_rows import score_values
from qa_monitor.storage.values import value_to_json

HIDDEN = -1
# (question_id, section_id, value, na, earned, possible, status, failing, comment,
# timestamp_ms): an answer row without its evaluation id (bulk_load.ANSWER_COLUMNS order).
Suffix = tuple[Any, ...]
SectionEntry = tuple[SectionScore, tuple[Suffix, ...], bool, bool]
# score, score_before_critical, passed, band, critical_failed, auto_failed, earned, possible
EvalNumbers = tuple[Any, ...]


def _numbers(result: ScoreResult) -> EvalNumbers:
    return score_values(result)


class FastForm:
    def __init__(self, form: Form, seed: int):
        self.form = form
        self.model = AnswerModel(form, seed)
        self.plans = self.model.plans
        self.n = len(self.plans)
        index = {p.question.id: i for i, p in enumerate(self.plans)}
        self.choices: list[tuple[str | None, ...]] = []
        self.best: list[int] = []
        self.comment_below_full: list[bool] = []
        self.condition: list[tuple[int, frozenset[int]] | None] = []
        for plan in self.plans:
            q = plan.question
            if q.scored:
                assert plan.best is not None
                ids: list[str | None] = [None] if q.allow_na else []
                ids += [o.id for o in plan.fails] + [o.id for o in plan.misses] + [plan.best.id]
            else:
                ids = [o.id for o in q.options]
            self.choices.append(tuple(ids))
            self.best.append(len(ids) - 1 if q.scored else HIDDEN)
            self.comment_below_full.append(q.comment is not CommentRule.NEVER)
            if q.condition is None:
                self.condition.append(None)
            else:
                trigger = index[q.condition.question_id]
                on = frozenset(
                    code
                    for code, option_id in enumerate(self.choices[trigger])
                    if option_id in q.condition.option_ids
                )
                self.condition.append((trigger, on))
        self.slices: list[tuple[int, int]] = []
        start = 0
        for section in form.sections:
            self.slices.append((start, start + len(section.questions)))
            start += len(section.questions)
        self.section_forms = [dataclasses.replace(form, sections=(s,)) for s in form.sections]
        _check_exact(form)
        self._thresholds: dict[tuple[int, float], list[list[float]]] = {}
        self._sections: list[dict[tuple[int, ...], SectionEntry]] = [{} for _ in form.sections]
        self._evaluations: dict[tuple[Any, ...], EvalNumbers] = {}
        self.score_calls = 0

    # -- answers ----------------------------------------------------------------------------
    def _cumulative(self, skill: float, strictness: float) -> list[list[float]]:
        out = []
        for plan, ids in zip(self.plans, self.choices, strict=True):
            q = plan.question
            if not q.scored:
                out.append([(k + 1) / len(ids) for k in range(len(ids) - 1)])
                continue
            na, fail, miss = self.model.chances(plan, skill, strictness)
            probs = [na] if q.allow_na else []
            rest = 1.0 - (na if q.allow_na else 0.0)
            if plan.fails:
                probs += [rest * fail / len(plan.fails)] * len(plan.fails)
            previous = 0.0
            for edge in plan.miss_cumulative:
                probs.append(rest * miss * (edge - previous))
                previous = edge
            running, cumulative = 0.0, []
            for p in probs:
                running += p
                cumulative.append(running)
            out.append(cumulative)
        return out

    def sample(self, skill: float, strictness: float, rng: random.Random) -> list[int]:
        """Answer codes for a call by an agent with ``skill`` marked by a reviewer."""
        key = (round(skill * 200), strictness)
        thresholds = self._thresholds.get(key)
        if thresholds is None:
            thresholds = self._cumulative(key[0] / 200, strictness)
            self._thresholds[key] = thresholds
        r = rng.random
        codes = [HIDDEN] * self.n
        for i, (cut, cond) in enumerate(zip(thresholds, self.condition, strict=True)):
            if cond is not None and codes[cond[0]] not in cond[1]:
                continue
            codes[i] = bisect.bisect_right(cut, r())
        return codes

    def comments(self, codes: Sequence[int], rng: random.Random) -> dict[int, str]:
        """Reviewer comments by question index: where required, and on some other misses."""
        out = {}
        for i, code in enumerate(codes):
            if code < 0 or code == self.best[i] or self.choices[i][code] is None:
                continue
            if self.comment_below_full[i] or rng.random() < COMMENT_RATE:
                out[i] = rng.choice(self.plans[i].comments)
        return out

    def answers(
        self, codes: Sequence[int], lo: int = 0, hi: int | None = None
    ) -> dict[str, Answer]:
        out = {}
        for i in range(lo, self.n if hi is None else hi):
            code = codes[i]
            if code < 0:
                continue
            qid = self.plans[i].question.id
            choice = self.choices[i][code]
            out[qid] = Answer(qid, na=True) if choice is None else Answer(qid, choice)
        return out

    # -- scores -----------------------------------------------------------------------------
    def _section(self, s: int, codes: Sequence[int]) -> SectionEntry:
        lo, hi = self.slices[s]
        key = tuple(codes[lo:hi])
        entry = self._sections[s].get(key)
        if entry is None:
            answers = self.answers(codes, lo, hi)
            result = score_evaluation(self.section_forms[s], answers)
            self.score_calls += 1
            suffixes = tuple(
                (
                    qs.question_id,
                    qs.section_id,
                    _value(answers.get(qs.question_id)),
                    int(answers.get(qs.question_id, _NONE).na),
                    qs.earned,
                    qs.possible,
                    qs.status.value,
                    int(qs.failing),
                    "",  # comment: filled in per evaluation
                    None,  # timestamp_ms
                )
                for qs in result.questions
            )
            levels = {c.level for c in result.critical_causes}
            entry = (result.sections[0], suffixes, CriticalLevel.FORM in levels, bool(levels))
            self._sections[s][key] = entry
        return entry

    def score(self, codes: Sequence[int]) -> tuple[EvalNumbers, list[SectionEntry]]:
        """The evaluation's numbers and, per section, its score and answer-row parts."""
        entries = [self._section(s, codes) for s in range(len(self.slices))]
        # Points mode: the numbers depend only on these sums and flags (exact sums, see
        # ``_check_exact``), so any pattern with the same key has the same numbers.
        key = (
            sum(e[0].earned for e in entries),
            sum(e[0].earned_before_critical for e in entries),
            sum(e[0].possible for e in entries),
            any(e[2] for e in entries),
            any(e[3] for e in entries),
        )
        numbers = self._evaluations.get(key)
        if numbers is None:
            result = score_evaluation(self.form, self.answers(codes))
            self.score_calls += 1
            if result.sections != tuple(e[0] for e in entries):
                raise AssertionError("a section scored differently inside the whole form")
            numbers = _numbers(result)
            self._evaluations[key] = numbers
        return numbers, entries

    def verify(self, codes: Sequence[int]) -> None:
        """Check the cached numbers against ``score_evaluation`` on the full answers."""
        numbers, entries = self.score(codes)
        result = score_evaluation(self.form, self.answers(codes))
        assert numbers == _numbers(result)
        assert tuple(e[0] for e in entries) == result.sections
        cached = [s[4:8] for e in entries for s in e[1]]
        fresh = [(q.earned, q.possible, q.status.value, int(q.failing)) for q in result.questions]
        assert cached == fresh


def _check_exact(form: Form) -> None:
    """The evaluation cache needs points mode and points that add up exactly in floating
    point whatever the order: every option's share of its points a multiple of 1/64."""
    if form.settings.scoring_mode is not ScoringMode.POINTS:
        raise ValueError("the benchmark's score cache assumes a points-mode form")
    for _section, q in form.questions():
        for option in q.options:
            if option.fraction is not None and (option.fraction * q.points * 64) % 1:
                raise ValueError(f"{q.id}: {option.id} earns a non-dyadic number of points")


class _NoAnswer:
    na = False


_NONE: Any = _NoAnswer()


def _value(answer: Answer | None) -> str | None:
    return None if answer is None else value_to_json(answer.value)
