"""The review queue: sampling rules, building a period's queue, a reviewer's queue, and
coverage (core/sampling.py has the rules; docs/programme.md the design)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from qa_monitor.core.records import EvaluationKind
from qa_monitor.core.sampling import (
    Assignment,
    Period,
    PeriodKind,
    PoolCall,
    RuleError,
    RuleKind,
    SamplingRule,
    Shortfall,
    assign,
    check_rule,
    draw,
    due_date,
    matches,
    period_of,
)
from qa_monitor.services.common import Changes, Clock, NotAllowedError
from qa_monitor.services.settings_service import SettingsService
from qa_monitor.storage.queue_repo import AgentScope, QueueRepo, QueueRow, ReviewerLoadRow
from qa_monitor.storage.repos import Repos
from qa_monitor.storage.transactions import write_transaction, writes

CHANGED = Changes(programme=True)
MAX_NOTE_CHARS = 500

__all__ = [
    "AgentCoverage",
    "BuildResult",
    "Coverage",
    "QueueRow",
    "QueueService",
    "ReviewerLoadRow",
    "RuleError",
    "RulePlan",
]


@dataclass(frozen=True, slots=True)
class RulePlan:
    """What one rule queues in a period, before or after it is written."""

    rule: SamplingRule
    assignments: tuple[Assignment, ...]
    problems: tuple[str, ...]  # shortfalls and calls no reviewer may take, in words

    @property
    def interaction_ids(self) -> tuple[int, ...]:
        return tuple(a.pick.candidate.interaction_id for a in self.assignments)


@dataclass(frozen=True, slots=True)
class BuildResult:
    period: Period
    plans: tuple[RulePlan, ...]
    added: int  # calls written to the queue (0 for a preview)
    per_reviewer: tuple[tuple[str, int], ...]  # name, calls given in this build
    unassigned: int

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(p for plan in self.plans for p in plan.problems)


@dataclass(frozen=True, slots=True)
class AgentCoverage:
    agent_id: int
    name: str
    team_name: str | None
    target: int  # the rules' quotas plus the calls "every" rules queued
    queued: int
    done: int
    skipped: int
    overdue: int
    evaluated: int  # every regular evaluation of the agent's calls of the period

    @property
    def remaining(self) -> int:
        return max(self.target - self.done, 0)


@dataclass(frozen=True, slots=True)
class Coverage:
    period: Period
    agents: tuple[AgentCoverage, ...]
    reviewers: tuple[ReviewerLoadRow, ...]
    overdue: tuple[QueueRow, ...]  # open calls past their due date, any period
    unassigned: tuple[QueueRow, ...]  # calls of the period no reviewer holds

    @property
    def target(self) -> int:
        return sum(a.target for a in self.agents)

    @property
    def done(self) -> int:
        return sum(a.done for a in self.agents)


class QueueService:
    def __init__(self, repos: Repos, clock: Clock, settings: SettingsService):
        self._db = repos.db
        self.db = repos.db  # for @writes: each change reads what it checks under the lock
        self._repos = repos
        self._repo = QueueRepo(repos.db)
        self._clock = clock
        self._settings = settings

    # -- periods --------------------------------------------------------------------------
    def period_of(self, day: date, kind: PeriodKind = PeriodKind.WEEK) -> Period:
        return period_of(day, kind, self._settings.centre().week_start)

    def today(self) -> date:
        from zoneinfo import ZoneInfo

        return self._clock().astimezone(ZoneInfo(self._settings.centre().timezone)).date()

    # -- rules ----------------------------------------------------------------------------
    def rules(self, *, active_only: bool = False) -> list[SamplingRule]:
        return self._repo.rules(active_only=active_only)

    def rule(self, rule_id: int) -> SamplingRule:
        return self._repo.rule(rule_id)

    @writes
    def save_rule(self, rule: SamplingRule) -> SamplingRule:
        """Store a new or changed rule; RuleError names the field to fix."""
        self._check_supervisor("sets sampling rules")
        rule = check_rule(rule)
        status = self._repo.form_status(rule.form_id)
        if status is None or status[1] is False:
            raise RuleError(
                f"Rule '{rule.name}': the form '{rule.form_id}' has no published version;"
                " publish it first or choose another form."
            )
        if status[0] == "retired":
            raise RuleError(
                f"Rule '{rule.name}': the form '{status[2]}' is retired; choose a live form."
            )
        if rule.team_id is not None:
            self._repos.people.get_team(rule.team_id)
        rule_id = self._repo.save_rule(rule, self._clock())
        return self._repo.rule(rule_id)

    @writes
    def set_rule_active(self, rule_id: int, active: bool) -> Changes:
        self._check_supervisor("sets sampling rules")
        rule = self._repo.rule(rule_id)
        self._repo.save_rule(replace(rule, active=active), self._clock())
        return CHANGED

    @writes
    def delete_rule(self, rule_id: int) -> Changes:
        self._check_supervisor("sets sampling rules")
        rule = self._repo.rule(rule_id)
        n = self._repo.rule_item_count(rule_id)
        if n:
            raise NotAllowedError(
                f"Rule '{rule.name}' queued {n} calls, which keep its name; deactivate the"
                " rule instead: it stops queueing and its calls stay in the queue."
            )
        self._repo.delete_rule(rule_id)
        return CHANGED

    # -- building ---------------------------------------------------------------------------
    def preview(
        self, day: date, rule_ids: Iterable[int] | None = None,
        reviewer_ids: Iterable[int] | None = None,
    ) -> BuildResult:  # fmt: skip
        """What ``build`` would queue for the period holding ``day``, without writing."""
        return self._build(day, rule_ids, reviewer_ids, write=False)

    def build(
        self,
        day: date,
        rule_ids: Iterable[int] | None = None,
        reviewer_ids: Iterable[int] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> BuildResult:
        """Queue the calls of the period holding ``day`` for every active rule (or the
        ones named), assigned to the active reviewers (or the ones named); one
        transaction. Running it again in the period tops each rule up to its quota."""
        self._check_supervisor("builds the review queue")
        with write_transaction(self._db):
            return self._build(day, rule_ids, reviewer_ids, write=True, cancelled=cancelled)

    def _build(
        self,
        day: date,
        rule_ids: Iterable[int] | None,
        reviewer_ids: Iterable[int] | None,
        *,
        write: bool,
        cancelled: Callable[[], bool] | None = None,
    ) -> BuildResult:
        week_start = self._settings.centre().week_start
        wanted = None if rule_ids is None else set(rule_ids)
        rules = [
            r for r in self._repo.rules(active_only=wanted is None)
            if wanted is None or r.id in wanted
        ]  # fmt: skip
        # Rules in the same order everywhere (uuid), "every" rules first: a call that
        # must be reviewed is not spent on a random sample.
        rules.sort(key=lambda r: (r.kind is not RuleKind.EVERY, r.uuid or ""))
        slots = {s.reviewer_id: s for s in self._repo.reviewer_slots(reviewer_ids)}
        names = {r.id: r.name for r in self._repos.people.list_reviewers()}
        agent_names = {a.agent_id: a.name for a in self._repo.active_agents()}
        live = self._repo.live_forms()
        plans: list[RulePlan] = []
        given: Counter[int] = Counter()
        taken: set[int] = set()
        pools: dict[tuple[date, date], list[PoolCall]] = {}
        added = 0
        first_period: Period | None = None
        for rule in rules:
            if cancelled is not None and cancelled():
                break
            period = period_of(day, rule.period, week_start)
            first_period = first_period or period
            label = _period_label(period)
            if rule.form_id not in live:
                plans.append(RulePlan(rule, (), (
                    f"Rule '{rule.name}' scores on the form '{rule.form_id}', which is retired"
                    " or not published; nothing was queued for it. Choose a live form.",
                )))  # fmt: skip
                continue
            key = (period.start, period.end)
            if key not in pools:
                pools[key] = self._repo.period_pool(period)
            candidates = [
                c.candidate()
                for c in pools[key]
                if c.interaction_id not in taken and matches(rule, c)
            ]
            scope: list[AgentScope] = (
                self._repo.agents_in_scope(rule, period) if rule.kind is RuleKind.SAMPLE else []
            )
            result = draw(
                rule,
                period,
                candidates,
                agents=[a.agent_id for a in scope],
                already=self._repo.queued_channels(rule.id or 0, period),
            )
            current = [
                replace(s, open_items=s.open_items + given[s.reviewer_id]) for s in slots.values()
            ]
            assignments = assign(result.picks, current, exclude_own_team=rule.exclude_own_team)
            problems = [_shortfall_text(rule, s, agent_names, label) for s in result.shortfalls]
            for a in assignments:
                taken.add(a.pick.candidate.interaction_id)
                if a.reviewer_id is None:
                    problems.append(_unassignable_text(rule, a, agent_names, bool(slots)))
                else:
                    given[a.reviewer_id] += 1
            if write and assignments:
                due = due_date(period, rule.due_days, week_start)
                added += self._repo.add_items(rule, period, due, assignments, self._clock())
            plans.append(RulePlan(rule, tuple(assignments), tuple(problems)))
        return BuildResult(
            period=first_period or period_of(day, PeriodKind.WEEK, week_start),
            plans=tuple(plans),
            added=added,
            per_reviewer=tuple(sorted((names.get(r, "?"), n) for r, n in given.items())),
            unassigned=sum(1 for p in plans for a in p.assignments if a.reviewer_id is None),
        )

    # -- a reviewer's queue -----------------------------------------------------------------
    def my_queue(self, reviewer_id: int, *, include_done: bool = False) -> list[QueueRow]:
        return self._repo.reviewer_items(reviewer_id, include_done=include_done)

    def next_for(self, reviewer_id: int, *, after: int | None = None) -> QueueRow | None:
        """The reviewer's next open call (not skipped, not done, not ``after``): the
        nearest due date first."""
        for row in self._repo.reviewer_items(reviewer_id):
            if row.status == "open" and not row.done and row.id != after:
                return row
        return None

    def my_draft(self, interaction_id: int, reviewer_id: int) -> int | None:
        """The reviewer's own regular draft of the call, if they started one (opening a
        queued call resumes it rather than starting a second evaluation)."""
        for evaluation_id in self._repos.evaluations.ids_for_interaction(interaction_id):
            ev = self._repos.evaluations.get(evaluation_id)
            if ev.is_draft and ev.reviewer_id == reviewer_id and ev.kind is EvaluationKind.REGULAR:
                return evaluation_id
        return None

    def item(self, item_id: int) -> QueueRow:
        return self._repo.item(item_id)

    def item_for_interaction(self, interaction_id: int) -> QueueRow | None:
        return self._repo.item_for_interaction(interaction_id)

    @writes
    def skip(self, item_id: int, reason: str) -> Changes:
        """Take a call out of the queue with a reason (a missing recording, a wrong
        call); its place is not refilled until the queue is built again."""
        item = self._repo.item(item_id)
        text = " ".join(reason.split())
        if not text:
            raise NotAllowedError(
                "Say why the call is skipped (for example 'recording missing'), so whoever"
                " reads the coverage knows."
            )
        if len(text) > MAX_NOTE_CHARS:
            raise NotAllowedError(f"A reason is at most {MAX_NOTE_CHARS} characters.")
        if item.done:
            raise NotAllowedError(
                f"The call {_call_name(item)} is evaluated already; a done call is not skipped."
            )
        self._repo.set_status(item_id, "skipped", text)
        return CHANGED

    @writes
    def reopen(self, item_id: int) -> Changes:
        item = self._repo.item(item_id)
        if item.status != "skipped":
            raise NotAllowedError(f"The call {_call_name(item)} is not skipped.")
        self._repo.set_status(item_id, "open", "")
        return CHANGED

    @writes
    def reassign(self, item_id: int, reviewer_id: int | None) -> Changes:
        """Give a queued call to another reviewer (None: nobody)."""
        self._check_supervisor("reassigns queued calls")
        item = self._repo.item(item_id)
        if reviewer_id is not None:
            reviewer = self._repos.people.get_reviewer(reviewer_id)
            if not reviewer.active:
                raise NotAllowedError(f"Reviewer '{reviewer.name}' is deactivated.")
            if reviewer.agent_id == item.agent_id:
                raise NotAllowedError(
                    f"The call {_call_name(item)} is {reviewer.name}'s own call; a reviewer"
                    " never scores their own calls."
                )
        self._repo.set_reviewer(item_id, reviewer_id)
        return CHANGED

    # -- coverage ---------------------------------------------------------------------------
    def coverage(self, day: date, kind: PeriodKind = PeriodKind.WEEK) -> Coverage:
        """Done against target per agent for the period holding ``day``, open and
        overdue calls per reviewer, every overdue call and the period's unassigned ones."""
        today = self.today()
        week_start = self._settings.centre().week_start
        period = period_of(day, kind, week_start)
        items = self._repo.period_items(period.start, period.end)
        rules = [r for r in self._repo.rules() if r.period is kind]
        agents = self._repo.active_agents()
        evaluated = self._repo.evaluated_by_agent(period.start, period.end)
        per_agent: dict[int, list[QueueRow]] = {}
        for row in items:
            per_agent.setdefault(row.agent_id, []).append(row)
        rows: list[AgentCoverage] = []
        seen: set[int] = set()
        for agent in agents:
            seen.add(agent.agent_id)
            mine = per_agent.get(agent.agent_id, [])
            target = sum(
                r.per_agent or 0 for r in rules
                if r.active and r.kind is RuleKind.SAMPLE and _covers(r, agent, period)
            ) + sum(1 for q in mine if q.reason == "every")  # fmt: skip
            target = max(target, len(mine))
            if not target and not evaluated.get(agent.agent_id):
                continue
            rows.append(_agent_coverage(agent.agent_id, agent.name, agent.team_name, target,
                                        mine, evaluated.get(agent.agent_id, 0), today))  # fmt: skip
        for agent_id, mine in per_agent.items():  # deactivated since they were queued
            if agent_id not in seen:
                first = mine[0]
                done_here = evaluated.get(agent_id, 0)
                rows.append(
                    _agent_coverage(
                        agent_id, first.agent_name, first.team_name, len(mine), mine, done_here,
                        today,
                    )
                )  # fmt: skip
        rows.sort(key=lambda a: (-(a.target - a.done), a.name.casefold()))
        open_now = self._repo.open_by_reviewer(today)
        reviewed = self._repo.evaluated_by_reviewer(period.start, period.end)
        period_by_reviewer: dict[int, list[QueueRow]] = {}
        for row in items:
            if row.reviewer_id is not None:
                period_by_reviewer.setdefault(row.reviewer_id, []).append(row)
        loads = []
        for r in self._repos.people.list_reviewers():
            mine = period_by_reviewer.get(r.id, [])
            opened, overdue = open_now.get(r.id, (0, 0))
            if not r.active and not mine and not opened:
                continue
            loads.append(ReviewerLoadRow(
                r.id, r.name, opened, overdue, sum(1 for q in mine if q.done), len(mine),
                reviewed.get(r.id, 0),
            ))  # fmt: skip
        loads.sort(key=lambda x: (-x.open_items, x.name.casefold()))
        return Coverage(
            period=period,
            agents=tuple(rows),
            reviewers=tuple(loads),
            overdue=tuple(self._repo.overdue_items(today)),
            unassigned=tuple(
                q for q in items if q.reviewer_id is None and q.status == "open" and not q.done
            ),
        )

    # -- checks ------------------------------------------------------------------------------
    def _check_supervisor(self, what: str) -> None:
        if self._settings.team_role() in ("reviewer", "agent"):
            raise NotAllowedError(
                f"On the team server, a supervisor's login {what}; ask a supervisor to do it."
            )


