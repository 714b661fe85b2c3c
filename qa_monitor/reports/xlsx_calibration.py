"""The calibration workbook: how far reviewers agree, session by session and in total.

Sheets:
- **Sessions**: one row per revealed session (call, form and version, benchmark, the
  spread of the scores, the bands it was set up with and how many reviewers fell in
  each, the score's alpha with its interval and n, when it was revealed) and the name
  of its own sheet;
- **Deviations**: one row per session and compared reviewer (score, benchmark, signed
  and absolute deviation, band as a word, filled by band);
- **Reviewers**: per reviewer over these sessions: mean absolute deviation, bias and
  the share within the acceptable band (``core.calibration.reviewer_totals``);
- one sheet per session: the question × reviewer matrix (``xlsx_calibration_matrix``);
- **About**: who made it, when, of which sessions, and what the figures mean.

Rules: the tables look like the other exports (``TableWriter``: a line saying which
sessions, a frozen styled header with a filter, number formats, widths from content,
landscape pages one wide); texts come from ``xlsx_calibration_texts``; the file is
written under a temporary name and moved into place at the end (``atomic_output``),
so an error or a cancel leaves no partial file.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qa_monitor.core.calibration import Band, reviewer_totals
from qa_monitor.core.reviewer_quality import verdict
from qa_monitor.reports import xlsx_calibration_texts as t
from qa_monitor.reports.atomic_file import ExportCancelled, ExportError, atomic_output
from qa_monitor.reports.xlsx_calibration_data import (
    CalibrationExportResult,
    RevealedSession,
    WorkbookInfo,
)
from qa_monitor.reports.xlsx_calibration_matrix import (
    BAND_STYLES,
    session_sheet_name,
    write_session_sheet,
)
from qa_monitor.reports.xlsx_sheets import (
    Column,
    TableWriter,
    discard_workbook,
    new_sheet,
    save_workbook,
    sheet_title,
    styled_cell,
    wrapped_lines,
)
from qa_monitor.reports.xlsx_styles import (
    LABEL_FONT,
    NOTE_FONT,
    SUBTITLE_FONT,
    TITLE_FONT,
    WRAP,
    Kind,
    positive,
    rate_scale,
)

__all__ = [
    "CalibrationExportResult",
    "RevealedSession",
    "WorkbookInfo",
    "write_calibration_workbook",
]

SESSION_COLUMNS = (
    Column("Sheet"),
    Column("Session", width=30, wrap=True),
    Column("Call"),
    Column("Channel"),
    Column("Agent"),
    Column("Call date", Kind.DATE),
    Column("Form"),
    Column("Version", Kind.INT),
    Column("Benchmark"),
    Column("Benchmark score", Kind.SCORE),
    Column("Reviewers scored", Kind.INT),
    Column("Invited", Kind.INT),
    Column("Lowest score", Kind.SCORE),
    Column("Highest score", Kind.SCORE),
    Column("Range", Kind.SCORE),
    Column("Standard deviation", Kind.SCORE),
    Column("Acceptable up to", Kind.NUMBER),
    Column("Discuss up to", Kind.NUMBER),
    Column("Acceptable", Kind.INT),
    Column("Discuss", Kind.INT),
    Column("Recalibrate", Kind.INT),
    Column("Questions compared", Kind.INT),
    Column("Questions answered differently", Kind.INT),
    Column("Score alpha", Kind.ALPHA),
    Column("Score alpha 95% low", Kind.ALPHA),
    Column("Score alpha 95% high", Kind.ALPHA),
    Column("Score alpha n (sessions)", Kind.INT),
    Column("Score alpha verdict"),
    Column("Sessions pooled", Kind.INT),
    Column("This call's alpha", Kind.ALPHA),
    Column("Revealed on", Kind.DATETIME),
)
DEVIATION_COLUMNS = (
    Column("Session", width=30, wrap=True),
    Column("Revealed on", Kind.DATETIME),
    Column("Form"),
    Column("Reviewer"),
    Column("Score", Kind.SCORE),
    Column("Benchmark", Kind.SCORE),
    Column("Benchmark kind"),
    Column("Deviation", Kind.SIGNED),
    Column("Absolute deviation", Kind.SCORE),
    Column("Band"),
    Column("Acceptable up to", Kind.NUMBER),
    Column("Discuss up to", Kind.NUMBER),
)
REVIEWER_COLUMNS = (
    Column("Reviewer"),
    Column("Sessions compared", Kind.INT),
    Column("Mean absolute deviation", Kind.SCORE),
    Column("Mean deviation (bias)", Kind.SIGNED),
    Column("Within acceptable", Kind.RATE),
    Column("Within discuss or better", Kind.RATE),
    Column("Acceptable", Kind.INT),
    Column("Discuss", Kind.INT),
    Column("Recalibrate", Kind.INT),
    Column("Largest absolute deviation", Kind.SCORE),
)
# Fixed sheets; a session's sheet name starts with its number, so it never takes one.
FIXED_SHEETS = ("Sessions", "Deviations", "Reviewers", "About")


def _col(columns: Sequence[Column], header: str) -> str:
    return get_column_letter(next(i for i, c in enumerate(columns, 1) if c.header == header))


def _benchmark_word(s: RevealedSession) -> str:
    return t.BENCHMARK_WORDS[s.reveal.benchmark_kind].format(expert=s.expert_name or "")


def _session_row(s: RevealedSession, sheet: str) -> list[object]:
    r = s.reveal
    spread = r.spread
    bands = [x.band for x in r.results]
    score = s.score_alpha
    return [
        sheet,
        s.title,
        s.call_id,
        s.channel,
        s.agent,
        s.call_date,
        s.form_title,
        s.form_version,
        _benchmark_word(s),
        r.benchmark,
        len(r.participants),
        s.invited,
        None if spread is None else spread.low,
        None if spread is None else spread.high,
        None if spread is None else spread.range,
        None if spread is None else spread.sd,
        r.bands.acceptable,
        r.bands.discuss,
        bands.count(Band.ACCEPTABLE),
        bands.count(Band.DISCUSS),
        bands.count(Band.RECALIBRATE),
        len(r.rows),
        r.disagreeing_rows,
        score.alpha,
        score.low,
        score.high,
        score.units,
        t.VERDICT_WORDS[verdict(score.alpha, score.units)],
        s.pooled,
        s.call_alpha.alpha,
        s.revealed_at,
    ]


def _write_sessions(
    wb: Workbook,
    taken: set[str],
    sessions: Sequence[RevealedSession],
    sheets: Sequence[str],
    note: str,
) -> None:
    recalibrate = _col(SESSION_COLUMNS, "Recalibrate")

    def finish(ws: WriteOnlyWorksheet, first: int, last: int) -> None:
        cells = f"{recalibrate}{first}:{recalibrate}{last}"
        ws.conditional_formatting.add(cells, positive(f"{recalibrate}{first}"))

    table = TableWriter(
        wb,
        "Sessions",
        SESSION_COLUMNS,
        taken,
        finish_sheet=finish,
        fit_to_page_width=True,
        note=note,
    )
    for s, sheet in zip(sessions, sheets, strict=True):
        table.append(_session_row(s, sheet))
    table.close()


def _band_rules(ws: WriteOnlyWorksheet, cells: str, band_cell: str) -> None:
    """Fill ``cells`` by the band word in ``band_cell`` (its first row, column fixed)."""
    for band, (fill, font) in BAND_STYLES.items():
        word = t.BAND_WORDS[band].replace('"', '""')
        ws.conditional_formatting.add(
            cells, FormulaRule(formula=[f'{band_cell}="{word}"'], fill=fill, font=font)
        )


def _write_deviations(
    wb: Workbook, taken: set[str], sessions: Sequence[RevealedSession], note: str
) -> None:
    band = _col(DEVIATION_COLUMNS, "Band")
    deviation = _col(DEVIATION_COLUMNS, "Deviation")

    def finish(ws: WriteOnlyWorksheet, first: int, last: int) -> None:
        _band_rules(ws, f"{deviation}{first}:{band}{last}", f"${band}{first}")

    table = TableWriter(
        wb,
        "Deviations",
        DEVIATION_COLUMNS,
        taken,
        finish_sheet=finish,
        fit_to_page_width=True,
        note=note,
    )
    for s in sessions:
        r = s.reveal
        kind = _benchmark_word(s)
        for result in r.results:
            d = result.deviation
            table.append(
                [
                    s.title,
                    s.revealed_at,
                    s.form_title,
                    result.participant.name,
                    result.participant.score,
                    r.benchmark,
                    kind,
                    d,
                    None if d is None else abs(d),
                    t.NO_BENCHMARK if result.band is None else t.BAND_WORDS[result.band],
                    r.bands.acceptable,
                    r.bands.discuss,
                ]
            )
    table.close()


def _write_reviewers(
    wb: Workbook, taken: set[str], sessions: Sequence[RevealedSession], note: str
) -> None:
    within = _col(REVIEWER_COLUMNS, "Within acceptable")
    recalibrate = _col(REVIEWER_COLUMNS, "Recalibrate")

    def finish(ws: WriteOnlyWorksheet, first: int, last: int) -> None:
        ws.conditional_formatting.add(f"{within}{first}:{within}{last}", rate_scale())
        ws.conditional_formatting.add(
            f"{recalibrate}{first}:{recalibrate}{last}", positive(f"{recalibrate}{first}")
        )

    table = TableWriter(
        wb,
        "Reviewers",
        REVIEWER_COLUMNS,
        taken,
        finish_sheet=finish,
        fit_to_page_width=True,
        note=note,
    )
    for total in reviewer_totals(s.reveal for s in sessions):
        table.append(
            [
                total.name,
                total.sessions,
                total.mean_absolute,
                total.bias,
                total.within_acceptable,
                total.within_discuss,
                total.acceptable,
                total.discuss,
                total.recalibrate,
                total.largest,
            ]
        )
    table.close()


def _generated(info: WorkbookInfo) -> str:
    moment = f"{info.generated_at:%Y-%m-%d %H:%M}"
    if info.generated_by:
        return t.GENERATED_BY.format(moment=moment, zone=info.timezone, who=info.generated_by)
    return t.GENERATED.format(moment=moment, zone=info.timezone)


def _write_about(ws: WriteOnlyWorksheet, info: WorkbookInfo, sessions: int) -> None:
    label_width, text_width = 22.0, 90.0
    ws.column_dimensions["A"].width = label_width
    ws.column_dimensions["B"].width = text_width
    ws.sheet_view.showGridLines = False
    ws.page_setup.orientation = "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    count = (
        t.SCOPE_ONE_SESSION if sessions == 1 else t.SCOPE_SESSION_COUNT.format(n=f"{sessions:,}")
    )
    scope = [*info.scope, (t.SCOPE_SESSIONS, count)]
    rows: list[tuple[str | None, str, object]] = [
        (None, t.WORKBOOK_TITLE, TITLE_FONT),
        (None, _generated(info), NOTE_FONT),
        (None, "", None),
        *((label, text, None) for label, text in scope),
    ]
    if info.capped_from is not None:
        capped = t.CAPPED.format(shown=f"{sessions:,}", total=f"{info.capped_from:,}")
        rows.append((None, capped, NOTE_FONT))
    rows += [(None, "", None), (None, t.ABOUT_HEADING, SUBTITLE_FONT)]
    figures = {
        "recent": info.recent_sessions,
        "resamples": f"{info.resamples:,}",
        "minimum": info.minimum_sessions,
    }
    rows += [(label, text.format(**figures), None) for label, text in t.ABOUT_LINES]
    for number, (label, text, font) in enumerate(rows, 1):
        if label is None:  # a line across the sheet: title, note or heading
            ws.append([styled_cell(ws, text or None, font=font)] if text else [])
            continue
        lines = wrapped_lines(text, text_width)
        if lines > 1:
            ws.row_dimensions[number].height = 15 * lines
        ws.append(
            [
                styled_cell(ws, label, font=LABEL_FONT, alignment=WRAP),
                styled_cell(ws, text, alignment=WRAP),
            ]
        )


def _sheet_names(sessions: Sequence[RevealedSession]) -> list[str]:
    """The session sheets' names, as ``new_sheet`` will make them after the fixed ones."""
    taken = {name.casefold() for name in FIXED_SHEETS}
    return [sheet_title(session_sheet_name(i, s.title), taken) for i, s in enumerate(sessions, 1)]


