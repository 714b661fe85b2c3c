"""Customer outcomes per period: retention, churn, NPS, CSAT, CES, FCR and the retention
save rate, each with its interval and the inputs behind it (docs/outcomes.md).

Rules:

- Periods are calendar months (or quarters, or years) of the interaction's local date
  in the centre's time zone, inclusive of ``start`` and ``end``.
- The customer base of a period (S, E, N) comes from the customer counts imported for
  periods inside it; when a period holds several consecutive counts (three months in a
  quarter), S is the first one's, E the last one's and N their sum. Counts that leave a
  gap are not chained, and counts covering only part of a period do not stand for it:
  the period says so. Without counts, a customer list gives S, E
  and N exactly. Centre-wide rows (no team, no segment) are used when there are any;
  else the team rows; else the segment rows, summed. A team filter uses its teams' rows.
- Lost customers for the churn rate are S + N − E (the counts are the ledger); churn
  events give the reasons, not the rate.
- Survey figures come from the interactions of the period (their CSAT, NPS and CES
  answers), FCR from their "resolved on first contact" flag; an agent or team filter
  applies to these. CSAT is the share of 4s and 5s (and the mean beside it); CES the
  mean on 1–7.
- FCR from repeat contacts (``core.metrics.fcr_from_contacts``): of the period's
  interactions with a customer reference, those whose customer did not contact the
  centre again within ``REPEAT_WINDOW_DAYS`` (boundary included; the next contact may
  fall in a later period). A contact whose window ends after the moment contacts are
  judged at is *pending*, not judged: it is counted apart and left out of both the
  numerator and n, so a recent period is never flattered or punished by repeats that
  have not had time to happen, or that the call log does not reach yet. That moment
  is the query's ``as_of`` (now, by default), or the latest contact stored if it is
  earlier (``repeat_cutoff``). Both FCRs are shown: the reported one says what the
  agent or the system recorded, this one what customers did.
- The retention save rate is retained / (retained + lost) over interactions whose
  retention outcome is set (the retention form's answer, or an import); undecided ones
  are left out.
- A figure with fewer than ``MIN_N`` answers is not shown (the period says why).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Any

from qa_monitor.core.churn_reasons import OTHER, ChurnReasons
from qa_monitor.core.metrics import REPEAT_WINDOW_DAYS
from qa_monitor.core.outcome_figures import MIN_N, Figure, churn, crr, mean, nps, rate, simple_index
from qa_monitor.storage.database import Database
from qa_monitor.storage.outcome_repo import OutcomeRepo, StoredCount
from qa_monitor.storage.values import parse_utc, utc_text


class Grain(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class OutcomeQuery:
    start: date
    end: date
    team_ids: tuple[int, ...] = ()
    agent_ids: tuple[int, ...] = ()
    grain: Grain = Grain.MONTH
    # The moment repeat contacts are judged at (aware; None: now), unless the call log
    # ends earlier (``repeat_cutoff``).
    as_of: datetime | None = None


class Gap(StrEnum):
    """Why a period has no customer-base figures."""

    NO_COUNTS = "no_counts"  # nothing imported for it
    NOT_CONSECUTIVE = "not_consecutive"  # its counts leave a gap or overlap
    IMPOSSIBLE = "impossible"  # the counts cannot be true (more joined than are left)
    PARTIAL = "partial"  # its counts cover only part of it (two months of a quarter)


@dataclass(frozen=True, slots=True)
class Base:
    """The period's customer base: S, E, N and where they came from."""

    start: int
    end: int
    new: int
    source: str  # "counts" or "customer list"

    @property
    def lost(self) -> int:
        return self.start + self.new - self.end


@dataclass(frozen=True, slots=True)
class PeriodOutcomes:
    start: date
    end: date
    base: Base | None
    gap: Gap | None  # why base is None
    crr: Figure | None
    churn: Figure | None
    simple_index: Figure | None
    nps: Figure | None
    csat: Figure | None  # share of 4s and 5s
    csat_mean: Figure | None
    ces: Figure | None
    fcr: Figure | None
    save_rate: Figure | None
    # Answers seen, shown or not (a figure below MIN_N answers is left out); for
    # "fcr_repeat", the contacts judged.
    survey_n: dict[str, int] = field(default_factory=dict)
    # FCR from repeat contacts: resolved of judged (inputs "resolved", "judged",
    # "pending"), and the contacts still inside their window (not judged yet).
    fcr_repeat: Figure | None = None
    fcr_pending: int = 0


