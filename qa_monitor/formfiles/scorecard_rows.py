"""One scorecard row at a time: what it says, and every problem with it.

A row is a question, a section heading (a section name and nothing else) or a total
line (ignored, and said so). A blank section cell continues the section above, as
merged cells in Excel read. Section facts (category, weight) may be written on every
row of the section or on its first one; rows that disagree are reported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from qa_monitor.core.form_validation import ID_HINT, ID_PATTERN
from qa_monitor.core.forms import (
    Category,
    CommentRule,
    CriticalLevel,
    Option,
    QuestionType,
)
from qa_monitor.formfiles.scorecard_values import (
    BadValue,
    Column,
    parse_bool,
    parse_category,
    parse_comment,
    parse_critical,
    parse_number,
    parse_options,
    parse_type,
    type_names_na,
    words,
)

_TOTALS = {words(w) for w in ("total", "totals", "sum", "grand total", "total score",
                              "total points", "итого", "всего", "جمع", "مجموع", "جمع کل",
                              "المجموع", "الإجمالي")}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ScorecardProblem:
    row: int | None  # the sheet's row number; None for the whole file
    column: str | None  # the header as written in the sheet
    message: str
    hint: str = ""
    file: str = ""  # the file's name, for messages

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                self.file,
                f"row {self.row}" if self.row is not None else "",
                f"column '{self.column}'" if self.column else "",
            )
            if part
        )
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} ({self.hint})" if self.hint else text


class RowKind(StrEnum):
    QUESTION = "question"
    SECTION = "section"  # a section heading: sets the section of the rows below
    IGNORED = "ignored"  # a total line


@dataclass(frozen=True, slots=True)
class ScorecardRow:
    row: int
    kind: RowKind
    section: str
    question: str = ""
    category: Category | None = None
    type: QuestionType | None = None
    points: float | None = None
    allow_na: bool = False
    critical: CriticalLevel = CriticalLevel.NONE
    guidance: str = ""
    question_id: str | None = None  # as written in an Id column; the form's id may be made
    options: tuple[Option, ...] = ()
    weight: float | None = None
    comment: CommentRule = CommentRule.NEVER
    problems: tuple[ScorecardProblem, ...] = ()
    # Every non-blank cell of a known column: (header as written, text).
    cells: tuple[tuple[str, str], ...] = ()
    # Whether the question is in the built form (rows with problems of their own are not;
    # a question the form check found fault with is, with the problem listed here too).
    included: bool = False
    note: str = ""  # why an ignored row was ignored

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class SectionFacts:
    """What the rows say about one section, and where they said it."""

    title: str
    first_row: int
    category: Category | None = None
    category_row: int | None = None
    weight: float | None = None
    weight_row: int | None = None
    heading_row: int | None = None
    question_rows: list[int] = field(default_factory=list)


def cell_text(value: object) -> str:
    """A cell as the user sees it: 10.0 → "10", True → "yes", a date → ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


