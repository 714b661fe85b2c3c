"""Strictness against peers for a whole period at once: every reviewer's cell offsets,
pooled per month (the drift) and over the period, computed over arrays.

Rules:
- What is computed is ``core.reviewer_quality``'s rule (cells, offsets, pooling, t
  interval) over what ``storage.reviewer_quality_queries.strictness_cells`` reads.
- It is the same to the last bit as computing one cell and one pooling at a time
  (``pooled_offset``): every step is the same IEEE operation on the same operands.
  Integer sums are exact; products and differences in numpy round once each, as in
  Python; squares use Python's ``pow`` (numpy squares by multiplying, which differs in
  the last bit for about one value in 1,200); sums are ``math.fsum`` (exact, so their
  order does not matter). ``tests/reports/test_reviewer_quality_reference.py`` checks
  it against a computation from the raw rows.
- At a million evaluations (77,000 reviewer-cells over eight years) this takes about
  100 ms after the read; one cell at a time it took a second.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain, pairwise, repeat

import numpy as np
import sqlite_utils

from qa_monitor.core.reviewer_quality import Offset
from qa_monitor.core.statistics import t_critical_cached
from qa_monitor.storage.reviewer_quality_queries import strictness_cells
from qa_monitor.storage.rollup_specs import SCALE


@dataclass(frozen=True, slots=True)
class Strictness:
    """Per reviewer: scored regular evaluations; the pooled offset over the period and
    per month (only reviewers and months with a comparable cell)."""

    evaluations: dict[int, int]
    overall: dict[int, Offset]
    months: dict[int, dict[date, Offset]]


def _sums(index: np.ndarray, size: int, values: np.ndarray) -> np.ndarray:
    """``values`` added up per ``index`` (0 ≤ index < size), exactly (integers)."""
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, index, values)
    return out


def pooled_groups(
    offsets: np.ndarray, weights: np.ndarray, bounds: Sequence[int], confidence: float = 0.95
) -> list[Offset]:
    """``pooled_offset`` of each group ``offsets[a:b]`` weighted ``weights[a:b]`` for
    consecutive ``a, b`` of ``bounds`` (first 0, last the length; weights positive),
    term for term the same arithmetic (see the module rules)."""
    if len(bounds) < 2:
        return []
    starts = np.asarray(bounds[:-1])
    sizes = np.diff(np.asarray(bounds))
    totals = np.add.reduceat(weights, starts).tolist()
    products = (offsets * weights).tolist()  # x · w
    means = [
        math.fsum(products[a:b]) / total
        for (a, b), total in zip(pairwise(bounds), totals, strict=True)
    ]
    deviations = (offsets - np.repeat(np.asarray(means), sizes)).tolist()  # x − mean
    squares = np.fromiter(map(pow, deviations, repeat(2)), dtype=float, count=len(deviations))
    terms = ((weights * weights) * squares).tolist()  # w · w · (x − mean) ** 2
    out = []
    for (a, b), total, mean in zip(pairwise(bounds), totals, means, strict=True):
        k = b - a
        if k < 2:
            out.append(Offset(mean, None, None, k, total))
            continue
        spread = math.fsum(terms[a:b]) / (total * total)
        se = math.sqrt(k / (k - 1) * spread)
        half = t_critical_cached(k - 1, confidence) * se
        out.append(Offset(mean, mean - half, mean + half, k, total))
    return out


def strictness(db: sqlite_utils.Database, start: date | None, end: date | None) -> Strictness:
    """Strictness over interactions dated ``start`` to ``end`` (None: open).

    A cell's offset: own mean = Σq / (n · SCALE), others' mean = (Σq_cell / SCALE − own
    mean · n) / (n_cell − n), offset = others' mean − own mean, weighted by n, from
    integers below 2**53 (converted exactly)."""
    read = strictness_cells(db, start, end)
    sizes = [len(m.rows) for m in read.months]
    if not sizes:
        return Strictness({}, {}, {})
    flat = np.concatenate(
        [
            np.fromiter(chain.from_iterable(m.rows), dtype=np.int64, count=5 * len(m.rows))
            for m in read.months
        ]
    )
    reviewer, team, form, n, q = flat.reshape(-1, 5).T
    month = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    # Dense indexes: team, reviewer, the cell (month, team, form), then the reviewer's
    # part of a cell, whose rows (form versions, channels) are added up first.
    teams, team = np.unique(team, return_inverse=True)
    reviewers, who = np.unique(reviewer, return_inverse=True)
    cell = (month * len(teams) + team) * len(read.forms) + form
    parts, part = np.unique(cell * len(reviewers) + who, return_inverse=True)
    n, q = _sums(part, len(parts), n), _sums(part, len(parts), q)
    who, cell = parts % len(reviewers), parts // len(reviewers)
    month = cell // (len(teams) * len(read.forms))
    cells, cell = np.unique(cell, return_inverse=True)
    cell_n, cell_q = _sums(cell, len(cells), n), _sums(cell, len(cells), q)
    ids = reviewers.tolist()
    evaluations = dict(zip(ids, _sums(who, len(reviewers), n).tolist(), strict=True))

    others = cell_n[cell] - n
    keep = others > 0
    who, month, cell, n, q, others = (a[keep] for a in (who, month, cell, n, q, others))
    mean = q / (n * SCALE)
    offsets = (cell_q[cell] / SCALE - mean * n) / others - mean
    # Grouped by reviewer, then month: a month's cells and a reviewer's are contiguous.
    order = np.lexsort((month, who))
    who, month, offsets, n = who[order], month[order], offsets[order], n[order]
    new_reviewer = np.diff(who, prepend=-1) != 0
    by_reviewer = [*np.flatnonzero(new_reviewer).tolist(), len(who)]
    by_month = [*np.flatnonzero(new_reviewer | (np.diff(month, prepend=-1) != 0)).tolist()]
    by_month.append(len(who))
    whose, when = who.tolist(), month.tolist()
    days = [date.fromisoformat(m.month) for m in read.months]
    overall = {
        ids[whose[a]]: offset
        for a, offset in zip(by_reviewer, pooled_groups(offsets, n, by_reviewer), strict=False)
    }
    months: dict[int, dict[date, Offset]] = {}
    for a, offset in zip(by_month, pooled_groups(offsets, n, by_month), strict=False):
        months.setdefault(ids[whose[a]], {})[days[when[a]]] = offset
    return Strictness(evaluations, overall, months)
