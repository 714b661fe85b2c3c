"""The words people write in a scorecard sheet, and what they mean to QA Monitor.

Headers and values are matched after normalising case, spacing, punctuation and the
Arabic/Persian spellings of yeh and kaf, so "Max  Points", "max_points" and
"MAX-POINTS" are one header and "Soft skills", "soft_skills" one category. Each
parser raises ``BadValue`` with a message and a hint the user can act on.
"""

from __future__ import annotations

import re
from dataclasses import replace
from enum import StrEnum

from qa_monitor.core.forms import (
    Category,
    CommentRule,
    CriticalLevel,
    Option,
    QuestionType,
    default_options,
)
from qa_monitor.formfiles.slug_ids import IdMaker


class BadValue(ValueError):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Column(StrEnum):
    SECTION = "section"
    CATEGORY = "category"
    QUESTION = "question"
    TYPE = "type"
    POINTS = "points"
    NA = "na"
    CRITICAL = "critical"
    GUIDANCE = "guidance"
    ID = "id"
    OPTIONS = "options"
    WEIGHT = "weight"
    COMMENT = "comment"


_LETTERS = str.maketrans({"ي": "ی", "ك": "ک", "\u200c": " ", "–": "-", "—": "-", "‑": "-"})
_BRACKETS = re.compile(r"\(.*?\)|\[.*?\]")
_SEPARATORS = re.compile(r"[\s_\-/\\.,:;*#%?!]+")


def words(text: str) -> str:
    """Lower case, one space between words, no punctuation: the form every lookup uses."""
    return _SEPARATORS.sub(" ", text.translate(_LETTERS).casefold()).strip()