def write_calibration_workbook(
    sessions: Sequence[RevealedSession],
    path: str | Path,
    info: WorkbookInfo,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> CalibrationExportResult:
    """Write the workbook of ``sessions`` (in the order given) to ``path`` (see the module
    docstring). ``cancelled()`` returning True stops it with ExportCancelled and no file;
    ExportError when the target cannot be written."""
    started = time.perf_counter()
    target = Path(path).expanduser().absolute()
    if target.suffix.lower() != ".xlsx":
        raise ExportError(f"'{target}' does not end in .xlsx; Excel would refuse to open it.")

    def check() -> None:
        if cancelled is not None and cancelled():
            raise ExportCancelled(target)

    sentences = [info.scope_sentence]
    if info.capped_from is not None:
        sentences.append(t.CAPPED.format(shown=f"{len(sessions):,}", total=f"{info.capped_from:,}"))
    sentences.append(t.SEE_ABOUT)
    note = " ".join(sentences)
    names = _sheet_names(sessions)
    with atomic_output(target) as temp:
        wb = Workbook(write_only=True)
        try:
            taken: set[str] = set()
            _write_sessions(wb, taken, sessions, names, note)
            _write_deviations(wb, taken, sessions, note)
            _write_reviewers(wb, taken, sessions, note)
            for number, s in enumerate(sessions, 1):
                check()
                write_session_sheet(wb, taken, number, s)
            _write_about(new_sheet(wb, "About", taken), info, len(sessions))
            check()
            save_workbook(wb, temp)
        except BaseException:
            discard_workbook(wb)
            raise
        sheets = tuple(ws.title for ws in wb.worksheets)
    return CalibrationExportResult(target, len(sessions), sheets, time.perf_counter() - started)
