"""How exported workbooks look: column kinds and their number formats, header and title
styles, conditional formats, and column widths measured from content.

Colours are the Okabe–Ito palette's (colour-blind safe) and light fills that print
well; pass/fail is also written as a word, so colour never carries meaning alone.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from enum import Enum

from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

FONT_NAME = "Calibri"


class Kind(Enum):
    """What a column holds; decides the cell type, number format and width."""

    TEXT = "text"
    INT = "int"
    SCORE = "score"  # 0–100 points, one decimal
    NUMBER = "number"  # any number, two decimals at most
    SIGNED = "signed"  # a difference in points, one decimal, always with its sign
    ALPHA = "alpha"  # an agreement coefficient: three decimals (0.667 is a threshold)
    RATE = "rate"  # a share 0..1 shown as a percentage
    DATE = "date"
    DATETIME = "datetime"
    MONTH = "month"  # a date standing for its month
    DURATION = "duration"  # timedelta


NUMBER_FORMATS: dict[Kind, str] = {
    Kind.INT: "0",
    Kind.SCORE: "0.0",
    Kind.NUMBER: "0.0#",
    Kind.SIGNED: "+0.0;-0.0;0.0",
    Kind.ALPHA: "0.000",
    Kind.RATE: "0.0%",
    Kind.DATE: "yyyy-mm-dd",
    Kind.DATETIME: "yyyy-mm-dd hh:mm",
    Kind.MONTH: "mmm yyyy",
    Kind.DURATION: "[h]:mm:ss",
}
# Widths (in characters) that fit each kind's formatted values.
KIND_WIDTHS: dict[Kind, float] = {
    Kind.INT: 8,
    Kind.SCORE: 8,
    Kind.NUMBER: 9,
    Kind.SIGNED: 8,
    Kind.ALPHA: 8,
    Kind.RATE: 9,
    Kind.DATE: 11,
    Kind.DATETIME: 17,
    Kind.MONTH: 10,
    Kind.DURATION: 9,
}
MIN_WIDTH = 6.0
MAX_WIDTH = 60.0

_THIN = Side(style="thin", color="9E9E9E")
HEADER_FONT = Font(name=FONT_NAME, bold=True, color="1F1F1F")
HEADER_FILL = PatternFill("solid", start_color="DCE6F1", end_color="DCE6F1")
HEADER_BORDER = Border(bottom=_THIN)
# Text sits one indent in from the left, so it never touches a number to its left.
HEADER_ALIGNMENT = Alignment(horizontal="left", vertical="center", wrap_text=True)
HEADER_INDENTED = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
HEADER_RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=True)
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=16, color="1F3864")
SUBTITLE_FONT = Font(name=FONT_NAME, bold=True, size=12, color="1F3864")
NOTE_FONT = Font(name=FONT_NAME, italic=True, color="595959")
LABEL_FONT = Font(name=FONT_NAME, bold=True)
WRAP = Alignment(horizontal="left", wrap_text=True, vertical="top", indent=1)
TOP = Alignment(vertical="top")
# Indenting needs an explicit left alignment (Excel and LibreOffice ignore it otherwise).
TOP_TEXT = Alignment(horizontal="left", vertical="top", indent=1)
TEXT = Alignment(horizontal="left", indent=1)

# Okabe–Ito: blue, vermillion, bluish green, orange, sky blue, reddish purple, yellow.
PALETTE = ("0072B2", "D55E00", "009E73", "E69F00", "56B4E9", "CC79A7", "F0E442")
FAIL_FILL = PatternFill("solid", start_color="F8D7DA", end_color="F8D7DA")
FAIL_FONT = Font(color="842029")
PASS_FILL = PatternFill("solid", start_color="D1E7DD", end_color="D1E7DD")
PASS_FONT = Font(color="0F5132")
# Worth a look, neither good nor bad (e.g. a reviewer clearly stricter than peers).
NOTICE_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
NOTICE_FONT = Font(color="7F6000")


def score_scale(pass_mark: float = 80.0) -> ColorScaleRule:
    """Red below, amber at and green above the pass mark (0..100 scores)."""
    return ColorScaleRule(
        start_type="num",
        start_value=max(pass_mark - 30.0, 0.0),
        start_color="F8696B",
        mid_type="num",
        mid_value=pass_mark,
        mid_color="FFEB84",
        end_type="num",
        end_value=100,
        end_color="63BE7B",
    )


def rate_scale(reverse: bool = False) -> ColorScaleRule:
    """0..1 shares: green is good; ``reverse`` for miss rates, where high is bad."""
    low, high = ("63BE7B", "F8696B") if reverse else ("F8696B", "63BE7B")
    return ColorScaleRule(
        start_type="min", start_color=low, end_type="max", end_color=high, mid_type=None
    )


def text_is(word: str, *, fail: bool) -> CellIsRule:
    """Highlight cells equal to ``word`` (e.g. "Fail") red, or green for a pass."""
    return CellIsRule(
        operator="equal",
        formula=[f'"{word}"'],
        fill=FAIL_FILL if fail else PASS_FILL,
        font=FAIL_FONT if fail else PASS_FONT,
    )


def not_blank(first_cell: str) -> FormulaRule:
    """Highlight a non-empty cell red (e.g. a critical failure's causes)."""
    return FormulaRule(formula=[f"LEN({first_cell})>0"], fill=FAIL_FILL, font=FAIL_FONT)


def positive(first_cell: str) -> FormulaRule:
    return FormulaRule(formula=[f"{first_cell}>0"], fill=FAIL_FILL, font=FAIL_FONT)


def holds(formula: str, *, fail: bool) -> FormulaRule:
    """Highlight the cells where ``formula`` (written for the range's first cell, with
    ``$`` on what must not shift) is true: red (``fail``) or amber (worth a look)."""
    if fail:
        return FormulaRule(formula=[formula], fill=FAIL_FILL, font=FAIL_FONT)
    return FormulaRule(formula=[formula], fill=NOTICE_FILL, font=NOTICE_FONT)


def text_width(value: object) -> float:
    """Roughly how many character widths ``value`` needs (wide East Asian letters count 2)."""
    if value is None:
        return 0.0
    if isinstance(value, datetime):
        return KIND_WIDTHS[Kind.DATETIME]
    if isinstance(value, date):
        return KIND_WIDTHS[Kind.DATE]
    if isinstance(value, timedelta):
        return KIND_WIDTHS[Kind.DURATION]
    if isinstance(value, float):
        return len(f"{value:.1f}")
    text = str(value)
    longest = max(text.splitlines() or [""], key=len)
    if longest.isascii():
        return float(len(longest))
    return float(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest))


def fit_width(kind: Kind, header: str, samples: list[object]) -> float:
    """A column width that fits the header's longest word and the sampled values."""
    header_word = max((len(w) for w in header.split()), default=0)
    header_need = min(float(len(header)), 24.0)
    content = KIND_WIDTHS.get(kind) or max((text_width(v) for v in samples), default=0.0)
    width = max(content, header_need, float(header_word)) + 2.0
    return max(MIN_WIDTH, min(width, MAX_WIDTH))
