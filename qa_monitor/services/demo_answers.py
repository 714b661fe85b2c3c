"""Plausible answers to any form, for the demo database and the scale generator.

The model: an agent has a *skill* (0..1, roughly the mean score they earn / 100). Each
scored question has a difficulty (mean 1 over the form), so a question is missed with
probability about ``(1 - skill) * difficulty / loss-per-miss``. A reviewer's
*strictness* multiplies that rate, which is how calibration sessions disagree.
Critical questions fail rarely (about 3% of evaluations in all), N/A appears where
allowed, conditional questions are answered only when their condition holds, and
data questions (tags, text, date-times) get values that agree with the outcome.

Every random choice is drawn from the ``random.Random`` passed in, in form order, so
a seed gives the same answers. ``Draws`` can be shared by several reviewers scoring
the same interaction: they then see the same call and differ only by strictness.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import (
    CommentRule,
    CriticalLevel,
    Form,
    InteractionFacts,
    Option,
    OutcomeField,
    Question,
    QuestionType,
    Section,
)
from qa_monitor.services import demo_effects
from qa_monitor.services.demo_text import (
    COMPETITORS,
    CUSTOMER_FEEDBACK,
    GENERIC_NOTES,
    GOOD_COMMENTS,
    miss_comments,
)

# Share of evaluations with a critical failure for an average agent (skill ~0.82).
CRITICAL_RATE = 0.03
# N/A where allowed: rare in general, common where the guidance names a situation
# ("N/A when ...") and commonest on questions that open follow-ups (a complaint, a callback).
NA_RATE = 0.07
NA_RATE_SITUATIONAL = 0.2
NA_RATE_TRIGGER = 0.5
COMMENT_RATE = 0.35  # comments on misses where the form does not require one
_AVERAGE_LOSS = 0.18

# Per question: (u_na, u_miss, u_which) uniforms.
Draws = tuple[tuple[float, float, float], ...]


@dataclass(frozen=True, slots=True)
class QuestionPlan:
    section: Section
    question: Question
    difficulty: float
    best: Option | None  # the full-marks option of a scored question
    misses: tuple[Option, ...]  # options short of full marks (not critical failures)
    miss_cumulative: tuple[float, ...]
    miss_loss: float  # expected lost fraction given a miss
    fails: tuple[Option, ...]  # failing options of a critical question
    comments: tuple[str, ...]
    na_rate: float = NA_RATE


@dataclass(frozen=True, slots=True)
class CallContext:
    """What data questions need to know about the interaction."""

    started_local: datetime  # aware, in the centre's zone
    duration_s: float | None
    # Channel and direction, for questions shown only on some interactions.
    interaction: InteractionFacts | None = None


def _plan(section: Section, question: Question, difficulty: float) -> QuestionPlan:
    comments = miss_comments(question, section.category)
    if question.outcome_field is OutcomeField.RESOLVED_FIRST_CONTACT:
        # First-contact resolution runs around 70-80% in real centres.
        difficulty = max(difficulty, 1.5)
    if not question.scored:
        return QuestionPlan(section, question, difficulty, None, (), (), 0.0, (), comments)
    ranked = sorted(
        (o for o in question.options if o.fraction is not None),
        key=lambda o: o.fraction or 0.0,
        reverse=True,
    )
    best = ranked[0]
    critical = question.critical is not CriticalLevel.NONE
    fails = tuple(o for o in ranked[1:] if critical and o.is_failing)
    misses = tuple(o for o in ranked[1:] if o not in fails)
    top = best.fraction or 0.0
    weights = [(o.fraction or 0.0) + 0.25 for o in misses]
    total = sum(weights)
    cumulative: list[float] = []
    running = 0.0
    for w in weights:
        running += w / total
        cumulative.append(running)
    loss = (
        sum(w / total * (top - (o.fraction or 0.0)) for w, o in zip(weights, misses, strict=True))
        if misses
        else 0.0
    )
    return QuestionPlan(
        section, question, difficulty, best, misses, tuple(cumulative), loss, fails, comments
    )


class AnswerModel:
    """Generates answers to one form (see the module docstring for the model)."""

    def __init__(self, form: Form, seed: int | str = 0):
        self.form = form
        tuning = random.Random(f"{seed}/{form.id}")
        raw = [tuning.lognormvariate(0.0, 0.6) for _ in range(form.question_count)]
        mean = sum(raw) / len(raw) if raw else 1.0
        triggers = {q.condition.question_id for _s, q in form.questions() if q.condition}
        self.plans = tuple(
            dataclasses.replace(
                _plan(section, question, d / mean), na_rate=_na_rate(question, triggers)
            )
            for (section, question), d in zip(form.questions(), raw, strict=True)
        )
        critical = [p for p in self.plans if p.fails]
        self._critical_share = CRITICAL_RATE / len(critical) if critical else 0.0
        # Planted effects (demo_effects.py): these questions ignore the agent's skill.
        self.planted = demo_effects.planted_questions(form.id)

    def draw(self, rng: random.Random) -> Draws:
        """The uniforms one interaction's answers are decided by."""
        r = rng.random
        return tuple((r(), r(), r()) for _ in self.plans)

    def answers(
        self,
        skill: float,
        rng: random.Random,
        context: CallContext,
        *,
        strictness: float = 1.0,
        draws: Draws | None = None,
        comment_rate: float = COMMENT_RATE,
    ) -> dict[str, Answer]:
        """Answers of a reviewer with ``strictness`` to a call by an agent with ``skill``."""
        if draws is None:
            draws = self.draw(rng)
        out: dict[str, Answer] = {}
        full: set[str] = set()
        for plan, (u_na, u_miss, u_which) in zip(self.plans, draws, strict=True):
            q = plan.question
            on_interaction = q.interaction_condition
            if not _visible(q, out) or (
                on_interaction is not None and not on_interaction.holds(context.interaction)
            ):
                continue
            if q.scored:
                na, fail, miss = self.chances(plan, skill, strictness)
                if q.outcome_field is OutcomeField.RESOLVED_FIRST_CONTACT and self.planted:
                    # The outcome the form records follows the planted model only.
                    fail, miss = 0.0, 1.0 - demo_effects.resolved_chance(self.form.id, full)
                chosen = _choose(plan, na, fail, miss, u_na, u_miss, u_which)
                if plan.best is not None and chosen.value == plan.best.id:
                    full.add(q.id)
                out[q.id] = self._comment(plan, chosen, rng, context, comment_rate)
            else:
                if q.outcome_field is OutcomeField.RETENTION and self.planted:
                    result = demo_effects.retention(self.form.id, full, u_na, u_miss)
                    out[q.id] = Answer(q.id, result)
                    continue
                data = _data_answer(q, skill, rng, context)
                if data is not None:
                    out[q.id] = data
        return out

    def chances(
        self, plan: QuestionPlan, skill: float, strictness: float
    ) -> tuple[float, float, float]:
        """(N/A, critical failure, other miss) probabilities of a scored question; a critical
        failure and a miss are counted among the answers that are not N/A."""
        q = plan.question
        na = plan.na_rate if q.allow_na else 0.0
        if q.id in self.planted and plan.misses:
            return na, 0.0, 1.0 - self.planted[q.id]
        target_loss = max(0.0, 1.0 - skill) * strictness
        if q.bonus:
            miss = 1.0 - 0.3 * (1.0 - target_loss)
        elif plan.miss_loss > 0:
            miss = min(0.95, target_loss * plan.difficulty / plan.miss_loss)
        else:
            miss = 0.0
        critical = self._critical_share * max(0.0, 1.0 - skill) / _AVERAGE_LOSS
        fail = min(1.0, critical) if plan.fails else 0.0
        miss = min(1.0 - fail, miss) if plan.misses else 0.0
        return na, fail, miss

    @staticmethod
    def _comment(
        plan: QuestionPlan,
        answer: Answer,
        rng: random.Random,
        context: CallContext,
        comment_rate: float,
    ) -> Answer:
        q = plan.question
        if answer.na:
            return answer
        full = plan.best is not None and answer.value == plan.best.id
        required = q.comment is CommentRule.ALWAYS or (
            q.comment is CommentRule.NOT_FULL and not full
        )
        if full and not required:
            return answer
        if not required and rng.random() >= comment_rate:
            return answer
        text = rng.choice(GOOD_COMMENTS if full else plan.comments)
        stamp = None
        if context.duration_s and not full and rng.random() < 0.5:
            stamp = int(rng.uniform(0.05, 0.95) * context.duration_s * 1000)
        return Answer(q.id, answer.value, comment=text, timestamp_ms=stamp)