@dataclass(frozen=True, slots=True)
class SaveRate:
    """Retention calls by one group (an agent or a churn reason)."""

    key: str | int | None
    retained: int
    lost: int
    figure: Figure | None


@dataclass(frozen=True, slots=True)
class ReasonCount:
    """One churn reason: how many left for it, its share and the running share (the
    Pareto's bars and line), and the team that can act on it."""

    code: str
    label: str
    acting_team: str
    n: int
    share: float  # % of all
    cumulative: float  # % of all, this reason and every larger one
    texts: tuple[tuple[str, int], ...] = ()  # what files wrote, for "other"


@dataclass(frozen=True, slots=True)
class ChurnReasonsReport:
    """Churn reasons, largest first: customers who left (churn events) and retention
    calls that ended lost (the retention form's reason)."""

    left: tuple[ReasonCount, ...]
    lost_calls: tuple[ReasonCount, ...]
    by_team: tuple[tuple[str, int], ...]  # acting team → customers who left, largest first


@dataclass(frozen=True, slots=True)
class OutcomeReport:
    query: OutcomeQuery
    periods: tuple[PeriodOutcomes, ...]

    @property
    def has_base(self) -> bool:
        return any(p.base is not None for p in self.periods)


def periods(start: date, end: date, grain: Grain) -> list[tuple[date, date]]:
    """Calendar periods covering ``start``..``end``, clipped to it."""
    months = {Grain.MONTH: 1, Grain.QUARTER: 3, Grain.YEAR: 12}[grain]
    first_month = (start.month - 1) // months * months + 1
    cursor = date(start.year, first_month, 1)
    out: list[tuple[date, date]] = []
    while cursor <= end:
        year, month = divmod(cursor.month - 1 + months, 12)
        following = date(cursor.year + year, month + 1, 1)
        out.append((max(cursor, start), min(following - timedelta(days=1), end)))
        cursor = following
    return out


def _shown(figure: Figure | None) -> Figure | None:
    return figure if figure is not None and figure.n >= MIN_N else None


def _level(rows: Sequence[StoredCount], team_filter: bool) -> list[StoredCount]:
    """The rows of one breakdown level (see the module rules)."""
    if team_filter:
        by_team = [r for r in rows if not r.segment]
        teams_with_total = {r.team_id for r in by_team}
        return by_team + [r for r in rows if r.segment and r.team_id not in teams_with_total]
    for wanted in (
        lambda r: r.team_id is None and not r.segment,
        lambda r: r.team_id is not None and not r.segment,
        lambda r: r.team_id is None and bool(r.segment),
    ):
        chosen = [r for r in rows if wanted(r)]
        if chosen:
            return chosen
    return list(rows)


def combine_counts(
    rows: Sequence[StoredCount], start: date, end: date, team_filter: bool
) -> Base | Gap:
    """The period's base from the counts of periods inside it (module rules)."""
    inside = [r for r in rows if r.period_start >= start and r.period_end <= end]
    if not inside:
        return Gap.NO_COUNTS
    chosen = _level(inside, team_filter)
    groups: dict[tuple[int | None, str], list[StoredCount]] = {}
    for row in chosen:
        groups.setdefault((row.team_id, row.segment), []).append(row)
    s = e = n = 0
    spans: set[tuple[date, date]] = set()
    for group in groups.values():
        group.sort(key=lambda r: r.period_start)
        for before, after in pairwise(group):
            if after.period_start != before.period_end + timedelta(days=1):
                return Gap.NOT_CONSECUTIVE
        s += group[0].customers_start
        e += group[-1].customers_end
        n += sum(r.customers_new for r in group)
        spans.add((group[0].period_start, group[-1].period_end))
    if len(spans) > 1:
        return Gap.NOT_CONSECUTIVE  # groups covering different stretches do not add up
    (covered,) = spans
    if covered != (start, end):
        return Gap.PARTIAL  # a quarter from two of its months would say it is a quarter
    if n > e:
        return Gap.IMPOSSIBLE
    return Base(s, e, n, "counts")


