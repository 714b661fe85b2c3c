"""Form <-> plain data (dicts, lists, str, float, bool), for JSON storage.

The same shape as the YAML form files (forms/README.md), with defaults left out,
so a stored definition reads like the file it came from. ``form_from_data``
trusts its input (it was written by ``form_to_data``); files from people go
through ``qa_monitor.formfiles``, which checks every key and type first.
"""

from __future__ import annotations

from typing import Any

from qa_monitor.core.forms import (
    Band,
    Category,
    Channel,
    CommentRule,
    Condition,
    CriticalLevel,
    Direction,
    Form,
    FormSettings,
    InteractionCondition,
    Option,
    OutcomeField,
    Question,
    QuestionDefaults,
    QuestionType,
    ScoringMode,
    Section,
    default_options,
)

FORMAT = "qa-monitor-form/1"
Data = dict[str, Any]


def _number(value: float) -> float | int:
    """Whole numbers as ints, so files read 5 rather than 5.0."""
    return int(value) if float(value).is_integer() else value


def option_to_data(option: Option) -> Data:
    data: Data = {"id": option.id, "label": option.label}
    if option.fraction is not None:
        data["fraction"] = _number(option.fraction)
    if option.fails is not None:
        data["fails"] = option.fails
    return data


def question_to_data(q: Question) -> Data:
    data: Data = {"id": q.id, "text": q.text, "type": q.type.value}
    if q.points:
        data["points"] = _number(q.points)
    if q.allow_na:
        data["allow_na"] = True
    if q.critical is not CriticalLevel.NONE:
        data["critical"] = q.critical.value
    if q.bonus:
        data["bonus"] = True
    if q.comment is not CommentRule.NEVER:
        data["comment"] = q.comment.value
    if q.required:
        data["required"] = True
    if q.options != default_options(q.type):
        data["options"] = [option_to_data(o) for o in q.options]
    if q.condition is not None or q.interaction_condition is not None:
        data["show_if"] = condition_to_data(q)
    if q.outcome_field is not None:
        data["outcome_field"] = q.outcome_field.value
    if q.minimum is not None:
        data["min"] = _number(q.minimum)
    if q.maximum is not None:
        data["max"] = _number(q.maximum)
    if q.guidance:
        data["guidance"] = q.guidance
    return data


def condition_to_data(q: Question) -> Data:
    """``show_if``: the answer condition's keys and/or ``interaction`` (lists of values)."""
    data: Data = {}
    if q.condition is not None:
        data["question"] = q.condition.question_id
        data["is"] = list(q.condition.option_ids)
    on = q.interaction_condition
    if on is not None:
        data["interaction"] = {
            **({"channel": [c.value for c in on.channels]} if on.channels else {}),
            **({"direction": [d.value for d in on.directions]} if on.directions else {}),
        }
    return data


def defaults_to_data(defaults: QuestionDefaults) -> Data:
    data: Data = {}
    if defaults.points is not None:
        data["points"] = _number(defaults.points)
    if defaults.allow_na is not None:
        data["allow_na"] = defaults.allow_na
    if defaults.comment is not None:
        data["comment"] = defaults.comment.value
    return data


def form_to_data(form: Form) -> Data:
    """Plain data for ``form``; ``form_from_data(form_to_data(f)) == f``."""
    s = form.settings
    data: Data = {"format": FORMAT, "id": form.id, "title": form.title}
    if form.description:
        data["description"] = form.description
    if form.channels:
        data["channels"] = [c.value for c in form.channels]
    if not form.defaults.is_empty:
        # Questions are stored with the values they ended up with; the defaults are kept
        # only so the form can be written back to a file as its author wrote it.
        data["defaults"] = defaults_to_data(form.defaults)
    data["settings"] = {
        "scoring_mode": s.scoring_mode.value,
        "pass_mark": _number(s.pass_mark),
        "cap_bonus": s.cap_bonus,
        "bands": [{"name": b.name, "min": _number(b.minimum)} for b in s.bands],
        # Written only when set, so forms stored before the setting existed compare equal.
        **({"partial_fails": True} if s.partial_fails else {}),
    }
    data["sections"] = [
        {
            "id": sec.id,
            "title": sec.title,
            "category": sec.category.value,
            "weight": _number(sec.weight),
            **({"description": sec.description} if sec.description else {}),
            **({"max_points": _number(sec.max_points)} if sec.max_points is not None else {}),
            "questions": [question_to_data(q) for q in sec.questions],
        }
        for sec in form.sections
    ]
    return data


