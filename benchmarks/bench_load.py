"""Generating the benchmark's rows month by month (``Loader``) and writing them (``Writer``).

Times are kept as naive UTC datetimes and written with ``isoformat`` (the same text as
``storage.values.utc_text``, checked on every verified sample, at a tenth of the cost).
"""

from __future__ import annotations

import heapq
import math
import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from bench_centre import BenchAgent, Centre
from bench_scoring import EvalNumbers, FastForm, SectionEntry

from qa_monitor.core.metrics import REPEAT_WINDOW_DAYS
from qa_monitor.services import demo_effects
from qa_monitor.services.demo_text import DISPUTE_REASONS, OVERALL_COMMENTS, RESOLUTION_NOTES
from qa_monitor.storage import bulk_load
from qa_monitor.storage.database import Database
from qa_monitor.storage.values import utc_text

FLUSH_ANSWERS = 100_000
VERIFY_EVERY = 1_000
FRIDAY = 4
ORDER = ("interactions", "evaluations", "answers", "section_scores", "audit_log")
Rows = dict[str, list[tuple[Any, ...]]]


def _utc(moment: datetime) -> str:
    """``utc_text`` for a naive UTC datetime."""
    return moment.isoformat(timespec="milliseconds") + "Z"


def _month_days(first_day: date, m: int, last_day: date) -> tuple[date, int]:
    year, month = first_day.year + (first_day.month - 1 + m) // 12, (first_day.month - 1 + m) % 12
    start = date(year, month + 1, 1)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    end = min(following - timedelta(days=1), last_day)
    return start, max(1, (end - start).days + 1)


class Writer:
    """Appends row batches in bulk mode: one transaction, with the secondary indexes of
    ``defer`` dropped for the load and rebuilt (same transaction) at the end, then the
    dashboard roll-ups recomputed, then the commit."""

    def __init__(self, db: Database, defer: tuple[str, ...]):
        self.db, self.defer = db, defer
        self.seconds = {"insert": 0.0, "indexes": 0.0, "rollups": 0.0, "commit": 0.0}

    def __enter__(self) -> Writer:
        self._bulk = bulk_load.bulk_mode(self.db, cache_mib=512)
        self._load = self._bulk.__enter__()
        self._indexes = bulk_load.deferred_indexes(self.db, self.defer)
        self._indexes.__enter__()
        return self

    def write(self, rows: Rows) -> None:
        t = time.perf_counter()
        for table in ORDER:
            bulk_load.insert_rows(self.db, table, rows[table])
        self.seconds["insert"] += time.perf_counter() - t

    def __exit__(self, *exc: Any) -> None:
        t = time.perf_counter()
        try:
            self._indexes.__exit__(*exc)
        finally:
            self.seconds["indexes"] = time.perf_counter() - t
            self._bulk.__exit__(*exc)
            self.seconds.update(self._load.seconds)


