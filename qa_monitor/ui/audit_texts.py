"""What an evaluation's history says to people: one sentence per audit entry, answers in
words (option labels, never stored ids or JSON), the ways an agent's answer arrives.

Every text is a whole sentence or label with placeholders (``tr``); a sentence that
varies with the way the answer arrived is written out once per way, never glued from
parts. Numbers, dates and times stay left-to-right in right-to-left text (``ltr``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, QLocale

from qa_monitor.core.answers import Answer
from qa_monitor.core.disputes import (
    RESPONSE_ACKNOWLEDGED,
    RESPONSE_DISPUTED,
    Decision,
    ReceivedVia,
    Response,
)
from qa_monitor.core.forms import Question, QuestionType
from qa_monitor.core.records import AuditAction, EvaluationRow, EvaluationStatus
from qa_monitor.services.dispute_service import HistoryItem
from qa_monitor.ui.date_texts import wall_text
from qa_monitor.ui.sync_texts import moment_text, short_date
from qa_monitor.ui.widgets.widget_style import format_score, ltr


def tr(text: str) -> str:
    return QCoreApplication.translate("AuditTexts", text)


def via_labels() -> dict[ReceivedVia, str]:
    """How the agent's answer arrived, as the dialogs' choice offers it."""
    return {
        ReceivedVia.IN_PERSON: tr("In person"),
        ReceivedVia.EMAIL: tr("Email"),
        ReceivedVia.PHONE: tr("Phone"),
        ReceivedVia.CHAT: tr("Chat"),
        ReceivedVia.AGENT_LOGIN: tr("The agent's own login"),
        ReceivedVia.OTHER: tr("Other"),
    }


def status_label(status: str | None) -> str:
    words = {
        EvaluationStatus.DRAFT.value: tr("Draft"),
        EvaluationStatus.SUBMITTED.value: tr("Submitted"),
        EvaluationStatus.ACKNOWLEDGED.value: tr("Acknowledged"),
        EvaluationStatus.DISPUTED.value: tr("Disputed"),
        EvaluationStatus.RESOLVED.value: tr("Resolved"),
    }
    return words.get(status or "", tr("Unknown"))


def day_text(day: date) -> str:
    return short_date(day)


def evaluation_summary(row: EvaluationRow) -> str:
    """Which evaluation a dialog is about, in one line."""
    return tr("{0} — interaction of {1}, form “{2}”, score {3}, scored by {4}.").format(
        row.agent_name,
        day_text(row.interaction_date),
        row.form_title,
        ltr(format_score(row.score)),
        row.reviewer_name,
    )


# ---------------------------------------------------------------------- answers
def _value_words(answer: Answer, question: Question | None) -> str | None:
    value = answer.value
    if value is None or value == "" or value == ():
        return None
    labels = {o.id: o.label for o in question.options} if question is not None else {}
    if isinstance(value, tuple):
        return QLocale().createSeparatedList([labels.get(v) or v for v in value])
    if isinstance(value, str) and value in labels:
        return labels[value]
    if isinstance(value, int | float):
        return ltr(QLocale().toString(float(value), "g", 6))
    if question is not None and question.type is QuestionType.DATETIME:
        try:  # a wall-clock answer, as typed: no zone moves it
            return wall_text(datetime.fromisoformat(value))
        except ValueError:
            pass
    return value


def answer_words(
    answer: Answer | None, question: Question | None, *, with_comment: bool = True
) -> str:
    """An answer as a reader says it: the option's label, "Not applicable", the value."""
    if answer is None:
        base = tr("No answer")
    elif answer.na:
        base = tr("Not applicable")
    else:
        base = _value_words(answer, question) or tr("No answer")
    if with_comment and answer is not None and answer.comment:
        return tr("{0} (comment: “{1}”)").format(base, answer.comment)
    return base


# ---------------------------------------------------------------------- history
def when_text(item: HistoryItem, zone: str) -> str:
    return moment_text(item.entry.at, zone)


def who_text(item: HistoryItem) -> str:
    if item.actor_name:
        return item.actor_name
    return tr("Not recorded")


def why_text(item: HistoryItem) -> str:
    """The reason kept with the entry; a decision's reason is already in its sentence."""
    if item.entry.action is AuditAction.DECIDE:
        return ""
    return item.entry.reason


