from qa_monitor.core.form_codec import form_from_data, form_to_data
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
    ScoringMode,
    Section,
    default_options,
)


def sample() -> Form:
    yn = default_options(QuestionType.YES_NO)
    return Form(
        "retention",
        "Retention call",
        (
            Section(
                "needs",
                "Needs",
                Category.PROCESS,
                2.5,
                (
                    Question(
                        "asked_reason",
                        "Asked why",
                        QuestionType.YES_NO,
                        5,
                        yn,
                        allow_na=True,
                        critical=CriticalLevel.SECTION,
                        comment=CommentRule.NOT_FULL,
                        guidance="Listen first",
                    ),
                    Question(
                        "offer",
                        "Offer quality",
                        QuestionType.CHOICE,
                        7.5,
                        (Option("good", "Good", 1), Option("ok", "OK", 0.4, fails=True)),
                        condition=Condition("asked_reason", ("yes",)),
                    ),
                    Question(
                        "reason",
                        "Churn reason",
                        QuestionType.TAG,
                        options=(Option("price", "Price"),),
                        required=True,
                        outcome_field=OutcomeField.CHURN_REASON,
                    ),
                    Question("minutes", "Hold minutes", QuestionType.NUMBER, minimum=0, maximum=60),
                ),
                "desc",
            ),
        ),
        FormSettings(ScoringMode.WEIGHTED, 85, (Band("Good", 85), Band("Low", 0)), False),
        "A form",
        (Channel.PHONE, Channel.CHAT),
    )


def test_round_trip_is_exact():
    form = sample()
    assert form_from_data(form_to_data(form)) == form


def test_defaults_are_left_out():
    data = form_to_data(sample())
    first = data["sections"][0]["questions"][0]
    assert "options" not in first  # default yes/no options
    assert first["points"] == 5 and isinstance(first["points"], int)
    assert "allow_na" not in data["sections"][0]["questions"][1]


def test_scored_question_with_no_options_round_trips():
    from dataclasses import replace

    form = sample()
    section = form.sections[0]
    bare = replace(section.questions[0], options=())
    changed = replace(form, sections=(replace(section, questions=(bare, *section.questions[1:])),))
    assert form_from_data(form_to_data(changed)) == changed
