"""Exporting revealed calibration sessions to the calibration workbook
(``reports.xlsx_calibration``).

Rules:
- Which sessions: revealed ones only (an open session's answers are blind), either
  chosen by id, or of one form (or all) revealed on the given days (the centre's local
  dates, both inclusive). At most ``MAX_SESSIONS``: of a form and dates, the newest
  reveals are kept and the workbook says how many matched; more chosen by id are
  refused.
- Chosen sessions that are not revealed, or do not exist, are refused with the
  service's own sentence (``CalibrationService.revealed``); agents see no sessions, so
  they are refused too.
- Cost: one ``CalibrationService.revealed`` per session (the matrix and the alphas over
  the form's recent sessions, with their bootstrap intervals): 25–90 ms each with 30
  pooled sessions of six reviewers, so the cap costs seconds, not minutes. Progress is
  counted in sessions, and a cancel is honoured between two of them.
- The workbook lists the sessions in the order they were revealed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from qa_monitor.core.calibration import CalibrationRefusal
from qa_monitor.core.reviewer_quality import MIN_SESSIONS
from qa_monitor.reports import xlsx_calibration_texts as t
from qa_monitor.reports.atomic_file import ExportCancelled, ExportError, check_target
from qa_monitor.reports.xlsx_calibration import (
    CalibrationExportResult,
    RevealedSession,
    WorkbookInfo,
    write_calibration_workbook,
)
from qa_monitor.services.calibration_service import RECENT_SESSIONS, RESAMPLES, RevealView
from qa_monitor.services.common import NotAllowedError

if TYPE_CHECKING:
    from qa_monitor.services import Services

__all__ = [
    "MAX_SESSIONS",
    "CalibrationExportResult",
    "CalibrationScope",
    "export_calibration_workbook",
    "revealed_session",
]

MAX_SESSIONS = 100


@dataclass(frozen=True, slots=True)
class CalibrationScope:
    """Which revealed sessions go into the workbook (see the module rules)."""

    form_id: str | None = None  # None: every form
    revealed_from: date | None = None  # the centre's local dates, inclusive
    revealed_to: date | None = None
    session_ids: tuple[int, ...] | None = None  # these sessions (the others above ignored)


def revealed_session(view: RevealView, zone: str, call_id: str) -> RevealedSession:
    """What the workbook shows of a revealed session; times on the centre's clock.
    ``call_id``: the call's id in the phone or chat system ('' without one)."""
    v = view.view
    revealed = v.record.revealed_at
    return RevealedSession(
        title=v.record.title,
        call=v.call,
        call_id=call_id,
        channel=v.channel,
        agent=v.agent_name,
        call_date=v.interaction_date,
        form_title=v.form_title,
        form_version=v.version,
        expert_name=v.expert_name,
        revealed_at=None
        if revealed is None
        else revealed.astimezone(ZoneInfo(zone)).replace(tzinfo=None),
        summary=v.record.summary,
        reveal=view.reveal,
        questions=view.questions,
        score_alpha=view.score_alpha,
        call_alpha=view.call_alpha,
        pooled=view.sessions,
    )