def what_text(item: HistoryItem, questions: Mapping[str, Question]) -> str:
    """One sentence saying what the entry recorded."""
    entry = item.entry
    action = entry.action
    if action is AuditAction.SUBMIT:
        if entry.new is None:
            return tr("Submitted the evaluation without a score.")
        return tr("Submitted the evaluation with a score of {0}.").format(_score(entry.new))
    if action is AuditAction.EDIT:
        return _edit_text(item, questions)
    if action is AuditAction.STATUS:
        return tr("Changed the status from {0} to {1}.").format(
            status_label(entry.old), status_label(entry.new)
        )
    if action is AuditAction.DELETE:
        return tr("Discarded the draft.")
    if action is AuditAction.RESPOND:
        return _response_text(item.response, entry.field)
    if action is AuditAction.DISPUTE:
        return tr("The agent disputed the answer to “{0}”: {1}").format(
            _question(item), entry.new or ""
        )
    if action is AuditAction.ASSIGN:
        if item.assignee_name:
            return tr("Asked {0} to re-review the dispute.").format(item.assignee_name)
        return tr("Asked a reviewer who is not in this database to re-review the dispute.")
    if action is AuditAction.DECIDE:
        if entry.new == Decision.OVERTURNED.value:
            return tr("Overturned the answer to “{0}”: {1}").format(_question(item), entry.reason)
        return tr("Upheld the answer to “{0}”: {1}").format(_question(item), entry.reason)
    return tr("Recorded a change this version of QA Monitor does not describe.")


def _question(item: HistoryItem) -> str:
    return item.question or tr("a question no longer on the form")


def _score(text: str | None) -> str:
    try:
        return ltr(format_score(float(text))) if text is not None else tr("no score")
    except ValueError:
        return tr("no score")


def _edit_text(item: HistoryItem, questions: Mapping[str, Question]) -> str:
    entry = item.entry
    field = entry.field or ""
    if item.question is not None:
        question = questions.get(field)
        before = answer_words(item.old_answer, question)
        after = answer_words(item.new_answer, question)
        if before == after:
            return tr("Changed the details of the answer to “{0}”; it is still {1}.").format(
                item.question, after
            )
        return tr("Changed the answer to “{0}” from {1} to {2}.").format(
            item.question, before, after
        )
    if field == "score":
        return tr("The score changed from {0} to {1}.").format(_score(entry.old), _score(entry.new))
    if field == "passed":
        if entry.new == "True":
            return tr("The evaluation now passes.")
        if entry.new == "False":
            return tr("The evaluation no longer passes.")
        return tr("The evaluation no longer has a result.")
    if field == "overall_comment":
        if not entry.old:
            return tr("Wrote the overall comment “{0}”.").format(entry.new or "")
        if not entry.new:
            return tr("Removed the overall comment “{0}”.").format(entry.old)
        return tr("Changed the overall comment from “{0}” to “{1}”.").format(entry.old, entry.new)
    return tr("Changed a detail of the evaluation.")


def _response_text(response: Response | None, kind: str | None) -> str:
    if response is None:
        return tr("The agent's answer was recorded in a form this version cannot read.")
    on = day_text(response.on)
    if kind == RESPONSE_ACKNOWLEDGED:
        acknowledged = {
            ReceivedVia.IN_PERSON: tr("The agent acknowledged the evaluation in person on {0}."),
            ReceivedVia.EMAIL: tr("The agent acknowledged the evaluation by email on {0}."),
            ReceivedVia.PHONE: tr("The agent acknowledged the evaluation by phone on {0}."),
            ReceivedVia.CHAT: tr("The agent acknowledged the evaluation in a chat on {0}."),
            ReceivedVia.AGENT_LOGIN: tr(
                "The agent acknowledged the evaluation through their own login on {0}."
            ),
            ReceivedVia.OTHER: tr("The agent acknowledged the evaluation on {0}."),
        }
        return acknowledged[response.via].format(on)
    if kind == RESPONSE_DISPUTED:
        disputed = {
            ReceivedVia.IN_PERSON: tr("The agent disputed the evaluation in person on {0}."),
            ReceivedVia.EMAIL: tr("The agent disputed the evaluation by email on {0}."),
            ReceivedVia.PHONE: tr("The agent disputed the evaluation by phone on {0}."),
            ReceivedVia.CHAT: tr("The agent disputed the evaluation in a chat on {0}."),
            ReceivedVia.AGENT_LOGIN: tr(
                "The agent disputed the evaluation through their own login on {0}."
            ),
            ReceivedVia.OTHER: tr("The agent disputed the evaluation on {0}."),
        }
        text = disputed[response.via].format(on)
        if response.deadline is not None:
            due = tr("The re-review is due by {0}.").format(day_text(response.deadline))
            return tr("{0} {1}").format(text, due)
        return text
    return tr("The agent's answer was recorded in a form this version cannot read.")