class RowReader:
    """Reads the data rows of one sheet in order, keeping the section state between them."""

    def __init__(self, columns: Mapping[Column, int], headers: tuple[str, ...], file: str):
        self.columns = columns
        self.headers = headers
        self.file = file
        self.sections: dict[str, SectionFacts] = {}  # by words(title), in first-seen order
        self.current: str | None = None
        self.explicit_ids: dict[str, int] = {}  # id → row
        self.unsectioned = False

    def header(self, column: Column) -> str | None:
        index = self.columns.get(column)
        return None if index is None else self.headers[index]

    def read(self, number: int, cells: list[object]) -> ScorecardRow:
        def raw(column: Column) -> object:
            index = self.columns.get(column)
            return cells[index] if index is not None and index < len(cells) else None

        def text(column: Column) -> str:
            return cell_text(raw(column))

        problems: list[ScorecardProblem] = []

        def problem(column: Column | None, message: str, hint: str) -> None:
            header = self.header(column) if column else None
            problems.append(ScorecardProblem(number, header, message, hint, self.file))

        shown = tuple(
            (self.headers[i], cell_text(cells[i]))
            for _c, i in sorted(self.columns.items(), key=lambda item: item[1])
            if i < len(cells) and cell_text(cells[i])
        )
        section_cell, question = text(Column.SECTION), text(Column.QUESTION)
        if words(question) in _TOTALS or (not question and words(section_cell) in _TOTALS):
            label = question or section_cell
            note = f"row {number} looks like a total line ('{label}'), not a question"
            return ScorecardRow(number, RowKind.IGNORED, "", cells=shown, note=note)
        filled = [c for c in self.columns if text(c)]
        if section_cell:
            self.current = section_cell
        # A section name with nothing but the section's category or weight is a heading;
        # with answer details too it is a question whose text is missing.
        section_only = {Column.SECTION, Column.CATEGORY, Column.WEIGHT}
        heading = not question and bool(section_cell) and set(filled) <= section_only
        # Without a Section column, a row with nothing but its question cell is a heading.
        if (
            Column.SECTION not in self.columns
            and filled == [Column.QUESTION]
            and (Column.TYPE in self.columns or Column.POINTS in self.columns)
        ):
            heading, self.current = True, question
        if not self.current:
            self.current, self.unsectioned = "General", True
        facts = self._facts(self.current, number)
        self._section_facts(facts, number, text, raw, problem)
        if heading:
            facts.heading_row = facts.heading_row or number
            return self._row(number, RowKind.SECTION, facts, problems, shown)
        facts.question_rows.append(number)
        return self._question(number, facts, question, text, raw, problem, problems, shown)

    def _facts(self, title: str, number: int) -> SectionFacts:
        key = words(title)
        if key not in self.sections:
            self.sections[key] = SectionFacts(title, number)
        return self.sections[key]

    def _section_facts(
        self,
        facts: SectionFacts,
        number: int,
        text: Callable[[Column], str],
        raw: Callable[[Column], object],
        problem: Callable[[Column | None, str, str], None],
    ) -> None:
        if text(Column.CATEGORY):
            try:
                category = parse_category(text(Column.CATEGORY))
            except BadValue as exc:
                problem(Column.CATEGORY, exc.message, exc.hint)
            else:
                if facts.category is None:
                    facts.category, facts.category_row = category, number
                elif facts.category is not category:
                    problem(
                        Column.CATEGORY,
                        f"section “{facts.title}” is already {facts.category.label} "
                        f"(row {facts.category_row}), not {category.label}",
                        "a section has one category: write the same on each of its rows, "
                        "or only on its first",
                    )
        if text(Column.WEIGHT):
            weight = parse_number(raw(Column.WEIGHT))
            if weight is None or weight < 0:
                problem(
                    Column.WEIGHT,
                    f"'{text(Column.WEIGHT)}' is not a weight",
                    "write the section's weight as a number of 0 or more, e.g. 25",
                )
            elif facts.weight is None:
                facts.weight, facts.weight_row = weight, number
            elif facts.weight != weight:
                problem(
                    Column.WEIGHT,
                    f"section “{facts.title}” already has weight {facts.weight:g} "
                    f"(row {facts.weight_row}), not {weight:g}",
                    "write the same weight on each of its rows, or only on its first",
                )

    def _row(
        self,
        number: int,
        kind: RowKind,
        facts: SectionFacts,
        problems: list[ScorecardProblem],
        shown: tuple[tuple[str, str], ...],
        **values: object,
    ) -> ScorecardRow:
        # In the order of the sheet's columns, as the user reads the row.
        where = {h: i for i, h in enumerate(self.headers)}
        ordered = sorted(problems, key=lambda p: where.get(p.column or "", -1))
        return ScorecardRow(
            number,
            kind,
            facts.title,
            category=facts.category,
            weight=facts.weight,
            problems=tuple(ordered),
            cells=shown,
            **values,  # type: ignore[arg-type]
        )

    def _question(
        self,
        number: int,
        facts: SectionFacts,
        question: str,
        text: Callable[[Column], str],
        raw: Callable[[Column], object],
        problem: Callable[[Column | None, str, str], None],
        problems: list[ScorecardProblem],
        shown: tuple[tuple[str, str], ...],
    ) -> ScorecardRow:
        if not question:
            problem(
                Column.QUESTION,
                "the row has no question",
                "write the question here, or clear the row",
            )
        qtype: QuestionType | None = QuestionType.YES_NO
        if text(Column.TYPE):
            try:
                qtype = parse_type(text(Column.TYPE))
            except BadValue as exc:
                problem(Column.TYPE, exc.message, exc.hint)
                qtype = None
        elif text(Column.OPTIONS):
            qtype = QuestionType.CHOICE
        scored = qtype is not None and qtype.scored
        kind = f"a {qtype.value.replace('_', ' ')} question" if qtype else "this question"
        points = self._points(text, raw, problem, qtype, kind)

        def flag(column: Column, parse: Callable[[str], object], default: object) -> object:
            try:
                return parse(text(column))
            except BadValue as exc:
                problem(column, exc.message, exc.hint)
                return default

        allow_na = bool(flag(Column.NA, parse_bool, False))
        if not text(Column.NA) and scored and type_names_na(text(Column.TYPE)):
            allow_na = True  # "Yes/No/N/A" with the N/A column blank or absent
        critical = flag(Column.CRITICAL, parse_critical, CriticalLevel.NONE)
        comment = flag(Column.COMMENT, parse_comment, CommentRule.NEVER)
        if qtype is not None and not scored:
            not_scored = f"{kind} is not scored"
            if allow_na:
                problem(Column.NA, f"{not_scored}, so N/A does not apply", "leave N/A blank")
            if critical is not CriticalLevel.NONE:
                problem(
                    Column.CRITICAL,
                    f"{not_scored}, so it cannot be critical",
                    "leave it blank or pick a scored type such as Yes/No",
                )
            if comment is CommentRule.NOT_FULL:
                problem(
                    Column.COMMENT,
                    f"{not_scored}, so it has no full marks",
                    "write always or never",
                )
        options: tuple[Option, ...] = ()
        if qtype is not None and text(Column.OPTIONS):
            try:
                options = parse_options(text(Column.OPTIONS), qtype)
            except BadValue as exc:
                problem(Column.OPTIONS, exc.message, exc.hint)
        elif qtype in (QuestionType.CHOICE, QuestionType.TAG, QuestionType.TAGS):
            example = "Excellent=1; Good=0.5; Poor=0" if scored else "Price; Features; Other"
            where = (
                "in the Options column"
                if Column.OPTIONS in self.columns
                else "in an Options column"
            )
            problem(
                Column.OPTIONS, f"{kind} needs its options", f"list them {where}, e.g. {example}"
            )
        ident = text(Column.ID) or None
        if ident is not None:
            if not ID_PATTERN.match(ident):
                problem(Column.ID, f"'{ident}' is not a valid id", f"{ID_HINT}, or leave it blank")
            elif ident in self.explicit_ids:
                problem(
                    Column.ID,
                    f"id '{ident}' is already used on row {self.explicit_ids[ident]}",
                    "give every question its own id, or leave it blank to have one made",
                )
            else:
                self.explicit_ids[ident] = number
        return self._row(
            number,
            RowKind.QUESTION,
            facts,
            problems,
            shown,
            question=question,
            type=qtype,
            points=points,
            allow_na=allow_na,
            critical=critical,
            guidance=text(Column.GUIDANCE),
            question_id=ident,
            options=options,
            comment=comment,
        )

    def _points(
        self,
        text: Callable[[Column], str],
        raw: Callable[[Column], object],
        problem: Callable[[Column | None, str, str], None],
        qtype: QuestionType | None,
        kind: str,
    ) -> float | None:
        scored = qtype is not None and qtype.scored
        if Column.POINTS not in self.columns:
            return 1.0 if scored else 0.0  # said once in the import's notes
        written = text(Column.POINTS)
        if not written:
            if scored:
                problem(
                    Column.POINTS, "the question has no points", "write its maximum points, e.g. 10"
                )
            return None if scored else 0.0
        points = parse_number(raw(Column.POINTS))
        if points is None:
            problem(
                Column.POINTS,
                f"'{written}' is not a number",
                "write the maximum points as a number, e.g. 10",
            )
        elif scored and points <= 0:
            problem(
                Column.POINTS,
                f"points must be more than 0 (got {points:g})",
                "give the question its maximum points, or pick type Text if it is not scored",
            )
        elif qtype is not None and not scored and points != 0:
            problem(
                Column.POINTS,
                f"{kind} is not scored, so it cannot have points",
                "clear the points, or pick a scored type such as Yes/No",
            )
        return points
