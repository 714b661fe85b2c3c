"""The drivers roll-up: customer outcomes summed per question, split by full marks.

``rollup_drivers_month`` holds, per (month of the interaction date, team, form, kind,
question, full marks or not), the tallies of the customer outcomes of the interactions
behind those answers: CSAT (n, Σ, Σ², 4s and 5s), NPS (n, promoters, detractors), CES
(n, Σ, Σ²), FCR as reported (n, resolved), retention (decided, retained) and FCR from
repeat contacts (contacts with a customer reference, those followed by a repeat within
the window: storage/repeat_contacts.py). The Drivers analysis (core/drivers.py) reads
it instead of joining millions of answers to their calls.

Rules (as the dashboard roll-ups, storage/rollups.py):
- Counted: answers with status 'scored' and possible points above 0 (bonus questions
  are never "missed"), of evaluations that are not drafts, whose interaction has at
  least one outcome. "Full marks" is earned ≥ possible.
- Triggers keep it exact in the same transaction as any change: an answer scored or
  edited, an evaluation submitted, moved, re-kinded or deleted, and an interaction's
  survey or outcome arriving or changing (which moves every answer of its evaluations),
  its customer reference set or cleared, or its repeat status turning (a later contact
  arriving within the window, or leaving it: the repeat-contact triggers' UPDATE of
  ``next_contact_at`` fires these triggers).
- Repeat contacts are counted whatever the clock says: the contacts whose window has
  not closed yet are counted by the readers from the interactions themselves and taken
  out (services/outcome_service.py, services/drivers_service.py).
- Bulk loads suspend its triggers with the others and rebuild it with the others
  (``rollups.suspend_rollups`` / ``rebuild_rollups`` / ``add_evaluations``); the rebuild
  starts from the interactions that have outcomes, so it costs what they hold.
"""

from __future__ import annotations

import sqlite3

from qa_monitor.storage import repeat_contacts
from qa_monitor.storage.repeat_contacts import is_contact, is_repeat

TABLE = "rollup_drivers_month"
# Form and kind lead the key: the analysis reads one form's regular evaluations. The
# primary key then goes question by question (its GROUP BY question, full reads the
# rows in key order instead of sorting them: all time at 1M took 0.7 s, now 0.3 s;
# a date range is a filter on the form's rows, as quick for 12 months).
KEYS = ("form_id", "kind", "d", "team_id", "question_id", "full")
_PRIMARY_KEY = ("form_id", "kind", "question_id", "full", "d", "team_id")
_KEY_TYPES = ("TEXT", "TEXT", "TEXT", "INTEGER", "TEXT", "INTEGER")
MEASURES: tuple[tuple[str, str], ...] = (
    ("n_csat", "({i}.csat IS NOT NULL)"),
    ("sum_csat", "coalesce({i}.csat, 0)"),
    ("sum_csat2", "coalesce({i}.csat * {i}.csat, 0)"),
    ("n_sat", "coalesce({i}.csat >= 4, 0)"),
    ("n_nps", "({i}.nps IS NOT NULL)"),
    ("n_promoters", "coalesce({i}.nps >= 9, 0)"),
    ("n_detractors", "coalesce({i}.nps <= 6, 0)"),
    ("n_ces", "({i}.ces IS NOT NULL)"),
    ("sum_ces", "coalesce({i}.ces, 0)"),
    ("sum_ces2", "coalesce({i}.ces * {i}.ces, 0)"),
    ("n_fcr", "({i}.resolved_first_contact IS NOT NULL)"),
    ("n_resolved", "coalesce({i}.resolved_first_contact = 1, 0)"),
    ("n_ret", "coalesce({i}.retention IN ('retained', 'lost'), 0)"),
    ("n_retained", "coalesce({i}.retention = 'retained', 0)"),
    ("n_rc", is_contact("{i}")),
    ("n_repeat", is_repeat("{i}")),
)
MEASURE_NAMES = tuple(name for name, _sql in MEASURES)
# The interaction columns the measures read (an update of one moves its answers).
OUTCOME_COLUMNS = ("csat", "nps", "ces", "resolved_first_contact", "retention")
# What the repeat-contact measures read; a change counts only when it turns a contact
# into one (or out of one) or changes whether it is repeat-followed, so moving a next
# contact around outside the window writes no roll-up row.
REPEAT_COLUMNS = ("customer_ref", "started_at", repeat_contacts.COLUMN)
_REPEAT_TURNED = (
    f"({is_contact('OLD')}) IS NOT ({is_contact('NEW')})"
    f" OR ({is_repeat('OLD')}) IS NOT ({is_repeat('NEW')})"
)
TRIGGERS = (
    "rollup_drivers_answers_insert",
    "rollup_drivers_answers_update",
    "rollup_drivers_answers_delete",
    "rollup_drivers_evaluations_insert",
    "rollup_drivers_evaluations_update",
    "rollup_drivers_evaluations_delete",
    "rollup_drivers_interactions_update",
)


