"""The sentences of a form diff: labels for forms' parts and what changed in a question.

Kept apart from form_diff.py so the matching of versions and the wording stay small
enough to read; the wording is plain English for a QA lead, ids in brackets so a
form author can find the question in the file.
"""

from __future__ import annotations

from qa_monitor.core.forms import (
    CommentRule,
    Condition,
    CriticalLevel,
    Form,
    InteractionCondition,
    Option,
    Question,
    QuestionType,
    ScoringMode,
    Section,
)

# (sentence, affects the score, field)
QuestionChange = tuple[str, bool, str]
_LONG_TEXT = 70

_TYPE_LABELS = {
    QuestionType.YES_NO: "yes/no",
    QuestionType.YES_PARTIAL_NO: "yes/partial/no",
    QuestionType.PASS_FAIL: "pass/partial/fail",
    QuestionType.SCALE_1_5: "scale 1–5",
    QuestionType.SCALE_0_10: "scale 0–10",
    QuestionType.CHOICE: "choice",
    QuestionType.TEXT: "text",
    QuestionType.NUMBER: "number",
    QuestionType.DATETIME: "date/time",
    QuestionType.TAG: "tag (one label)",
    QuestionType.TAGS: "tags (several labels)",
}
_CRITICAL_LABELS = {
    CriticalLevel.NONE: "none",
    CriticalLevel.SECTION: "section (a failing answer zeroes the section)",
    CriticalLevel.FORM: "form (auto-fail)",
}
_COMMENT_LABELS = {
    CommentRule.NEVER: "never",
    CommentRule.NOT_FULL: "when not full marks",
    CommentRule.ALWAYS: "always",
}
_MODE_LABELS = {
    ScoringMode.POINTS: "points (earned ÷ possible)",
    ScoringMode.WEIGHTED: "weighted (by section weight)",
}


