"""The readable diff between two versions of a form, with hand-written expectations."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qa_monitor.core.form_diff import ChangeKind, FormChange, diff_forms
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
    ScoringMode,
    Section,
    default_options,
)
from tests.factories import sample_form


def q(qid: str, text: str, points: float = 10, qtype=QuestionType.YES_NO, **kw) -> Question:
    options = default_options(qtype) if qtype.scored else kw.pop("options", ())
    return Question(qid, text, qtype, points if qtype.scored else 0, options, **kw)


def base(mode: ScoringMode = ScoringMode.WEIGHTED) -> Form:
    return Form(
        "call",
        "Inbound call",
        (
            Section(
                "opening",
                "Opening",
                Category.SOFT_SKILLS,
                20,
                (q("greet", "Greeted the customer", 5), q("name", "Used the customer's name", 5)),
            ),
            Section(
                "compliance",
                "Compliance",
                Category.COMPLIANCE,
                30,
                (
                    q("verify_id", "Verified the caller's identity", 10),
                    q("disclosure", "Read the recording disclosure", 10),
                ),
            ),
            Section(
                "closing",
                "Closing",
                Category.OUTCOME,
                50,
                (
                    q("resolved", "Resolved the issue", 20),
                    q("notes", "Notes", qtype=QuestionType.TEXT),
                ),
            ),
        ),
        FormSettings(scoring_mode=mode, pass_mark=80, bands=(Band("Meets", 80), Band("Below", 0))),
    )


def with_section(form: Form, section_id: str, **changes) -> Form:
    sections = tuple(replace(s, **changes) if s.id == section_id else s for s in form.sections)
    return replace(form, sections=sections)


def with_question(form: Form, question_id: str, **changes) -> Form:
    sections = tuple(
        replace(
            s,
            questions=tuple(
                replace(x, **changes) if x.id == question_id else x for x in s.questions
            ),
        )
        for s in form.sections
    )
    return replace(form, sections=sections)


def texts(old: Form, new: Form) -> list[str]:
    return [c.text for c in diff_forms(old, new).changes]


def only(old: Form, new: Form) -> FormChange:
    changes = diff_forms(old, new).changes
    assert len(changes) == 1, [c.text for c in changes]
    return changes[0]


def test_identical_versions_have_no_changes():
    diff = diff_forms(base(), base())
    assert diff.is_empty and diff.summary() == "No changes"
    assert (diff.added, diff.removed, diff.changed) == (0, 0, 0)
    assert not diff.affects_score


def test_points_change_names_the_question_and_both_values():
    change = only(base(), with_question(base(), "verify_id", points=15))
    assert change.text == "Question “Verified the caller's identity” (verify_id): points 10 → 15"
    assert change.kind is ChangeKind.CHANGED and change.affects_score
    assert (change.section_id, change.question_id, change.field) == (
        "compliance",
        "verify_id",
        "points",
    )


def test_added_question_names_its_section_type_and_points():
    old = base()
    compliance = old.sections[1]
    added = q("consent", "Asked consent to record", 5)
    new = with_section(old, "compliance", questions=(*compliance.questions, added))
    change = only(old, new)
    assert change.kind is ChangeKind.ADDED and change.affects_score
    assert change.text == (
        "Question “Asked consent to record” (consent) added to section “Compliance” "
        "(yes/no, 5 points)"
    )


def test_section_weight_matters_only_in_weighted_mode():
    weighted = only(base(), with_section(base(), "opening", weight=25))
    assert weighted.text == "Section “Opening” weight 20 → 25"
    assert weighted.affects_score and weighted.field == "weight"
    old = base(ScoringMode.POINTS)
    points = only(old, with_section(old, "opening", weight=25))
    assert points.text == (
        "Section “Opening” weight 20 → 25 (no effect while the form scores by points)"
    )
    assert not points.affects_score


def test_settings_changes():
    old = base()
    new = replace(
        old,
        title="Inbound call (2026)",
        settings=FormSettings(
            scoring_mode=ScoringMode.POINTS,
            pass_mark=85,
            bands=(Band("Meets", 85), Band("Exceeds", 95), Band("Below", 0)),
            cap_bonus=False,
        ),
    )
    assert texts(old, new) == [
        "Form title “Inbound call” → “Inbound call (2026)”",
        "Settings: scoring mode weighted (by section weight) → points (earned ÷ possible)",
        "Settings: pass mark 80 → 85",
        # No bonus question on the form: the cap changes nothing yet.
        "Settings: scores with bonus points may exceed 100 (no longer capped)",
        "Settings: band “Meets” starts at 80 → 85",
        "Settings: band “Exceeds” (from 95) added",
    ]
    affects = [c.affects_score for c in diff_forms(old, new).changes]
    assert affects == [False, True, True, False, True, True]
    assert diff_forms(old, new).summary() == "6 form settings changed"


def test_question_details():
    old = base()
    new = with_question(
        old,
        "disclosure",
        text="Read the full recording disclosure",
        allow_na=True,
        critical=CriticalLevel.FORM,
        guidance="Word for word, before any account detail.",
    )
    assert texts(old, new) == [
        "Question “Read the full recording disclosure” (disclosure): wording changed from "
        "“Read the recording disclosure”",
        "Question “Read the full recording disclosure” (disclosure): N/A now allowed",
        "Question “Read the full recording disclosure” (disclosure): critical none → form "
        "(auto-fail)",
        "Question “Read the full recording disclosure” (disclosure): guidance added",
    ]
    assert [c.affects_score for c in diff_forms(old, new).changes] == [False, True, True, False]
    # Guidance edits say that it changed, not both texts.
    newer = with_question(new, "disclosure", guidance="Before any account detail.")
    assert only(new, newer).text.endswith("(disclosure): guidance changed")


def test_option_changes():
    old = base()
    options = (Option("yes", "Done", 1.0), Option("partly", "Partly", 0.5), Option("no", "No", 0))
    change_texts = texts(old, with_question(old, "greet", options=options))
    assert change_texts == [
        "Question “Greeted the customer” (greet): option “Yes” relabelled “Done”",
        "Question “Greeted the customer” (greet): option “Partly” (50%) added",
    ]
    fractions = (Option("yes", "Yes", 1.0), Option("no", "No", 0.25))
    change = only(old, with_question(old, "greet", options=fractions))
    assert change.text.endswith("option “No” worth 0% → 25% of the points")
    assert change.affects_score


def test_type_change_lists_the_new_options_once():
    old = base()
    new = with_question(
        old, "name", type=QuestionType.SCALE_1_5, options=default_options(QuestionType.SCALE_1_5)
    )
    change = only(old, new)
    assert change.text == (
        "Question “Used the customer's name” (name): type yes/no → scale 1–5 "
        "(options: 1, 2, 3, 4, 5)"
    )
    assert change.affects_score


def test_condition_changes_read_as_sentences():
    old = base()
    new = with_question(old, "name", condition=Condition("greet", ("no",)))
    assert only(old, new).text == (
        "Question “Used the customer's name” (name): condition changed: always shown → "
        "shown only if “Greeted the customer” is No"
    )
    # On an unscored question a condition decides what is recorded, not the score.
    unscored = with_question(old, "notes", condition=Condition("resolved", ("no",)))
    assert not only(old, unscored).affects_score


def test_wording_of_unscored_question_and_tag_option_do_not_affect_score():
    tags = (Option("price", "Price"), Option("other", "Other"))
    old = with_section(
        base(),
        "closing",
        questions=(
            *base().sections[2].questions,
            Question("reason", "Churn reason", QuestionType.TAG, options=tags),
        ),
    )
    more = (*tags, Option("features", "Features"))
    change = only(old, with_question(old, "reason", options=more))
    assert change.text == "Question “Churn reason” (reason): option “Features” added"
    assert not change.affects_score


def test_sections_in_new_order_with_removed_ones_where_they_were():
    old = base()
    opening, _compliance, closing = old.sections
    extra = Section("outcome", "Outcome", Category.OUTCOME, 10, (q("fcr", "Resolved first time"),))
    new = replace(old, sections=(closing, extra, opening))
    changes = diff_forms(old, new).changes
    # Closing now comes first: of the two kept sections, Opening is the one that moved
    # (to the end); Compliance is listed where it was, after Opening.
    assert [(c.kind, c.section_id, c.question_id) for c in changes] == [
        (ChangeKind.ADDED, "outcome", None),
        (ChangeKind.ADDED, "outcome", "fcr"),
        (ChangeKind.MOVED, "opening", None),
        (ChangeKind.REMOVED, "compliance", None),
        (ChangeKind.REMOVED, "compliance", "verify_id"),
        (ChangeKind.REMOVED, "compliance", "disclosure"),
    ]
    assert changes[0].text == "Section “Outcome” added (Outcome, weight 10, 1 question)"
    assert changes[2].text == "Section “Opening” moved from position 1 to 3"
    assert changes[3].text == "Section “Compliance” removed with its 2 questions"
    assert changes[4].text == (
        "Question “Verified the caller's identity” (verify_id) removed from section “Compliance”"
    )
    diff = diff_forms(old, new)
    assert diff.summary() == "1 question added, 2 removed; 1 section added, 1 removed, 1 changed"


def test_inserting_at_the_top_does_not_move_everything():
    old = base()
    first = Section("intro", "Intro", Category.PROCESS, 1, (q("x", "X"),))
    new = replace(old, sections=(first, *old.sections))
    kinds = {c.kind for c in diff_forms(old, new).changes}
    assert kinds == {ChangeKind.ADDED}


def test_question_moved_to_another_section_and_reordered():
    old = base()
    opening, compliance, closing = old.sections
    greet, name = opening.questions
    new = replace(
        old,
        sections=(
            replace(opening, questions=(name,)),
            replace(
                compliance, questions=(compliance.questions[1], compliance.questions[0], greet)
            ),
            closing,
        ),
    )
    changes = diff_forms(old, new).changes
    assert [c.text for c in changes] == [
        "Question “Verified the caller's identity” (verify_id) moved within section "
        "“Compliance” (position 1 → 2)",
        "Question “Greeted the customer” (greet) moved from section “Opening” to section "
        "“Compliance”",
    ]
    # Order alone does not score differently; a new section does.
    assert [c.affects_score for c in changes] == [False, True]
    assert diff_forms(old, new).summary() == "2 questions changed"


def test_removed_question_is_listed_where_it_was():
    old = base()
    opening = old.sections[0]
    new = with_section(old, "opening", questions=(opening.questions[1],), title="Greeting")
    changes = diff_forms(old, new).changes
    assert [c.text for c in changes] == [
        "Section “Opening” renamed to “Greeting”",
        "Question “Greeted the customer” (greet) removed from section “Opening”",
    ]


def test_category_change_of_scored_section_affects_score():
    change = only(base(), with_section(base(), "closing", category=Category.PROCESS))
    assert change.text == "Section “Closing” category Outcome → Process adherence"
    assert change.affects_score


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"bonus": True}, "now a bonus question (adds points without raising the maximum)"),
        ({"comment": CommentRule.NOT_FULL}, "comment required never → when not full marks"),
        ({"required": True}, "now required"),
    ],
)
def test_more_question_properties(changes, expected):
    change = only(base(), with_question(base(), "name", **changes))
    assert change.text == f"Question “Used the customer's name” (name): {expected}"


def test_sample_form_against_a_reworked_copy_keeps_form_order():
    old = sample_form()
    new = with_question(old, "resolved", points=8)
    new = replace(new, settings=replace(new.settings, pass_mark=75))
    diff = diff_forms(old, new)
    assert [c.section_id for c in diff.changes] == [None, "outcome"]
    assert diff.summary() == "1 question changed; 1 form setting changed"
    assert diff.affects_score


def test_failing_option_matters_only_on_a_critical_question():
    old = with_question(base(), "verify_id", critical=CriticalLevel.FORM)
    options = (Option("yes", "Yes", 1.0), Option("no", "No", 0.0, fails=False))
    change = only(old, with_question(old, "verify_id", options=options))
    assert change.text == (
        "Question “Verified the caller's identity” (verify_id): option “No” no longer fails "
        "the critical rule"
    )
    assert change.affects_score
    # The same edit on a question that is not critical changes nothing that scores.
    plain = only(base(), with_question(base(), "verify_id", options=options))
    assert plain.text.endswith(
        "option “No” no longer fails the question (matters only if it is critical)"
    )
    assert not plain.affects_score


def test_counts_count_each_question_once():
    old = base()
    new = with_question(old, "greet", points=6, guidance="Smile")
    new = with_question(new, "name", allow_na=True)
    diff = diff_forms(old, new)
    assert len(diff.changes) == 3
    assert (diff.added, diff.removed, diff.changed) == (0, 0, 2)
    assert diff.summary() == "2 questions changed"
