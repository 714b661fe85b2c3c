"""Forms for the scoring-widget tests and screenshots, built from the core dataclasses."""

from __future__ import annotations

from qa_monitor.core.forms import (
    Band,
    Category,
    CommentRule,
    Condition,
    CriticalLevel,
    Form,
    FormSettings,
    Option,
    Question,
    QuestionType,
    Section,
    default_options,
)

QT = QuestionType


def q(qid: str, text: str, qtype: QuestionType = QT.YES_NO, points: float = 10, **kw) -> Question:
    options = kw.pop("options", None)
    if options is None:
        options = default_options(qtype)
    return Question(qid, text, qtype, points if qtype.scored else 0.0, tuple(options), **kw)


CHURN_REASONS = (
    Option("use_case", "Incorrect use case"),
    Option("launch", "Failure to launch"),
    Option("features", "Features & functionality"),
    Option("price", "Competitor / price"),
    Option("other", "Other"),
)
CONTACT_TAGS = (
    Option("billing", "Billing"),
    Option("outage", "Outage"),
    Option("cancel", "Cancellation"),
)
BANDS = (Band("Exceeds", 95), Band("Meets", 80), Band("Needs improvement", 0))


def small_form() -> Form:
    """Every question type once, a critical question, a comment rule and a condition."""
    return Form(
        "small",
        "Small form",
        (
            Section(
                "opening",
                "Opening",
                Category.SOFT_SKILLS,
                questions=(
                    q("q1", "Greeted the customer by name", guidance="Use the CRM name."),
                    q(
                        "q2",
                        "Verified the caller's identity",
                        critical=CriticalLevel.FORM,
                        comment=CommentRule.NOT_FULL,
                    ),
                ),
            ),
            Section(
                "resolution",
                "Resolution",
                Category.PROCESS,
                questions=(
                    q("q3", "Resolved the problem", QT.PASS_FAIL, allow_na=True),
                    q(
                        "q3a",
                        "Offered a callback with a date and time",
                        condition=Condition("q3", ("fail",)),
                    ),
                    q("q4", "Showed empathy", QT.SCALE_1_5, comment=CommentRule.NOT_FULL),
                ),
            ),
            Section(
                "data",
                "Call data",
                Category.OUTCOME,
                questions=(
                    q("q5", "Churn reason", QT.TAG, options=CHURN_REASONS),
                    q("q6", "Notes for the coach", QT.TEXT),
                    q("q7", "Hold time (minutes)", QT.NUMBER, minimum=0, maximum=60),
                    q("q8", "Callback promised at", QT.DATETIME),
                    q("q9", "Contact reasons", QT.TAGS, options=CONTACT_TAGS),
                ),
            ),
        ),
        FormSettings(pass_mark=80, bands=BANDS),
    )


def realistic_form() -> Form:
    """A support-call form like the shipped ones: eight sections, about thirty questions."""

    def sec(sid: str, title: str, category: Category, *questions: Question, **kw) -> Section:
        return Section(sid, title, category, questions=questions, **kw)

    return Form(
        "support",
        "Customer support call",
        (
            sec(
                "open",
                "Opening",
                Category.SOFT_SKILLS,
                q("greet", "Greeted the customer and gave own name"),
                q("name", "Used the customer's name during the call", guidance="At least twice."),
                description="First 30 seconds of the call.",
            ),
            sec(
                "verify",
                "Identification & verification",
                Category.COMPLIANCE,
                q("id", "Verified the caller's identity", critical=CriticalLevel.FORM),
                q("consent", "Read the recording notice", critical=CriticalLevel.SECTION),
            ),
            sec(
                "listen",
                "Listening",
                Category.SOFT_SKILLS,
                q("heard", "Made the customer feel heard", QT.SCALE_1_5, 20),
                q("repeat", "Repeated back what was heard to clarify", allow_na=True),
                q("empathy", "Showed empathy for the frustration", QT.SCALE_1_5, 20),
                q("rush", "Did not rush the conversation", comment=CommentRule.NOT_FULL),
            ),
            sec(
                "needs",
                "Needs & solution",
                Category.PROCESS,
                q("history", "Used the recorded history so the story was not repeated"),
                q("identify", "Identified the need before offering a solution", QT.PASS_FAIL),
                q(
                    "fit",
                    "Offered a solution that fully addressed the problem",
                    QT.PASS_FAIL,
                    comment=CommentRule.NOT_FULL,
                ),
                q("plain", "Explained in plain words, without jargon", QT.SCALE_1_5),
            ),
            sec(
                "close",
                "Closing",
                Category.PROCESS,
                q("callback", "Committed to a callback date and time", allow_na=True),
                q("selfservice", "Pointed to self-service resources", allow_na=True),
                q("thanks", "Thanked the customer", bonus=True, points=5),
            ),
            sec(
                "policy",
                "Policy",
                Category.COMPLIANCE,
                q("privacy", "Protected personal data", critical=CriticalLevel.FORM),
                q("accurate", "Gave accurate information", QT.PASS_FAIL),
            ),
            sec(
                "outcome",
                "Outcome",
                Category.OUTCOME,
                q("fcr", "Resolved on first contact", QT.YES_NO, 20),
                q("retained", "Customer retained", QT.CHOICE, 20, options=RETENTION),
                q("nps", "Likelihood the customer recommends us", QT.SCALE_0_10, 10),
            ),
            sec(
                "data",
                "Call data (not scored)",
                Category.OUTCOME,
                q("churn", "Churn reason", QT.TAG, options=CHURN_REASONS),
                q("reasons", "Contact reasons", QT.TAGS, options=CONTACT_TAGS),
                q("hold", "Hold time (minutes)", QT.NUMBER, minimum=0, maximum=120),
                q("cb_at", "Callback promised at", QT.DATETIME),
                q("notes", "Notes for the coach", QT.TEXT),
            ),
        ),
        FormSettings(pass_mark=80, bands=BANDS),
    )


RETENTION = (
    Option("retained", "Retained", 1.0),
    Option("undecided", "Undecided", 0.5),
    Option("lost", "Lost", 0.0, fails=False),
)


def generated_form(question_count: int = 150, per_section: int = 15) -> Form:
    """A big form mixing every scored type, for the render-time test."""
    types = (QT.YES_NO, QT.PASS_FAIL, QT.SCALE_1_5, QT.YES_NO, QT.SCALE_0_10, QT.TEXT)
    categories = list(Category)
    sections = []
    for s in range(0, question_count, per_section):
        questions = tuple(
            q(
                f"g{i}",
                f"Generated question {i}: did the agent follow step {i} of the procedure?",
                types[i % len(types)],
                allow_na=i % 4 == 0,
                critical=CriticalLevel.SECTION if i % 10 == 0 else CriticalLevel.NONE,
                guidance="What good looks like." if i % 3 == 0 else "",
            )
            for i in range(s, min(s + per_section, question_count))
        )
        sections.append(
            Section(
                f"s{s}", f"Section {s // per_section + 1}", categories[s % 4], questions=questions
            )
        )
    return Form("big", "Generated form", tuple(sections))
