"""Sampling rules: which calls go into the review queue, and who reviews each.

Rules (docs/programme.md):
- A rule covers one team (or every team) and names the form its calls are scored on.
  Its filters keep the calls it wants: a channel, CSAT at most some value, a contact
  reason (any part of it, any case), a least duration, and the agent's first days.
- A **sample** rule draws ``per_agent`` calls per agent per period (a week starting on
  the centre's first day of the week, or a calendar month); an **every** rule queues
  every call that passes its filters.
- The draw is seeded and reproducible: each call's rank is a hash of the rule's seed,
  the period's first day and the call's uuid (the same on every installation), and
  the best-ranked calls are taken. The same rule, seed and week always take the same
  calls; another week ranks them afresh. Nothing depends on row ids or on the order
  calls were stored.
- "At least ``min_channel_count`` of ``min_channel``" is served first. With
  ``stratify`` the rest of the quota is spread over the channels in proportion to the
  agent's calls on each (largest remainders, ties to the better-ranked channel), and
  a channel that runs short leaves its places to the others.
- A rule run again in the same period tops up: calls it queued already count towards
  the quota, and calls queued by any rule or already evaluated are never taken again.
- Assignment balances workload: each call (in rank order) goes to the eligible
  reviewer with the fewest open calls, ties broken by a hash, so the result is
  reproducible too. A reviewer never gets their own calls (the agent record of a
  reviewer who also takes calls) and, where the rule asks, no call of their own team.
- A call is due a number of working days after its period ends (the weekend is the
  two days before the first day of the week, as for disputes).
- What cannot be met is said, per agent: fewer calls than the quota, or fewer of the
  channel the rule asks a minimum of. The calls there are are still queued.
"""

from __future__ import annotations

import calendar
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from qa_monitor.core.disputes import add_working_days

MAX_PER_AGENT = 200
MAX_DUE_DAYS = 60
CHANNELS = ("phone", "chat", "email", "social")


class RuleKind(StrEnum):
    SAMPLE = "sample"  # per_agent calls per agent per period, drawn at random
    EVERY = "every"  # every call that passes the filters


class PeriodKind(StrEnum):
    WEEK = "week"
    MONTH = "month"


class PickReason(StrEnum):
    SAMPLE = "sample"  # drawn for the quota
    MINIMUM = "minimum"  # drawn for "at least N of a channel"
    EVERY = "every"  # passed an "every" rule's filters


@dataclass(frozen=True, slots=True, kw_only=True)
class SamplingRule:
    id: int | None
    name: str
    form_id: str
    kind: RuleKind = RuleKind.SAMPLE
    team_id: int | None = None  # None: every team
    per_agent: int | None = 4  # sample rules only
    period: PeriodKind = PeriodKind.WEEK
    channel: str | None = None
    max_csat: int | None = None
    contact_reason: str | None = None
    min_duration_s: float | None = None
    tenure_days: int | None = None  # agents in their first N days (hire date needed)
    min_channel: str | None = None
    min_channel_count: int = 0
    stratify: bool = False
    seed: int = 0
    due_days: int = 5  # working days after the period ends
    exclude_own_team: bool = False
    active: bool = True
    uuid: str | None = None


@dataclass(frozen=True, slots=True)
class Period:
    kind: PeriodKind
    start: date
    end: date  # inclusive

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def period_of(day: date, kind: PeriodKind, week_start: int = 0) -> Period:
    """The week (starting on ``week_start``, a ``date.weekday()``) or the calendar
    month that holds ``day``."""
    if kind is PeriodKind.MONTH:
        last = calendar.monthrange(day.year, day.month)[1]
        return Period(kind, day.replace(day=1), day.replace(day=last))
    start = day - timedelta(days=(day.weekday() - week_start) % 7)
    return Period(kind, start, start + timedelta(days=6))


