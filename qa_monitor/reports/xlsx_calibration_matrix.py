"""One sheet per revealed session: the question × reviewer matrix with each question's
agreement, and the reviewers' scores, deviations and bands under it.

Why a sheet per session rather than one long sheet of blocks: every session has its
own panel, so its reviewer columns mean something else; on its own sheet the header
row with their names stays frozen while scrolling and repeats on every printed page,
the filter on "Answers" shows only the questions answered differently, and a meeting
prints the one session it discusses.

Marks never rest on colour alone: a disagreeing question says "Differ" (and is
shaded), an answer that is not the benchmark's is written "≠ answer" (and filled), a
band is written as its word (and filled), so the sheet reads the same printed in
black and white. A reviewer's comment on an answer is the cell's note.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qa_monitor.core.calibration import (
    Band,
    Cell,
    MatrixRow,
    Participant,
    ReviewerResult,
    answer_key,
    answer_label,
)
from qa_monitor.core.reviewer_quality import Verdict
from qa_monitor.reports import xlsx_calibration_texts as t
from qa_monitor.reports.xlsx_calibration_data import RevealedSession
from qa_monitor.reports.xlsx_sheets import (
    header_row,
    new_sheet,
    styled_cell,
    value_cell,
    wrapped_lines,
)
from qa_monitor.reports.xlsx_styles import (
    FAIL_FILL,
    FAIL_FONT,
    FONT_NAME,
    LABEL_FONT,
    NOTE_FONT,
    PASS_FILL,
    PASS_FONT,
    SUBTITLE_FONT,
    TOP,
    TOP_TEXT,
    WRAP,
    Kind,
    fit_width,
)

AMBER_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
AMBER_FONT = Font(color="7F6000")
# Fill and text colour of each band and verdict, for conditional formats (whose fonts
# carry no name) and, through ``_named``, for cells.
BAND_STYLES: dict[Band, tuple[PatternFill, Font]] = {
    Band.ACCEPTABLE: (PASS_FILL, PASS_FONT),
    Band.DISCUSS: (AMBER_FILL, AMBER_FONT),
    Band.RECALIBRATE: (FAIL_FILL, FAIL_FONT),
}
VERDICT_STYLES: dict[Verdict, tuple[PatternFill, Font]] = {
    Verdict.RELIABLE: (PASS_FILL, PASS_FONT),
    Verdict.TENTATIVE: (AMBER_FILL, AMBER_FONT),
    Verdict.UNRELIABLE: (FAIL_FILL, FAIL_FONT),
}


def _named(font: Font, *, bold: bool = False) -> Font:
    """``font``'s colour in the workbook's font: a cell font without a name is shown in
    the program's fallback font (a serif one in LibreOffice)."""
    return Font(name=FONT_NAME, color=font.color, bold=bold)


DIFFER_FONT = _named(AMBER_FONT, bold=True)
DIFFERS_FONT = _named(FAIL_FONT)

FIRST_REVIEWER = 4  # column D: after Section, Question and Answers
FIGURE_HEADERS = (
    ("Agreement", Kind.RATE, None),
    ("Alpha", Kind.ALPHA, None),
    ("Alpha 95% low", Kind.ALPHA, None),
    ("Alpha 95% high", Kind.ALPHA, None),
    ("n (sessions)", Kind.INT, None),
    ("Verdict", Kind.TEXT, None),
    ("Compared as", Kind.TEXT, None),
    ("Agreed answer", Kind.TEXT, None),
    ("Note", Kind.TEXT, 40.0),
    ("Guidance to change", Kind.TEXT, None),
)
QUESTION_WIDTH = 45.0
REVIEWER_MAX_WIDTH = 24.0
MAX_ROW_LINES = 20


def session_sheet_name(number: int, title: str) -> str:
    """The sheet's wanted name; ``sheet_title`` makes it valid and unique."""
    return f"{number} {title}"


