"""Importing a scorecard kept in Excel or CSV: one row per question.

Columns (any order, header on one of the first ten rows, names matched loosely, see
scorecard_values.py): Section, Category, Question, Type, Points, N/A allowed,
Critical, Guidance, and optionally Id, Options, Weight (the section's) and Comment
rule. Only Question is required.

Every row is reported: a row with a problem is left out of the form and listed with
its row number, column and what to do; good rows still make the preview. The form
built from them is then checked like any form (core/form_validation.py) and those
problems are listed too, at the row of the question they concern.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from qa_monitor.core.form_validation import FormProblem, validate_form
from qa_monitor.core.forms import (
    Category,
    Form,
    FormSettings,
    Question,
    ScoringMode,
    Section,
    default_options,
)
from qa_monitor.formfiles.scorecard_rows import (
    RowKind,
    RowReader,
    ScorecardProblem,
    ScorecardRow,
    SectionFacts,
    cell_text,
)
from qa_monitor.formfiles.scorecard_values import Column, column_for, guess_category, words
from qa_monitor.formfiles.slug_ids import IdMaker, slugify
from qa_monitor.table_limits import workbook_refusal
from qa_monitor.tabular_read import BOOK_SUFFIXES, TEXT_SUFFIXES, Table, TableReadError, read_table

__all__ = [
    "RowKind",
    "ScorecardImport",
    "ScorecardProblem",
    "ScorecardRow",
    "read_scorecard",
    "sheets",
]

HEADER_HINT = (
    "put the column titles in one row above the questions, e.g. Section, Category, "
    "Question, Type, Points, N/A allowed, Critical, Guidance; a Question column is required"
)
_FIELD_COLUMNS = {
    "text": Column.QUESTION,
    "type": Column.TYPE,
    "points": Column.POINTS,
    "options": Column.OPTIONS,
    "critical": Column.CRITICAL,
    "allow_na": Column.NA,
    "comment": Column.COMMENT,
    "id": Column.ID,
    "weight": Column.WEIGHT,
    "category": Column.CATEGORY,
    "title": Column.SECTION,
    "guidance": Column.GUIDANCE,
}


@dataclass(frozen=True, slots=True)
class ScorecardImport:
    path: Path
    form: Form | None  # built from the good rows; None when no row was usable
    rows: tuple[ScorecardRow, ...]
    problems: tuple[ScorecardProblem, ...]
    # Things done that the user should know about (defaults chosen, rows ignored).
    notes: tuple[str, ...] = ()
    sheet: str | None = None
    header_row: int | None = None
    # Which header (as written) became which field.
    columns: tuple[tuple[Column, str], ...] = ()

    @property
    def ok(self) -> bool:
        return self.form is not None and not self.problems

    def report(self) -> str:
        """Every problem, one per line, in row order."""
        return "\n".join(str(p) for p in self.problems)


def sheets(path: str | Path) -> list[str]:
    """The sheet names of a workbook, for a sheet picker; [] for a CSV file or a file
    that cannot be opened (read_scorecard says why)."""
    path = Path(path)
    if path.suffix.lower() not in BOOK_SUFFIXES or workbook_refusal(path):
        return []
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True)
    except Exception:  # openpyxl raises many kinds for damaged or foreign files
        return []
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _about_the_file(message: str, path: Path) -> str:
    """``message`` with the file named as "the file" (the report names it once)."""
    for named in (f"'{path}'", f"'{path.name}'"):
        message = message.replace(named, "the file")
    return message.rstrip(".")


def _columns(headers: tuple[str, ...]) -> dict[Column, int]:
    found: dict[Column, int] = {}
    for index, header in enumerate(headers):
        column = column_for(header)
        if column is not None and column not in found:  # the first of two wins
            found[column] = index
    return found


def _looks_like_header(row: list[object]) -> bool:
    columns = _columns(tuple(cell_text(v) for v in row))
    return Column.QUESTION in columns and len(columns) >= 2


def _open(path: Path, sheet: str | None) -> tuple[Table, list[str]]:
    """The table, on the named sheet or else the first sheet with a scorecard header."""
    notes: list[str] = []
    names = sheets(path) if sheet is None else []
    if sheet is None and len(names) > 1:
        for name in names:
            table = read_table(path, _looks_like_header, sheet=name)
            if _looks_like_header(list(table.headers)):
                others = ", ".join(f"'{n}'" for n in names if n != name)
                notes.append(f"Read sheet '{name}' (the workbook also has {others}).")
                return table, notes
    return read_table(path, _looks_like_header, sheet=sheet), notes


def read_scorecard(
    path: str | Path,
    *,
    sheet: str | None = None,
    form_id: str | None = None,
    title: str | None = None,
) -> ScorecardImport:
    """Read a scorecard sheet into a form, reporting every bad row (module doc)."""
    path = Path(path).expanduser()

    def unreadable(message: str, hint: str) -> ScorecardImport:
        return ScorecardImport(
            path, None, (), (ScorecardProblem(None, None, message, hint, path.name),)
        )

    suffix = path.suffix.lower()
    if not path.exists():
        return unreadable(
            "the file does not exist", "check its name and folder, or choose it again"
        )
    if path.is_dir():
        return unreadable("this is a folder, not a file", "choose the .xlsx or .csv file itself")
    if suffix == ".xls":
        return unreadable(
            "this is an old Excel 97–2003 file",
            "open it in Excel or LibreOffice and save it as .xlsx",
        )
    if suffix not in BOOK_SUFFIXES | TEXT_SUFFIXES:
        return unreadable(
            "QA Monitor reads scorecards from .xlsx and .csv files",
            "save the scorecard from Excel as .xlsx or .csv",
        )
    if suffix in BOOK_SUFFIXES:
        refusal = workbook_refusal(path)
        if refusal:
            return unreadable(_about_the_file(refusal, path), "")
        names = sheets(path)
        if not names:
            return unreadable(
                "the file is not an Excel workbook QA Monitor can open",
                "open it in Excel and save it again as .xlsx, or save it as CSV",
            )
        if sheet is not None and sheet not in names:
            listed = ", ".join(f"'{n}'" for n in names)
            return unreadable(
                f"the workbook has no sheet named '{sheet}'", f"choose one of {listed}"
            )
    try:
        table, notes = _open(path, sheet)
        columns = _columns(table.headers)
        if Column.QUESTION not in columns or len(columns) < 2:
            several = sheet is None and len(sheets(path)) > 1
            where = "on any sheet" if several else "in the first 10 rows"
            return unreadable(f"no header row was found {where}", HEADER_HINT)
        data = list(table.rows())
    except TableReadError as exc:
        return unreadable(
            _about_the_file(str(exc), path),
            "check the file, or save it again from Excel as .xlsx or .csv",
        )
    except Exception as exc:  # a damaged workbook fails inside openpyxl in many ways
        return unreadable(
            f"the workbook could not be read to the end ({type(exc).__name__}: {exc})",
            "open it in Excel and save it again as .xlsx, or save it as CSV",
        )
    reader = RowReader(columns, table.headers, path.name)
    rows = [reader.read(number, cells) for number, cells in data]
    return _build(path, table, columns, reader, rows, notes, form_id, title)


def _title(table: Table, path: Path) -> str:
    """A title written above the header, else the file's name ("inbound_qa" → "Inbound qa")."""
    for row in table.preamble:
        for value in row:
            text = cell_text(value)
            if text and not text.replace(".", "").isdigit():
                return text
    stem = path.stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else "Imported scorecard"


