"""The benchmark centre: teams, agents, reviewers and the form, through the services."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench_form import bench_form

from qa_monitor.core.records import FormVersion
from qa_monitor.services import Services
from qa_monitor.services.demo_people import SkillCurve, generated_names


@dataclass(frozen=True, slots=True)
class BenchAgent:
    id: int
    team_id: int
    curve: SkillCurve
    first_month: int  # active from this month (index) ...
    end_month: int  # ... up to, not including, this one


@dataclass(frozen=True, slots=True)
class Centre:
    agents: list[BenchAgent]
    reviewers: list[tuple[int, float]]  # (id, strictness); the first is the expert
    primary: dict[int, tuple[int, float]]  # team id -> its usual reviewer
    version: FormVersion
    months: int


def build_centre(
    services: Services,
    rng: random.Random,
    *,
    agents: int,
    teams: int,
    reviewers: int,
    months: int,
) -> Centre:
    """Teams, agents (some joining later, some leaving), reviewers and the published form."""
    team_ids = [services.people.add_team(f"Team {i + 1:02d}").id for i in range(teams)]
    staff: list[tuple[int, float]] = []
    for i, name in enumerate(generated_names(reviewers, random.Random(rng.random()))):
        reviewer = services.people.add_reviewer(f"{name} (QA)", is_expert=i == 0)
        staff.append((reviewer.id, 1.0 if i == 0 else rng.uniform(0.75, 1.3)))
    others = staff[1:] or staff
    primary = {t: others[i % len(others)] for i, t in enumerate(team_ids)}
    version = services.forms.publish_form(bench_form(), staff[0][0])

    people: list[BenchAgent] = []
    for i, name in enumerate(generated_names(agents, random.Random(rng.random()))):
        first = 0 if rng.random() < 0.6 else rng.randrange(max(1, months - 3))
        end = months if rng.random() < 0.7 else rng.randint(min(first + 3, months), months)
        agent = services.people.add_agent(
            name, team_id=team_ids[i % teams], external_id=f"AG{100001 + i}"
        )
        if end < months:
            services.people.deactivate_agent(agent.id)
        u = rng.random()
        if u < 0.05:
            start = rng.uniform(0.58, 0.72)
            curve = SkillCurve(start, start + rng.uniform(0.15, 0.25), 0.0)
        elif u < 0.10:
            start = rng.uniform(0.85, 0.94)
            curve = SkillCurve(start, start - rng.uniform(0.15, 0.25), 0.0)
        else:
            level = rng.uniform(0.70, 0.95)
            curve = SkillCurve(level, level, rng.uniform(0.0, 0.015), rng.random())
        people.append(BenchAgent(agent.id, team_ids[i % teams], curve, first, end))
    return Centre(people, staff, primary, version, months)