def has_outcome(i: str) -> str:
    return (
        f"({i}.csat IS NOT NULL OR {i}.nps IS NOT NULL OR {i}.ces IS NOT NULL"
        f" OR {i}.resolved_first_contact IS NOT NULL OR {i}.retention IN ('retained', 'lost')"
        f" OR {i}.customer_ref IS NOT NULL)"
    )


def _counted(e: str, c: str) -> str:
    return f"{e}.status <> 'draft' AND {c}.status = 'scored' AND {c}.possible > 0"


def _keys(e: str, c: str) -> list[str]:
    return [
        f"{e}.form_id",
        f"{e}.kind",
        f"substr({e}.interaction_date, 1, 7) || '-01'",
        f"coalesce({e}.team_id, 0)",
        f"{c}.question_id",
        f"({c}.earned >= {c}.possible)",
    ]


def _measures(i: str, sign: int = 1, total: bool = False) -> list[str]:
    out = []
    for _name, sql in MEASURES:
        value = sql.format(i=i)
        out.append(f"SUM({value})" if total else (f"({value})" if sign == 1 else f"-({value})"))
    return out


def upsert_into(table: str, keys: tuple[str, ...], measures: tuple[str, ...], select: str) -> str:
    """INSERT ``select`` into a roll-up, adding to the measures of rows already there."""
    cols = ", ".join((*keys, *measures))
    adds = ", ".join(f"{m} = {m} + excluded.{m}" for m in measures)
    return (
        f"INSERT INTO {table} ({cols}) {select}"
        f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {adds}"
    )


def _upsert(select: str) -> str:
    return upsert_into(TABLE, KEYS, MEASURE_NAMES, select)


def _select(keys: list[str], measures: list[str], source: str, where: list[str]) -> str:
    return f"SELECT {', '.join(keys + measures)} FROM {source} WHERE {' AND '.join(where)}"


def table_sql() -> str:
    keys = [f"{k} {t} NOT NULL" for k, t in zip(KEYS, _KEY_TYPES, strict=True)]
    measures = [f"{m} INTEGER NOT NULL DEFAULT 0" for m in MEASURE_NAMES]
    return (
        f"CREATE TABLE IF NOT EXISTS {TABLE} ({', '.join(keys + measures)},"
        f" PRIMARY KEY ({', '.join(_PRIMARY_KEY)})) WITHOUT ROWID"
    )


def _from_evaluation(row: str, sign: int) -> str:
    """An evaluations trigger: the contributions of evaluation ``row``'s answers."""
    return _upsert(
        _select(
            _keys(row, "c"),
            _measures("i", sign),
            f"answers c JOIN interactions i ON i.id = {row}.interaction_id",
            [f"c.evaluation_id = {row}.id", _counted(row, "c"), has_outcome("i")],
        )
    )


