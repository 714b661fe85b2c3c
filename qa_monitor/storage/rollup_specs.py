"""What the dashboard roll-ups hold: measure families, cubes and the SQL that feeds them.

A *family* says which rows contribute and what each contributes (an evaluation, a scored
answer, a section score); a *cube* is one roll-up table: a family summed per date bucket
(day, or month as its first day) and per key dimensions copied from the evaluation.

Rules:
- Only submitted-or-later evaluations count (``status <> 'draft'``).
- Scores and points are summed as fixed-point integers, ``round(x × 10,000)`` (1/10,000
  of a point, half up). Integer sums are exact and associative, so a roll-up maintained by
  adding and subtracting contributions in any order equals, exactly, the same sum
  recomputed from the raw rows; and a variance computed from Σq and Σq² with Python's
  integers loses nothing to cancellation. Rounding a stored score to 1/10,000 of a
  point is far below the one-decimal display precision.
- An evaluation without a team is stored with team_id 0 (key columns cannot be NULL).
- The question family counts answers with status 'scored' only; "missed" means it
  earned less than its possible points. Bonus questions (possible 0) are never missed.

Everything here is data and string building; ``rollups`` creates and maintains the
tables and ``analytics_queries`` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SCALE = 10_000
Grain = Literal["day", "month", "year"]
GRAINS: tuple[Grain, ...] = ("day", "month", "year")  # finest first

# Dimensions every family can be keyed or filtered by: SQL over the evaluation ``{e}``.
EVAL_DIMS: dict[str, str] = {
    "team_id": "coalesce({e}.team_id, 0)",
    "agent_id": "{e}.agent_id",
    "reviewer_id": "{e}.reviewer_id",
    "form_id": "{e}.form_id",
    "form_version_id": "{e}.form_version_id",
    "channel": "{e}.channel",
    "kind": "{e}.kind",
}
DIM_TYPES: dict[str, str] = {
    "team_id": "INTEGER",
    "agent_id": "INTEGER",
    "reviewer_id": "INTEGER",
    "form_version_id": "INTEGER",
    "form_id": "TEXT",
    "channel": "TEXT",
    "kind": "TEXT",
    "question_id": "TEXT",
    "section_id": "TEXT",
    "category": "TEXT",
}
DATE_EXPR: dict[Grain, str] = {
    "day": "{e}.interaction_date",
    "month": "substr({e}.interaction_date, 1, 7) || '-01'",
    "year": "substr({e}.interaction_date, 1, 4) || '-01-01'",
}


def bucket_sql(column: str, grain: Grain, source: Grain = "day") -> str:
    """SQL turning ``column`` (a day, or the first day of a ``source`` bucket) into the
    first day of its ``grain`` bucket."""
    if grain == source:
        return column
    if GRAINS.index(grain) < GRAINS.index(source):
        raise ValueError(f"cannot split {source} buckets into {grain}s")
    return {"month": "substr({0}, 1, 7) || '-01'", "year": "substr({0}, 1, 4) || '-01-01'"}[
        grain
    ].format(column)


COUNTED = "{e}.status <> 'draft'"
# Evaluation columns whose change can move or change a contribution.
EVAL_KEY_COLUMNS = (
    "interaction_date",
    "team_id",
    "agent_id",
    "reviewer_id",
    "form_id",
    "form_version_id",
    "channel",
    "kind",
)
EVAL_VALUE_COLUMNS = ("score", "passed", "critical_failed")


def fixed(expr: str) -> str:
    """SQL for ``expr`` (a score or points, never negative) as a whole number of 1/SCALE
    points, rounded half up: what SQLite's ``round()`` gives, without its function call
    (it matters over 30 million answers). NULL stays NULL."""
    return f"CAST(({expr}) * {SCALE} + 0.5 AS INTEGER)"


@dataclass(frozen=True, slots=True)
class Family:
    """Rows that contribute and what each contributes.

    ``child`` is the table joined to the evaluation as ``{c}`` (None: the evaluation
    itself); ``child_keys`` are extra key columns from it; ``child_where`` selects the
    child rows that count; ``measures`` are (column, per-row SQL) pairs; ``watched``
    are the child columns whose update changes a contribution.
    """

    name: str
    child: str | None
    child_keys: tuple[tuple[str, str], ...]
    child_where: str
    measures: tuple[tuple[str, str], ...]
    watched: tuple[str, ...] = ()

    @property
    def measure_names(self) -> tuple[str, ...]:
        return tuple(name for name, _sql in self.measures)


EVALUATION = Family(
    "evaluation",
    None,
    (),
    "1",
    (
        ("n", "1"),
        ("n_scored", "{e}.score IS NOT NULL"),
        ("sum_q", "coalesce(" + fixed("{e}.score") + ", 0)"),
        ("sum_q2", "coalesce(" + fixed("{e}.score") + " * " + fixed("{e}.score") + ", 0)"),
        ("n_pass_known", "{e}.passed IS NOT NULL"),
        ("n_passed", "coalesce({e}.passed, 0)"),
        ("n_critical", "{e}.critical_failed"),
    ),
)
QUESTION = Family(
    "question",
    "answers",
    (("question_id", "{c}.question_id"),),
    "{c}.status = 'scored'",
    (
        ("n", "1"),
        ("n_missed", "{c}.earned < {c}.possible"),
        ("n_failing", "coalesce({c}.failing, 0)"),
        ("sum_earned_q", fixed("{c}.earned")),
        ("sum_possible_q", fixed("{c}.possible")),
    ),
    ("evaluation_id", "question_id", "status", "earned", "possible", "failing"),
)
SECTION = Family(
    "section",
    "section_scores",
    (("section_id", "{c}.section_id"), ("category", "{c}.category")),
    "1",
    (
        ("n", "1"),
        ("n_critical", "{c}.critical_failed"),
        ("sum_earned_q", fixed("{c}.earned")),
        ("sum_before_q", fixed("{c}.earned_before_critical")),
        ("sum_possible_q", fixed("{c}.possible")),
    ),
    (
        "evaluation_id",
        "section_id",
        "category",
        "earned",
        "earned_before_critical",
        "possible",
        "critical_failed",
    ),
)
FAMILIES: tuple[Family, ...] = (EVALUATION, QUESTION, SECTION)


@dataclass(frozen=True, slots=True)
class Cube:
    """One roll-up table: ``family`` summed per (date bucket, ``dims``, child keys); the
    bucket ``d`` is the day, or the first day of the month or year.

    ``lead`` names a dimension indexed as (lead, d) for queries filtered by it.
    """

    table: str
    family: Family
    grain: Grain
    dims: tuple[str, ...]
    lead: str | None = None
    fine: bool = False  # about a row per evaluation: not for queries a raw index answers

    @property
    def key_columns(self) -> tuple[str, ...]:
        return ("d", *self.dims, *(name for name, _sql in self.family.child_keys))

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.key_columns, *self.family.measure_names)

    def covers(self, needed: frozenset[str]) -> bool:
        """Whether every dimension in ``needed`` is a key of this cube."""
        keys = set(self.dims) | {name for name, _sql in self.family.child_keys}
        return needed <= keys


_FORM = ("form_id", "form_version_id", "channel", "kind")
# In order of preference (smallest first) within a family and grain.
_PEOPLE = ("agent_id", "reviewer_id", "team_id", *_FORM)
# Within a family and grain, in order of preference (smallest first).
CUBES: tuple[Cube, ...] = (
    Cube("rollup_eval_day", EVALUATION, "day", _FORM),
    # About one row per evaluation, but narrow and with the sums precomputed: what day
    # segments grouped by agent or reviewer read (selective filters use the raw indexes).
    Cube("rollup_eval_people_day", EVALUATION, "day", _PEOPLE, fine=True),
    Cube("rollup_eval_month", EVALUATION, "month", ("team_id", *_FORM), "team_id"),
    Cube(
        "rollup_eval_agent_month", EVALUATION, "month", ("agent_id", "team_id", *_FORM), "agent_id"
    ),
    Cube(
        "rollup_eval_reviewer_month",
        EVALUATION,
        "month",
        ("reviewer_id", "team_id", *_FORM),
        "reviewer_id",
    ),
    Cube("rollup_eval_agent_year", EVALUATION, "year", ("agent_id", "team_id", *_FORM), "agent_id"),
    Cube(
        "rollup_eval_reviewer_year",
        EVALUATION,
        "year",
        ("reviewer_id", "team_id", *_FORM),
        "reviewer_id",
    ),
    Cube("rollup_question_day", QUESTION, "day", _FORM),
    Cube("rollup_question_month", QUESTION, "month", _FORM),
    Cube("rollup_question_team_month", QUESTION, "month", ("team_id", *_FORM), "team_id"),
    Cube("rollup_section_day", SECTION, "day", _FORM),
    Cube("rollup_section_month", SECTION, "month", ("team_id", *_FORM), "team_id"),
)


def cubes_of(family: Family) -> tuple[Cube, ...]:
    return tuple(c for c in CUBES if c.family is family)


# --------------------------------------------------------------------------- SQL text


def key_exprs(cube: Cube, e: str, c: str) -> list[str]:
    """SQL for the cube's key columns, over evaluation ``e`` and child ``c``."""
    exprs = [DATE_EXPR[cube.grain].format(e=e)]
    exprs += [EVAL_DIMS[d].format(e=e) for d in cube.dims]
    exprs += [sql.format(c=c) for _name, sql in cube.family.child_keys]
    return exprs


