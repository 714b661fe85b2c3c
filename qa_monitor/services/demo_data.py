"""The demo database: a small contact centre with a year of realistic QA history.

``build_demo_database`` writes, deterministically for a seed and an anchor date:
settings (centre zone Asia/Tehran, week starting Saturday), 3 teams, 30 agents, 5
reviewers (one expert), every shipped form published (one of them revised to
version 2 mid-year), about 3,000 evaluations over the 12 months ending at the anchor
(regular, calibration sessions, self-reviews and drafts) with their interactions,
outcomes, surveys, answers, section scores and audit entries, and the QA programme:
sampling rules, the review queue of the last full week and a few coaching sessions
with their action plans (``demo_programme``).

People and forms go through the services; the high-volume rows are generated
(``demo_events``), scored with ``core.scoring.score_evaluation`` and appended with
``storage.bulk_load``. The anchor is a parameter, so the demo does not move with
the clock.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from qa_monitor.core.forms import Form
from qa_monitor.formfiles.shipped import load_shipped_forms
from qa_monitor.services import Services
from qa_monitor.services.demo_calibration import add_calibration
from qa_monitor.services.demo_events import DemoAgent, DemoForm, DemoSetup, generate
from qa_monitor.services.demo_people import AGENT_NAMES, REVIEWERS, TEAM_NAMES, skill_curves
from qa_monitor.services.demo_programme import add_coaching, add_programme
from qa_monitor.storage import bulk_load

DEMO_ANCHOR = date(2026, 11, 15)
DEMO_TIMEZONE = "Asia/Tehran"
SATURDAY = 5  # date.weekday(): Iran's working week starts on Saturday
# Tables in the order their counts are reported.
DEMO_TABLES: tuple[str, ...] = (
    "settings",
    "teams",
    "agents",
    "reviewers",
    "forms",
    "form_versions",
    "form_questions",
    "interactions",
    "evaluations",
    "answers",
    "section_scores",
    "audit_log",
    "sampling_rules",
    "queue_items",
    "coaching_sessions",
    "coaching_actions",
)
# Which form each team mostly uses, by form id; unknown ids fall back by channel.
_TEAM_FORMS: dict[str, tuple[tuple[str, float], ...]] = {
    "Retention": (("retention_call", 0.88), ("compliance_call", 0.12)),
    "Customer Care": (("inbound_service", 0.85), ("compliance_call", 0.15)),
    "Digital Support": (("chat_email", 1.0),),
}
_REVISED_FORM = "inbound_service"


class _Clock:
    """A settable clock, so people and form versions carry dates inside the demo year."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _set(clock: _Clock) -> Callable[[datetime], None]:
    def setter(now: datetime) -> None:
        clock.now = now

    return setter


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_demo_database(
    path: Path, *, seed: int = 2026, replace: bool = False, anchor: date = DEMO_ANCHOR
) -> dict[str, int]:
    """Create the demo database at ``path``; returns the row count of each table
    (``DEMO_TABLES`` order). Refuses (FileExistsError) to overwrite an existing file
    unless ``replace``.
    """
    path = Path(path)
    if path.exists():
        if not replace:
            raise FileExistsError(f"'{path}' already exists; choose another file or replace it")
        _remove_database(path)
    zone = ZoneInfo(DEMO_TIMEZONE)
    start = anchor - timedelta(days=365)
    clock = _Clock(datetime.combine(start - timedelta(days=30), time(9), zone).astimezone(UTC))
    rng = random.Random(seed)
    try:
        with Services.open(path, clock=clock) as services:
            services.settings.set_timezone(DEMO_TIMEZONE)
            services.settings.set_week_start(SATURDAY)
            setup = _people_and_forms(services, clock, rng, start, anchor, seed)
            batch = generate(setup, rng)
            db = services.db
            with bulk_load.bulk_mode(db):
                bulk_load.insert_interactions(db, batch.interactions)
                bulk_load.insert_evaluations(db, batch.evaluations)
                bulk_load.insert_answers(db, batch.answers)
                bulk_load.insert_section_scores(db, batch.section_scores)
                bulk_load.insert_audit_entries(db, batch.audit)
            # The review queue of the last full week (its calls are not in the batch:
            # nobody has scored them yet).
            add_programme(services, _set(clock), setup, random.Random(seed + 14))
            add_coaching(services, _set(clock), setup)
            add_calibration(services, _set(clock), setup)
            bulk_load.analyze(db)
            bulk_load.checkpoint(db)
            return bulk_load.table_counts(db, DEMO_TABLES)
    except BaseException:
        _remove_database(path)  # never leave a half-built demo behind
        raise


