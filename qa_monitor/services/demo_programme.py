"""The demo's QA programme: sampling rules and the review queue they built.

The week before the anchor gets calls nobody has scored yet (a dozen per agent, on the
centre's working days), the rules a centre like the demo's would keep (a weekly
sample per team, every cancellation call, long calls reviewed by someone outside the
team), and the queue they build for that week, so My queue and Coverage open on
something real. One reviewer leads Customer Care, so "keep reviewers off their own
team" has someone to keep off.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from qa_monitor.core.disputes import weekend
from qa_monitor.core.records import Channel, InteractionData
from qa_monitor.core.sampling import PeriodKind, RuleKind, SamplingRule, period_of
from qa_monitor.services import Services
from qa_monitor.services.demo_events import DemoSetup

CALLS_PER_AGENT = 12
_TEAM_RULES: dict[str, tuple[str, dict[str, object]]] = {
    "Retention": ("retention_call", {}),
    "Customer Care": ("inbound_service", {"min_channel": "chat", "min_channel_count": 1}),
    "Digital Support": ("chat_email", {"stratify": True}),
}
_REASONS = ("Billing question", "Cancellation request", "Plan change", "Technical fault")


def add_programme(
    services: Services, set_clock: Callable[[datetime], None], setup: DemoSetup,
    rng: random.Random,
) -> int:  # fmt: skip
    """Plant the week's calls, save the rules and build the queue; returns its size."""
    zone = ZoneInfo(setup.zone)
    week = period_of(setup.anchor - timedelta(days=7), PeriodKind.WEEK, setup.week_start)
    off = weekend(setup.week_start)
    days = [week.start + timedelta(days=i) for i in range(7)]
    working = [d for d in days if d.weekday() not in off]
    teams = {a.team_name: a.team_id for a in setup.agents}
    for agent in setup.agents:
        digital = agent.team_name == "Digital Support"
        for i in range(CALLS_PER_AGENT):
            day = working[i % len(working)]
            if digital:
                channel = Channel.CHAT if rng.random() < 0.7 else Channel.EMAIL
            else:
                channel = Channel.CHAT if rng.random() < 0.15 else Channel.PHONE
            started = datetime.combine(day, time(9 + i % 8, rng.randint(0, 59)), zone)
            reason = _REASONS[1] if agent.team_name == "Retention" and i % 4 == 1 else (
                rng.choice(_REASONS[::2])
            )  # fmt: skip
            services.interactions.create_interaction(
                InteractionData(
                    channel=channel,
                    started_at=started.astimezone(UTC),
                    agent_id=agent.id,
                    external_id=f"Q-{day:%m%d}-{agent.id:03d}-{i:02d}",
                    duration_s=float(rng.randint(90, 1100)),
                    contact_reason=reason,
                    csat=rng.randint(1, 5) if rng.random() < 0.3 else None,
                    source="demo",
                )
            )
    # Omar Farouk leads Customer Care (he takes no calls himself).
    leader = next(r for r in services.people.list_reviewers() if r.name == "Omar Farouk")
    services.people.update_reviewer(replace(leader, team_id=teams.get("Customer Care")))
    set_clock(datetime.combine(setup.anchor, time(8), zone).astimezone(UTC))
    for team, (form_id, extra) in _TEAM_RULES.items():
        if team not in teams or form_id not in setup.forms:
            continue
        services.queue.save_rule(
            SamplingRule(
                id=None, name=f"Weekly sample: {team}", form_id=form_id, team_id=teams[team],
                per_agent=4, seed=setup.seed, **extra,  # type: ignore[arg-type]
            )
        )  # fmt: skip
    if "Retention" in teams and "retention_call" in setup.forms:
        services.queue.save_rule(
            SamplingRule(
                id=None, name="Every cancellation call", form_id="retention_call",
                team_id=teams["Retention"], kind=RuleKind.EVERY, per_agent=None,
                contact_reason="cancel",
            )
        )  # fmt: skip
    if "Customer Care" in teams and "inbound_service" in setup.forms:
        services.queue.save_rule(
            SamplingRule(
                id=None, name="Long calls, outside the team", form_id="inbound_service",
                team_id=teams["Customer Care"], kind=RuleKind.EVERY, per_agent=None,
                min_duration_s=900, exclude_own_team=True,
            )
        )  # fmt: skip
    return services.queue.build(week.start).added


# (agent index, weeks before the anchor, note, actions: text, owner is the agent?, days)
_SESSIONS: tuple[tuple[int, int, str, tuple[tuple[str, bool, int], ...]], ...] = (
    (0, 10, "Went through two recordings together; agreed to confirm the offer in writing.",
     (("Read the retention offer back to the customer", True, 14),
      ("Listen to two top-scored retention calls", True, 7))),
    (3, 9, "Greeting and verification rushed on busy days.",
     (("Verify identity before any account change", True, 10),)),
    (11, 8, "Empathy statements sound scripted; practised two alternatives.",
     (("Use the customer's words when acknowledging the problem", True, 14),
      ("Send two example calls to the agent", False, 3))),
    (14, 6, "Holds without explaining why; agreed a short hold script.",
     (("Explain every hold before it starts", True, 14),)),
    (22, 7, "Chat replies missed the summary at the end.",
     (("End every chat with a summary of the next steps", True, 21),)),
    (26, 2, "Follow-up of the earlier session; the summary is there now.",
     (("Keep the summary; share one good example with the team", True, 30),)),
)  # fmt: skip


def add_coaching(
    services: Services, set_clock: Callable[[datetime], None], setup: DemoSetup
) -> int:
    """A few coaching sessions over the last months (each about the agent's weakest
    questions in the month before it, citing those evaluations, with an action plan),
    so the Coaching screen, the Agent profile and the follow-up have something to show;
    returns how many."""
    from qa_monitor.core.coaching import ActionItem
    from qa_monitor.services.coaching_service import SessionInput

    zone = ZoneInfo(setup.zone)
    coach = next(r for r in services.people.list_reviewers() if r.is_expert)
    made = 0
    for index, weeks, notes, actions in _SESSIONS:
        if index >= len(setup.agents):
            continue
        agent = setup.agents[index]
        held = setup.anchor - timedelta(weeks=weeks)
        set_clock(datetime.combine(held, time(15), zone).astimezone(UTC))
        recent = [
            e
            for e in services.coaching.agent_evaluations(agent.id, held, days=30)
            if e.interaction_date < held
        ][:3]
        if not recent:
            continue
        choices = services.coaching.question_choices([e.id for e in recent])
        targeted = tuple(c.key for c in choices if c.lost_points)[:2] or tuple(
            c.key for c in choices[:1]
        )
        plan = tuple(
            ActionItem(text, agent.name if own else coach.name, held + timedelta(days=days))
            for text, own, days in actions
        )
        services.coaching.create(
            SessionInput(
                agent.id, coach.id, held, tuple(e.id for e in recent), targeted, notes, 4, plan
            )
        )
        made += 1
    # Most actions of the older sessions are done by the anchor.
    set_clock(datetime.combine(setup.anchor, time(9), zone).astimezone(UTC))
    for listed in services.coaching.sessions():
        if listed.row.held_on < setup.anchor - timedelta(weeks=5):
            for action in services.coaching.detail(listed.row.id).session.actions:
                if action.id is not None and action.due_date is not None:
                    services.coaching.set_done(action.id, True, action.due_date)
    return made


def demo_week(anchor: date, week_start: int) -> date:
    """The first day of the week the demo's queue was built for."""
    return period_of(anchor - timedelta(days=7), PeriodKind.WEEK, week_start).start