def _covers(rule: SamplingRule, agent: AgentScope, period: Period) -> bool:
    if rule.team_id is not None and agent.team_id != rule.team_id:
        return False
    if rule.tenure_days is not None:
        if agent.hire_date is None or agent.hire_date > period.end:
            return False
        return (period.start - agent.hire_date).days < rule.tenure_days
    return True


def _agent_coverage(
    agent_id: int, name: str, team: str | None, target: int, mine: list[QueueRow],
    evaluated: int, today: date,
) -> AgentCoverage:  # fmt: skip
    return AgentCoverage(
        agent_id=agent_id,
        name=name,
        team_name=team,
        target=target,
        queued=len(mine),
        done=sum(1 for q in mine if q.done),
        skipped=sum(1 for q in mine if q.status == "skipped" and not q.done),
        overdue=sum(1 for q in mine if q.status == "open" and not q.done and q.due_date < today),
        evaluated=evaluated,
    )


def _period_label(period: Period) -> str:
    if period.kind is PeriodKind.MONTH:
        return f"the month of {period.start:%Y-%m}"
    return f"the week of {period.start.isoformat()}"


def _shortfall_text(rule: SamplingRule, s: Shortfall, agents: dict[int, str], label: str) -> str:
    agent = agents.get(s.agent_id, "?")
    if s.channel is not None:
        return (
            f"{agent} had {s.found} {s.channel} calls in {label} for rule '{rule.name}',"
            f" which asks for at least {s.wanted}; the other places went to other calls."
        )
    if s.found == 0:
        return (
            f"{agent} had no calls in {label} that rule '{rule.name}' may take; it asks"
            f" for {s.wanted}."
        )
    return (
        f"{agent} had {s.found} calls in {label} that rule '{rule.name}' may take; it asks"
        f" for {s.wanted}, so all {s.found} are queued."
    )


def _unassignable_text(
    rule: SamplingRule, a: Assignment, agents: dict[int, str], any_reviewer: bool
) -> str:
    c = a.pick.candidate
    agent = agents.get(c.agent_id, "?")
    call = f"of {agent} on {c.local_date.isoformat()}"
    if not any_reviewer:
        return (
            f"No active reviewer may take the call {call} (rule '{rule.name}'); it stays"
            " unassigned. Add or reactivate a reviewer, then assign it on the Coverage tab."
        )
    why = (
        "is that agent or on the agent's team, which the rule excludes"
        if rule.exclude_own_team
        else "is that agent"
    )
    return (
        f"No reviewer may take the call {call} (rule '{rule.name}'): every active reviewer"
        f" {why}. It stays unassigned; assign it on the Coverage tab."
    )


def _call_name(item: QueueRow) -> str:
    return item.external_id or f"of {item.agent_name} on {item.local_date.isoformat()}"
