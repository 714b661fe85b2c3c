"""Our Krippendorff's alpha against an independent implementation (the ``krippendorff``
package, a test-only dependency that computes it from a value-by-unit matrix with
numpy), on random reliability data with missing values at all four levels; and the
bootstrap interval's promises."""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_monitor.core.agreement import alpha_with_interval, krippendorff_alpha

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _matrix(units: list[dict[str, int]], coders: list[str]) -> np.ndarray:
    return np.array([[u.get(c, np.nan) for u in units] for c in coders], dtype=float)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_units=st.integers(3, 25),
    n_coders=st.integers(2, 6),
    values=st.integers(2, 6),
    missing=st.floats(0.0, 0.4),
)
def test_alpha_equals_the_independent_implementation(
    seed: int, n_units: int, n_coders: int, values: int, missing: float
) -> None:
    rng = random.Random(seed)
    coders = [f"r{i}" for i in range(n_coders)]
    units = [
        {c: rng.randint(1, values) for c in coders if rng.random() >= missing}
        for _ in range(n_units)
    ]
    for level in LEVELS:
        ours = krippendorff_alpha(units, level=level)  # type: ignore[arg-type]
        pairable = [u for u in units if len(u) >= 2]
        distinct = {v for u in pairable for v in u.values()}
        if ours is None:
            assert len(distinct) < 2 or not pairable
            continue
        theirs = krippendorff.alpha(
            reliability_data=_matrix(units, coders), level_of_measurement=level
        )
        assert ours == pytest.approx(float(theirs), abs=1e-9), level


def test_the_bootstrap_interval_is_reproducible_and_holds_alpha() -> None:
    rng = random.Random(4)
    units = [
        {f"r{i}": min(5, max(1, 3 + rng.choice((-1, 0, 0, 1)))) for i in range(5)}
        for _ in range(30)
    ]
    first = alpha_with_interval(units, "ordinal", seed=9)
    again = alpha_with_interval(units, "ordinal", seed=9)
    assert first == again
    assert first.alpha is not None and first.low is not None and first.high is not None
    assert first.low <= first.alpha <= first.high
    assert (first.units, first.values) == (30, 150)
    other = alpha_with_interval(units, "ordinal", seed=10)
    assert other.alpha == first.alpha and (other.low, other.high) != (first.low, first.high)


def test_no_interval_from_a_single_unit() -> None:
    estimate = alpha_with_interval([{"a": 1, "b": 2, "c": 2}], "nominal")
    assert estimate.alpha is not None
    assert (estimate.low, estimate.high, estimate.units) == (None, None, 1)
