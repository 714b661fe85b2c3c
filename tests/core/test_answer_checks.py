from qa_monitor.core.answer_checks import AnswerProblemKind, check_answers
from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import (
    Category,
    CommentRule,
    Condition,
    Form,
    Question,
    QuestionType,
    Section,
    default_options,
)

YN = default_options(QuestionType.YES_NO)
FORM = Form(
    "f",
    "F",
    (
        Section(
            "s",
            "S",
            Category.PROCESS,
            1,
            (
                Question("a", "A", QuestionType.YES_NO, 5, YN, comment=CommentRule.NOT_FULL),
                Question("b", "B", QuestionType.YES_NO, 5, YN, condition=Condition("a", ("no",))),
                Question("n", "N", QuestionType.NUMBER, minimum=0, maximum=10),
                Question("when", "When", QuestionType.DATETIME),
                Question("note", "Note", QuestionType.TEXT, required=True),
                Question(
                    "c", "C", QuestionType.YES_NO, 5, YN, allow_na=True, comment=CommentRule.ALWAYS
                ),
            ),
        ),
    ),
)


def kinds(answers):
    return {(p.question_id, p.kind) for p in check_answers(FORM, answers)}


def test_complete_answers_pass():
    answers = {
        "a": Answer("a", "yes"),
        "note": Answer("note", "fine"),
        "c": Answer("c", na=True, comment="no product talk"),
    }
    assert check_answers(FORM, answers) == []


def test_missing_answers_and_comments():
    got = kinds({"a": Answer("a", "no"), "c": Answer("c", "yes")})
    assert ("a", AnswerProblemKind.COMMENT_REQUIRED) in got  # not full marks
    assert ("b", AnswerProblemKind.UNANSWERED) in got  # shown because a = no
    assert ("note", AnswerProblemKind.UNANSWERED) in got
    assert ("c", AnswerProblemKind.COMMENT_REQUIRED) in got  # always


def test_hidden_questions_are_not_required():
    got = kinds(
        {
            "a": Answer("a", "yes"),
            "note": Answer("note", "x"),
            "c": Answer("c", "yes", comment="ok"),
        }
    )
    assert got == set()


def test_invalid_values():
    got = kinds(
        {
            "a": Answer("a", "maybe"),
            "n": Answer("n", 11),
            "when": Answer("when", "tomorrow"),
            "note": Answer("note", "x"),
            "c": Answer("c", "yes", comment="x"),
        }
    )
    assert ("a", AnswerProblemKind.INVALID_VALUE) in got
    assert ("n", AnswerProblemKind.INVALID_VALUE) in got
    assert ("when", AnswerProblemKind.INVALID_VALUE) in got


def test_na_where_not_allowed():
    got = kinds(
        {
            "a": Answer("a", na=True),
            "note": Answer("note", "x"),
            "c": Answer("c", "yes", comment="x"),
        }
    )
    assert ("a", AnswerProblemKind.NA_NOT_ALLOWED) in got