def _people_and_forms(
    services: Services,
    clock: _Clock,
    rng: random.Random,
    start: date,
    anchor: date,
    seed: int,
) -> DemoSetup:
    reviewers = []
    for name, strictness, expert in REVIEWERS:
        reviewer = services.people.add_reviewer(name, is_expert=expert)
        reviewers.append((reviewer.id, strictness, expert))
    expert_id = next(r[0] for r in reviewers if r[2])
    services.settings.set_current_reviewer(expert_id)

    teams = [services.people.add_team(name) for name in TEAM_NAMES]
    per_team = len(AGENT_NAMES) // len(teams)
    curves = skill_curves(len(AGENT_NAMES), rng, improving=13, declining=24)
    agents = []
    for i, name in enumerate(AGENT_NAMES):
        team = teams[min(i // per_team, len(teams) - 1)]
        hired = start - timedelta(days=rng.randint(60, 6 * 365))
        agent = services.people.add_agent(
            name,
            team_id=team.id,
            hire_date=hired,
            external_id=f"AG{1001 + i}",
            email=f"ag{1001 + i}@centre.example",
        )
        agents.append(DemoAgent(agent.id, agent.name, team.id, team.name, curves[i]))

    forms = {f.id: f for f in load_shipped_forms()}
    demo_forms: dict[str, DemoForm] = {}
    for form in forms.values():
        version = services.forms.publish_form(form, expert_id)
        demo_forms[form.id] = DemoForm(form.id, [(start, version.id, form)])
    revised_id = _REVISED_FORM if _REVISED_FORM in forms else next(iter(forms))
    revised_on = start + timedelta(days=200)
    clock.now = datetime.combine(revised_on, time(8), ZoneInfo(DEMO_TIMEZONE)).astimezone(UTC)
    revised = _revised(forms[revised_id])
    version2 = services.forms.publish_form(revised, expert_id)
    demo_forms[revised_id].versions.append((revised_on, version2.id, revised))

    team_forms = {team.id: _forms_for(team.name, demo_forms, forms) for team in teams}
    return DemoSetup(
        zone=DEMO_TIMEZONE,
        start=start,
        anchor=anchor,
        seed=seed,
        agents=agents,
        reviewers=reviewers,
        forms=demo_forms,
        team_forms=team_forms,
        week_start=services.settings.centre().week_start,
    )


def _forms_for(
    team: str, demo_forms: dict[str, DemoForm], forms: dict[str, Form]
) -> tuple[tuple[str, float], ...]:
    wanted = tuple((fid, w) for fid, w in _TEAM_FORMS.get(team, ()) if fid in demo_forms)
    if wanted:
        return wanted
    # Shipped forms renamed: written channels for digital teams, voice forms otherwise.
    digital = team == "Digital Support"
    chosen = tuple(
        (fid, 1.0)
        for fid, f in forms.items()
        if digital == any(c.value in ("chat", "email") for c in f.channels)
    )
    return chosen or tuple((fid, 1.0) for fid in demo_forms)


def _revised(form: Form) -> Form:
    """Version 2: the first scored question is worded more precisely and worth a point more."""
    sections = list(form.sections)
    for si, section in enumerate(sections):
        questions = list(section.questions)
        for qi, question in enumerate(questions):
            if question.scored and not question.bonus:
                questions[qi] = dataclasses.replace(
                    question,
                    text=f"{question.text} (in the first 30 seconds)",
                    points=question.points + 1,
                )
                sections[si] = dataclasses.replace(section, questions=tuple(questions))
                return dataclasses.replace(form, sections=tuple(sections))
    return form