def _from_answer(row: str, sign: int) -> str:
    """An answers trigger: answer ``row``'s contribution."""
    return _upsert(
        _select(
            _keys("e", row),
            _measures("i", sign),
            "evaluations e JOIN interactions i ON i.id = e.interaction_id",
            [f"e.id = {row}.evaluation_id", _counted("e", row), has_outcome("i")],
        )
    )


def _from_interaction(row: str, sign: int) -> str:
    """An interactions trigger: every counted answer of its evaluations, with the
    outcomes of interaction ``row`` (OLD or NEW)."""
    return _upsert(
        _select(
            _keys("e", "c"),
            _measures(row, sign),
            "evaluations e JOIN answers c ON c.evaluation_id = e.id",
            [f"e.interaction_id = {row}.id", _counted("e", "c"), has_outcome(row)],
        )
    )


def _trigger(name: str, head: str, statements: list[str]) -> str:
    body = ";\n    ".join(statements)
    return f"CREATE TRIGGER IF NOT EXISTS {name} {head}\nBEGIN\n    {body};\nEND"


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


_EVAL_COLUMNS = ("status", "interaction_date", "team_id", "form_id", "kind", "interaction_id")
_ANSWER_COLUMNS = ("evaluation_id", "question_id", "status", "earned", "possible")


def trigger_sql() -> list[str]:
    scored_new = "NEW.status = 'scored' AND NEW.possible > 0"
    scored_old = "OLD.status = 'scored' AND OLD.possible > 0"
    return [
        _trigger(
            TRIGGERS[0], f"AFTER INSERT ON answers WHEN {scored_new}", [_from_answer("NEW", 1)]
        ),
        _trigger(
            TRIGGERS[1],
            f"AFTER UPDATE OF {', '.join(_ANSWER_COLUMNS)} ON answers"
            f" WHEN (({scored_old}) OR ({scored_new})) AND ({_changed(_ANSWER_COLUMNS)})",
            [_from_answer("OLD", -1), _from_answer("NEW", 1)],
        ),
        _trigger(
            TRIGGERS[2], f"AFTER DELETE ON answers WHEN {scored_old}", [_from_answer("OLD", -1)]
        ),
        _trigger(
            TRIGGERS[3],
            "AFTER INSERT ON evaluations WHEN NEW.status <> 'draft'",
            [_from_evaluation("NEW", 1)],
        ),
        _trigger(
            TRIGGERS[4],
            f"AFTER UPDATE OF {', '.join(_EVAL_COLUMNS)} ON evaluations"
            " WHEN (OLD.status <> 'draft' OR NEW.status <> 'draft')"
            " AND ((OLD.status = 'draft') <> (NEW.status = 'draft')"
            f" OR {_changed(_EVAL_COLUMNS[1:])})",
            [_from_evaluation("OLD", -1), _from_evaluation("NEW", 1)],
        ),
        # BEFORE: its answers are still there to subtract (their own delete trigger
        # then finds no evaluation).
        _trigger(
            TRIGGERS[5],
            "BEFORE DELETE ON evaluations WHEN OLD.status <> 'draft'",
            [_from_evaluation("OLD", -1)],
        ),
        _trigger(
            TRIGGERS[6],
            f"AFTER UPDATE OF {', '.join(OUTCOME_COLUMNS + REPEAT_COLUMNS)} ON interactions"
            f" WHEN {_changed(OUTCOME_COLUMNS)} OR {_REPEAT_TURNED}",
            [_from_interaction("OLD", -1), _from_interaction("NEW", 1)],
        ),
    ]


def recompute_select(only: str | None = None) -> str:
    """The table's rows recomputed from the raw rows, from the interactions with an
    outcome out (``only``: a further condition on the evaluations, alias ``e``)."""
    where = [has_outcome("i"), _counted("e", "c"), *([only] if only else [])]
    keys = _keys("e", "c")
    group = ", ".join(str(n + 1) for n in range(len(keys)))
    return (
        f"SELECT {', '.join(keys + _measures('i', total=True))}"
        " FROM interactions i JOIN evaluations e ON e.interaction_id = i.id"
        " JOIN answers c ON c.evaluation_id = e.id"
        f" WHERE {' AND '.join(where)} GROUP BY {group}"
    )