def _choose(
    plan: QuestionPlan,
    na: float,
    fail: float,
    miss: float,
    u_na: float,
    u_miss: float,
    u_which: float,
) -> Answer:
    q = plan.question
    if u_na < na:
        return Answer(q.id, na=True)
    if u_miss < fail:
        return Answer(q.id, plan.fails[int(u_which * len(plan.fails))].id)
    if u_miss < fail + miss:
        for option, edge in zip(plan.misses, plan.miss_cumulative, strict=True):
            if u_which <= edge:
                return Answer(q.id, option.id)
        return Answer(q.id, plan.misses[-1].id)
    assert plan.best is not None
    return Answer(q.id, plan.best.id)


def _na_rate(question: Question, triggers: set[str]) -> float:
    if question.id in triggers:
        return NA_RATE_TRIGGER
    if "n/a when" in question.guidance.lower():
        return NA_RATE_SITUATIONAL
    return NA_RATE


def _visible(question: Question, answers: dict[str, Answer]) -> bool:
    """Whether the condition holds; answers hold only visible questions, so a condition on
    a hidden question fails here as it does in scoring."""
    cond = question.condition
    if cond is None:
        return True
    given = answers.get(cond.question_id)
    if given is None or given.na:
        return False
    chosen = given.value if isinstance(given.value, tuple) else (given.value,)
    return any(v in cond.option_ids for v in chosen)


