"""The vocabulary of a form file: its format tag and the keys of each mapping, in written order.

The reader accepts exactly these keys and the writer emits them in this order, so a
saved file reads top-down the way a reviewer thinks about a question.
"""

from __future__ import annotations

FORMAT = "qa-monitor-form/1"
FORMAT_PREFIX = "qa-monitor-form/"
SUPPORTED_FORMATS = (FORMAT,)

FORM_KEYS = (
    "format",
    "id",
    "title",
    "description",
    "channels",
    "settings",
    "defaults",
    "sections",
)
# What every scored question takes unless it gives its own value (forms/README.md).
DEFAULTS_KEYS = ("points", "allow_na", "comment")
SETTINGS_KEYS = ("scoring_mode", "pass_mark", "cap_bonus", "partial_fails", "bands")
BAND_KEYS = ("name", "min")
SECTION_KEYS = ("id", "title", "category", "weight", "max_points", "description", "questions")
QUESTION_KEYS = (
    "id",
    "text",
    "type",
    "points",
    "allow_na",
    "critical",
    "bonus",
    "comment",
    "required",
    "outcome_field",
    "min",
    "max",
    "show_if",
    "guidance",
    "options",
)
OPTION_KEYS = ("id", "label", "fraction", "fails")
CONDITION_KEYS = ("question", "is", "interaction")
INTERACTION_KEYS = ("channel", "direction")

# Core FormProblem.field names that are spelled differently in the file.
FIELD_TO_KEY = {
    "minimum": "min",
    "maximum": "max",
    "condition": "show_if",
    "interaction_condition": "show_if",
}