# --- QA score against CSAT: the sums a correlation needs, per form, kind, month and
# team, over counted evaluations with a score whose interaction has a CSAT answer.
# x is the score in hundredths of a point (an integer, so the sums are exact).
SCORE_TABLE = "rollup_score_csat_month"
SCORE_KEYS = ("form_id", "kind", "d", "team_id")
SCORE_MEASURES: tuple[tuple[str, str], ...] = (
    ("n", "1"),
    ("sx", "{x}"),
    ("sxx", "{x} * {x}"),
    ("sy", "{i}.csat"),
    ("syy", "{i}.csat * {i}.csat"),
    ("sxy", "{x} * {i}.csat"),
)
SCORE_TRIGGERS = (
    "rollup_score_csat_evaluations_insert",
    "rollup_score_csat_evaluations_update",
    "rollup_score_csat_evaluations_delete",
    "rollup_score_csat_interactions_update",
)
_SCORE_EVAL_COLUMNS = (
    "status",
    "score",
    "interaction_date",
    "team_id",
    "form_id",
    "kind",
    "interaction_id",
)


def _x(e: str) -> str:
    return f"CAST({e}.score * 100 + 0.5 AS INTEGER)"


def _score_parts(e: str, i: str, sign: int, total: bool = False) -> list[str]:
    keys = [
        f"{e}.form_id",
        f"{e}.kind",
        f"substr({e}.interaction_date, 1, 7) || '-01'",
        f"coalesce({e}.team_id, 0)",
    ]
    values = [sql.format(x=_x(e), i=i) for _n, sql in SCORE_MEASURES]
    if total:
        return keys + [f"SUM({v})" for v in values]
    return keys + [f"({v})" if sign == 1 else f"-({v})" for v in values]


def _score_counted(e: str, i: str) -> str:
    return f"{e}.status <> 'draft' AND {e}.score IS NOT NULL AND {i}.csat IS NOT NULL"


def _score_upsert(select: str) -> str:
    return upsert_into(SCORE_TABLE, SCORE_KEYS, tuple(n for n, _sql in SCORE_MEASURES), select)


def _score_from_evaluation(row: str, sign: int) -> str:
    parts = ", ".join(_score_parts(row, "i", sign))
    return _score_upsert(
        f"SELECT {parts} FROM interactions i"
        f" WHERE i.id = {row}.interaction_id AND {_score_counted(row, 'i')}"
    )


def _score_from_interaction(row: str, sign: int) -> str:
    parts = ", ".join(_score_parts("e", row, sign))
    return _score_upsert(
        f"SELECT {parts} FROM evaluations e"
        f" WHERE e.interaction_id = {row}.id AND {_score_counted('e', row)}"
    )


def score_select() -> str:
    parts = ", ".join(_score_parts("e", "i", 1, total=True))
    return (
        f"SELECT {parts} FROM interactions i JOIN evaluations e ON e.interaction_id = i.id"
        f" WHERE {_score_counted('e', 'i')} GROUP BY 1, 2, 3, 4"
    )


def _score_table_sql() -> str:
    names = [n for n, _sql in SCORE_MEASURES]
    return (
        f"CREATE TABLE IF NOT EXISTS {SCORE_TABLE} (form_id TEXT NOT NULL, kind TEXT NOT NULL,"
        " d TEXT NOT NULL, team_id INTEGER NOT NULL, "
        + ", ".join(f"{m} INTEGER NOT NULL DEFAULT 0" for m in names)
        + f", PRIMARY KEY ({', '.join(SCORE_KEYS)})) WITHOUT ROWID"
    )


