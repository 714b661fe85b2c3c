"""The Outcomes screen's words: figures with their intervals, the formula and inputs
behind each (the hover text), why a period has no figure, period names, and the
default churn reasons' and acting teams' labels in the user's language.

Rules:
- Every sentence is whole and translatable (context "OutcomeTexts"); numbers are
  formatted here, one decimal for percentages and points, two for means.
- A default churn reason (or acting team) is shown translated when its label is still
  the default English one; a label the centre wrote is shown as written.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from qa_monitor.core.churn_reasons import DEFAULT_REASONS
from qa_monitor.core.drivers import Outcome
from qa_monitor.core.metrics import REPEAT_WINDOW_DAYS
from qa_monitor.core.outcome_figures import MIN_N, Figure
from qa_monitor.services.outcome_service import Gap, Grain, PeriodOutcomes

DASH = "—"


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate("OutcomeTexts", text, disambiguation, n)


def _reason_labels() -> dict[str, str]:
    return {
        "incorrect_use_case": tr("Incorrect use case"),
        "failure_to_launch": tr("Failure to launch"),
        "features_functionality": tr("Features and functionality"),
        "low_usage": tr("Low usage"),
        "roi_value": tr("ROI and value"),
        "organisational_change": tr("Customer or organisational change"),
        "competitor_price": tr("Competitor or price"),
        "other": tr("Other"),
    }


def _team_labels() -> dict[str, str]:
    return {
        "Marketing and sales": tr("Marketing and sales"),
        "Sales and onboarding": tr("Sales and onboarding"),
        "Product and customer support": tr("Product and customer support"),
        "Customer support and onboarding": tr("Customer support and onboarding"),
        "Metrics, customer support and relationship management": tr(
            "Metrics, customer support and relationship management"
        ),
        "Customer support and relationship management": tr(
            "Customer support and relationship management"
        ),
        "Relationship management": tr("Relationship management"),
    }


_DEFAULT_LABELS = {r.code: r.label for r in DEFAULT_REASONS}


def reason_label(code: str, label: str) -> str:
    """``label`` in the user's language when it is a default reason's own label."""
    if _DEFAULT_LABELS.get(code) == label:
        return _reason_labels().get(code, label)
    return label


def team_label(team: str) -> str:
    """An acting team's name, translated when it is one of the defaults."""
    if not team:
        return tr("No team named")
    return _team_labels().get(team, team)


def outcome_name(outcome: Outcome) -> str:
    return {
        Outcome.CSAT: tr("CSAT (mean, 1–5)"),
        Outcome.NPS: tr("NPS (points)"),
        Outcome.CES: tr("CES (mean, 1–7)"),
        Outcome.FCR: tr("FCR as reported (percentage points)"),
        Outcome.FCR_REPEAT: tr("FCR, no repeat within {0} days (percentage points)").format(
            REPEAT_WINDOW_DAYS
        ),
        Outcome.RETENTION: tr("Retention saves (percentage points)"),
    }[outcome]


# ---------------------------------------------------------------------- numbers
def number(value: float, decimals: int = 1) -> str:
    return QLocale().toString(float(value), "f", decimals)


# The figures of a period, in the table's order: (attribute, kind of number).
PERCENT, POINTS, MEAN = "percent", "points", "mean"
KINDS = {
    "crr": PERCENT,
    "churn": PERCENT,
    "simple_index": PERCENT,
    "nps": POINTS,
    "csat": PERCENT,
    "csat_mean": MEAN,
    "ces": MEAN,
    "fcr": PERCENT,
    "fcr_repeat": PERCENT,
    "save_rate": PERCENT,
}


def value_text(key: str, value: float) -> str:
    kind = KINDS[key]
    if kind == PERCENT:
        return tr("{0} %").format(number(value))
    if kind == MEAN:
        return number(value, 2)
    return number(value)


def figure_text(key: str, figure: Figure | None) -> str:
    """ "95.0 % (76.4–99.1 %)", or the value alone without an interval."""
    if figure is None:
        return DASH
    if figure.low is None or figure.high is None:
        return value_text(key, figure.value)
    decimals = 2 if KINDS[key] == MEAN else 1
    return tr("{0} ({1}–{2})").format(
        value_text(key, figure.value),
        number(figure.low, decimals),
        value_text(key, figure.high),
    )


def interval_text(key: str, figure: Figure) -> str:
    if figure.low is None or figure.high is None:
        return ""
    decimals = 2 if KINDS[key] == MEAN else 1
    text = tr("95 % interval {0}–{1}").format(
        number(figure.low, decimals), value_text(key, figure.high)
    )
    # A narrow tile wraps this line: never between a number and its per cent sign.
    return text.replace(" %", "\u00a0%")


def _inputs(figure: Figure) -> dict[str, float]:
    return dict(figure.inputs)


def _count(n: float) -> str:
    return QLocale().toString(round(n))