class OutcomeService:
    """Reads only; give it a read-only database on a worker thread."""

    def __init__(self, db: Database):
        self.db = db
        self.repo = OutcomeRepo(db)

    def report(self, query: OutcomeQuery) -> OutcomeReport:
        """Per period of ``query`` (an open or very wide range is narrowed to the months
        that have data; the report's query says which)."""
        query = self._clipped(query)
        spans = periods(query.start, query.end, query.grain)
        counts = self.repo.counts(query.start, query.end, query.team_ids)
        use_list = not counts and self.repo.has_customer_list()
        surveys = self._surveys(query)
        out: list[PeriodOutcomes] = []
        for start, end in spans:
            base: Base | Gap
            if use_list:
                s, e, n = self.repo.list_counts(start, end, query.team_ids)
                base = Base(s, e, n, "customer list") if s and n <= e else Gap.NO_COUNTS
            else:
                base = combine_counts(counts, start, end, bool(query.team_ids))
            out.append(self._period(start, end, base, surveys.get((start, end))))
        return OutcomeReport(query, tuple(out))

    def _clipped(self, query: OutcomeQuery) -> OutcomeQuery:
        span = self.repo.data_span()
        if span is None:
            return replace(query, end=max(query.start, min(query.end, query.start)))
        first, last = span
        start = max(query.start, first.replace(day=1))
        end = min(query.end, last)
        if start > end:  # no data inside: one empty period at the query's start
            return replace(query, end=query.start)
        return replace(query, start=start, end=end)

    def _period(
        self, start: date, end: date, base: Base | Gap, tally: _Tally | None
    ) -> PeriodOutcomes:
        t = tally or _Tally()
        known = base if isinstance(base, Base) else None
        gap = base if isinstance(base, Gap) else None
        retention: tuple[Figure | None, Figure | None, Figure | None] = (None, None, None)
        if known is not None:
            try:
                retention = (
                    crr(known.start, known.end, known.new),
                    churn(known.start, known.lost),
                    None if known.new else simple_index(known.start, known.end),
                )
            except ValueError:  # chained counts that cannot all be true
                known, gap = None, Gap.IMPOSSIBLE
        return PeriodOutcomes(
            start,
            end,
            known,
            gap,
            *retention,
            _shown(nps(t.promoters, t.detractors, t.nps_n)),
            _shown(rate(t.satisfied, t.csat_n)),
            _shown(mean(t.csat_n, t.csat_sum, t.csat_sq)),
            _shown(mean(t.ces_n, t.ces_sum, t.ces_sq)),
            _shown(rate(t.resolved, t.fcr_n)),
            _shown(rate(t.retained, t.retained + t.lost)),
            {
                "nps": t.nps_n,
                "csat": t.csat_n,
                "ces": t.ces_n,
                "fcr": t.fcr_n,
                "save": t.retained + t.lost,
                "fcr_repeat": t.judged,
                "contacts": t.contacts,
            },
            _shown(repeat_fcr(t.judged - (t.repeats - t.pending_repeats), t.judged, t.pending)),
            t.pending,
        )

    def _surveys(self, query: OutcomeQuery) -> dict[tuple[date, date], _Tally]:
        """The survey and outcome tallies of each period, summed per month (whole
        months from the roll-up, the partial months at the ends from the covering
        index interactions_outcomes), then per period here."""
        spans = periods(query.start, query.end, query.grain)
        by_month = {
            str(key)[:7]: _Tally(*(int(v or 0) for v in values))
            for key, *values in self._grouped(query, "month", "tallies")
        }
        since = repeat_cutoff(query.as_of, self.repo.latest_contact())
        for month, n, repeats in self.repo.pending_contacts(
            query.start, query.end, query.team_ids, query.agent_ids, since
        ):
            key = month[:7]
            by_month[key] = replace(by_month.get(key, _Tally()), pending=n, pending_repeats=repeats)
        result: dict[tuple[date, date], _Tally] = {}
        for start, end in spans:
            months = {f"{y:04d}-{m:02d}" for y, m in _months_between(start, end)}
            found = [t for key, t in by_month.items() if key in months]
            if found:
                total = found[0]
                for tally in found[1:]:
                    total = total + tally
                result[(start, end)] = total
        return result

    def _grouped(self, query: OutcomeQuery, by: str, measures: str) -> list[tuple[Any, ...]]:
        return self.repo.grouped(
            query.start, query.end, query.team_ids, query.agent_ids, by, measures
        )

    # -- churn reasons -------------------------------------------------------------------
    def churn_reasons(self, query: OutcomeQuery, reasons: ChurnReasons) -> ChurnReasonsReport:
        """The Pareto of churn reasons (module rules); reasons the centre's list does
        not know are counted under "other"."""
        tallies = self.repo.churn_by_reason(query.start, query.end, query.team_ids)
        left: dict[str, int] = {}
        texts: dict[str, dict[str, int]] = {}
        for tally in tallies:
            code = reasons.by_code(tally.reason).code
            left[code] = left.get(code, 0) + tally.n
            if tally.reason_text and code == OTHER:
                bucket = texts.setdefault(code, {})
                bucket[tally.reason_text] = bucket.get(tally.reason_text, 0) + tally.n
        lost: dict[str, int] = {}
        for reason, n in self.repo.lost_by_reason(
            query.start, query.end, query.team_ids, query.agent_ids, OTHER
        ):
            code = reasons.by_code(reason).code
            lost[code] = lost.get(code, 0) + n
        by_team: dict[str, int] = {}
        for code, n in left.items():
            team = reasons.by_code(code).acting_team
            by_team[team] = by_team.get(team, 0) + n
        return ChurnReasonsReport(
            _pareto(left, reasons, texts),
            _pareto(lost, reasons, {}),
            tuple(sorted(by_team.items(), key=lambda kv: (-kv[1], kv[0]))),
        )

    # -- retention calls ----------------------------------------------------------------
    def save_rates(self, query: OutcomeQuery, by: str) -> list[SaveRate]:
        """Retention save rate by ``"agent"`` (agent id) or ``"reason"`` (churn reason
        code as answered), largest groups first; None for calls without one."""
        rows = self._grouped(query, by, "retention")
        out = []
        for key, kept, lost in sorted(rows, key=lambda r: -(float(r[1]) + float(r[2]))):
            k, x = int(kept), int(lost)
            if k + x == 0:
                continue
            group = None if key in (0, "") else key
            out.append(SaveRate(group, k, x, _shown(rate(k, k + x))))
        return out