def _score_triggers() -> list[str]:
    return [
        _trigger(
            SCORE_TRIGGERS[0],
            "AFTER INSERT ON evaluations WHEN NEW.status <> 'draft'",
            [_score_from_evaluation("NEW", 1)],
        ),
        _trigger(
            SCORE_TRIGGERS[1],
            f"AFTER UPDATE OF {', '.join(_SCORE_EVAL_COLUMNS)} ON evaluations"
            " WHEN (OLD.status <> 'draft' OR NEW.status <> 'draft')"
            " AND ((OLD.status = 'draft') <> (NEW.status = 'draft')"
            f" OR {_changed(_SCORE_EVAL_COLUMNS[1:])})",
            [_score_from_evaluation("OLD", -1), _score_from_evaluation("NEW", 1)],
        ),
        _trigger(
            SCORE_TRIGGERS[2],
            "BEFORE DELETE ON evaluations WHEN OLD.status <> 'draft'",
            [_score_from_evaluation("OLD", -1)],
        ),
        _trigger(
            SCORE_TRIGGERS[3],
            "AFTER UPDATE OF csat ON interactions WHEN OLD.csat IS NOT NEW.csat",
            [_score_from_interaction("OLD", -1), _score_from_interaction("NEW", 1)],
        ),
    ]


def drop_triggers(conn: sqlite3.Connection) -> None:
    """Drop the triggers a bulk load suspends. The outcome table's stay: they cost one
    test per interaction row, and a bulk load that writes interactions (whose sums the
    evaluation-based ``add_evaluations`` cannot give) keeps it exact through them."""
    for name in (*TRIGGERS, *SCORE_TRIGGERS):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def drop_outcome_triggers(conn: sqlite3.Connection) -> None:
    """Drop the outcome table's triggers too (before ``refill``, which recomputes it: a
    set-based rewrite of ``next_contact_at`` would otherwise fire them row by row)."""
    for name in OUTCOME_TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def create_triggers(conn: sqlite3.Connection) -> None:
    for sql in (*trigger_sql(), *_score_triggers(), *_outcome_triggers()):
        conn.execute(sql)


def create_table(conn: sqlite3.Connection) -> None:
    """Create the tables (and the repeat-contact column their measures read, when an
    older migration installs them on a table from before m015)."""
    repeat_contacts.add_column(conn)
    conn.execute(table_sql())
    conn.execute(_score_table_sql())
    conn.execute(_outcome_table_sql())