def _pick(question: Question, weights: dict[str, float], rng: random.Random) -> str:
    """An option id, weighted by ``weights`` (options not named weigh 1)."""
    ids = [o.id for o in question.options]
    return rng.choices(ids, [weights.get(i, 1.0) for i in ids])[0]


def _data_answer(
    q: Question,
    skill: float,
    rng: random.Random,
    context: CallContext,
) -> Answer | None:
    """A value for an unscored question, consistent with the call and the agent's skill."""
    field = q.outcome_field
    if not q.required and field is None and rng.random() > 0.3:
        return None
    if q.type is QuestionType.TAG:
        if field is OutcomeField.RETENTION:
            retained = 0.25 + 0.6 * skill
            weights = {"retained": retained, "lost": (1 - retained) * 0.65}
            weights["undecided"] = 1 - retained - weights["lost"]
            return Answer(q.id, _pick(q, weights | {"na": 0.02}, rng))
        if field in (OutcomeField.RESOLVED_FIRST_CONTACT, OutcomeField.CALLBACK_KEPT):
            yes = 0.35 + 0.55 * skill
            return Answer(q.id, _pick(q, {"yes": yes, "no": 1 - yes, "na": 0.02}, rng))
        return Answer(q.id, _pick(q, {"other": 0.3, "na": 0.1}, rng))
    if q.type is QuestionType.TAGS:
        ids = [o.id for o in q.options]
        return Answer(q.id, tuple(rng.sample(ids, min(len(ids), rng.choice((1, 1, 2))))))
    if q.type is QuestionType.NUMBER:
        low = q.minimum if q.minimum is not None else 0.0
        high = q.maximum if q.maximum is not None else max(low + 10.0, 10.0)
        return Answer(q.id, float(round(rng.uniform(low, high))))
    if q.type is QuestionType.DATETIME:
        day = context.started_local + timedelta(days=rng.choice((1, 1, 2, 3)))
        moment = day.replace(hour=rng.randint(9, 17), minute=rng.choice((0, 15, 30, 45)))
        return Answer(q.id, moment.replace(tzinfo=None).isoformat(timespec="minutes"))
    text = q.text.lower()
    if "competitor" in text:
        return Answer(q.id, rng.choice(COMPETITORS))
    if "feedback" in text or "own words" in text:
        return Answer(q.id, rng.choice(CUSTOMER_FEEDBACK))
    return Answer(q.id, rng.choice(GENERIC_NOTES))
