"""The demo year: which calls happen, who evaluates them, and the rows that result.

Calls are planned first (regular evaluations ~8 per agent per month on working days
in the centre's zone, calibration sessions, self-reviews, drafts and a queue of
recent calls nobody has evaluated yet), then sorted by time so ids grow with time,
then evaluated (``demo_evaluate``) and turned into rows.
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from qa_monitor.core.forms import Form
from qa_monitor.core.metrics import REPEAT_WINDOW_DAYS
from qa_monitor.core.records import EvaluationKind
from qa_monitor.services import demo_effects
from qa_monitor.services.demo_answers import AnswerModel
from qa_monitor.services.demo_evaluate import Call, EvalSpec, Evaluator, RowBatch
from qa_monitor.services.demo_people import SkillCurve
from qa_monitor.services.demo_recorded import attach_recordings

FRIDAY = 4
PER_MONTH = (6, 7, 8, 8, 9, 10)  # regular evaluations per agent per month, drawn uniformly
CALIBRATION_SESSIONS = 10
SELF_REVIEWS = 20
DRAFTS = 8
QUEUE = 100  # recent calls waiting for an evaluation

# Share of calls the centre makes: win-back calls, and compliance calls out (the recording
# disclosure question is asked only on those; inbound callers hear a recorded notice).
_OUTBOUND_SHARE = {"retention_call": 0.15, "compliance_call": 0.25}


@dataclass(frozen=True, slots=True)
class DemoAgent:
    id: int
    name: str
    team_id: int
    team_name: str
    curve: SkillCurve


@dataclass(slots=True)
class DemoForm:
    form_id: str
    # (first day in use, version id, form), oldest first.
    versions: list[tuple[date, int, Form]] = field(default_factory=list)

    def version_on(self, day: date) -> tuple[int, Form]:
        chosen = self.versions[0]
        for version in self.versions:
            if version[0] <= day:
                chosen = version
        return chosen[1], chosen[2]


@dataclass(frozen=True, slots=True)
class DemoSetup:
    zone: str
    start: date
    anchor: date
    seed: int
    agents: list[DemoAgent]
    reviewers: list[tuple[int, float, bool]]  # (id, strictness, is_expert)
    forms: dict[str, DemoForm]
    team_forms: dict[int, tuple[tuple[str, float], ...]]
    week_start: int = 0  # the centre's first day of the week (dispute deadlines)


class _Planner:
    def __init__(self, setup: DemoSetup, rng: random.Random):
        self.setup = setup
        self.rng = rng
        self.zone = ZoneInfo(setup.zone)
        self.days = (setup.anchor - setup.start).days
        self.experts = [r for r in setup.reviewers if r[2]]
        self.others = [r for r in setup.reviewers if not r[2]] or self.experts
        team_ids = sorted({a.team_id for a in setup.agents})
        self.primary = {t: self.others[i % len(self.others)] for i, t in enumerate(team_ids)}

    def moment(self, day: date) -> datetime:
        """A working-hours start time on ``day`` (moved off Fridays), in the centre's zone."""
        if day.weekday() == FRIDAY:
            day += timedelta(days=1 if day < self.setup.anchor else -1)
        closing = 14 if day.weekday() == FRIDAY - 1 else 20  # short Thursdays
        if day >= self.setup.anchor:
            closing = min(closing, 17)  # the demo's "now" is the anchor day at 18:00
        minute = self.rng.randint(8 * 60, closing * 60 - 1)
        second = self.rng.randint(0, 59)
        return datetime.combine(day, time(minute // 60, minute % 60, second), self.zone)

    def call(self, agent: DemoAgent, day: date) -> Call:
        rng = self.rng
        choices = self.setup.team_forms[agent.team_id]
        form_id = rng.choices([c[0] for c in choices], [c[1] for c in choices])[0]
        started = self.moment(day)
        version_id, form = self.setup.forms[form_id].version_on(started.date())
        channels = [c.value for c in form.channels] or ["phone"]
        if "phone" in channels:
            channel = "phone"
        elif "chat" in channels and "email" in channels:
            channel = "chat" if rng.random() < 0.65 else "email"
        else:
            channel = channels[0]
        if channel == "email":
            duration = None
        else:
            typical = {"phone": 420.0, "chat": 780.0}.get(channel, 420.0)
            if "retention" in form_id:
                typical = 600.0
            duration = round(min(2400.0, max(45.0, rng.lognormvariate(math.log(typical), 0.45))))
        t = (started.date() - self.setup.start).days / max(self.days, 1)
        return Call(
            agent_id=agent.id,
            team_id=agent.team_id,
            team_name=agent.team_name,
            form_id=form_id,
            version_id=version_id,
            form=form,
            channel=channel,
            started=started,
            duration_s=duration,
            outbound=form_id in _OUTBOUND_SHARE and rng.random() < _OUTBOUND_SHARE[form_id],
            skill=agent.curve.at(t),
        )

    def regular_reviewer(self, team_id: int) -> tuple[int, float, bool]:
        u = self.rng.random()
        if u < 0.1 and self.experts:
            return self.experts[0]
        if u < 0.75:
            return self.primary[team_id]
        return self.rng.choice(self.others)

    def plan(self) -> list[Call]:
        rng, setup = self.rng, self.setup
        calls: list[Call] = []
        months = _months(setup.start, setup.anchor - timedelta(days=1))
        for agent in setup.agents:
            for first, last, share in months:
                count = round(rng.choice(PER_MONTH) * share)
                for _ in range(count):
                    c = self.call(
                        agent, first + timedelta(days=rng.randint(0, (last - first).days))
                    )
                    r = self.regular_reviewer(agent.team_id)
                    c.evals.append(EvalSpec(r[0], r[1], EvaluationKind.REGULAR))
                    calls.append(c)
        self._self_reviews(calls)
        for i in range(CALIBRATION_SESSIONS):
            agent = setup.agents[(i * 7) % len(setup.agents)]
            day = setup.start + timedelta(days=int((i + 0.5) * self.days / CALIBRATION_SESSIONS))
            c = self.call(agent, day)
            c.evals = [EvalSpec(r[0], r[1], EvaluationKind.CALIBRATION) for r in setup.reviewers]
            calls.append(c)
        for _ in range(DRAFTS):
            agent = rng.choice(setup.agents)
            c = self.call(agent, setup.anchor - timedelta(days=rng.randint(1, 4)))
            r = self.primary[agent.team_id]
            c.evals.append(EvalSpec(r[0], r[1], EvaluationKind.REGULAR, draft=True))
            calls.append(c)
        for _ in range(QUEUE):
            calls.append(
                self.call(
                    rng.choice(setup.agents), setup.anchor - timedelta(days=rng.randint(0, 9))
                )
            )
        calls.sort(key=lambda c: c.started)
        return calls

    def _self_reviews(self, calls: list[Call]) -> None:
        cutoff = self.setup.anchor - timedelta(days=20)
        older = [c for c in calls if c.started.date() < cutoff]
        for c in self.rng.sample(older, min(SELF_REVIEWS, len(older))):
            r = self.primary[c.team_id]
            # Agents rate themselves leniently: a low strictness.
            c.evals.append(EvalSpec(r[0], 0.6, EvaluationKind.SELF))


def _months(first: date, last: date) -> list[tuple[date, date, float]]:
    """Calendar months from ``first`` to ``last`` (inclusive), clipped to the period, each
    with the share of the month inside it (regular volume is per calendar month)."""
    out = []
    month = first.replace(day=1)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        lo, hi = max(month, first), min(following - timedelta(days=1), last)
        out.append((lo, hi, ((hi - lo).days + 1) / (following - month).days))
        month = following
    return out


def _link_repeat_contacts(calls: list[Call], rng: random.Random) -> None:
    """An unresolved contact is often followed by the same customer within 7 days, a
    resolved one sometimes (``demo_effects.repeat_chance``): a later call of the team
    within the window becomes the customer's repeat contact."""
    by_team: dict[int, list[Call]] = {}
    for c in calls:
        by_team.setdefault(c.team_id, []).append(c)
    for team_calls in by_team.values():
        starts = [c.started for c in team_calls]
        for c in team_calls:
            if rng.random() >= demo_effects.repeat_chance(c.resolved):
                continue
            lo = bisect.bisect_right(starts, c.started)
            hi = bisect.bisect_right(starts, c.started + timedelta(days=REPEAT_WINDOW_DAYS))
            candidates = [x for x in team_calls[lo:hi] if not x.repeat]
            if candidates:
                follow = rng.choice(candidates)
                follow.customer_ref = c.customer_ref
                follow.repeat = True


def generate(setup: DemoSetup, rng: random.Random) -> RowBatch:
    """Every interaction, evaluation, answer, section score and audit row of the demo."""
    calls = _Planner(setup, rng).plan()
    models: dict[int, AnswerModel] = {}
    for demo_form in setup.forms.values():
        for _day, version_id, form in demo_form.versions:
            models[version_id] = AnswerModel(form, setup.seed)
    anchor_end = datetime.combine(setup.anchor, time(18), ZoneInfo(setup.zone))
    names = {a.id: a.name for a in setup.agents}
    attach_recordings(calls, names)
    reviewer_ids = [r[0] for r in setup.reviewers]
    evaluator = Evaluator(
        models, setup.zone, anchor_end, rng, names, reviewer_ids, setup.week_start
    )
    for interaction_id, call in enumerate(calls, start=1):
        call.id = interaction_id
        call.customer_ref = f"C{rng.randint(100000, 999999)}"
        evaluator.evaluate(call)
    _link_repeat_contacts(calls, rng)
    return evaluator.rows(calls)