def _midnight_utc(day: date, zone: str) -> datetime:
    return datetime.combine(day, clock_time(), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _dates_words(scope: CalibrationScope) -> str:
    first, last = scope.revealed_from, scope.revealed_to
    if first and last:
        return t.SCOPE_BETWEEN.format(first=first.isoformat(), last=last.isoformat())
    if first:
        return t.SCOPE_FROM.format(first=first.isoformat())
    if last:
        return t.SCOPE_UP_TO.format(last=last.isoformat())
    return t.SCOPE_ANY_DATE


def _scope_lines(services: Services, scope: CalibrationScope) -> list[tuple[str, str]]:
    if scope.session_ids is not None:
        return [(t.SCOPE_CHOSEN, t.SCOPE_CHOSEN_TEXT)]
    form = t.SCOPE_ALL_FORMS
    if scope.form_id is not None:
        form = services.repos.forms.form_info(scope.form_id).title
    return [(t.SCOPE_FORM, form), (t.SCOPE_REVEALED, _dates_words(scope))]


def _scope_sentence(lines: Sequence[tuple[str, str]], found: int) -> str:
    words = "; ".join(f"{label}: {text}" for label, text in lines)
    if not found:
        return t.NOTHING.format(scope=words)
    return t.SCOPE_NOTE.format(scope=words)


def _chosen(
    services: Services, scope: CalibrationScope, zone: str, limit: int
) -> tuple[list[int], int]:
    """The sessions' ids, newest reveal first, and how many matched."""
    if scope.session_ids is not None:
        ids = list(dict.fromkeys(scope.session_ids))
        if len(ids) > limit:
            raise CalibrationRefusal(
                f"A calibration workbook holds at most {limit} sessions; {len(ids)} are "
                "chosen. Choose fewer, or export by form and dates."
            )
        return ids, len(ids)
    if scope.form_id is not None:
        services.repos.forms.form_info(scope.form_id)  # NotFoundError for a wrong id
    since = None if scope.revealed_from is None else _midnight_utc(scope.revealed_from, zone)
    before = (
        None
        if scope.revealed_to is None
        else _midnight_utc(scope.revealed_to + timedelta(days=1), zone)
    )
    return services.repos.calibration.revealed_ids(
        form_id=scope.form_id, since=since, before=before, limit=limit
    )


def export_calibration_workbook(
    services: Services,
    path: str | Path,
    scope: CalibrationScope | None = None,
    *,
    generated_by: str = "",
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    now: datetime | None = None,
    limit: int = MAX_SESSIONS,
) -> CalibrationExportResult:
    """Write the calibration workbook of the sessions ``scope`` chooses (None: every
    revealed session, up to ``limit``) to ``path`` (module rules).

    ``progress(done, total)`` counts sessions; ``cancelled()`` returning True stops with
    ExportCancelled and no file. Raises ExportError (target not writable),
    NotAllowedError (an agent, or a session not revealed), CalibrationRefusal (more
    sessions chosen than ``limit``) or NotFoundError.
    """
    started = perf_counter()
    scope = scope or CalibrationScope()
    target = Path(path).expanduser().absolute()
    if target.suffix.lower() != ".xlsx":
        raise ExportError(f"'{target}' does not end in .xlsx; Excel would refuse to open it.")
    check_target(target)  # before seconds of work, not after
    if services.settings.team_role() == "agent":
        raise NotAllowedError(
            "Calibration sessions are shown to reviewers and supervisors only; ask a "
            "supervisor for this workbook."
        )
    zone = services.repos.settings.centre_timezone()
    ids, matched = _chosen(services, scope, zone, limit)
    total = len(ids) + 1  # the sessions, then writing the file
    views = []
    for done, session_id in enumerate(ids):
        if cancelled is not None and cancelled():
            raise ExportCancelled(target)
        if progress is not None:
            progress(done, total)
        view = services.calibration.revealed(session_id)
        call = services.repos.interactions.get(view.view.record.interaction_id)
        views.append(revealed_session(view, zone, call.external_id or ""))
    views.sort(key=lambda s: (s.revealed_at or datetime.min, s.title.casefold()))
    lines = _scope_lines(services, scope)
    moment = (now or services.clock()).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    info = WorkbookInfo(
        generated_at=moment,
        timezone=zone,
        generated_by=generated_by,
        scope=lines,
        scope_sentence=_scope_sentence(lines, len(views)),
        recent_sessions=RECENT_SESSIONS,
        resamples=RESAMPLES,
        minimum_sessions=MIN_SESSIONS,
        capped_from=matched if matched > len(ids) else None,
    )
    result = write_calibration_workbook(views, target, info, cancelled=cancelled)
    if progress is not None:
        progress(total, total)
    return replace(result, seconds=perf_counter() - started)