def _top_lines(s: RevealedSession) -> list[str]:
    revealed = "" if s.revealed_at is None else f"{s.revealed_at:%Y-%m-%d %H:%M}"
    r = s.reveal
    score = "" if r.benchmark is None else f"{r.benchmark:.1f}"
    lines = [
        t.SESSION_CALL.format(
            call=s.call, form=s.form_title, version=s.form_version, revealed=revealed
        ),
        t.BENCHMARK_SENTENCES[r.benchmark_kind].format(expert=s.expert_name or "", score=score),
        t.SESSION_KEY,
    ]
    if r.missing:
        lines.append(t.SESSION_MISSING.format(names=", ".join(p.name for p in r.missing)))
    if s.summary:
        lines.append(t.SESSION_SUMMARY.format(summary=s.summary))
    return lines


def _reviewer_header(p: Participant) -> str:
    return t.EXPERT_HEADER.format(name=p.name) if p.is_expert else p.name


def _answer_text(cell: Cell) -> str:
    if cell.hidden:
        return t.HIDDEN
    if cell.key is None:
        return t.NOT_ANSWERED
    if cell.differs:
        return t.DIFFERS_MARK.format(answer=cell.label)
    return cell.label


class _SessionSheet:
    """Writes one session's sheet, top to bottom (write-only: rows go out in order)."""

    def __init__(self, ws: WriteOnlyWorksheet, s: RevealedSession):
        self.ws, self.s = ws, s
        people = s.reveal.participants
        self.headers = [
            "Section",
            "Question",
            "Answers",
            *(_reviewer_header(p) for p in people),
            *(h for h, _k, _w in FIGURE_HEADERS),
        ]
        self.kinds = [Kind.TEXT] * (3 + len(people)) + [k for _h, k, _w in FIGURE_HEADERS]
        answers: list[list[object]] = [
            [_answer_text(row.cells[i]) for row in s.reveal.rows] for i in range(len(people))
        ]
        samples: list[list[object]] = [
            [row.section_title for row in s.reveal.rows],
            [],
            [t.DIFFER, t.SAME],
            *answers,
        ]
        self.widths = [
            fit_width(Kind.TEXT, self.headers[0], samples[0]),
            QUESTION_WIDTH,
            fit_width(Kind.TEXT, self.headers[2], samples[2]),
            *(
                min(fit_width(Kind.TEXT, self.headers[3 + i], samples[3 + i]), REVIEWER_MAX_WIDTH)
                for i in range(len(people))
            ),
            *(
                width
                if width is not None
                else fit_width(kind, header, self._figure_samples(header))
                for header, kind, width in FIGURE_HEADERS
            ),
        ]

    def _figure_samples(self, header: str) -> list[object]:
        if header == "Verdict":
            return [t.VERDICT_WORDS[q.verdict] for q in self.s.questions.values()]
        if header == "Agreed answer":
            return [self._agreed(row) for row in self.s.reveal.rows]
        return []

    @staticmethod
    def _agreed(row: MatrixRow) -> str:
        if row.agreed is None or row.agreed.answer is None:
            return ""
        return answer_label(row.question, answer_key(row.agreed.answer))

    def write(self) -> None:
        ws, s = self.ws, self.s
        top = _top_lines(s)
        header = len(top) + 2  # the title, the lines, then the header
        ws.freeze_panes = f"D{header + 1}"
        ws.print_title_rows = f"{header}:{header}"
        ws.print_title_cols = "A:C"
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        for index, width in enumerate(self.widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        lines = max(wrapped_lines(h, w) for h, w in zip(self.headers, self.widths, strict=True))
        if lines > 1:
            ws.row_dimensions[header].height = 15 * min(lines, 4)
        ws.append([styled_cell(ws, s.title, font=SUBTITLE_FONT)])
        for line in top:
            ws.append([styled_cell(ws, line, font=NOTE_FONT)])
        ws.append(header_row(ws, self.headers, self.kinds))
        for number, row in enumerate(s.reveal.rows, header + 1):
            self._question(number, row)
        last = header + max(len(s.reveal.rows), 1)
        ws.auto_filter.ref = f"A{header}:{get_column_letter(len(self.headers))}{last}"
        ws.append([])
        self._scores()

    def _question(self, number: int, row: MatrixRow) -> None:
        ws, s = self.ws, self.s
        shade = {"fill": AMBER_FILL} if row.disagrees else {}
        values: list[object] = [
            styled_cell(ws, row.section_title, alignment=WRAP, **shade),
            styled_cell(ws, row.question.text, alignment=WRAP, **shade),
            styled_cell(
                ws,
                t.DIFFER if row.disagrees else t.SAME,
                alignment=TOP_TEXT,
                **({"fill": AMBER_FILL, "font": DIFFER_FONT} if row.disagrees else {}),
            ),
        ]
        for p, cell in zip(s.reveal.participants, row.cells, strict=True):
            style: dict[str, object] = {"alignment": TOP_TEXT}
            if cell.hidden or cell.key is None:
                style["font"] = NOTE_FONT
            elif cell.differs:
                style.update(fill=FAIL_FILL, font=DIFFERS_FONT)
            out = styled_cell(ws, _answer_text(cell), **style)
            if cell.comment:
                out.comment = Comment(cell.comment, p.name, height=120, width=240)
            values.append(out)
        alpha = s.questions.get(row.question.id)
        estimate = None if alpha is None else alpha.estimate
        verdict: list[object] = [None, None]
        if alpha is not None:
            fill_font = VERDICT_STYLES.get(alpha.verdict)
            style = (
                {} if fill_font is None else {"fill": fill_font[0], "font": _named(fill_font[1])}
            )
            verdict = [
                styled_cell(ws, t.VERDICT_WORDS[alpha.verdict], alignment=TOP_TEXT, **style),
                styled_cell(ws, t.LEVEL_WORDS.get(alpha.level, alpha.level), alignment=TOP_TEXT),
            ]
        agreed = row.agreed
        values += [
            value_cell(ws, row.modal_share, Kind.RATE, alignment=TOP),
            value_cell(ws, None if estimate is None else estimate.alpha, Kind.ALPHA, alignment=TOP),
            value_cell(ws, None if estimate is None else estimate.low, Kind.ALPHA, alignment=TOP),
            value_cell(ws, None if estimate is None else estimate.high, Kind.ALPHA, alignment=TOP),
            value_cell(ws, None if estimate is None else estimate.units, Kind.INT, alignment=TOP),
            *verdict,
            styled_cell(ws, self._agreed(row) or None, alignment=TOP_TEXT),
            styled_cell(ws, (agreed.note if agreed else "") or None, alignment=WRAP),
            styled_cell(
                ws,
                t.GUIDANCE_YES if agreed and agreed.guidance_change else None,
                alignment=TOP_TEXT,
            ),
        ]
        texts = [
            (row.section_title, self.widths[0]),
            (row.question.text, self.widths[1]),
            ((agreed.note if agreed else ""), self.widths[-2]),
        ]
        lines = max(wrapped_lines(text, width) for text, width in texts)
        if lines > 1:
            ws.row_dimensions[number].height = 15 * min(lines, MAX_ROW_LINES)
        ws.append(values)

    def _scores(self) -> None:
        ws, r = self.ws, self.s.reveal
        results: dict[int, ReviewerResult] = {x.participant.reviewer_id: x for x in r.results}
        scores = [value_cell(ws, p.score, Kind.SCORE) for p in r.participants]
        deviations: list[object] = []
        bands: list[object] = []
        for p in r.participants:
            result = results.get(p.reviewer_id)
            if result is None:  # the expert: the benchmark itself
                deviations.append(styled_cell(ws, t.BENCHMARK_CELL, font=NOTE_FONT))
                bands.append(None)
                continue
            deviations.append(value_cell(ws, result.deviation, Kind.SIGNED))
            if result.band is None:
                bands.append(styled_cell(ws, t.NO_BENCHMARK, font=NOTE_FONT))
            else:
                fill, font = BAND_STYLES[result.band]
                bands.append(
                    styled_cell(ws, t.BAND_WORDS[result.band], fill=fill, font=_named(font))
                )
        for label, cells in (
            (t.ROW_SCORE, scores),
            (t.ROW_DEVIATION, deviations),
            (t.ROW_BAND, bands),
        ):
            ws.append([None, styled_cell(ws, label, font=LABEL_FONT), None, *cells])


def write_session_sheet(wb: Workbook, taken: set[str], number: int, s: RevealedSession) -> str:
    """Write session ``number``'s sheet (see the module docstring); returns its name."""
    ws = new_sheet(wb, session_sheet_name(number, s.title), taken)
    _SessionSheet(ws, s).write()
    return ws.title
