"""Names and icons the designer shows for the form model's enums (one place, translated)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QIcon

from qa_monitor.core.forms import (
    Category,
    Channel,
    CommentRule,
    CriticalLevel,
    Direction,
    OutcomeField,
    QuestionType,
    ScoringMode,
)
from qa_monitor.ui import icons


def tr(text: str) -> str:
    return QCoreApplication.translate("FormDesigner", text)


def type_label(qtype: QuestionType) -> str:
    return {
        QuestionType.YES_NO: tr("Yes / No"),
        QuestionType.YES_PARTIAL_NO: tr("Yes / Partial / No"),
        QuestionType.PASS_FAIL: tr("Pass / Partial / Fail"),
        QuestionType.SCALE_1_5: tr("Scale 1–5"),
        QuestionType.SCALE_0_10: tr("Scale 0–10"),
        QuestionType.CHOICE: tr("Choice (own options and scores)"),
        QuestionType.TEXT: tr("Text (not scored)"),
        QuestionType.NUMBER: tr("Number (not scored)"),
        QuestionType.DATETIME: tr("Date and time (not scored)"),
        QuestionType.TAG: tr("Tag: one label (not scored)"),
        QuestionType.TAGS: tr("Tags: several labels (not scored)"),
    }[qtype]


TYPE_ICONS = {
    QuestionType.YES_NO: "mdi6.check-circle-outline",
    QuestionType.YES_PARTIAL_NO: "mdi6.circle-half-full",
    QuestionType.PASS_FAIL: "mdi6.traffic-light-outline",
    QuestionType.SCALE_1_5: "mdi6.numeric-5-box-outline",
    QuestionType.SCALE_0_10: "mdi6.numeric-10-box-outline",
    QuestionType.CHOICE: "mdi6.format-list-checks",
    QuestionType.TEXT: "mdi6.text-long",
    QuestionType.NUMBER: "mdi6.numeric",
    QuestionType.DATETIME: "mdi6.calendar-clock",
    QuestionType.TAG: "mdi6.tag-outline",
    QuestionType.TAGS: "mdi6.tag-multiple-outline",
}
SECTION_ICON = "mdi6.folder-outline"
FORM_ICON = "mdi6.clipboard-text-outline"
PROBLEM_ICON = "mdi6.alert-circle"
WARNING_ICON = "mdi6.alert-outline"


def icon(name: str, color: QColor) -> QIcon:
    return icons.icon(name, color=color)


def category_label(category: Category) -> str:
    return QCoreApplication.translate("Category", category.label)


def critical_label(level: CriticalLevel) -> str:
    return {
        CriticalLevel.NONE: tr("Not critical"),
        CriticalLevel.SECTION: tr("Section-critical: failing zeroes the section"),
        CriticalLevel.FORM: tr("Form-critical: failing fails the evaluation"),
    }[level]


def comment_label(rule: CommentRule) -> str:
    return {
        CommentRule.NEVER: tr("Optional"),
        CommentRule.NOT_FULL: tr("Required when the answer is not full marks"),
        CommentRule.ALWAYS: tr("Always required"),
    }[rule]


def outcome_label(field: OutcomeField | None) -> str:
    if field is None:
        return tr("None")
    return {
        OutcomeField.RESOLVED_FIRST_CONTACT: tr("Resolved on first contact (yes / no)"),
        OutcomeField.RETENTION: tr("Retention (retained / lost / undecided)"),
        OutcomeField.CHURN_RISK: tr("Churn risk"),
        OutcomeField.CHURN_REASON: tr("Churn reason"),
        OutcomeField.CALLBACK_PROMISED_AT: tr("Callback promised at (date and time)"),
        OutcomeField.CALLBACK_KEPT: tr("Callback kept (yes / no)"),
    }[field]


def scoring_label(mode: ScoringMode) -> str:
    return {
        ScoringMode.POINTS: tr("Points: earned ÷ possible over the whole form"),
        ScoringMode.WEIGHTED: tr("Weighted: sections count by their weight"),
    }[mode]


def channel_label(channel: Channel) -> str:
    return {
        Channel.PHONE: tr("Phone"),
        Channel.CHAT: tr("Chat"),
        Channel.EMAIL: tr("Email"),
        Channel.SOCIAL: tr("Social / messaging"),
    }[channel]


def direction_label(direction: Direction) -> str:
    return {
        Direction.INBOUND: tr("Inbound (the customer contacted us)"),
        Direction.OUTBOUND: tr("Outbound (we contacted the customer)"),
    }[direction]


# Property names (FormProblem.field and the designer's own) as the undo text names them:
# "Undo change points".
def field_label(field: str) -> str:
    return {
        "text": tr("question text"),
        "title": tr("title"),
        "id": tr("id"),
        "type": tr("question type"),
        "points": tr("points"),
        "options": tr("options"),
        "allow_na": tr("N/A allowed"),
        "critical": tr("critical level"),
        "bonus": tr("bonus"),
        "comment": tr("comment rule"),
        "required": tr("required"),
        "condition": tr("condition"),
        "interaction_condition": tr("interaction condition"),
        "max_points": tr("maximum points"),
        "guidance": tr("guidance"),
        "outcome_field": tr("outcome field"),
        "minimum": tr("minimum"),
        "maximum": tr("maximum"),
        "category": tr("category"),
        "weight": tr("weight"),
        "description": tr("description"),
        "channels": tr("channels"),
        "scoring_mode": tr("scoring mode"),
        "pass_mark": tr("pass mark"),
        "bands": tr("bands"),
        "cap_bonus": tr("bonus cap"),
        "partial_fails": tr("Partial on a critical question"),
    }.get(field, field)
