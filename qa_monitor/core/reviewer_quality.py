"""Reviewer quality: how strict a reviewer is against peers, and whether a question is
read the same way by every reviewer.

Rules:
- Strictness pools per-cell offsets. A *cell* is work that is comparable: the same
  form, the same team and the same calendar month. In a cell where the reviewer and at
  least one other reviewer scored, the cell's offset is
  ``others' mean score − the reviewer's mean score`` in points (positive: the reviewer
  scores lower than peers, i.e. is stricter). Strictness is the mean of the cell
  offsets weighted by the reviewer's scored evaluations in each cell.
- Its 95 % interval is a t interval over the cells: with k cells, weights w, offsets
  x and weighted mean m, the standard error is
  ``sqrt(k / (k − 1) · Σ w²(x − m)² / (Σw)²)`` (with equal weights, s / √k) and the
  half-width ``t(k − 1) · SE``. It needs two cells; one cell gives no interval. The
  interval therefore covers the reviewer's strictness across the mix of teams, forms
  and months, not only the sampling error inside a cell.
- "Within noise" when the interval contains zero (or there is none).
- Question agreement verdicts (DOMAIN.md): alpha ≥ 0.80 reliable, ≥ 0.667 tentative,
  below 0.667 unreliable; fewer than ``MIN_SESSIONS`` calibration sessions with two or
  more answers of the question is too few to judge.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from qa_monitor.core.forms import QuestionType
from qa_monitor.core.statistics import t_critical_cached

RELIABLE_ALPHA = 0.80
TENTATIVE_ALPHA = 0.667
MIN_SESSIONS = 5  # calibration sessions (pairable units) before alpha is judged


@dataclass(frozen=True, slots=True)
class Offset:
    """A pooled offset from peers in points (positive: stricter) with its interval."""

    value: float
    low: float | None
    high: float | None
    cells: int
    n: int  # the reviewer's scored evaluations in those cells

    @property
    def within_noise(self) -> bool:
        """Whether the interval is missing or contains zero."""
        return self.low is None or self.high is None or self.low <= 0.0 <= self.high


def pooled_offset(cells: Iterable[tuple[float, int]], confidence: float = 0.95) -> Offset | None:
    """The weighted mean of ``(offset, weight)`` cells with a t interval over the cells
    (see the module rules); None without a cell of positive weight."""
    pairs = [(x, w) for x, w in cells if w > 0]
    if not pairs:
        return None
    total = sum(w for _x, w in pairs)
    mean = math.fsum(x * w for x, w in pairs) / total
    k = len(pairs)
    if k < 2:
        return Offset(mean, None, None, k, total)
    spread = math.fsum(w * w * (x - mean) ** 2 for x, w in pairs) / (total * total)
    se = math.sqrt(k / (k - 1) * spread)
    half = t_critical_cached(k - 1, confidence) * se
    return Offset(mean, mean - half, mean + half, k, total)


class Verdict(StrEnum):
    RELIABLE = "reliable"
    TENTATIVE = "tentative"
    UNRELIABLE = "unreliable"
    TOO_FEW = "too_few"
    UNDEFINED = "undefined"  # every answer the same: alpha has no expected disagreement


def verdict(alpha: float | None, sessions: int) -> Verdict:
    """The verdict on a question's alpha over ``sessions`` pairable units."""
    if sessions < MIN_SESSIONS:
        return Verdict.TOO_FEW
    if alpha is None:
        return Verdict.UNDEFINED
    if alpha >= RELIABLE_ALPHA:
        return Verdict.RELIABLE
    if alpha >= TENTATIVE_ALPHA:
        return Verdict.TENTATIVE
    return Verdict.UNRELIABLE


# Ordered answers compared as ranks; the others as categories (nominal).
_STEPS = {"yes": 2, "pass": 2, "partial": 1, "no": 0, "fail": 0}
ORDINAL_TYPES = frozenset(
    {
        QuestionType.YES_PARTIAL_NO,
        QuestionType.PASS_FAIL,
        QuestionType.SCALE_1_5,
        QuestionType.SCALE_0_10,
    }
)


def agreement_value(question_type: str, choice: str | None) -> str | int | None:
    """What a reviewer's choice counts as in alpha: for ordered questions (scales,
    yes/partial/no, pass/partial/fail) its rank, N/A missing; for the others (yes/no,
    choices) the choice itself, N/A a choice of its own. ``choice`` is the stored JSON
    text of the value, 'N/A', or None (hidden or unanswered: missing)."""
    if choice is None:
        return None
    if question_type not in ORDINAL_TYPES:
        return choice
    if choice == "N/A":
        return None
    text = choice.strip('"')
    if text in _STEPS:
        return _STEPS[text]
    try:
        return int(float(text))
    except ValueError:
        return None