def option_from_data(data: Data) -> Option:
    fraction = data.get("fraction")
    return Option(
        id=str(data["id"]),
        label=str(data.get("label", data["id"])),
        fraction=None if fraction is None else float(fraction),
        fails=data.get("fails"),
    )


def question_from_data(data: Data) -> Question:
    qtype = QuestionType(data["type"])
    if "options" in data:
        options = tuple(option_from_data(o) for o in data["options"])
    else:
        options = default_options(qtype)
    condition = None
    on_interaction = None
    show_if = data.get("show_if", {})
    if "question" in show_if:
        is_ = show_if["is"]
        ids = tuple(str(v) for v in is_) if isinstance(is_, list | tuple) else (str(is_),)
        condition = Condition(str(show_if["question"]), ids)
    if "interaction" in show_if:
        on = show_if["interaction"]
        on_interaction = InteractionCondition(
            tuple(Channel(c) for c in on.get("channel", ())),
            tuple(Direction(d) for d in on.get("direction", ())),
        )
    outcome = data.get("outcome_field")
    return Question(
        id=str(data["id"]),
        text=str(data["text"]),
        type=qtype,
        points=float(data.get("points", 0)),
        options=options,
        allow_na=bool(data.get("allow_na", False)),
        critical=CriticalLevel(data.get("critical", "none")),
        bonus=bool(data.get("bonus", False)),
        comment=CommentRule(data.get("comment", "never")),
        condition=condition,
        guidance=str(data.get("guidance", "")),
        required=bool(data.get("required", False)),
        outcome_field=None if outcome is None else OutcomeField(outcome),
        minimum=None if data.get("min") is None else float(data["min"]),
        maximum=None if data.get("max") is None else float(data["max"]),
        interaction_condition=on_interaction,
    )


def section_from_data(data: Data) -> Section:
    return Section(
        id=str(data["id"]),
        title=str(data["title"]),
        category=Category(data["category"]),
        weight=float(data.get("weight", 1)),
        questions=tuple(question_from_data(q) for q in data.get("questions", ())),
        description=str(data.get("description", "")),
        max_points=None if data.get("max_points") is None else float(data["max_points"]),
    )


def settings_from_data(data: Data) -> FormSettings:
    return FormSettings(
        scoring_mode=ScoringMode(data.get("scoring_mode", "points")),
        pass_mark=float(data.get("pass_mark", 80)),
        bands=tuple(Band(str(b["name"]), float(b["min"])) for b in data.get("bands", ())),
        cap_bonus=bool(data.get("cap_bonus", True)),
        partial_fails=bool(data.get("partial_fails", False)),
    )


def form_from_data(data: Data) -> Form:
    """The Form that ``data`` (as written by ``form_to_data``) describes."""
    return Form(
        id=str(data["id"]),
        title=str(data["title"]),
        sections=tuple(section_from_data(s) for s in data.get("sections", ())),
        settings=settings_from_data(data.get("settings", {})),
        description=str(data.get("description", "")),
        channels=tuple(Channel(c) for c in data.get("channels", ())),
        defaults=defaults_from_data(data.get("defaults", {})),
    )


def defaults_from_data(data: Data) -> QuestionDefaults:
    points, allow_na, comment = data.get("points"), data.get("allow_na"), data.get("comment")
    return QuestionDefaults(
        points=None if points is None else float(points),
        allow_na=None if allow_na is None else bool(allow_na),
        comment=None if comment is None else CommentRule(comment),
    )