def repeat_cutoff(as_of: datetime | None, latest_contact: str | None) -> str:
    """UTC moment text after which a contact is pending: ``REPEAT_WINDOW_DAYS`` before
    the moment contacts are judged at. That is ``as_of`` (now when None), or the latest
    contact stored (``latest_contact``, UTC moment text) when it is earlier: a repeat
    after the end of the call log cannot be seen yet, and treating its absence as a
    resolution would flatter the latest period of a log imported a week ago."""
    moment = as_of if as_of is not None else datetime.now(UTC)
    if latest_contact is not None:
        moment = min(moment, parse_utc(latest_contact))
    return utc_text(moment - timedelta(days=REPEAT_WINDOW_DAYS))


def repeat_fcr(resolved: int, judged: int, pending: int) -> Figure | None:
    """FCR from repeat contacts: ``resolved`` (no repeat within the window) of ``judged``
    contacts, with its Wilson interval; ``pending`` contacts are not judged yet and are
    only carried in the inputs. None when nothing is judged."""
    return rate(
        resolved, judged, (("resolved", resolved), ("judged", judged), ("pending", pending))
    )


def _pareto(
    counts: dict[str, int], reasons: ChurnReasons, texts: dict[str, dict[str, int]]
) -> tuple[ReasonCount, ...]:
    total = sum(counts.values())
    out: list[ReasonCount] = []
    running = 0
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        running += n
        reason = reasons.by_code(code)
        written = tuple(sorted(texts.get(code, {}).items(), key=lambda kv: (-kv[1], kv[0])))
        out.append(
            ReasonCount(
                code,
                reason.label,
                reason.acting_team,
                n,
                n / total * 100.0,
                running / total * 100.0,
                written,
            )
        )
    return tuple(out)


def _months_between(start: date, end: date) -> list[tuple[int, int]]:
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass(frozen=True, slots=True)
class _Tally:
    promoters: int = 0
    detractors: int = 0
    nps_n: int = 0
    satisfied: int = 0
    csat_n: int = 0
    csat_sum: float = 0.0
    csat_sq: float = 0.0
    ces_n: int = 0
    ces_sum: float = 0.0
    ces_sq: float = 0.0
    resolved: int = 0
    fcr_n: int = 0
    retained: int = 0
    lost: int = 0
    contacts: int = 0  # with a customer reference
    repeats: int = 0  # of them followed by a repeat within the window (so far)
    pending: int = 0  # of the contacts, those whose window is still open
    pending_repeats: int = 0  # of those, already followed by a repeat

    @property
    def judged(self) -> int:
        return self.contacts - self.pending

    def __add__(self, other: _Tally) -> _Tally:
        return _Tally(*(getattr(self, f) + getattr(other, f) for f in _TALLY_FIELDS))


_TALLY_FIELDS = tuple(_Tally.__dataclass_fields__)