def _build(
    path: Path,
    table: Table,
    columns: dict[Column, int],
    reader: RowReader,
    rows: list[ScorecardRow],
    notes: list[str],
    form_id: str | None,
    title: str | None,
) -> ScorecardImport:
    problems = [p for r in rows for p in r.problems]
    # Found once the rows are put together; also listed on the row they concern.
    later: list[ScorecardProblem] = []
    used = set(columns.values())
    unused = [f"'{h}'" for i, h in enumerate(table.headers) if h and i not in used]
    if unused:
        notes.append(f"Columns not used: {', '.join(unused)}.")
    notes += [r.note[:1].upper() + r.note[1:] + "; it was not imported." for r in rows if r.note]
    good = [r for r in rows if r.kind is RowKind.QUESTION and r.ok]
    question_ids = IdMaker("q")
    for ident in reader.explicit_ids:
        question_ids.reserve(ident)
    section_ids = IdMaker("section")
    weighted = any(f.weight is not None for f in reader.sections.values())
    sections: list[Section] = []
    row_of: dict[tuple[str | None, str | None], int] = {}
    for key, facts in reader.sections.items():
        members = [r for r in good if words(r.section) == key]
        if not members:
            if not facts.question_rows and facts.heading_row is not None:
                later.append(
                    ScorecardProblem(
                        facts.heading_row,
                        reader.header(Column.SECTION),
                        f"section “{facts.title}” has no questions",
                        "add question rows under it, or delete the row",
                        path.name,
                    )
                )
            continue
        section = Section(
            section_ids.make(facts.title),
            facts.title,
            _category(facts, columns, notes),
            facts.weight if facts.weight is not None else 1.0,
            tuple(_question(r, question_ids) for r in members),
        )
        if weighted and facts.weight is None:
            later.append(
                ScorecardProblem(
                    facts.first_row,
                    reader.header(Column.WEIGHT),
                    f"section “{facts.title}” has no weight while other sections have one",
                    "write its weight on its first row, e.g. 20 (it counts as 1 until then)",
                    path.name,
                )
            )
        sections.append(section)
        row_of[(section.id, None)] = facts.first_row
        for row, question in zip(members, section.questions, strict=True):
            row_of[(section.id, question.id)] = row.row
    if reader.unsectioned:
        notes.append("Questions with no section above them were put in a section called “General”.")
    if Column.POINTS not in columns and good:
        notes.append("The sheet has no Points column: every scored question is worth 1 point.")
    form: Form | None = None
    if sections:
        form_title = title or _title(table, path)
        form = Form(
            form_id or slugify(form_title, prefix="scorecard"),
            form_title,
            tuple(sections),
            FormSettings(scoring_mode=ScoringMode.WEIGHTED if weighted else ScoringMode.POINTS),
        )
        later += [_from_form_problem(p, row_of, reader, path.name) for p in validate_form(form)]
    elif not problems and not later:
        later.append(
            ScorecardProblem(
                None,
                None,
                "the sheet has no questions under its header row",
                "add one row per question below the column titles",
                path.name,
            )
        )
    by_row: dict[int, list[ScorecardProblem]] = {}
    for p in later:
        if p.row is not None:
            by_row.setdefault(p.row, []).append(p)
    included = {row_of[k] for k in row_of if k[1] is not None}
    final_rows = tuple(
        replace(r, problems=r.problems + tuple(by_row.get(r.row, ())), included=r.row in included)
        for r in rows
    )
    everything = sorted(problems + later, key=lambda p: (p.row is None, p.row or 0))
    return ScorecardImport(
        path,
        form,
        final_rows,
        tuple(everything),
        tuple(notes),
        table.sheet,
        table.header_row,
        tuple((c, table.headers[i]) for c, i in sorted(columns.items(), key=lambda x: x[1])),
    )


