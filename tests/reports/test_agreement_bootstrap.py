"""The vectorised alpha bootstrap agrees with ``core.agreement``: the same alpha, the
same alpha on any resample (checked on the whole sample, every unit once), and an
interval within bootstrap noise of ``alpha_with_interval``'s."""

from __future__ import annotations

import random

import numpy as np
import pytest

from qa_monitor.core.agreement import alpha_with_interval, krippendorff_alpha
from qa_monitor.reports.agreement_bootstrap import CategoricalLevel, _alphas, alpha_estimate


def _units(level: CategoricalLevel, seed: int) -> list[dict[int, object]]:
    """40 sessions of 3–5 reviewers who mostly agree, with some missing answers."""
    rng = random.Random(seed)
    if level == "interval":
        choices: list[object] = [62.5, 70.0, 81.25, 90.0, 100.0]
    else:
        choices = [1, 2, 3, 4, 5] if level == "ordinal" else ['"yes"', '"no"', "N/A"]
    units = []
    for _ in range(40):
        truth = rng.choice(choices)
        unit: dict[int, object] = {}
        for coder in range(rng.randint(3, 5)):
            roll = rng.random()
            unit[coder] = None if roll < 0.1 else (truth if roll < 0.75 else rng.choice(choices))
        units.append(unit)
    return units


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_alpha_and_interval_match_the_core(level: CategoricalLevel) -> None:
    units = _units(level, 7)
    fast = alpha_estimate(units, level, resamples=2000)
    slow = alpha_with_interval(units, level, resamples=2000)
    assert fast.alpha == pytest.approx(krippendorff_alpha(units, level), abs=1e-12)
    assert (fast.units, fast.values) == (slow.units, slow.values)
    assert fast.low is not None and fast.high is not None
    assert slow.low is not None and slow.high is not None
    assert fast.low == pytest.approx(slow.low, abs=0.04)
    assert fast.high == pytest.approx(slow.high, abs=0.04)


@pytest.mark.parametrize("level", ["nominal", "ordinal"])
def test_the_vectorised_alpha_of_the_whole_sample_is_the_core_alpha(
    level: CategoricalLevel,
) -> None:
    units = _units(level, 11)
    estimate = alpha_estimate(units, level, resamples=10)
    # Rebuild the per-unit matrices as alpha_estimate does, and sum them once each.
    pairable = [[v for v in u.values() if v is not None] for u in units]
    pairable = [p for p in pairable if len(p) >= 2]
    order = sorted({v for p in pairable for v in p}, key=lambda v: (isinstance(v, str), str(v)))
    index = {v: i for i, v in enumerate(order)}
    size = len(order)
    total = np.zeros(size * size)
    for values in pairable:
        counts = np.bincount([index[v] for v in values], minlength=size).astype(float)
        total += ((np.outer(counts, counts) - np.diag(counts)) / (len(values) - 1)).ravel()
    (alpha,) = _alphas(total[None, :], size, level)
    assert alpha == pytest.approx(estimate.alpha, abs=1e-12)


def test_too_few_units_or_no_disagreement_give_no_interval() -> None:
    one = alpha_estimate([{1: '"yes"', 2: '"no"'}], "nominal")
    assert (one.low, one.high, one.units) == (None, None, 1)
    same = alpha_estimate([{1: '"yes"', 2: '"yes"'}] * 5, "nominal")
    assert same.alpha is None and same.low is None