def due_date(period: Period, due_days: int, week_start: int = 0) -> date:
    return add_working_days(period.end, due_days, week_start)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A call a rule may queue (already filtered by the rule, not queued, not evaluated)."""

    interaction_id: int
    uuid: str
    agent_id: int
    team_id: int | None
    channel: str
    local_date: date


class PoolCall(NamedTuple):
    """A call of the period that no rule has queued and nobody evaluates, with what the
    rules filter on (read once per period; each rule keeps the ones it wants)."""

    interaction_id: int
    uuid: str
    agent_id: int
    team_id: int | None
    channel: str
    local_date: date
    csat: int | None
    duration_s: float | None
    contact_reason: str | None
    hire_date: date | None

    def candidate(self) -> Candidate:
        return Candidate(
            self.interaction_id, self.uuid, self.agent_id, self.team_id, self.channel,
            self.local_date,
        )  # fmt: skip


def matches(rule: SamplingRule, call: PoolCall) -> bool:
    """Whether ``call`` passes ``rule``'s filters (a missing value never passes one):
    its team, channel, CSAT at most, contact reason containing the rule's text (any
    case), least duration, and the agent's first days (hired on or before the call,
    fewer than ``tenure_days`` days before it)."""
    if rule.team_id is not None and call.team_id != rule.team_id:
        return False
    if rule.channel is not None and call.channel != rule.channel:
        return False
    if rule.max_csat is not None and (call.csat is None or call.csat > rule.max_csat):
        return False
    if rule.contact_reason and (
        call.contact_reason is None
        or rule.contact_reason.casefold() not in call.contact_reason.casefold()
    ):
        return False
    if rule.min_duration_s is not None and (
        call.duration_s is None or call.duration_s < rule.min_duration_s
    ):
        return False
    if rule.tenure_days is not None:
        hired = call.hire_date
        if hired is None or hired > call.local_date:
            return False
        if (call.local_date - hired).days >= rule.tenure_days:
            return False
    return True


@dataclass(frozen=True, slots=True)
class Pick:
    candidate: Candidate
    reason: PickReason
    rank: str  # the hash the draw ordered by (assignment reuses it)


@dataclass(frozen=True, slots=True)
class Shortfall:
    """An agent the rule could not fully serve: ``wanted`` asked, ``found`` there were
    (``channel`` set when it is the rule's channel minimum that fell short)."""

    agent_id: int
    wanted: int
    found: int
    channel: str | None = None


@dataclass(frozen=True, slots=True)
class Draw:
    picks: tuple[Pick, ...]
    shortfalls: tuple[Shortfall, ...]


def rank_key(seed: int, period_start: date, uuid: str) -> str:
    """The hex SHA-256 of ``"{seed}|{period start, ISO}|{call uuid}"``."""
    text = f"{seed}|{period_start.isoformat()}|{uuid}"
    return hashlib.sha256(text.encode()).hexdigest()


def _ranker(seed: int, period_start: date) -> Callable[[str], str]:
    """``rank_key`` for one seed and period, hashing the shared prefix once."""
    prefix = hashlib.sha256(f"{seed}|{period_start.isoformat()}|".encode())

    def rank(uuid: str) -> str:
        h = prefix.copy()
        h.update(uuid.encode())
        return h.hexdigest()

    return rank


def draw(
    rule: SamplingRule,
    period: Period,
    candidates: Iterable[Candidate],
    *,
    agents: Iterable[int] = (),
    already: Mapping[int, Sequence[str]] | None = None,
) -> Draw:
    """The calls ``rule`` queues from ``candidates`` in ``period``.

    ``agents``: the agents a sample rule covers (an agent without any candidate is a
    shortfall too); ``already``: per agent, the channels of the calls this rule queued
    in this period before (they count towards the quota and the minimum)."""
    rank = _ranker(rule.seed, period.start)
    ranked = sorted(((rank(c.uuid), c) for c in candidates), key=lambda rc: rc[0])
    if rule.kind is RuleKind.EVERY:
        return Draw(tuple(Pick(c, PickReason.EVERY, r) for r, c in ranked), ())
    by_agent: dict[int, list[tuple[str, Candidate]]] = defaultdict(list)
    for r, c in ranked:
        by_agent[c.agent_id].append((r, c))
    picks: list[Pick] = []
    shortfalls: list[Shortfall] = []
    before = already or {}
    for agent_id in sorted(set(by_agent) | set(agents)):
        taken, short = _draw_agent(rule, by_agent.get(agent_id, []), list(before.get(agent_id, ())))
        picks.extend(taken)
        shortfalls.extend(Shortfall(agent_id, *s) for s in short)
    picks.sort(key=lambda p: p.rank)
    return Draw(tuple(picks), tuple(shortfalls))


def _draw_agent(
    rule: SamplingRule, ranked: list[tuple[str, Candidate]], before: list[str]
) -> tuple[list[Pick], list[tuple[int, int, str | None]]]:
    quota = (rule.per_agent or 0) - len(before)
    taken: list[Pick] = []
    short: list[tuple[int, int, str | None]] = []
    pool = list(ranked)
    if rule.min_channel and rule.min_channel_count:
        wanted = rule.min_channel_count - sum(1 for ch in before if ch == rule.min_channel)
        of_channel = [rc for rc in pool if rc[1].channel == rule.min_channel]
        if wanted > 0:
            chosen = of_channel[: min(wanted, max(quota, 0))]
            taken.extend(Pick(c, PickReason.MINIMUM, r) for r, c in chosen)
            if len(of_channel) < wanted:
                found = rule.min_channel_count - wanted + len(of_channel)
                short.append((rule.min_channel_count, found, rule.min_channel))
            chosen_ids = {c.interaction_id for _r, c in chosen}
            pool = [rc for rc in pool if rc[1].interaction_id not in chosen_ids]
    left = quota - len(taken)
    if left > 0:
        chosen = _stratified(pool, left) if rule.stratify else pool[:left]
        taken.extend(Pick(c, PickReason.SAMPLE, r) for r, c in chosen)
    if quota > 0 and len(taken) < quota:
        wanted_total = rule.per_agent or 0
        short.append((wanted_total, wanted_total - quota + len(taken), None))
    return taken, short


def _stratified(pool: list[tuple[str, Candidate]], places: int) -> list[tuple[str, Candidate]]:
    """``places`` calls spread over the channels in proportion to the pool (largest
    remainders); what a short channel cannot fill goes to the best-ranked others."""
    by_channel: dict[str, list[tuple[str, Candidate]]] = defaultdict(list)
    for rc in pool:
        by_channel[rc[1].channel].append(rc)
    total = len(pool)
    if total == 0:
        return []
    shares = {ch: places * len(rcs) / total for ch, rcs in by_channel.items()}
    seats = {ch: int(s) for ch, s in shares.items()}
    # Largest remainder first; equal remainders go to the channel whose best call ranks
    # first, so the result depends on the calls, not on channel names.
    order = sorted(by_channel, key=lambda ch: (-(shares[ch] - seats[ch]), by_channel[ch][0][0]))
    for ch in order[: places - sum(seats.values())]:
        seats[ch] += 1
    chosen: list[tuple[str, Candidate]] = []
    for ch, rcs in by_channel.items():
        chosen.extend(rcs[: seats[ch]])
    if len(chosen) < places:
        ids = {c.interaction_id for _r, c in chosen}
        chosen.extend(
            [rc for rc in pool if rc[1].interaction_id not in ids][: places - len(chosen)]
        )
    chosen.sort(key=lambda rc: rc[0])
    return chosen


@dataclass(frozen=True, slots=True)
class ReviewerSlot:
    """A reviewer who may receive calls, with the open calls they hold already."""

    reviewer_id: int
    uuid: str
    team_id: int | None = None
    agent_id: int | None = None
    open_items: int = 0


@dataclass(frozen=True, slots=True)
class Assignment:
    pick: Pick
    reviewer_id: int | None  # None: no reviewer may take it (said in ``unassignable``)


@dataclass
class _Load:
    slot: ReviewerSlot
    count: int = 0


def assign(
    picks: Sequence[Pick], reviewers: Sequence[ReviewerSlot], *, exclude_own_team: bool = False
) -> list[Assignment]:
    """Each pick to the eligible reviewer holding the fewest open calls (ties: a hash of
    the call and the reviewer). The calls fewest reviewers may take are placed first, so
    a team leader kept off their own team still ends with an even share."""
    loads = [_Load(r, r.open_items) for r in reviewers]

    def eligible(pick: Pick) -> list[_Load]:
        c = pick.candidate
        return [
            ld
            for ld in loads
            if ld.slot.agent_id != c.agent_id
            and not (exclude_own_team and c.team_id is not None and ld.slot.team_id == c.team_id)
        ]

    options = [eligible(p) for p in picks]
    chosen: list[int | None] = [None] * len(picks)
    # Ties go to the reviewer whose tag, mixed with the call's rank, is smallest: a
    # reproducible shuffle per call, without hashing every pair.
    tags = {id(ld): int(hashlib.sha256(ld.slot.uuid.encode()).hexdigest()[:15], 16) for ld in loads}
    for i in sorted(range(len(picks)), key=lambda i: (len(options[i]), picks[i].rank)):
        if not options[i]:
            continue
        mix = int(picks[i].rank[:15], 16)
        best = min(options[i], key=lambda ld: (ld.count, tags[id(ld)] ^ mix))
        best.count += 1
        chosen[i] = best.slot.reviewer_id
    return [Assignment(p, r) for p, r in zip(picks, chosen, strict=True)]


# -- checking a rule -----------------------------------------------------------------------
class RuleError(ValueError):
    """A rule that cannot be stored; the message says which field and what to do."""


def check_rule(rule: SamplingRule) -> SamplingRule:
    """``rule`` with its texts trimmed, or RuleError naming the first problem."""
    name = rule.name.strip()
    if not name:
        raise RuleError("Give the rule a name, for example 'Weekly sample'.")
    if len(name) > 200:
        raise RuleError("A rule's name is at most 200 characters.")
    if not rule.form_id:
        raise RuleError(f"Rule '{name}': choose the form its calls are scored on.")
    if rule.kind is RuleKind.SAMPLE and (
        rule.per_agent is None or not 1 <= rule.per_agent <= MAX_PER_AGENT
    ):
        raise RuleError(
            f"Rule '{name}': a sample takes 1 to {MAX_PER_AGENT} calls per agent per"
            f" {rule.period.value}."
        )
    for label, channel in (("channel", rule.channel), ("minimum channel", rule.min_channel)):
        if channel is not None and channel not in CHANNELS:
            raise RuleError(f"Rule '{name}': the {label} is one of {', '.join(CHANNELS)}.")
    if rule.max_csat is not None and not 1 <= rule.max_csat <= 5:
        raise RuleError(f"Rule '{name}': CSAT is 1 to 5; 'at most' takes a value in that range.")
    if rule.min_duration_s is not None and rule.min_duration_s < 0:
        raise RuleError(f"Rule '{name}': the least duration cannot be negative.")
    if rule.tenure_days is not None and not 1 <= rule.tenure_days <= 3650:
        raise RuleError(f"Rule '{name}': 'agents in their first days' takes 1 to 3650 days.")
    if rule.min_channel_count < 0:
        raise RuleError(f"Rule '{name}': the channel minimum cannot be negative.")
    if rule.min_channel_count and rule.min_channel is None:
        raise RuleError(f"Rule '{name}': say which channel the minimum of calls is for.")
    if rule.kind is RuleKind.SAMPLE and rule.min_channel_count > (rule.per_agent or 0):
        raise RuleError(
            f"Rule '{name}': at least {rule.min_channel_count} {rule.min_channel} calls"
            f" cannot fit in a sample of {rule.per_agent}; raise the sample or lower the"
            " minimum."
        )
    if rule.channel and rule.min_channel and rule.channel != rule.min_channel:
        raise RuleError(
            f"Rule '{name}' takes only {rule.channel} calls, so it cannot take at least"
            f" some {rule.min_channel} calls; clear one of the two."
        )
    if not 0 <= rule.due_days <= MAX_DUE_DAYS:
        raise RuleError(
            f"Rule '{name}': calls are due 0 to {MAX_DUE_DAYS} working days after the period."
        )
    reason = (rule.contact_reason or "").strip() or None
    from dataclasses import replace

    return replace(rule, name=name, contact_reason=reason)