class Loader:
    """Generates the evaluations month by month and hands their rows to a ``Writer``."""

    def __init__(self, centre: Centre, fast: FastForm, rng: random.Random, zone: tzinfo,
                 first_day: date, anchor: date, n: int,
                 first_ids: tuple[int, int] = (1, 1)):  # fmt: skip
        self.centre, self.fast, self.rng, self.zone = centre, fast, rng, zone
        self.sink: Callable[[Rows], None] = lambda rows: None
        self.first_day, self.anchor, self.n = first_day, anchor, n
        end = datetime(anchor.year, anchor.month, anchor.day, 18, tzinfo=zone)
        self.end = end.astimezone(UTC).replace(tzinfo=None)
        self.zone_name = str(zone)
        self.iid, self.eid = first_ids
        self.rows: Rows = {t: [] for t in ORDER}
        self.generate_seconds = 0.0
        self.done = self.verified = 0
        questions = [q for _s, q in fast.form.questions()]
        self.rfc = next(i for i, q in enumerate(questions) if q.outcome_field is not None)
        self.reason = next(i for i, q in enumerate(questions) if q.id == "contact_reason")
        self.reason_labels = [o.label for o in questions[self.reason].options]
        # Customers due to call again: (when, end of the first call's window, reference).
        self.followups: list[tuple[datetime, datetime, str]] = []

    def _counts(self) -> list[list[tuple[BenchAgent, int]]]:
        """Per month, (agent, evaluations) for active agents, summing to exactly n."""
        rng = self.rng
        slots = [(a, m) for a in self.centre.agents for m in range(a.first_month, a.end_month)]
        base = self.n / len(slots)
        counts = [max(0, round(base + rng.uniform(-2, 2))) for _ in slots]
        diff = self.n - sum(counts)
        while diff:
            i = rng.randrange(len(slots))
            if diff > 0 or counts[i] > 0:
                step = 1 if diff > 0 else -1
                counts[i] += step
                diff -= step
        per_month: list[list[tuple[BenchAgent, int]]] = [[] for _ in range(self.centre.months)]
        for (agent, m), k in zip(slots, counts, strict=True):
            if k:
                per_month[m].append((agent, k))
        return per_month

    def run(self) -> None:
        last_day = self.anchor - timedelta(days=1)
        next_report = self.n / 10
        t0 = time.perf_counter()
        waited = 0.0
        for m, month in enumerate(self._counts()):
            start, days = _month_days(self.first_day, m, last_day)
            calls = [(self._moment(start, days, last_day), a) for a, k in month for _ in range(k)]
            calls.sort(key=lambda c: c[0])
            calibration = self.rng.randrange(len(calls)) if len(calls) >= 10 else -1
            i = 0
            while i < len(calls):
                moment, agent = calls[i]
                size = min(len(calls) - i, 5 if i == calibration else 1)
                self._call(moment, agent, size, (m + 0.5) / self.centre.months)
                i += size
                if len(self.rows["answers"]) >= FLUSH_ANSWERS:
                    waited += self._flush()
            if self.done >= next_report:
                elapsed = time.perf_counter() - t0
                print(f"  {self.done / self.n:4.0%}  {self.done:>12,} evaluations"
                      f"  {elapsed:7.1f} s", flush=True)  # fmt: skip
                next_report += self.n / 10
        waited += self._flush()
        self.generate_seconds = time.perf_counter() - t0 - waited

    def _flush(self) -> float:
        t = time.perf_counter()
        self.sink(self.rows)
        self.rows = {table: [] for table in ORDER}
        return time.perf_counter() - t

    def _moment(self, start: date, days: int, last_day: date) -> datetime:
        rng = self.rng
        day = start + timedelta(days=rng.randrange(days))
        if day.weekday() == FRIDAY:
            day += timedelta(days=1 if day < last_day else -1)
        minute = rng.randrange(8 * 60, 20 * 60)
        second = rng.randrange(60)
        return datetime(day.year, day.month, day.day, minute // 60, minute % 60, second,
                        tzinfo=self.zone)  # fmt: skip

    def _call(self, started: datetime, agent: BenchAgent, size: int, t: float) -> None:
        rng, fast, centre = self.rng, self.fast, self.centre
        span = max(1, agent.end_month - agent.first_month)
        skill = agent.curve.at(min(1.0, max(0.0, (t * centre.months - agent.first_month) / span)))
        skill = min(0.995, max(0.3, skill + rng.gauss(0.0, 0.035)))
        duration = round(min(2400.0, max(45.0, rng.lognormvariate(math.log(420.0), 0.45))))
        start_utc = started.astimezone(UTC).replace(tzinfo=None)
        imported = start_utc + timedelta(seconds=duration, minutes=rng.uniform(2, 60))
        call = (self.iid, agent, started.date().isoformat(), start_utc, imported)
        self.iid += 1
        if size == 1:
            kind = "self" if rng.random() < 0.005 else "regular"
            reviewer = centre.primary[agent.team_id] if kind == "self" else self._reviewer(agent)
            plan = [(reviewer[0], 0.6 if kind == "self" else reviewer[1], kind)]
        else:
            plan = [(r[0], r[1], "calibration") for r in centre.reviewers[:size]]
        main: tuple[list[int], EvalNumbers] | None = None
        for reviewer_id, strictness, kind in plan:
            codes = fast.sample(skill, strictness, rng)
            numbers, entries = fast.score(codes)
            if self.done % VERIFY_EVERY == 0:
                fast.verify(codes)
                assert _utc(start_utc) == utc_text(start_utc.replace(tzinfo=UTC))
                self.verified += 1
            self._evaluation(call, reviewer_id, kind, codes, numbers, entries)
            main = main or (codes, numbers)
        assert main is not None
        self._interaction(call, started, duration, main[0], main[1][0], skill)

    def _reviewer(self, agent: BenchAgent) -> tuple[int, float]:
        u = self.rng.random()
        if u < 0.1:
            return self.centre.reviewers[0]
        if u < 0.85:
            return self.centre.primary[agent.team_id]
        return self.rng.choice(self.centre.reviewers)

    def _evaluation(self, call: tuple[Any, ...], reviewer_id: int, kind: str, codes: list[int],
                    numbers: EvalNumbers, entries: list[SectionEntry]) -> None:  # fmt: skip
        rng, eid = self.rng, self.eid
        iid, agent, local_date, start_utc, imported = call
        self.eid += 1
        self.done += 1
        delay = timedelta(hours=rng.uniform(2, 72))
        created = max(imported + timedelta(minutes=5), start_utc + delay)
        created = min(created, self.end - timedelta(minutes=45))
        submitted = created + timedelta(minutes=rng.uniform(8, 40))
        audit = self.rows["audit_log"]
        score = numbers[0]
        audit.append((eid, _utc(submitted), reviewer_id, "submit", "score", None, repr(score), ""))
        status, updated = "submitted", submitted
        if kind == "regular":
            status, updated = self._workflow(eid, reviewer_id, numbers, submitted)
        comment = ""
        if rng.random() < 0.3:
            high = score is not None and score >= 90
            mood = "critical" if numbers[4] else "high" if high else "mid"
            comment = rng.choice(OVERALL_COMMENTS[mood])
        self.rows["evaluations"].append(
            (eid, iid, self.fast.form.id, self.centre.version.id, reviewer_id, agent.id,
             agent.team_id, "phone", local_date, kind, status, _utc(created), _utc(updated),
             _utc(submitted), *numbers, comment, 0)
        )  # fmt: skip
        answers = self.rows["answers"]
        first = len(answers)
        sections = self.rows["section_scores"]
        head = (eid,)
        for position, (s, suffixes, _form_critical, _critical) in enumerate(entries):
            answers.extend([head + suffix for suffix in suffixes])
            sections.append((eid, s.section_id, position, s.category.value, s.earned,
                             s.earned_before_critical, s.possible, s.weight,
                             int(s.critical_failed)))  # fmt: skip
        for i, note in self.fast.comments(codes, rng).items():
            answers[first + i] = (*answers[first + i][:-2], note, None)

    def _workflow(self, eid: int, actor: int, numbers: EvalNumbers,
                  submitted: datetime) -> tuple[str, datetime]:  # fmt: skip
        rng = self.rng
        low = bool(numbers[4]) or (numbers[0] or 0.0) < 70
        steps: list[tuple[str, datetime, int | None, str]] = []
        if rng.random() < (0.18 if low else 0.03):
            disputed = submitted + timedelta(hours=rng.uniform(6, 48))
            steps.append(("disputed", disputed, None, rng.choice(DISPUTE_REASONS)))
            if rng.random() < 0.75:
                resolved = disputed + timedelta(days=rng.uniform(1, 4))
                steps.append(("resolved", resolved, actor, rng.choice(RESOLUTION_NOTES)))
        elif rng.random() < 0.9:
            steps.append(
                ("acknowledged", submitted + timedelta(hours=rng.uniform(4, 72)), None, "")
            )
        status, updated = "submitted", submitted
        for new, at, who, reason in steps:
            if at > self.end:
                break
            self.rows["audit_log"].append(
                (eid, _utc(at), who, "status", "status", status, new, reason)
            )
            status, updated = new, at
        return status, updated

    def _interaction(self, call: tuple[Any, ...], started: datetime, duration: float,
                     codes: list[int], score: float | None, skill: float) -> None:  # fmt: skip
        rng, fast = self.rng, self.fast
        iid, agent, local_date, start_utc, imported = call
        code = codes[self.rfc]
        choice = fast.choices[self.rfc][code] if code >= 0 else None
        rfc = None if choice is None else int(choice == "yes")
        reason = self.reason_labels[codes[self.reason]] if codes[self.reason] >= 0 else None
        survey: tuple[Any, ...] = (None, None, None, None)
        survey_at = start_utc + timedelta(hours=rng.uniform(1, 48))
        if rng.random() < 0.4 and survey_at < self.end:
            # The demo's planted model (services/demo_effects.py): only named questions
            # move the survey, so the Drivers analysis has known answers at scale too.
            full = {
                plan.question.id
                for plan, code, best in zip(fast.plans, codes, fast.best, strict=True)
                if code >= 0 and code == best
            }
            survey = (*demo_effects.survey(fast.form.id, full, rng), _utc(survey_at))
        self.rows["interactions"].append(
            (iid, f"CALL-{started:%Y%m%d}-{iid:08d}", "phone", "inbound", _utc(start_utc),
             local_date, self.zone_name, duration, agent.id, agent.team_id, "care-line",
             self._customer(start_utc, rfc), reason, None, None, rfc, None, None, None, None,
             None, *survey, "bench", _utc(min(imported, self.end)))
        )  # fmt: skip

    def _customer(self, start_utc: datetime, rfc: int | None) -> str:
        """The caller: a customer due to call again (within their first call's window),
        else a new reference; then, with ``demo_effects.repeat_chance`` of the call's
        reported resolution, the caller is due to call again, 1 hour to 6 days 23 hours
        later (the calls are generated in time order, so the next call after that
        moment takes the reference)."""
        rng, due = self.rng, self.followups
        ref = None
        while due and due[0][0] <= start_utc:
            _when, deadline, waiting = heapq.heappop(due)
            if start_utc <= deadline:
                ref = waiting
                break
        if ref is None:
            ref = f"C{rng.randrange(10**7):07d}"
        if rng.random() < demo_effects.repeat_chance(None if rfc is None else bool(rfc)):
            window = timedelta(days=REPEAT_WINDOW_DAYS)
            later = timedelta(seconds=rng.uniform(3600, window.total_seconds() - 3600))
            heapq.heappush(due, (start_utc + later, start_utc + window, ref))
        return ref