def formula(key: str, figure: Figure) -> str:
    """The figure's formula with its inputs and its interval method, one sentence."""
    v = value_text(key, figure.value)
    low = number(figure.low, 2 if KINDS[key] == MEAN else 1) if figure.low is not None else ""
    high = value_text(key, figure.high) if figure.high is not None else ""
    k = _count(figure.value * figure.n / 100.0)
    n = _count(figure.n)
    i = _inputs(figure)
    if key == "crr":
        return tr(
            "CRR = ((E − N) / S) × 100 = (({0} − {1}) / {2}) × 100 = {3}; "
            "95 % Wilson interval {4}–{5}"
        ).format(_count(i["E"]), _count(i["N"]), _count(i["S"]), v, low, high)
    if key == "churn":
        return tr(
            "Churn rate = lost / S × 100, with lost = S + N − E: {0} / {1} × 100 = {2}; "
            "95 % Wilson interval {3}–{4}"
        ).format(_count(i["lost"]), _count(i["S"]), v, low, high)
    if key == "simple_index":
        return tr(
            "Simple retention index = E / S × 100 = {0} / {1} × 100 = {2}; it has no "
            "interval: it can exceed 100 % and is not a share"
        ).format(_count(i["E"]), _count(i["S"]), v)
    if key == "nps":
        return tr(
            "NPS = % promoters − % detractors = ({0} − {1}) / {2} × 100 = {3}; 95 % "
            "interval {4} to {5} (normal approximation, Var = (p₊ + p₋ − (p₊ − p₋)²) / n)"
        ).format(
            _count(i["promoters"]), _count(i["detractors"]), n, v, low, number(figure.high or 0)
        )
    if key == "csat":
        return tr(
            "CSAT = answers of 4 or 5 / answers × 100 = {0} / {1} × 100 = {2}; 95 % Wilson "
            "interval {3}–{4}"
        ).format(k, n, v, low, high)
    if key in ("csat_mean", "ces"):
        if figure.low is None:
            return tr("Mean of {0} answer(s) = {1}; one answer has no interval").format(n, v)
        text = (
            tr("CSAT mean = Σ answers / n over {0} answers = {1}; 95 % t interval {2}–{3}")
            if key == "csat_mean"
            else tr("CES = Σ answers / n over {0} answers (1–7) = {1}; 95 % t interval {2}–{3}")
        )
        return text.format(n, v, low, high)
    if key == "fcr":
        return tr(
            "FCR = resolved on first contact / answered × 100 = {0} / {1} × 100 = {2}; "
            "95 % Wilson interval {3}–{4}"
        ).format(k, n, v, low, high)
    if key == "fcr_repeat":
        resolved, judged = _count(i["resolved"]), _count(i["judged"])
        pending = round(i.get("pending", 0))
        days = REPEAT_WINDOW_DAYS
        if pending:
            return tr(
                "FCR = contacts with no repeat within {5} days / judged contacts × 100 = "
                "{0} / {1} × 100 = {2}; 95 % Wilson interval {3}–{4}. Not judged yet: %n "
                "contact(s) within {5} days of now or of the end of the call log.",
                None,
                pending,
            ).format(resolved, judged, v, low, high, days)
        return tr(
            "FCR = contacts with no repeat within {5} days / judged contacts × 100 = "
            "{0} / {1} × 100 = {2}; 95 % Wilson interval {3}–{4}"
        ).format(resolved, judged, v, low, high, days)
    return tr(
        "Save rate = retained / (retained + lost) × 100 = {0} / {1} × 100 = {2}; 95 % Wilson "
        "interval {3}–{4}"
    ).format(k, n, v, low, high)


SURVEY_KEY = {"nps": "nps", "csat": "csat", "csat_mean": "csat", "ces": "ces", "fcr": "fcr"}
SURVEY_KEY["save_rate"] = "save"
SURVEY_KEY["fcr_repeat"] = "fcr_repeat"
BASE_KEYS = ("crr", "churn", "simple_index")


def gap_text(gap: Gap | None) -> str:
    if gap is Gap.PARTIAL:
        return tr(
            "The customer counts imported cover only part of this period, so its retention "
            "would describe fewer months than it says; import counts for all of it, or "
            "choose periods of a month."
        )
    if gap is Gap.NOT_CONSECUTIVE:
        return tr(
            "The customer counts of this period leave a gap or overlap, so they cannot be "
            "chained; import counts for every month of it."
        )
    if gap is Gap.IMPOSSIBLE:
        return tr(
            "The customer counts of this period cannot all be true (more customers joined "
            "than were left at its end); check the imported counts."
        )
    return tr(
        "No customer counts were imported for this period; import them with Data ▸ Import "
        "customer counts, or import a customer list."
    )


def missing_text(key: str, period: PeriodOutcomes) -> str:
    """Why ``period`` shows no figure for ``key`` (a sentence for the hover text)."""
    if key in BASE_KEYS:
        if period.base is None:
            return gap_text(period.gap)
        if key == "simple_index" and period.base.new:
            return tr(
                "The simple retention index is shown only for a period in which no customers "
                "joined: E / S would count the new ones as kept. Read the CRR instead."
            )
        return tr("No customers at the start of this period: there is nothing to divide by.")
    if key == "fcr_repeat":
        return _repeat_missing(period)
    answered = period.survey_n.get(SURVEY_KEY[key], 0)
    if answered == 0:
        return tr("No answers in this period.")
    return tr(
        "Too few answers ({0}): a figure needs at least {1}, below that its interval is wider "
        "than the scale."
    ).format(answered, MIN_N)


def _repeat_missing(period: PeriodOutcomes) -> str:
    contacts = period.survey_n.get("contacts", 0)
    judged = period.survey_n.get("fcr_repeat", 0)
    if contacts == 0:
        return tr(
            "No contact of this period has a customer reference, so repeat contacts cannot "
            "be found; import the call log with its customer column."
        )
    if judged == 0:
        return tr(
            "This period's %n contact(s) cannot be judged yet: within {0} days of now or of "
            "the end of the call log.",
            None,
            period.fcr_pending,
        ).format(REPEAT_WINDOW_DAYS)
    return tr(
        "Too few contacts judged ({0}): a figure needs at least {1}; {2} more are not judged yet."
    ).format(_count(judged), MIN_N, _count(period.fcr_pending))


def period_name(start: date, end: date, grain: Grain) -> str:
    if grain is Grain.YEAR:
        return str(start.year)
    if grain is Grain.QUARTER:
        return tr("Q{0} {1}").format((start.month - 1) // 3 + 1, start.year)
    return QLocale().toString(QDate(start.year, start.month, 1), "MMM yyyy")