def measure_exprs(
    family: Family, e: str, c: str, *, sign: int = 1, total: bool = False
) -> list[str]:
    """SQL for the family's measures: per row times ``sign``, or summed (``total``)."""
    out = []
    for _name, sql in family.measures:
        value = sql.format(e=e, c=c)
        if total:
            out.append(f"SUM({value})")
        elif sign == 1:
            out.append(f"({value})")
        else:
            out.append(f"-({value})")
    return out


def recompute_select(cube: Cube, only: str | None = None) -> str:
    """SELECT of the cube's rows recomputed from the raw tables (column order = table);
    ``only``: a further condition on the evaluations (alias ``e``)."""
    family = cube.family
    keys = key_exprs(cube, "e", "c")
    source = "evaluations e"
    where = [COUNTED.format(e="e"), *([only] if only else [])]
    if family.child is not None:
        source += f" JOIN {family.child} c ON c.evaluation_id = e.id"
        where.append(family.child_where.format(c="c"))
    cols = ", ".join([*keys, *measure_exprs(family, "e", "c", total=True)])
    group = ", ".join(str(i + 1) for i in range(len(keys)))
    return f"SELECT {cols} FROM {source} WHERE {' AND '.join(where)} GROUP BY {group}"


def upsert(cube: Cube, select: str) -> str:
    """INSERT ``select`` into the cube, adding to the measures of rows already there."""
    cols = ", ".join(cube.columns)
    pk = ", ".join(cube.key_columns)
    adds = ", ".join(f"{m} = {m} + excluded.{m}" for m in cube.family.measure_names)
    return f"INSERT INTO {cube.table} ({cols}) {select} ON CONFLICT ({pk}) DO UPDATE SET {adds}"


def contribution_from_evaluation(cube: Cube, row: str, sign: int) -> str:
    """Upsert of evaluation ``row``'s (NEW or OLD) contribution, in an evaluations trigger."""
    family = cube.family
    parts = [*key_exprs(cube, row, "c"), *measure_exprs(family, row, "c", sign=sign)]
    where = [COUNTED.format(e=row)]
    if family.child is None:
        return upsert(cube, f"SELECT {', '.join(parts)} WHERE {' AND '.join(where)}")
    where += [f"c.evaluation_id = {row}.id", family.child_where.format(c="c")]
    return upsert(
        cube, f"SELECT {', '.join(parts)} FROM {family.child} c WHERE {' AND '.join(where)}"
    )


def contribution_from_child(cube: Cube, row: str, sign: int) -> str:
    """Upsert of child ``row``'s (NEW or OLD) contribution, in a trigger on the child table."""
    family = cube.family
    parts = [*key_exprs(cube, "e", row), *measure_exprs(family, "e", row, sign=sign)]
    where = [f"e.id = {row}.evaluation_id", COUNTED.format(e="e"), family.child_where.format(c=row)]
    return upsert(cube, f"SELECT {', '.join(parts)} FROM evaluations e WHERE {' AND '.join(where)}")
