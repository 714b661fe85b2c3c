"""A workbook for one agent's coaching session: how they score and where to work.

Sheets: Overview (key figures against the team, score by month with a line chart of
the agent and the team), Questions to work on (the agent's most-missed questions),
Comments (the newest reviewer comments), Coaching (the agent's coaching sessions held
in the period: each behaviour targeted with its follow-up figures, each action of the
plan with its owner, due date and done date) and Evaluations (every evaluation, as in
the full export).

Rules:
- Coaching looks at the evaluations a ``CountingRule`` counts, by default the
  dashboard's: regular evaluations that were submitted (drafts have no score;
  calibration sessions grade reviewers, self-reviews are the agent's own view). The
  Overview and the line above every table say which kinds and statuses that is.
- "Critical failures" are failing answers on questions critical in the version
  answered (``export_questions``), the same count on the Overview and in "Questions to
  work on": that sheet lists the most-missed questions and, beyond them, every question
  with a critical failure, so its column adds up to the Overview's figure.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qa_monitor.core.coaching import follow_up, verdict_sentence
from qa_monitor.core.records import Agent, EvaluationFilter, Team
from qa_monitor.reports.atomic_file import ExportCancelled, ExportError, atomic_output
from qa_monitor.reports.counting_rule import CountingRule, counted_sentence
from qa_monitor.reports.export_columns import EvaluationColumns
from qa_monitor.reports.xlsx_charts import month_line_chart
from qa_monitor.reports.xlsx_export import ExportResult, resolve_db
from qa_monitor.reports.xlsx_sheets import (
    Column,
    TableWriter,
    cover_page,
    discard_workbook,
    header_row,
    new_sheet,
    save_workbook,
    value_cell,
)
from qa_monitor.reports.xlsx_styles import (
    LABEL_FONT,
    NOTE_FONT,
    SUBTITLE_FONT,
    TITLE_FONT,
    Kind,
)
from qa_monitor.reports.xlsx_tables import month_start, score_interval
from qa_monitor.storage import export_queries as q
from qa_monitor.storage.coaching_repo import CoachingRepo, SessionFilter
from qa_monitor.storage.database import Database
from qa_monitor.storage.export_questions import question_misses
from qa_monitor.storage.people_repo import PeopleRepo

WEAKEST = 10
COMMENTS = 30
_MONTH_HEADERS = ("Month", "Evaluations", "Mean score", "Team mean", "Pass rate")
_MONTH_KINDS = (Kind.MONTH, Kind.INT, Kind.SCORE, Kind.SCORE, Kind.RATE)


@dataclass(frozen=True, slots=True)
class _Overview:
    heading: list[str]
    figures: list[tuple[str, object, Kind, str]]
    months: list[list[object]]


def _overview_data(
    db: Database,
    flt: EvaluationFilter,
    agent: Agent,
    team: Team | None,
    zone: str,
    generated: str,
    misses: list[tuple],
) -> _Overview:
    """Key figures (against the team's) and the agent's months beside the team's mean;
    ``misses`` are the agent's ``question_misses``."""
    team_flt = None if team is None else replace(flt, agent_ids=(), team_ids=(team.id,))
    team_means = {} if team_flt is None else {m[0]: m[2] for m in q.monthly_trend(db, team_flt)}
    months: list[list[object]] = [
        [month_start(m), n, mean, team_means.get(m), passed / with_pass if with_pass else None]
        for m, n, mean, passed, with_pass, _critical in q.monthly_trend(db, flt)
    ]
    totals = q.totals(db, flt)
    figures: list[tuple[str, object, Kind, str]] = [
        ("Evaluations", totals.scored, Kind.INT, "with a score")
    ]
    scores = [r[4] for r in q.agent_month_scores(db, flt)]
    if scores:
        mean, low, high = score_interval(scores)
        ci = "" if low is None or high is None else f"95% interval {low:.1f} to {high:.1f}"
        figures.append(("Mean score", mean, Kind.SCORE, ci))
    if team is not None and team_flt is not None and team_means:
        figures.append(("Team mean", q.totals(db, team_flt).mean, Kind.SCORE, team.name))
    if totals.with_pass:
        figures.append(("Pass rate", totals.passed / totals.with_pass, Kind.RATE, ""))
    failures = sum(int(m[6]) for m in misses)
    where = f"in {totals.critical:,} evaluation" + ("" if totals.critical == 1 else "s")
    figures.append(("Critical failures", failures, Kind.INT, f"on critical questions, {where}"))
    period = (
        f"{flt.date_from.isoformat() if flt.date_from else 'start'} to "
        f"{flt.date_to.isoformat() if flt.date_to else 'today'}"
    )
    heading = [
        f"Coaching feedback: {agent.name}",
        f"{team.name if team else 'No team'} · {period}",
        f"Generated {generated} ({zone})",
        counted_sentence(flt),
    ]
    return _Overview(heading, figures, months)


def _write_overview(ws: WriteOnlyWorksheet, o: _Overview) -> None:
    cover_page(ws, (("A", 26), ("B", 13), ("C", 13), ("D", 13), ("E", 13)))
    rows: list[list[object]] = [[value_cell(ws, o.heading[0], font=TITLE_FONT)]]
    rows += [[value_cell(ws, line, font=NOTE_FONT)] for line in o.heading[1:]]
    rows += [[], [value_cell(ws, "Key figures", font=SUBTITLE_FONT)]]
    for label, value, kind, note in o.figures:
        rows.append(
            [
                value_cell(ws, label, font=LABEL_FONT),
                value_cell(ws, value, kind),
                value_cell(ws, note or None, font=NOTE_FONT),
            ]
        )
    rows += [[], [value_cell(ws, "Score by month", font=SUBTITLE_FONT)]]
    rows.append(header_row(ws, list(_MONTH_HEADERS), list(_MONTH_KINDS)))
    header = len(rows)
    for values in o.months:
        rows.append([value_cell(ws, v, k) for v, k in zip(values, _MONTH_KINDS, strict=True)])
    if not o.months:
        rows.append([value_cell(ws, "No submitted evaluations in this period.", font=NOTE_FONT)])
    for row in rows:
        ws.append(row)
    if o.months:
        month_line_chart(
            ws,
            title="Mean score by month: agent and team",
            month_col=1,
            value_cols=[3, 4],
            first_row=header + 1,
            last_row=header + len(o.months),
            anchor="G2",
            rate=False,
        )


def weakest_questions(misses: list[tuple]) -> list[tuple]:
    """The ``WEAKEST`` most-missed questions, then every other question with a critical
    failure (a coaching session must see all of them), in ``misses``' order."""
    chosen = {id(m) for m in [m for m in misses if m[5]][:WEAKEST]}
    return [m for m in misses if id(m) in chosen or m[6]]


def _write_weakest(wb: Workbook, taken: set[str], misses: list[tuple], note: str) -> None:
    columns = (
        Column("Question", width=60, wrap=True),
        Column("Section", wrap=True),
        Column("Answered", Kind.INT),
        Column("Missed", Kind.INT),
        Column("Miss rate", Kind.RATE),
        Column("Critical failures", Kind.INT),
    )
    table = TableWriter(
        wb, "Questions to work on", columns, taken, fit_to_page_width=True, note=note
    )
    for _form, section, _category, text, n, missed, failing, *_rest in weakest_questions(misses):
        table.append([text, section, n, int(missed), missed / n, int(failing)])
    table.close()


def _write_comments(
    wb: Workbook, taken: set[str], db: Database, flt: EvaluationFilter, note: str
) -> None:
    columns = (
        Column("Date", Kind.DATE),
        Column("Evaluation", Kind.INT),
        Column("Form"),
        Column("Question", width=40, wrap=True),
        Column("Points"),
        Column("Comment", width=60, wrap=True),
    )
    table = TableWriter(wb, "Comments", columns, taken, fit_to_page_width=True, note=note)
    for day, eid, form, text, earned, possible, comment in q.recent_comments(db, flt, COMMENTS):
        points = None if possible is None else f"{earned:g} of {possible:g}"
        question = text or "Overall comment"
        table.append([date.fromisoformat(day), eid, form, question, points, comment])
    table.close()


def _write_coaching(
    wb: Workbook,
    taken: set[str],
    db: Database,
    agent_id: int,
    date_from: date | None,
    date_to: date | None,
    today: date,
) -> None:
    """One row per behaviour targeted (with its follow-up) and per action of the plan,
    session by session, the latest first; a session with neither has one row."""
    columns = (
        Column("Held on", Kind.DATE),
        Column("Coach"),
        Column("Row"),
        Column("Behaviour, action or notes", width=50, wrap=True),
        Column("Owner"),
        Column("Due", Kind.DATE),
        Column("Done on", Kind.DATE),
        Column("Scored before", Kind.INT),
        Column("Full marks before", Kind.RATE),
        Column("Scored after", Kind.INT),
        Column("Full marks after", Kind.RATE),
        Column("Change", Kind.RATE),
        Column("Change from", Kind.RATE),
        Column("Change to", Kind.RATE),
        Column("Verdict", width=30, wrap=True),
    )
    note = (
        "Follow-up: the agent's scored answers to each behaviour in submitted regular "
        "evaluations in the weeks before and after the session; full marks with 95% "
        "Wilson intervals, the change with Newcombe's interval. A verdict needs 5 scored "
        "answers on each side."
    )
    table = TableWriter(wb, "Coaching", columns, taken, fit_to_page_width=True, note=note)
    repo = CoachingRepo(db)
    rows = repo.sessions(
        SessionFilter(agent_id=agent_id, held_from=date_from, held_to=date_to), today
    )
    answers = repo.scored_answers([r.id for r in rows])
    texts = repo.question_texts(sorted({k for r in rows for k in r.questions}))
    for row in rows:
        session = repo.get(row.id)
        coach = row.coach_name or ""
        follow = follow_up(session, today, answers[row.id], texts)
        for line in follow.questions:
            before, after, change = line.before, line.after, line.change
            table.append(
                [
                    row.held_on,
                    coach,
                    "Behaviour",
                    line.text,
                    None,
                    None,
                    None,
                    before.n,
                    before.rate.rate if before.rate else None,
                    after.n,
                    after.rate.rate if after.rate else None,
                    change.difference if change else None,
                    change.low if change else None,
                    change.high if change else None,
                    verdict_sentence(line.verdict, follow.ends),
                ]
            )
        for action in session.actions:
            table.append(
                [
                    row.held_on,
                    coach,
                    "Action",
                    action.text,
                    action.owner or None,
                    action.due_date,
                    action.done_on,
                    *([None] * 8),
                ]
            )
        if session.notes or not (session.questions or session.actions):
            notes = session.notes or "No notes were written."
            table.append([row.held_on, coach, "Notes", notes, *([None] * 11)])
    table.close()


def export_agent_feedback(
    services_or_db: object,
    agent_id: int,
    date_from: date | None,
    date_to: date | None,
    path: str | Path,
    *,
    generated_by: str = "",
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    now: datetime | None = None,
    rule: CountingRule | None = None,
) -> ExportResult:
    """Write agent ``agent_id``'s coaching workbook for the dates (inclusive) to ``path``,
    counting the evaluations ``rule`` counts (None: the default ``CountingRule``).

    Raises ExportError (target not writable, unknown agent) or ExportCancelled; no file
    is left behind either way.
    """
    started = time.perf_counter()
    db = resolve_db(services_or_db)
    target = Path(path).expanduser().absolute()
    people = PeopleRepo(db)
    try:
        agent = people.get_agent(agent_id)
    except LookupError as exc:
        raise ExportError(f"Agent {agent_id} does not exist; choose another agent.") from exc
    team = people.get_team(agent.team_id) if agent.team_id is not None else None
    flt = (rule or CountingRule()).apply(
        EvaluationFilter(date_from=date_from, date_to=date_to, agent_ids=(agent_id,))
    )
    note = counted_sentence(flt)

    def check(done: int, total: int) -> None:
        if cancelled is not None and cancelled():
            raise ExportCancelled(target)
        if progress is not None:
            progress(done, total)

    with atomic_output(target) as temp:
        zone = q.centre_timezone(db)
        total = q.count_evaluations(db, flt)
        moment = (now or datetime.now(UTC)).astimezone(ZoneInfo(zone))
        generated = f"{moment:%Y-%m-%d %H:%M}" + (f" by {generated_by}" if generated_by else "")
        misses = question_misses(db, flt)
        overview = _overview_data(db, flt, agent, team, zone, generated, misses)
        check(0, total)
        wb = Workbook(write_only=True)
        try:
            taken: set[str] = set()
            _write_overview(new_sheet(wb, "Overview", taken), overview)
            _write_weakest(wb, taken, misses, note)
            _write_comments(wb, taken, db, flt, note)
            _write_coaching(wb, taken, db, agent_id, date_from, date_to, moment.date())
            cols = EvaluationColumns(q.export_layout(db, flt), zone)
            evaluations = TableWriter(wb, "Evaluations", cols.columns, taken, note=note)
            for done, (record, sections) in enumerate(q.evaluation_records(db, flt), 1):
                evaluations.append(cols.row(record, sections))
                if done % 200 == 0:
                    check(done, total)
            evaluations.close()
            save_workbook(wb, temp)
        except BaseException:
            discard_workbook(wb)
            raise
    if progress is not None:
        progress(total, total)
    sheets = tuple(ws.title for ws in wb.worksheets)
    return ExportResult(target, total, 0, sheets, time.perf_counter() - started)
