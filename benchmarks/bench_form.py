"""The benchmark's 30-question form.

An inbound-call form with 4 sections (one per category) and 30 questions: scale,
pass/fail, choice and yes/no questions, N/A, form- and section-critical questions, a
bonus, a conditional follow-up (inside its section) and an unscored tag. Submitting
stores one answer row per question, so every evaluation has exactly 30 answers.
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
    Form,
    FormSettings,
    Option,
    OutcomeField,
    Question,
    QuestionType,
    Section,
    default_options,
)

Y, S5, PF, CH, TAG = (
    QuestionType.YES_NO,
    QuestionType.SCALE_1_5,
    QuestionType.PASS_FAIL,
    QuestionType.CHOICE,
    QuestionType.TAG,
)
FORM, SECTION = CriticalLevel.FORM, CriticalLevel.SECTION
_EFFORT = (
    Option("low", "Low effort", 1.0),
    Option("some", "Some effort", 0.5),
    Option("high", "High effort", 0.0),
)
_REASONS = tuple(
    Option(i, i.replace("_", " ").capitalize())
    for i in ("billing", "technical_fault", "plan_change", "order", "complaint", "other")
)


def _q(qid: str, text: str, qtype: QuestionType, points: float = 0, **kw: Any) -> Question:
    options = kw.pop("options", default_options(qtype))
    return Question(qid, text, qtype, float(points), options, **kw)


def bench_form() -> Form:
    """The 30-question form every benchmark evaluation answers in full."""
    na = {"allow_na": True}
    note = {"comment": CommentRule.NOT_FULL}
    soft = (
        _q("greeting", "Greeted the customer and introduced themself", Y, 3),
        _q("listened", "Listened without interrupting; the customer felt heard", S5, 5, **note),
        _q("clarified", "Repeated the request back to clarify it", Y, 4),
        _q("empathy", "Showed empathy for the customer's frustration", PF, 5, **na, **note),
        _q("plain_words", "Explained in plain words, without jargon", Y, 3),
        _q("no_rush", "Did not rush the customer", Y, 3),
        _q("used_name", "Personalised: used the customer's name", Y, 2),
        _q("tone", "Tone was courteous and professional", S5, 5),
        _q("advocate", "Went beyond the script as the customer's advocate", Y, 2, bonus=True),
    )
    process = (
        _q("history", "Used the recorded history; no need to repeat the story", Y, 4, **na),
        _q("needs_first", "Identified the need before offering a solution", PF, 5),
        _q("solution_fits", "The solution fully addressed the problem", PF, 5, **note),
        _q("hold", "Asked permission before a hold or transfer", Y, 3, **na),
        _q("self_service", "Pointed to a self-service page where it helps", Y, 2, **na),
        _q("logged", "Recorded the contact reason and notes", Y, 4),
        _q("contact_reason", "Main reason for the call", TAG, options=_REASONS, required=True),
        _q("next_steps", "Confirmed the next steps", Y, 3),
        _q("thanked", "Thanked the customer and asked if anything else was needed", Y, 2),
    )
    compliance = (
        _q("verified", "Verified identity before discussing the account", Y, 5, critical=FORM),
        _q("disclosure", "Read the recording disclosure", Y, 5, critical=SECTION),
        _q("payment_data", "Kept card data out of the notes", Y, 4, critical=SECTION, **na),
        _q("accurate", "Gave accurate information; said 'I don't know' when unsure", Y, 5),
        _q("consent", "Asked consent before changing the plan", Y, 3, **na),
        _q("minimum_data", "Asked only for the data the request needed", Y, 3),
    )
    outcome = (
        _q(
            "resolved",
            "Resolved on first contact",
            Y,
            5,
            outcome_field=OutcomeField.RESOLVED_FIRST_CONTACT,
        ),
        _q(
            "callback",
            "Committed to a callback date and time",
            Y,
            4,
            condition=Condition("resolved", ("no",)),
        ),
        _q("effort", "Customer effort", CH, 5, options=_EFFORT),
        _q("expectations", "Met the customer's expectations", S5, 5),
        _q("offer", "Offered an extra product only for a real need", Y, 2, **na),
        _q("retention_risk_noted", "Noted any risk of the customer leaving", Y, 2, **na),
    )
    sections = (
        Section("soft", "Soft skills", Category.SOFT_SKILLS, 1.0, soft),
        Section("process", "Process adherence", Category.PROCESS, 1.0, process),
        Section("compliance", "Compliance", Category.COMPLIANCE, 1.0, compliance),
        Section("outcome", "Overall result", Category.OUTCOME, 1.0, outcome),
    )
    bands = (Band("Exceeds", 95), Band("Meets", 80), Band("Needs improvement", 0))
    return Form(
        "bench_inbound",
        "Benchmark inbound call (30 questions)",
        sections,
        FormSettings(pass_mark=80, bands=bands),
        channels=(Channel.PHONE,),
    )