def quoted(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > _LONG_TEXT:
        text = text[: _LONG_TEXT - 1].rstrip() + "…"
    return f"“{text}”"


def number(value: float) -> str:
    """10 → "10", 2.5 → "2.5", 1/3 → "0.33": enough to tell two versions apart."""
    return f"{round(value, 2):g}"


def percent(fraction: float | None) -> str:
    return "unscored" if fraction is None else f"{round(fraction * 100, 1):g}%"


def type_label(qtype: QuestionType) -> str:
    return _TYPE_LABELS[qtype]


def critical_label(level: CriticalLevel) -> str:
    return _CRITICAL_LABELS[level]


def mode_label(mode: ScoringMode) -> str:
    return _MODE_LABELS[mode]


def question_label(question: Question) -> str:
    return f"Question {quoted(question.text)} ({question.id})"


def section_label(section: Section, *, start: bool = True) -> str:
    """ "Section “Opening”" to begin a sentence, "section “Opening”" within one."""
    return f"{'Section' if start else 'section'} {quoted(section.title)}"


def condition_text(condition: Condition | None, form: Form) -> str:
    """E.g. "shown only if “Customer retained?” is Lost or Undecided"."""
    if condition is None:
        return "always shown"
    target = form.question(condition.question_id)
    if target is None:
        return f"shown only if '{condition.question_id}' is " + " or ".join(condition.option_ids)
    labels = []
    for option_id in condition.option_ids:
        option = target.option(option_id)
        labels.append(option.label if option is not None else option_id)
    return f"shown only if {quoted(target.text)} is " + " or ".join(labels)


def interaction_condition_text(condition: InteractionCondition | None) -> str:
    """E.g. "shown on every interaction" / "shown only on phone, outbound interactions"."""
    if condition is None:
        return "shown on every interaction"
    facts = [c.value for c in condition.channels] + [d.value for d in condition.directions]
    return "shown only on " + ", ".join(facts) + " interactions"


def _range(question: Question) -> str:
    low, high = question.minimum, question.maximum
    if low is None and high is None:
        return "any"
    return f"{'…' if low is None else number(low)}–{'…' if high is None else number(high)}"


def _option_changes(old: Question, new: Question, scored: bool) -> list[QuestionChange]:
    out: list[QuestionChange] = []
    before = {o.id: o for o in old.options}
    after = {o.id: o for o in new.options}

    def name(option: Option) -> str:
        return quoted(option.label or option.id)

    for option in new.options:
        was = before.get(option.id)
        if was is None:
            worth = f" ({percent(option.fraction)})" if scored else ""
            out.append((f"option {name(option)}{worth} added", scored, "options"))
            continue
        if was.label != option.label:
            out.append((f"option {name(was)} relabelled {name(option)}", False, "options"))
        if was.fraction != option.fraction:
            text = (
                f"option {name(option)} worth {percent(was.fraction)} → "
                f"{percent(option.fraction)} of the points"
            )
            out.append((text, scored, "options"))
        if was.is_failing != option.is_failing:
            verb = "now fails" if option.is_failing else "no longer fails"
            if new.critical is not CriticalLevel.NONE:
                out.append((f"option {name(option)} {verb} the critical rule", True, "options"))
            elif was.fails != option.fails:
                # Set by hand; it matters only once the question is made critical.
                text = f"option {name(option)} {verb} the question (matters only if it is critical)"
                out.append((text, False, "options"))
    for option in old.options:
        if option.id not in after:
            out.append((f"option {name(option)} removed", scored, "options"))
    kept_old = [o.id for o in old.options if o.id in after]
    kept_new = [o.id for o in new.options if o.id in before]
    if kept_old != kept_new:
        out.append(("options reordered", False, "options"))
    return out


def question_changes(
    old: Question, new: Question, old_form: Form, new_form: Form
) -> list[QuestionChange]:
    """What changed in one question between two versions, as (sentence, affects, field)."""
    scored = old.scored or new.scored
    out: list[QuestionChange] = []
    if old.text != new.text:
        # A long wording cut to fit would show both versions cut at the same place:
        # the change then carries both texts whole for a word-level diff instead.
        long = max(len(" ".join(t.split())) for t in (old.text, new.text)) > _LONG_TEXT
        text = "wording changed" if long else f"wording changed from {quoted(old.text)}"
        out.append((text, False, "text"))
    if old.type is not new.type:
        text = f"type {type_label(old.type)} → {type_label(new.type)}"
        if new.options and new.type.has_options:
            text += " (options: " + ", ".join(o.label or o.id for o in new.options) + ")"
        out.append((text, scored, "type"))
    if old.points != new.points:
        out.append((f"points {number(old.points)} → {number(new.points)}", scored, "points"))
    # A new type brings its own options: the type sentence already lists them.
    if old.type is new.type:
        out.extend(_option_changes(old, new, new.scored))
    if old.allow_na != new.allow_na:
        text = "N/A now allowed" if new.allow_na else "N/A no longer allowed"
        out.append((text, scored, "allow_na"))
    if old.critical is not new.critical:
        text = f"critical {critical_label(old.critical)} → {critical_label(new.critical)}"
        out.append((text, scored, "critical"))
    if old.bonus != new.bonus:
        text = (
            "now a bonus question (adds points without raising the maximum)"
            if new.bonus
            else "no longer a bonus question"
        )
        out.append((text, scored, "bonus"))
    if old.condition != new.condition:
        text = (
            f"condition changed: {condition_text(old.condition, old_form)} → "
            f"{condition_text(new.condition, new_form)}"
        )
        out.append((text, scored, "condition"))
    if old.interaction_condition != new.interaction_condition:
        text = (
            f"interaction condition changed: "
            f"{interaction_condition_text(old.interaction_condition)} → "
            f"{interaction_condition_text(new.interaction_condition)}"
        )
        out.append((text, scored, "interaction_condition"))
    if old.comment is not new.comment:
        text = f"comment required {_COMMENT_LABELS[old.comment]} → {_COMMENT_LABELS[new.comment]}"
        out.append((text, False, "comment"))
    if old.guidance != new.guidance:
        verb = "added" if not old.guidance else "removed" if not new.guidance else "changed"
        out.append((f"guidance {verb}", False, "guidance"))
    if old.required != new.required:
        out.append(("now required" if new.required else "now optional", False, "required"))
    if old.outcome_field != new.outcome_field:
        was = old.outcome_field.value if old.outcome_field else "none"
        now = new.outcome_field.value if new.outcome_field else "none"
        out.append((f"outcome field {was} → {now}", False, "outcome_field"))
    if (old.minimum, old.maximum) != (new.minimum, new.maximum):
        out.append((f"allowed range {_range(old)} → {_range(new)}", False, "minimum"))
    label = question_label(new)
    return [(f"{label}: {text}", affects, field) for text, affects, field in out]