def _table(entries: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {words(synonym): key for key, synonyms in entries.items() for synonym in synonyms}


_HEADERS = _table(
    {
        Column.SECTION: ("section", "area", "section name", "section title", "group", "part",
                         "block", "раздел", "блок", "بخش", "قسمت", "القسم", "قسم",
                         "المحور"),
        Column.CATEGORY: ("category", "categories", "pillar", "focus area", "категория",
                          "دسته", "دسته بندی", "طبقه", "الفئة", "فئة", "التصنيف"),
        Column.QUESTION: ("question", "questions", "behaviour", "behavior", "behaviours",
                          "behaviors", "item", "criterion", "criteria", "question text",
                          "attribute", "standard", "вопрос", "критерий", "سوال", "سؤال",
                          "پرسش", "معیار", "السؤال", "المعيار"),
        Column.TYPE: ("type", "question type", "answer type", "response type", "format",
                      "scale", "scale type", "тип", "نوع", "النوع"),
        Column.POINTS: ("points", "point", "score", "max points", "max score",
                        "maximum points", "maximum score", "max", "pts", "marks",
                        "max marks", "value", "баллы", "балл", "макс балл", "امتیاز",
                        "حداکثر امتیاز", "النقاط", "الدرجة", "درجة"),
        Column.NA: ("n/a", "na", "n/a allowed", "na allowed", "allow n/a", "allow na",
                    "n/a ok", "not applicable", "can be n/a", "н/п", "неприменимо",
                    "قابل اعمال نیست", "غیر قابل اعمال", "لا ينطبق"),
        Column.CRITICAL: ("critical", "auto-fail", "autofail", "auto fail", "fatal",
                          "critical level", "criticality", "критично", "критический",
                          "بحرانی", "حیاتی", "حرج"),
        Column.GUIDANCE: ("guidance", "notes", "note", "definition", "explanation",
                          "instructions", "help", "how to score", "scoring guidance",
                          "description", "пояснение", "примечание", "راهنما", "توضیحات",
                          "إرشادات", "ملاحظات"),
        Column.ID: ("id", "question id", "code", "key", "qid"),
        Column.OPTIONS: ("options", "answer options", "answers", "choices", "option list",
                         "варианты", "گزینه ها", "الخيارات"),
        Column.WEIGHT: ("weight", "section weight", "weighting", "weight %", "вес", "وزن",
                        "الوزن"),
        Column.COMMENT: ("comment rule", "comment required", "comment", "comments required",
                         "require comment", "comment when", "комментарий"),
    }
)  # fmt: skip


def column_for(header: str) -> Column | None:
    """The field a header cell names ("Points (max)" → POINTS), or None."""
    key = words(_BRACKETS.sub(" ", header)) or words(header)
    found = _HEADERS.get(key)
    return Column(found) if found else None


_CATEGORIES = _table(
    {
        Category.SOFT_SKILLS: ("soft skills", "soft skill", "softskills", "soft",
                               "communication", "behaviour", "behavior", "мягкие навыки",
                               "коммуникация", "مهارت نرم", "مهارت های نرم", "مهارت‌های نرم",
                               "مهارت ارتباطی", "المهارات الشخصية", "المهارات الناعمة"),
        Category.PROCESS: ("process", "process adherence", "processes", "procedure",
                           "procedures", "adherence", "процесс", "процессы", "فرآیند",
                           "فرایند", "رعایت فرآیند", "العملية", "الإجراءات"),
        Category.COMPLIANCE: ("compliance", "regulatory", "legal", "соответствие",
                              "комплаенс", "انطباق", "تطابق", "الامتثال"),
        Category.OUTCOME: ("outcome", "outcomes", "overall result", "result", "results",
                           "resolution", "customer outcome", "результат", "итог", "نتیجه",
                           "نتیجه کلی", "النتيجة"),
    }
)  # fmt: skip
CATEGORY_HINT = "use one of: Soft skills, Process adherence, Compliance, Outcome"


def parse_category(text: str) -> Category:
    found = _CATEGORIES.get(words(text))
    if found is None:
        raise BadValue(f"'{text}' is not a category", CATEGORY_HINT)
    return Category(found)


def guess_category(title: str) -> Category | None:
    """A category named inside a section title ("Compliance checks" → compliance)."""
    padded = f" {words(title)} "
    for synonym, category in _CATEGORIES.items():
        if len(synonym) >= 4 and f" {synonym} " in padded:
            return Category(category)
    return None


_TYPES = _table(
    {
        QuestionType.YES_NO: ("yes/no", "yes no", "y/n", "yesno", "boolean", "bool", "binary",
                              "да/нет", "بله/خیر", "آری/خیر", "نعم/لا"),
        QuestionType.YES_PARTIAL_NO: ("yes/partial/no", "ypn", "yes partial no",
                                      "yes/partly/no", "yes/partially/no", "3 point",
                                      "да/частично/нет", "بله/تا حدی/خیر", "نعم/جزئيا/لا"),
        QuestionType.PASS_FAIL: ("pass/fail", "pass/partial/fail", "pass/fail/partial",
                                 "met/not met", "met/partially met/not met"),
        QuestionType.SCALE_1_5: ("1-5", "1 to 5", "scale 1-5", "scale 1 to 5", "1-5 scale",
                                 "scale", "rating", "rating 1-5", "likert", "5 point",
                                 "5 point scale", "scale of 1 to 5", "1-5 rating", "stars 1-5",
                                 "шкала 1-5", "۱-۵", "١-٥"),
        QuestionType.SCALE_0_10: ("0-10", "0 to 10", "scale 0-10", "scale 0 to 10",
                                  "0-10 scale", "rating 0-10", "11 point", "scale of 0 to 10",
                                  "0-10 rating", "шкала 0-10", "۰-۱۰", "٠-١٠"),
        QuestionType.CHOICE: ("choice", "single choice", "custom", "select", "dropdown",
                              "list", "выбор", "گزینه ای", "انتخاب"),
        QuestionType.TEXT: ("text", "free text", "comment", "comments", "open",
                            "open text", "текст", "متن", "نص"),
        QuestionType.NUMBER: ("number", "numeric", "count", "integer", "число", "عدد"),
        QuestionType.DATETIME: ("date", "datetime", "date/time", "date time", "time",
                                "timestamp", "дата", "تاریخ", "تاريخ"),
        QuestionType.TAG: ("tag", "label", "reason"),
        QuestionType.TAGS: ("tags", "labels", "multi", "multiple choice", "multi-select",
                            "multiselect", "checkboxes"),
    }
)  # fmt: skip


class _Answer(StrEnum):
    """The meaning of one answer named in a type cell such as "Yes / Partially / No"."""

    YES = "yes"
    PARTIAL = "partial"
    NO = "no"
    PASS = "pass"
    FAIL = "fail"
    NA = "na"


_ANSWERS = _table(
    {
        _Answer.YES: ("yes", "y", "да", "д", "بله", "آری", "بلی", "نعم"),
        _Answer.PARTIAL: ("partial", "partially", "partly", "part", "p", "some", "half",
                          "partial credit", "partially met", "частично", "отчасти",
                          "تا حدی", "تاحدی", "نسبی", "جزئی", "جزئيا", "جزئياً", "جزئي"),
        _Answer.NO: ("no", "n", "нет", "н", "خیر", "نه", "لا"),
        _Answer.PASS: ("pass", "passed", "met", "achieved", "compliant", "зачёт", "зачет"),
        _Answer.FAIL: ("fail", "failed", "not met", "unmet", "missed", "not achieved",
                       "non compliant", "незачёт", "незачет"),
        _Answer.NA: ("n/a", "na", "n a", "not applicable", "н/п", "не применимо"),
    }
)  # fmt: skip

# The answers a type cell may name, in any order, and the type they make. N/A may be
# named too ("Yes/No/N/A"); it is a separate setting (the N/A column), not an answer.
_ANSWER_TYPES = {
    frozenset({_Answer.YES, _Answer.NO}): QuestionType.YES_NO,
    frozenset({_Answer.YES, _Answer.PARTIAL, _Answer.NO}): QuestionType.YES_PARTIAL_NO,
    frozenset({_Answer.PASS, _Answer.FAIL}): QuestionType.PASS_FAIL,
    frozenset({_Answer.PASS, _Answer.PARTIAL, _Answer.FAIL}): QuestionType.PASS_FAIL,
}
_PARENS = re.compile(r"[()\[\]]")
_DIGIT = re.compile(r"\d")
_NA_WORDS = re.compile(r"\bn\s*/\s*a\b", re.IGNORECASE)
_PARTS = re.compile(r"\s*(?:[/\\|,;+&]|-+|\s(?:or|и|или|یا|أو)\s)\s*", re.IGNORECASE)

TYPE_HINT = (
    "use one of: Yes/No, Yes/Partial/No, Pass/Partial/Fail, 1-5, 0-10, Choice, Text, "
    "Number, Date, Tag, Tags; Yes/Partial/No and Pass/Partial/Fail offer a partial answer "
    "worth half the points, Choice takes your own options and values in the Options "
    "column, and Text, Number, Date, Tag and Tags are not scored"
)


def _answers_named(text: str) -> list[_Answer] | None:
    """The answers a type cell lists ("Y/P/N", "Yes, No or Partially", "yes-partial-no"),
    or None when any part of it is not an answer word."""
    # A remark in brackets ("(N/A allowed)") is dropped, but not one with a number:
    # "Partial (0.6)" carries a value this cell cannot give the form.
    remarks = _BRACKETS.sub(lambda m: m[0] if _DIGIT.search(m[0]) else " ", text)
    plain = _NA_WORDS.sub(" na ", remarks.translate(_LETTERS)).strip()
    parts = [p for p in _PARTS.split(plain) if p.strip()]
    if len(parts) == 1:
        parts = plain.split()  # "Yes No Partial"
    found = [_ANSWERS.get(words(p)) for p in parts]
    if len(found) < 2 or any(a is None for a in found):
        return None
    return [_Answer(a) for a in found if a is not None]


def parse_type(text: str) -> QuestionType:
    """The question type a Type cell names: one of the words in ``_TYPES``, or a list of
    answers in any order, spelt any way ("Yes / Partially / No", "Y/P/N", "No/Yes",
    "Pass - Fail - Partial"); case, spacing and punctuation do not matter."""
    found = _TYPES.get(words(_PARENS.sub(" ", text)))
    if found is not None:
        return QuestionType(found)
    named = _answers_named(text)
    if named is not None:
        answers = frozenset(a for a in named if a is not _Answer.NA)
        if len(answers) == len([a for a in named if a is not _Answer.NA]):
            qtype = _ANSWER_TYPES.get(answers)
            if qtype is not None:
                return qtype
    raise BadValue(f"'{text}' is not a question type QA Monitor knows", TYPE_HINT)


def type_names_na(text: str) -> bool:
    """Whether a type cell lists N/A among its answers ("Yes/No/N/A")."""
    named = _answers_named(text)
    return named is not None and (_Answer.NA in named or bool(_NA_WORDS.search(text)))


_TRUE = {words(w) for w in ("y", "yes", "true", "1", "x", "✓", "✔", "allowed", "ok", "да",
                            "بله", "آری", "نعم")}  # fmt: skip
_FALSE = {words(w) for w in ("", "n", "no", "false", "0", "-", "not allowed", "нет", "خیر",
                             "نه", "لا")}  # fmt: skip


def parse_bool(text: str) -> bool:
    key = words(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise BadValue(f"'{text}' is not yes or no", "write Y or N (blank means no)")


_CRITICAL = _table(
    {
        CriticalLevel.NONE: ("", "no", "n", "none", "0", "false", "-", "not critical", "нет",
                             "خیر", "لا"),
        CriticalLevel.SECTION: ("section", "section critical", "critical section",
                                "zero section", "fails section", "s", "раздел", "بخش"),
        CriticalLevel.FORM: ("form", "yes", "y", "x", "1", "true", "auto-fail", "autofail",
                             "auto fail", "fatal", "critical", "form critical",
                             "critical form", "whole form", "f", "да", "بله", "نعم"),
    }
)  # fmt: skip


def parse_critical(text: str) -> CriticalLevel:
    found = _CRITICAL.get(words(text))
    if found is None:
        raise BadValue(
            f"'{text}' is not a critical level",
            "write none, section (a failing answer zeroes the section) or form (auto-fail); "
            "Y means form",
        )
    return CriticalLevel(found)


_COMMENTS = _table(
    {
        CommentRule.NEVER: ("", "no", "n", "never", "none", "0", "false", "-", "optional"),
        CommentRule.ALWAYS: ("always", "yes", "y", "required", "1", "true", "x"),
        CommentRule.NOT_FULL: ("not full", "when not full", "not full marks",
                               "when not full marks", "if not full marks", "below full marks",
                               "on fail", "when failed", "if failed", "on failure", "if no",
                               "when no", "not_full"),
    }
)  # fmt: skip


def parse_comment(text: str) -> CommentRule:
    found = _COMMENTS.get(words(text))
    if found is None:
        raise BadValue(
            f"'{text}' is not a comment rule",
            "write never, always, or 'when not full marks'",
        )
    return CommentRule(found)


_UNITS = re.compile(r"\s*(points?|pts?|p|marks?|баллов|балла|балл|امتیاز)\s*$", re.IGNORECASE)


def parse_number(value: object) -> float | None:
    """A number from a cell: Excel numbers as they are; text with a decimal comma,
    Persian/Arabic digits or a unit ("10 pts") too. None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = _UNITS.sub("", str(value).strip()).replace("٫", ".")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


_OPTION = re.compile(
    r"^(?P<label>.*?)\s*(?:[=:]|\()\s*(?P<value>[-+]?\d+(?:[.,]\d+)?)\s*(?P<pct>%?)\s*\)?$"
)
OPTIONS_HINT = "list them as label=value separated by ;, e.g. Excellent=1; Good=0.5; Poor=0"


def _split_options(text: str) -> list[str]:
    for separator in ("\n", ";", "|"):
        if separator in text:
            return [p.strip() for p in text.split(separator) if p.strip()]
    return [p.strip() for p in text.split(",") if p.strip()]


def parse_options(text: str, qtype: QuestionType) -> tuple[Option, ...]:
    """Options from one cell: "Excellent=1; Good=0.5; Poor=0", "Met (100%) | Not met (0%)",
    or labels alone ("Price; Features; Other") for tags, or to relabel a standard type's
    options in order ("Poor; Fair; Good; Very good; Excellent" for 1-5). Values above 1
    are read as points and scaled so the best option is worth full marks."""
    labels: list[str] = []
    values: list[float | None] = []
    for part in _split_options(text):
        match = _OPTION.match(part)
        if match and match["label"]:
            value = float(match["value"].replace(",", "."))
            labels.append(match["label"].strip())
            values.append(value / 100 if match["pct"] else value)
        else:
            labels.append(part)
            values.append(None)
    given = [v for v in values if v is not None]
    if qtype in (QuestionType.TAG, QuestionType.TAGS):
        if given:
            raise BadValue(
                "tag options are not scored, so they cannot have values",
                "list the labels alone, e.g. Price; Features; Other",
            )
        return _with_ids(labels, [None] * len(labels))
    if not qtype.scored:
        raise BadValue(
            f"a {qtype.value} question has no options", "clear the options or pick type Choice"
        )
    defaults = default_options(qtype)
    if not given:
        by_meaning = _relabel_by_meaning(labels, defaults)
        if by_meaning is not None:
            return by_meaning
        if defaults and len(defaults) == len(labels):
            # Relabel the standard options and keep their ids, so answers stay comparable.
            return tuple(
                Option(d.id, label, d.fraction) for d, label in zip(defaults, labels, strict=True)
            )
        raise BadValue("the options have no values", OPTIONS_HINT)
    if len(given) < len(values):
        raise BadValue("some options have a value and some do not", OPTIONS_HINT)
    if any(v < 0 for v in given):
        raise BadValue(
            "an option has a negative value", "use values from 0 (nothing) to 1 (full marks)"
        )
    best = max(given)
    if best <= 0:
        raise BadValue("no option is worth anything", "give the best option the value 1")
    scale = best if best > 1 else 1.0
    fractions = [v / scale if v is not None else None for v in values]
    standard = _relabel_by_meaning(labels, defaults)
    if standard is not None:
        # "Yes=1; Partially=0.6; No=0": the standard ids, so keys and reports know them.
        return tuple(replace(o, fraction=f) for o, f in zip(standard, fractions, strict=True))
    return _with_ids(labels, fractions)


def _relabel_by_meaning(
    labels: list[str], defaults: tuple[Option, ...]
) -> tuple[Option, ...] | None:
    """The standard options relabelled by what each label means ("No; Partly; Yes" on a
    yes/partial/no question), in the sheet's order; None unless every label names a
    different standard option."""
    if not labels or len(labels) != len(defaults):
        return None
    by_id = {d.id: d for d in defaults}
    chosen: list[Option] = []
    for label in labels:
        meaning = _ANSWERS.get(words(label))
        standard = by_id.pop(meaning, None) if meaning else None
        if standard is None:
            return None
        chosen.append(Option(standard.id, label, standard.fraction))
    return tuple(chosen) if not by_id else None


def _with_ids(labels: list[str], fractions: list[float | None]) -> tuple[Option, ...]:
    ids = IdMaker("option")
    return tuple(
        Option(ids.make(label), label, f) for label, f in zip(labels, fractions, strict=True)
    )
