"""What team sync says to people: the status bar's state, records and fields of the
Sync conflicts view, moments in the centre's zone. Every text is a whole sentence or
phrase with placeholders (``tr``), numbers and ids kept left-to-right (``ltr``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject

from qa_monitor.services.sync_conflicts import AnswerShown, DiffLine, LineKind, RecordInfo, Side
from qa_monitor.services.team_sync import SyncMode, SyncStatus
from qa_monitor.ui.date_texts import date_text, moment_text
from qa_monitor.ui.widgets.widget_style import format_score, ltr


def tr(text: str) -> str:
    return QCoreApplication.translate("TeamSync", text)


class SyncCounts(QObject):
    """The counted texts ("%n change(s)"): ``self.tr`` files them under this class, where
    resources/translations/update_plurals.py finds them for the English plural forms."""

    def minutes_ago(self, n: int) -> str:
        return self.tr("Synced %n min ago", "", n)

    def hours_ago(self, n: int) -> str:
        return self.tr("Synced %n h ago", "", n)

    def received(self, n: int) -> str:
        return self.tr("Syncing… %Ln change(s) received", "", n)

    def waiting(self, n: int) -> str:
        return self.tr("%Ln change(s) waiting", "", n)

    def conflicts(self, n: int) -> str:
        return self.tr("%Ln sync conflict(s)", "", n)

    def conflicts_to_look_at(self, n: int) -> str:
        return self.tr("%Ln sync conflict(s) to look at (File ▸ Sync conflicts).", "", n)


class SyncState(Enum):
    OFF = "off"
    NEVER = "never"
    SYNCED = "synced"
    WAITING = "waiting"
    CONFLICTS = "conflicts"
    PROBLEM = "problem"
    SYNCING = "syncing"


ICONS = {
    SyncState.OFF: "mdi6.cloud-off-outline",
    SyncState.NEVER: "mdi6.cloud-outline",
    SyncState.SYNCED: "mdi6.cloud-check-outline",
    SyncState.WAITING: "mdi6.cloud-upload-outline",
    SyncState.CONFLICTS: "mdi6.call-split",
    SyncState.PROBLEM: "mdi6.cloud-alert",
    SyncState.SYNCING: "mdi6.cloud-sync-outline",
}


@dataclass(frozen=True)
class Shown:
    """What the status bar shows: a state (its icon), a short text and a tooltip."""

    state: SyncState
    text: str
    tooltip: str


def number(value: int) -> str:
    return ltr(QLocale().toString(value))


def ago(moment: datetime, now: datetime) -> str:
    """"just now", "2 min ago", "3 h ago", else the day (the locale's short date)."""
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return tr("Synced just now")
    if seconds < 3600:
        return SyncCounts().minutes_ago(seconds // 60)
    if seconds < 24 * 3600:
        return SyncCounts().hours_ago(seconds // 3600)
    return tr("Synced on {0}").format(short_date(moment.date()))


def short_date(day: date) -> str:
    return date_text(day)


def shown(
    status: SyncStatus | None,
    now: datetime,
    *,
    progress: tuple[int, int] | None = None,
    problem: str = "",
    zone: str = "UTC",
) -> Shown:
    """The status bar's words for ``status``; ``progress`` (done, total; total 0 when
    unknown) while a sync runs; ``problem``: a sync that could not run just now;
    ``zone``: the centre's time zone, for moments."""
    if progress is not None:
        done, total = progress
        if total > 0:
            text = tr("Syncing… {0} of {1}").format(number(done), number(total))
        elif done > 0:
            text = SyncCounts().received(done)
        else:
            text = tr("Syncing…")
        return Shown(SyncState.SYNCING, text, tr("Team sync is running. Changes keep coming in "
                                                  "while you work; nothing you do waits for it."))
    if status is None:
        return Shown(SyncState.NEVER, tr("Team sync"), tr("Reading the team sync state…"))
    if status.mode is SyncMode.OFF:
        return Shown(
            SyncState.OFF,
            tr("Team sync off"),
            tr("This database does not sync with a team. Set up a team folder or server "
               "in Settings ▸ Team."),
        )
    last = status.last
    problems = [problem] if problem else list(last.problems) if last and not last.ok else []
    lines = []
    if last is not None and last.ok:
        lines.append(
            tr("{0}: sent {1}, received {2}.").format(
                ago(last.at, now), number(last.sent), number(last.received)
            )
        )
    elif last is not None:
        lines.append(
            tr("Last attempt {0}. Nothing was lost; the next sync tries again.").format(
                moment_text(last.at, zone)
            )
        )
    if status.pending:
        lines.append(tr("Changes made here and not sent yet: {0}.").format(number(status.pending)))
    if status.conflicts:
        lines.append(
            SyncCounts().conflicts_to_look_at(status.conflicts)
        )
    if problems:
        first = problems[0].split("\n")[0]
        tip = "\n".join([tr("The last sync had problems:"), *(f"• {p}" for p in problems), *lines])
        return Shown(SyncState.PROBLEM, tr("Sync problem: {0}").format(first), tip)
    tooltip = "\n".join(lines)
    if status.conflicts:
        return Shown(
            SyncState.CONFLICTS, SyncCounts().conflicts(status.conflicts), tooltip
        )
    if status.pending:
        return Shown(
            SyncState.WAITING, SyncCounts().waiting(status.pending), tooltip
        )
    if last is None:
        return Shown(
            SyncState.NEVER, tr("Not synced yet"), tr("The first sync starts in a moment.")
        )
    return Shown(SyncState.SYNCED, ago(last.at, now), tooltip)


# ---------------------------------------------------------------- conflicts view


def record_text(record: RecordInfo) -> str:
    """The record a conflict is about, as people know it (never an internal id)."""
    if not record.found:
        return tr("A record that is not on this computer any more")
    if record.entity in ("evaluation", "audit"):
        return tr("Evaluation of {0}'s call on {1} by {2}").format(
            record.agent, short_date(date.fromisoformat(record.local_date)), record.reviewer
        )
    if record.entity == "interaction":
        day = short_date(date.fromisoformat(record.local_date))
        if record.name:
            return tr("Call {0} of {1} on {2}").format(ltr(record.name), record.agent, day)
        return tr("Call of {0} on {1}").format(record.agent, day)
    if record.entity == "team":
        return tr("Team “{0}”").format(record.name)
    if record.entity == "agent":
        return tr("Agent “{0}”").format(record.name)
    if record.entity == "reviewer":
        return tr("Reviewer “{0}”").format(record.name)
    if record.entity == "form":
        return tr("Form “{0}”").format(record.name)
    if record.entity == "form_version":
        return tr("Form “{0}”, version {1}").format(record.form_title, number(record.form_version))
    return tr("A record of another kind")


@lru_cache(maxsize=256)
def field_label(entity: str, field: str) -> str:
    labels = {
        "content": tr("Scores, answers and comments"),
        "status": tr("Status"),
        "name": tr("Name"),
        "title": tr("Title"),
        "team": tr("Team"),
        "agent": tr("Agent"),
        "active": tr("Active"),
        "is_expert": tr("Calibration expert"),
        "hire_date": tr("Hire date"),
        "external_id": tr("Phone-system id") if entity in ("agent",) else tr("Call id"),
        "email": tr("Email"),
        "queue": tr("Queue"),
        "customer_ref": tr("Customer reference"),
        "contact_reason": tr("Contact reason"),
        "recording_path": tr("Recording"),
        "transcript": tr("Transcript"),
        "resolved_first_contact": tr("Resolved on first contact"),
        "retention": tr("Retention"),
        "churn_risk": tr("Churn risk"),
        "churn_reason": tr("Churn reason"),
        "callback_promised_at": tr("Callback promised for"),
        "callback_kept": tr("Callback kept"),
        "csat": tr("CSAT"),
        "nps": tr("NPS"),
        "ces": tr("CES"),
        "duration_s": tr("Duration"),
        "channel": tr("Channel"),
        "direction": tr("Direction"),
        "started_at": tr("Call time"),
        "score": tr("Score"),
        "passed": tr("Result"),
        "band": tr("Band"),
        "overall_comment": tr("Overall comment"),
    }
    return labels.get(field, tr("Another detail"))


def status_word(value: Any) -> str:
    words = {
        "draft": tr("Draft"),
        "submitted": tr("Submitted"),
        "acknowledged": tr("Acknowledged by the agent"),
        "disputed": tr("Disputed by the agent"),
        "resolved": tr("Dispute resolved"),
    }
    return words.get(str(value), str(value))


def line_label(entity: str, line: DiffLine) -> str:
    if line.kind is LineKind.ANSWER:
        return line.label
    return field_label(entity, line.label)


def value_text(line: DiffLine, value: Any) -> str:
    """One side of a differing line, in words."""
    if line.kind is LineKind.SCORE:
        return ltr(format_score(value)) if value is not None else tr("No score")
    if line.kind is LineKind.PASSED:
        return tr("Passed") if value else tr("Did not pass")
    if line.kind is LineKind.STATUS:
        return status_word(value)
    if line.kind is LineKind.ANSWER:
        return answer_text(value)
    if value is None or value == "":
        return tr("(empty)")
    if isinstance(value, bool):
        return tr("Yes") if value else tr("No")
    if isinstance(value, int | float):
        return ltr(QLocale().toString(float(value), "g", 6))
    return str(value)


def answer_text(shown_answer: AnswerShown) -> str:
    if shown_answer.na:
        base = tr("Not applicable")
    elif shown_answer.text is None:
        base = tr("(no answer)")
    else:
        base = shown_answer.text
    if shown_answer.comment:
        return tr("{0} — comment: {1}").format(base, shown_answer.comment)
    return base


def side_text(side: Side, zone: str) -> str:
    """Who made a version and when: this computer or the site's short id, and the time."""
    when = moment_text(side.at, zone)
    if side.this_site:
        return tr("Made on this computer, {0}").format(when)
    return tr("Made at site {0}, {1}").format(ltr(side.short), when)