def _month_bounds(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """[first day, first day of the next month) of every month with interactions."""
    first, last = conn.execute(
        "SELECT min(local_date), max(local_date) FROM interactions"
    ).fetchone()
    if first is None:
        return []
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while (year, month) <= (int(last[:4]), int(last[5:7])):
        following = (year + 1, 1) if month == 12 else (year, month + 1)
        out.append((f"{year:04d}-{month:02d}-01", f"{following[0]:04d}-{following[1]:02d}-01"))
        year, month = following
    return out


def month_select(low: str, high: str) -> str:
    """The table's rows recomputed for the interactions of local dates ``low`` ≤ d <
    ``high``: each interaction's measures worked out once (a materialized CTE), then
    summed over its evaluations' answers, instead of evaluated again for each of the
    ~30 answers of a call (half the time of ``recompute_select`` per month at 1M)."""
    values = ", ".join(f"{sql.format(i='x')} AS {name}" for name, sql in MEASURES)
    sums = ", ".join(f"SUM(o.{name})" for name in MEASURE_NAMES)
    keys = _keys("e", "c")
    group = ", ".join(str(n + 1) for n in range(len(keys)))
    return (
        f"WITH o AS MATERIALIZED (SELECT x.id, {values} FROM interactions x"
        f" WHERE x.local_date >= '{low}' AND x.local_date < '{high}' AND {has_outcome('x')})"
        f" SELECT {', '.join(keys)}, {sums} FROM o JOIN evaluations e ON e.interaction_id = o.id"
        f" JOIN answers c ON c.evaluation_id = e.id WHERE {_counted('e', 'c')} GROUP BY {group}"
    )


def refill(conn: sqlite3.Connection, *, score: bool = True) -> None:
    """Empty the tables and recompute them (triggers suspended by the caller), a month
    of interactions at a time: each chunk's grouping stays small and in memory (one
    GROUP BY over 30 million answers spilled to disk and took minutes at 1M).
    ``score`` False leaves the score/CSAT table as it is (its measures did not change)."""
    conn.execute(f"DELETE FROM {TABLE}")
    if score:
        conn.execute(f"DELETE FROM {SCORE_TABLE}")
    conn.execute(f"DELETE FROM {OUTCOME_TABLE}")
    cols = ", ".join((*OUTCOME_KEYS, *OUTCOME_MEASURE_NAMES))
    for low, high in _month_bounds(conn):
        # On the interaction (alias i in both selects): its date index leads the plan.
        month = f"i.local_date >= '{low}' AND i.local_date < '{high}'"
        conn.execute(_upsert(month_select(low, high)))
        if score:
            select = score_select().replace(" GROUP BY", f" AND {month} GROUP BY")
            conn.execute(_score_upsert(select))
        conn.execute(f"INSERT INTO {OUTCOME_TABLE} ({cols}) {outcome_select(month)}")


def add_evaluations(conn: sqlite3.Connection, only: str) -> None:
    """Add the contributions of the evaluations ``only`` selects (aliases ``e`` for the
    evaluation, ``i`` for its interaction)."""
    conn.execute(_upsert(recompute_select(only)))
    select = score_select().replace(" GROUP BY", f" AND {only} GROUP BY")
    conn.execute(_score_upsert(select))


def _diff(
    conn: sqlite3.Connection, stored: str, fresh: str, limit: int
) -> list[tuple[object, ...]]:
    rows = conn.execute(
        f"SELECT 'stored', * FROM ({stored} EXCEPT {fresh}) LIMIT {int(limit)}"
    ).fetchall()
    rows += conn.execute(
        f"SELECT 'recomputed', * FROM ({fresh} EXCEPT {stored}) LIMIT {int(limit)}"
    ).fetchall()
    return [tuple(r) for r in rows]


def differences(conn: sqlite3.Connection, limit: int = 5) -> list[tuple[object, ...]]:
    """Rows where the tables and a recomputation disagree (all-zero rows count as absent)."""
    cols = ", ".join((*KEYS, *MEASURE_NAMES))
    nonzero = " OR ".join(f"{m} <> 0" for m in MEASURE_NAMES)
    out = _diff(conn, f"SELECT {cols} FROM {TABLE} WHERE {nonzero}", recompute_select(), limit)
    names = [n for n, _sql in SCORE_MEASURES]
    score_cols = ", ".join((*SCORE_KEYS, *names))
    stored = f"SELECT {score_cols} FROM {SCORE_TABLE} WHERE " + " OR ".join(
        f"{m} <> 0" for m in names
    )
    return out + _diff(conn, stored, score_select(), limit) + outcome_differences(conn, limit)


# --- The Outcomes screen's per-month survey and outcome tallies, per team, agent and
# churn reason, kept by triggers on the interactions themselves (rows without any
# outcome add nothing, so importing a plain call log costs one test per row).
OUTCOME_TABLE = "rollup_outcomes_month"
OUTCOME_KEYS = ("d", "team_id", "agent_id", "churn_reason")
OUTCOME_MEASURES: tuple[tuple[str, str], ...] = (
    ("promoters", "coalesce({i}.nps >= 9, 0)"),
    ("detractors", "coalesce({i}.nps <= 6, 0)"),
    ("n_nps", "({i}.nps IS NOT NULL)"),
    ("satisfied", "coalesce({i}.csat >= 4, 0)"),
    ("n_csat", "({i}.csat IS NOT NULL)"),
    ("sum_csat", "coalesce({i}.csat, 0)"),
    ("sum_csat2", "coalesce({i}.csat * {i}.csat, 0)"),
    ("n_ces", "({i}.ces IS NOT NULL)"),
    ("sum_ces", "coalesce({i}.ces, 0)"),
    ("sum_ces2", "coalesce({i}.ces * {i}.ces, 0)"),
    ("resolved", "coalesce({i}.resolved_first_contact = 1, 0)"),
    ("n_fcr", "({i}.resolved_first_contact IS NOT NULL)"),
    ("retained", "coalesce({i}.retention = 'retained', 0)"),
    ("lost", "coalesce({i}.retention = 'lost', 0)"),
    ("contacts", is_contact("{i}")),
    ("repeats", is_repeat("{i}")),
)
OUTCOME_MEASURE_NAMES = tuple(n for n, _sql in OUTCOME_MEASURES)
OUTCOME_TRIGGERS = (
    "rollup_outcomes_interactions_insert",
    "rollup_outcomes_interactions_update",
    "rollup_outcomes_interactions_delete",
)
_OUTCOME_WATCHED = ("local_date", "team_id", "agent_id", "churn_reason", *OUTCOME_COLUMNS)


def _outcome_parts(i: str, sign: int = 1, total: bool = False) -> list[str]:
    keys = [
        f"substr({i}.local_date, 1, 7) || '-01'",
        f"coalesce({i}.team_id, 0)",
        f"coalesce({i}.agent_id, 0)",
        f"coalesce({i}.churn_reason, '')",
    ]
    values = [sql.format(i=i) for _n, sql in OUTCOME_MEASURES]
    if total:
        return keys + [f"SUM({v})" for v in values]
    return keys + [f"({v})" if sign == 1 else f"-({v})" for v in values]


def _outcome_upsert(select: str) -> str:
    return upsert_into(OUTCOME_TABLE, OUTCOME_KEYS, OUTCOME_MEASURE_NAMES, select)


def _outcome_row(row: str, sign: int) -> str:
    parts = ", ".join(_outcome_parts(row, sign))
    return _outcome_upsert(f"SELECT {parts} WHERE {has_outcome(row)}")


def outcome_select(only: str | None = None) -> str:
    where = [has_outcome("i"), *([only] if only else [])]
    return (
        f"SELECT {', '.join(_outcome_parts('i', total=True))} FROM interactions i"
        f" WHERE {' AND '.join(where)} GROUP BY 1, 2, 3, 4"
    )


def _outcome_table_sql() -> str:
    return (
        f"CREATE TABLE IF NOT EXISTS {OUTCOME_TABLE} (d TEXT NOT NULL, team_id INTEGER NOT NULL,"
        " agent_id INTEGER NOT NULL, churn_reason TEXT NOT NULL, "
        + ", ".join(f"{m} INTEGER NOT NULL DEFAULT 0" for m in OUTCOME_MEASURE_NAMES)
        + f", PRIMARY KEY ({', '.join(OUTCOME_KEYS)})) WITHOUT ROWID"
    )


def _outcome_triggers() -> list[str]:
    return [
        _trigger(OUTCOME_TRIGGERS[0], "AFTER INSERT ON interactions", [_outcome_row("NEW", 1)]),
        _trigger(
            OUTCOME_TRIGGERS[1],
            f"AFTER UPDATE OF {', '.join(_OUTCOME_WATCHED + REPEAT_COLUMNS)} ON interactions"
            f" WHEN {_changed(_OUTCOME_WATCHED)} OR {_REPEAT_TURNED}",
            [_outcome_row("OLD", -1), _outcome_row("NEW", 1)],
        ),
        _trigger(OUTCOME_TRIGGERS[2], "AFTER DELETE ON interactions", [_outcome_row("OLD", -1)]),
    ]


def outcome_differences(conn: sqlite3.Connection, limit: int = 5) -> list[tuple[object, ...]]:
    cols = ", ".join((*OUTCOME_KEYS, *OUTCOME_MEASURE_NAMES))
    nonzero = " OR ".join(f"{m} <> 0" for m in OUTCOME_MEASURE_NAMES)
    return _diff(
        conn, f"SELECT {cols} FROM {OUTCOME_TABLE} WHERE {nonzero}", outcome_select(), limit
    )