def _category(facts: SectionFacts, columns: dict[Column, int], notes: list[str]) -> Category:
    if facts.category is not None:
        return facts.category
    guessed = guess_category(facts.title)
    chosen = guessed or Category.SOFT_SKILLS
    why = "from its title" if guessed else "(change it in the designer if that is wrong)"
    missing = "no category" if Column.CATEGORY in columns else "no category (no Category column)"
    notes.append(f"Section “{facts.title}” has {missing}; it was set to {chosen.label} {why}.")
    return chosen


def _question(row: ScorecardRow, ids: IdMaker) -> Question:
    assert row.type is not None
    scored = row.type.scored
    return Question(
        id=row.question_id or ids.make(row.question),
        text=row.question,
        type=row.type,
        points=(row.points or 0.0) if scored else 0.0,
        options=row.options or (default_options(row.type) if scored else ()),
        allow_na=row.allow_na,
        critical=row.critical,
        comment=row.comment,
        guidance=row.guidance,
    )


def _from_form_problem(
    problem: FormProblem,
    row_of: dict[tuple[str | None, str | None], int],
    reader: RowReader,
    file: str,
) -> ScorecardProblem:
    row = row_of.get((problem.section_id, problem.question_id))
    if row is None:
        row = row_of.get((problem.section_id, None))
    column = _FIELD_COLUMNS.get(problem.field or "")
    header = reader.header(column) if column is not None else None
    return ScorecardProblem(row, header, problem.message, problem.hint, file)
