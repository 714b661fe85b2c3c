"""The words the Calibration screen, its tables and its dialog share: a reviewer's part
and state, the variance bands, the benchmark, and Krippendorff's alpha in words a QA
lead reads (DOMAIN.md: 0.80 or more reliable, 0.667 or more tentative, below that
unreliable; and how many sessions the figure rests on).

Rules:
- Each text is one whole sentence or label with placeholders (CONVENTIONS.md), under
  the "CalibrationTexts" context.
- Numbers are in the user's locale, one decimal for points and scores (half up, as
  every score is shown), two for alpha; a deviation carries its sign.
- A band is never told by colour alone: its word and an icon go with its colour.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from qa_monitor.core.agreement import AlphaEstimate
from qa_monitor.core.calibration import NA, Band, Bands, BenchmarkKind, Spread
from qa_monitor.core.metrics import round_half_up
from qa_monitor.core.reviewer_quality import MIN_SESSIONS, Verdict, verdict
from qa_monitor.ui import icons
from qa_monitor.ui.widgets.widget_style import danger_color, is_dark, ltr, success_color

NO_VALUE = "—"


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate("CalibrationTexts", text, disambiguation, n)


# ------------------------------------------------------------------ numbers
def points(value: float | None, *, signed: bool = False) -> str:
    """Points of score with one decimal, half up ("+10.0", "-4.0", "0.0")."""
    if value is None:
        return NO_VALUE
    shown = round_half_up(value, 1)
    text = QLocale().toString(shown, "f", 1)
    return f"+{text}" if signed and shown > 0 else text


def score_text(value: float | None) -> str:
    """A score as every screen shows it: one decimal, half up, with "%"."""
    if value is None:
        return NO_VALUE
    return tr("{0}%").format(points(value))


def alpha_number(value: float | None) -> str:
    if value is None:
        return NO_VALUE
    return QLocale().toString(round_half_up(value, 2), "f", 2)


def percent(share: float | None) -> str:
    if share is None:
        return NO_VALUE
    return tr("{0}%").format(QLocale().toString(round_half_up(share * 100, 0), "f", 0))


# ------------------------------------------------------------------ parts and states
def my_part_text(mine: str | None) -> str:
    """The current reviewer's part in a listed session."""
    return {
        None: NO_VALUE,
        "todo": tr("To score"),
        "draft": tr("Draft"),
        "done": tr("Submitted"),
    }.get(mine, NO_VALUE)


def state_text(state: str) -> str:
    """A participant's state before the reveal (never a score)."""
    return {
        "submitted": tr("Submitted"),
        "draft": tr("Draft on this computer"),
        "waiting": tr("Waiting"),
    }.get(state, state)


def state_icon(state: str) -> Any:
    palette = QGuiApplication.palette()
    name = {
        "submitted": "mdi6.check-circle-outline",
        "draft": "mdi6.pencil-outline",
        "waiting": "mdi6.timer-sand",
    }.get(state, "mdi6.help-circle-outline")
    color = success_color(palette) if state == "submitted" else palette.text().color()
    return icons.icon(name, color=color)


def answer_text(label: str, key: str | None, hidden: bool) -> str:
    """What a matrix cell says: the answer's label, N/A, or why there is none."""
    if hidden:
        return tr("not asked")
    if key is None:
        return NO_VALUE
    if key == NA:
        return tr("N/A")
    return label


# ------------------------------------------------------------------ bands
def bands_sentence(bands: Bands) -> str:
    return tr(
        "Acceptable within {0} points of the benchmark, discussed within {1}, "
        "recalibrate beyond that."
    ).format(points(bands.acceptable), points(bands.discuss))


def band_word(band: Band | None) -> str:
    """The band in one word, for a narrow cell (its tooltip gives the bounds)."""
    if band is None:
        return NO_VALUE
    return {
        Band.ACCEPTABLE: tr("Acceptable"),
        Band.DISCUSS: tr("Discuss"),
        Band.RECALIBRATE: tr("Recalibrate"),
    }[band]


def band_text(band: Band | None, bands: Bands) -> str:
    if band is None:
        return NO_VALUE
    if band is Band.ACCEPTABLE:
        return tr("Acceptable (within {0})").format(points(bands.acceptable))
    if band is Band.DISCUSS:
        return tr("Discuss (within {0})").format(points(bands.discuss))
    return tr("Recalibrate (beyond {0})").format(points(bands.discuss))


def warning_color(palette: QPalette) -> QColor:
    # Amber, readable (>= 4.5:1) on each scheme's background.
    return QColor("#ffcc80") if is_dark(palette) else QColor("#8a4b00")


def band_color(band: Band | None, palette: QPalette) -> QColor | None:
    if band is Band.ACCEPTABLE:
        return success_color(palette)
    if band is Band.DISCUSS:
        return warning_color(palette)
    if band is Band.RECALIBRATE:
        return danger_color(palette)
    return None


