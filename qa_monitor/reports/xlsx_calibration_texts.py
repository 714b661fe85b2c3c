"""The words of the calibration workbook, in one place for its translations.

Every text is a whole sentence or a whole label with named placeholders
(``str.format``); the writers never glue fragments. Enum values (bands, verdicts,
benchmark kinds) are never shown: these maps give their words.
"""

from __future__ import annotations

from qa_monitor.core.calibration import Band, BenchmarkKind
from qa_monitor.core.reviewer_quality import Verdict

WORKBOOK_TITLE = "Calibration sessions"
GENERATED = "Generated {moment} ({zone})."
GENERATED_BY = "Generated {moment} ({zone}) by {who}."
SEE_ABOUT = "What the figures mean: see the About sheet."
SCOPE_NOTE = "Revealed calibration sessions: {scope}."
NOTHING = "No revealed calibration session matches: {scope}"
CAPPED = (
    "Only the newest {shown} of the {total} matching sessions are in this workbook; "
    "narrow the dates or choose a form for the others."
)

# Scope lines (label, text).
SCOPE_FORM = "Form"
SCOPE_ALL_FORMS = "All forms"
SCOPE_REVEALED = "Revealed"
SCOPE_BETWEEN = "{first} to {last}"
SCOPE_FROM = "from {first}"
SCOPE_UP_TO = "up to {last}"
SCOPE_ANY_DATE = "Any date"
SCOPE_CHOSEN = "Sessions"
SCOPE_CHOSEN_TEXT = "The sessions chosen on the Calibration screen"
SCOPE_SESSIONS = "In this workbook"
SCOPE_SESSION_COUNT = "{n} revealed sessions"
SCOPE_ONE_SESSION = "1 revealed session"

BAND_WORDS = {
    Band.ACCEPTABLE: "Acceptable",
    Band.DISCUSS: "Discuss",
    Band.RECALIBRATE: "Recalibrate",
}
NO_BENCHMARK = "No benchmark"
VERDICT_WORDS = {
    Verdict.RELIABLE: "Reliable",
    Verdict.TENTATIVE: "Tentative",
    Verdict.UNRELIABLE: "Unreliable",
    Verdict.TOO_FEW: "Too few sessions",
    Verdict.UNDEFINED: "Same answers: nothing to judge",
}
LEVEL_WORDS = {"nominal": "Categories", "ordinal": "Ranks", "interval": "Numbers"}
BENCHMARK_WORDS = {
    BenchmarkKind.EXPERT: "Expert: {expert}",
    BenchmarkKind.AGREED: "Agreed answers",
    BenchmarkKind.MEDIAN: "Panel median",
    BenchmarkKind.NONE: "None",
}
BENCHMARK_SENTENCES = {
    BenchmarkKind.EXPERT: "Benchmark: the expert {expert}'s score, {score}.",
    BenchmarkKind.AGREED: "Benchmark: the score of the agreed answers, {score}.",
    BenchmarkKind.MEDIAN: (
        "Benchmark: the median of the panel's scores, {score}, until every answered "
        "question has an agreed answer."
    ),
    BenchmarkKind.NONE: "No benchmark: the expert did not submit, so nobody is compared.",
}

# The session sheet.
SESSION_CALL = "Call {call}; form {form}, version {version}; revealed on {revealed}."
SESSION_KEY = (
    "'Differ' marks a question answered differently; ≠ marks an answer that is not the "
    "benchmark's (without a benchmark answer, not the most common one). Reviewers' "
    "comments are notes on their answers."
)
SESSION_MISSING = "Invited but not submitted, so not compared: {names}."
SESSION_SUMMARY = "Summary: {summary}"
EXPERT_HEADER = "{name} (expert)"
DIFFER = "Differ"
SAME = "Same"
DIFFERS_MARK = "≠ {answer}"
HIDDEN = "Not shown"
NOT_ANSWERED = "No answer"
GUIDANCE_YES = "Yes"
ROW_SCORE = "Score"
ROW_DEVIATION = "Deviation from the benchmark"
ROW_BAND = "Band"
BENCHMARK_CELL = "Benchmark"

# The About sheet: (label, sentence) pairs.
ABOUT_HEADING = "What the figures mean"
ABOUT_LINES = (
    (
        "Benchmark",
        "Each reviewer is compared with a benchmark score. In an expert session it is the "
        "expert's score. In a consensus session it is the score of the answers the panel "
        "agreed; until every answered question has an agreed answer, it is the median of "
        "the panel's scores.",
    ),
    (
        "Deviation",
        "A reviewer's score minus the benchmark, in points. Positive means more lenient "
        "than the benchmark; negative means stricter.",
    ),
    (
        "Bands",
        "Each session keeps the bands it was set up with. A deviation up to the "
        "'acceptable' bound is acceptable, up to the 'discuss' bound it is discussed, and "
        "above that the reviewer stops and recalibrates. Both bounds are inclusive.",
    ),
    (
        "Spread",
        "The lowest and the highest score in the session, their difference, and the "
        "standard deviation of all the scores (n − 1), the expert's included.",
    ),
    (
        "Matrix",
        "One row per scored question that someone saw, in form order. 'Not shown' means a "
        "condition hid the question for that reviewer.",
    ),
    (
        "Agreement",
        "The share of the answers to a question that are its most common answer on this call.",
    ),
    (
        "Alpha",
        "Krippendorff's alpha says how far reviewers agree beyond chance: 1 is perfect "
        "agreement, 0 is no better than chance.",
    ),
    (
        "Levels",
        "Yes/no and choice answers are compared as categories (nominal), ordered scales as "
        "ranks (ordinal), and scores as numbers (interval).",
    ),
    (
        "Pooled sessions",
        "One session gives a question a single unit, which says nothing, so a question's "
        "alpha and the score's alpha pool the session with the form's revealed sessions "
        "before it, {recent} in all at most. n is the number of those sessions in which two "
        "or more reviewers answered.",
    ),
    (
        "Interval",
        "The 95% interval comes from resampling the sessions {resamples} times; there is "
        "none with fewer than two sessions.",
    ),
    (
        "Verdicts",
        "An alpha of 0.80 or more is reliable, 0.667 or more is tentative, and below 0.667 "
        "unreliable. Fewer than {minimum} sessions are too few to judge.",
    ),
    (
        "This call's alpha",
        "The panel's agreement on this call alone, with the questions as units (nominal).",
    ),
    (
        "Reviewer totals",
        "A reviewer's totals count the sessions in this workbook in which they were "
        "compared with a benchmark; an expert is the benchmark of their own session, not "
        "compared in it.",
    ),
)