def band_icon(band: Band | None) -> Any:
    color = band_color(band, QGuiApplication.palette())
    if band is None or color is None:
        return None
    name = {
        Band.ACCEPTABLE: "mdi6.check-circle-outline",
        Band.DISCUSS: "mdi6.comment-alert-outline",
        Band.RECALIBRATE: "mdi6.alert-octagon-outline",
    }[band]
    return icons.icon(name, color=color)


# ------------------------------------------------------------------ benchmark and spread
def benchmark_sentence(kind: BenchmarkKind, value: float | None, expert: str | None) -> str:
    score = ltr(score_text(value))
    if kind is BenchmarkKind.EXPERT:
        return tr("Benchmark: the expert {0}'s score, {1}.").format(expert or "", score)
    if kind is BenchmarkKind.AGREED:
        return tr("Benchmark: the score of the agreed answers, {0}.").format(score)
    if kind is BenchmarkKind.MEDIAN:
        return tr(
            "Benchmark: the median of the panel's scores, {0}, until every answered "
            "question has an agreed answer."
        ).format(score)
    return tr(
        "No benchmark: the expert did not submit, so the others cannot be compared with the expert."
    )


def spread_sentence(spread: Spread | None) -> str:
    if spread is None:
        return tr("Spread: no scores to compare.")
    if spread.sd is None:
        return tr("Spread: one score, {0}; nothing to compare it with.").format(
            ltr(score_text(spread.low))
        )
    return tr(
        "Spread: from {0} to {1}, a range of {2} points; standard deviation {3} points."
    ).format(
        ltr(score_text(spread.low)),
        ltr(score_text(spread.high)),
        ltr(points(spread.range)),
        ltr(points(spread.sd)),
    )


# ------------------------------------------------------------------ alpha
def verdict_word(v: Verdict) -> str:
    """A short verdict for a table cell."""
    return {
        Verdict.RELIABLE: tr("Reliable"),
        Verdict.TENTATIVE: tr("Tentative"),
        Verdict.UNRELIABLE: tr("Unreliable"),
        Verdict.TOO_FEW: tr("Too few to judge"),
        Verdict.UNDEFINED: tr("All the same"),
    }[v]


def reading(alpha: float) -> str:
    """What an alpha reads as, whatever the number of units."""
    return verdict_word(verdict(alpha, MIN_SESSIONS))


def interval_text(estimate: AlphaEstimate) -> str:
    if estimate.low is None or estimate.high is None:
        return NO_VALUE
    return tr("{0} to {1}").format(
        ltr(alpha_number(estimate.low)), ltr(alpha_number(estimate.high))
    )


def alpha_sentence(estimate: AlphaEstimate, units: str, *, advice: bool = False) -> str:
    """Alpha in words: the figure, its 95 % interval, what it rests on and its verdict.
    ``units``: "sessions" or "questions" (what the units of this alpha are); with
    ``advice`` an unreliable or tentative verdict says what to do."""
    if units == "sessions":
        n = tr("n = %n session(s)", "", estimate.units)
    else:
        n = tr("n = %n question(s)", "", estimate.units)
    if estimate.alpha is None:
        if estimate.units == 0:
            return tr("not measured yet: nothing has two answers to compare ({0}).").format(n)
        return tr("every reviewer gave the same answers ({0}): no disagreement to measure.").format(
            n
        )
    figure = ltr(alpha_number(estimate.alpha))
    interval = interval_text(estimate)
    judged = verdict(estimate.alpha, estimate.units)
    if judged is Verdict.TOO_FEW:
        if units == "sessions":
            text = tr(
                "{0} (95% interval {1}; {2}): too few sessions to judge ({3} are needed); "
                "so far it reads as {4}."
            )
        else:
            text = tr(
                "{0} (95% interval {1}; {2}): too few questions to judge ({3} are needed); "
                "so far it reads as {4}."
            )
        return text.format(figure, interval, n, MIN_SESSIONS, reading(estimate.alpha).casefold())
    return tr("{0} (95% interval {1}; {2}): {3}.").format(
        figure, interval, n, verdict_long(judged, advice)
    )


def verdict_long(v: Verdict, advice: bool = False) -> str:
    if advice and v is Verdict.UNRELIABLE:
        return tr("unreliable (below 0.667): reviewers read it differently; discuss or reword it")
    if advice and v is Verdict.TENTATIVE:
        return tr("tentative (0.667 to 0.80): watch it")
    return {
        Verdict.RELIABLE: tr("reliable (0.80 or more)"),
        Verdict.TENTATIVE: tr("tentative (0.667 to 0.80)"),
        Verdict.UNRELIABLE: tr("unreliable (below 0.667)"),
        Verdict.TOO_FEW: tr("too few to judge"),
        Verdict.UNDEFINED: tr("every answer the same"),
    }[v]
