"""Importing rosters, call logs and survey results from .xlsx and .csv files.

The rule, in order:

1. The file is read (the encoding detected unless the user chose one, the delimiter
   sniffed: ``tabular_read``), its header row found and each field mapped to a column
   (the mapping given, else the last one used for this kind if its columns are all
   there, else a guess from the headers). Missing required columns stop the import
   before anything is read (``ImportInputError``).
2. Every row is checked; each refused row is reported with the file, its row number
   (as a spreadsheet shows it), the column and the reason.
3. If any row was refused and ``allow_partial`` is False, nothing is written. Otherwise
   the accepted rows are written in chunks of about a quarter of a second each, every
   chunk its own ``BEGIN IMMEDIATE`` transaction with a pause after it, so a submit in
   another window or process waits for one chunk at most, never for the whole file
   (``storage/transactions.py``). If the database fails midway (a full disk), the
   chunks already written stay and the error says so; importing the same file again
   completes it without duplicating anything (rule 4). A roster is written whole in
   one transaction (it is small, and teams are matched across its rows).
4. Re-importing a file updates what the first import created, never duplicates it:
   interactions and surveys match by interaction id, agents by phone-system id, else by
   name; teams by name. Names match by their key (``core.text_keys.name_key``): case,
   Persian/Arabic letter forms, invisible marks and digits aside. A blank cell leaves
   the stored value as it is.
5. After a committed import the mapping is remembered for the next file of that kind.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar, cast

from qa_monitor.core.churn_reasons import SETTINGS_KEY as CHURN_REASONS_KEY
from qa_monitor.core.churn_reasons import ChurnReasons, ChurnReasonsError
from qa_monitor.core.echo_text import shorten
from qa_monitor.core.text_keys import name_key
from qa_monitor.services.common import Changes, Clock, system_clock
from qa_monitor.services.import_calls import InteractionColumns
from qa_monitor.services.import_fields import import_refusal
from qa_monitor.services.import_mapping import (
    ColumnMapping,
    ImportKind,
    auto_mapping,
    known_header_count,
    settings_key,
)
from qa_monitor.services.import_outcomes import ChurnRows, CountRows, CustomerRows
from qa_monitor.services.import_rows import (
    Cells,
    Lookups,
    RosterRow,
    RosterRows,
    RowError,
    SurveyRows,
)
from qa_monitor.services.import_values import detect_day_first
from qa_monitor.storage.database import Database
from qa_monitor.storage.errors import StorageFailure
from qa_monitor.storage.import_repo import ImportRepo
from qa_monitor.storage.outcome_repo import ChurnRow, CountRow, CustomerRow, OutcomeRepo
from qa_monitor.storage.settings_repo import TEAM_ROLE, SettingsRepo
from qa_monitor.storage.transactions import yield_to_waiting_writers
from qa_monitor.storage.values import utc_text
from qa_monitor.tabular_read import Table, TableReadError, read_table

Progress = Callable[[int, int], None]
T = TypeVar("T")
A = TypeVar("A")
R = TypeVar("R")
# Rows in the first write chunk; later chunks are sized to hold the lock about
# _CHUNK_S seconds each, between _MIN_CHUNK and _MAX_CHUNK rows.
_FIRST_CHUNK = 1000
_MIN_CHUNK, _MAX_CHUNK = 100, 20_000
_CHUNK_S = 0.25
_TICK = 2000  # rows between progress reports and cancel checks
_DATE_FIELDS = (
    "started_at",
    "survey_at",
    "hire_date",
    "period_start",
    "period_end",
    "started_on",
    "ended_on",
    "churned_on",
)
_OUTCOME_KINDS = (ImportKind.CUSTOMER_COUNTS, ImportKind.CUSTOMERS, ImportKind.CHURN_EVENTS)


class ImportInputError(ValueError):
    """The file cannot be imported as it is (unreadable, or required columns missing)."""


class ImportNotAllowedError(ImportInputError):
    """This installation's team-server role may not import this kind of file."""


class ImportStoppedError(StorageFailure):
    """The database failed after some chunks of an import were committed."""

    def __init__(self, failure: StorageFailure, file: Path, done: int, total: int):
        super().__init__(
            failure.path,
            f"{failure} The first {done:,} of {total:,} rows of '{file.name}' were imported "
            "before it stopped; importing the file again completes it without adding any "
            "row twice.",
        )


class ImportCancelled(Exception):
    """The user cancelled; nothing was written."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    file: str
    row: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ImportPreview:
    kind: ImportKind
    path: Path
    headers: tuple[str, ...]
    header_row: int
    mapping: ColumnMapping
    missing: tuple[str, ...]  # fields to map before importing
    sample: tuple[tuple[int, tuple[object, ...]], ...]  # (row number, cells), first rows
    total_rows: int
    problems: tuple[RowProblem, ...]  # every refused row (empty when columns are missing)
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    encoding_chosen: bool = False  # the encoding was given, not detected
    text_sample: tuple[str, ...] = ()  # a few decoded lines (text files)

    @property
    def ready(self) -> bool:
        return not self.missing and not self.problems


@dataclass(frozen=True, slots=True)
class ImportReport:
    kind: ImportKind
    path: Path
    total_rows: int
    created: int
    updated: int
    refused: tuple[RowProblem, ...]
    committed: bool  # False: nothing was written
    changes: Changes = field(default_factory=Changes)
    unchanged: int = 0  # rows already stored exactly as the file has them

    @property
    def imported(self) -> int:
        """Rows the file put in the database: added, updated or already there."""
        return self.created + self.updated + self.unchanged if self.committed else 0

    def summary(self) -> str:
        name = self.path.name
        if not self.committed:
            return (
                f"{name}: nothing imported — {len(self.refused)} of {self.total_rows} rows "
                "were refused. Fix them, or import the other rows anyway (partial import)."
            )
        text = f"{name}: {self.created} added, {self.updated} updated"
        if self.unchanged:
            text += f", {self.unchanged} unchanged"
        if self.refused:
            text += f", {len(self.refused)} refused"
        return text + f" (of {self.total_rows} rows)."


class ImportService:
    def __init__(self, db: Database, *, clock: Clock | None = None):
        self.db = db
        self.repo = ImportRepo(db)
        self.settings = SettingsRepo(db)
        self.clock: Clock = clock or system_clock

    @classmethod
    def from_services(cls, services: object) -> ImportService:
        return cls(services.db, clock=services.clock)  # type: ignore[attr-defined]

    # -- mapping -------------------------------------------------------------------------
    def refusal(self, kind: ImportKind) -> str | None:
        """Why this installation may not import ``kind`` (its team-server role), or None."""
        return import_refusal(kind, self.settings.get(TEAM_ROLE))

    def read(self, path: str | Path, kind: ImportKind, encoding: str | None = None) -> Table:
        """Open the file (a text file in ``encoding``, None: detected); ImportInputError if
        it cannot be read as a table, ImportNotAllowedError if this installation's role
        on the team server may not import it."""
        refused = self.refusal(kind)
        if refused is not None:
            raise ImportNotAllowedError(refused)
        try:
            table = read_table(
                path, lambda row: known_header_count(kind, row) >= 2, encoding=encoding
            )
        except TableReadError as exc:
            raise ImportInputError(str(exc)) from exc
        rows = table.rows

        def checked_rows() -> Iterator[tuple[int, list[object]]]:
            # The limits on rows, columns and cells are checked while the rows stream.
            try:
                yield from rows()
            except TableReadError as exc:
                raise ImportInputError(str(exc)) from exc

        return replace(table, _rows=checked_rows)

    def saved_mapping(self, kind: ImportKind) -> ColumnMapping | None:
        text = self.settings.get(settings_key(kind))
        if not text:
            return None
        try:
            return ColumnMapping.from_json(kind, text)
        except (ValueError, TypeError, AttributeError):
            return None

    def save_mapping(self, mapping: ColumnMapping) -> None:
        self.settings.set(settings_key(mapping.kind), mapping.to_json())

    def suggested_mapping(self, kind: ImportKind, headers: tuple[str, ...]) -> ColumnMapping:
        """The last mapping used for this kind if the file has all its columns, else a
        guess from the headers."""
        saved = self.saved_mapping(kind)
        if saved is not None and saved.columns and set(saved.columns.values()) <= set(headers):
            return saved
        return auto_mapping(kind, headers)

    # -- checking ------------------------------------------------------------------------
    def _day_first(self, table: Table, mapping: ColumnMapping) -> bool:
        if mapping.day_first is not None:
            return mapping.day_first
        cells = Cells(table.headers, mapping)
        wanted = [cells.index[n] for n in _DATE_FIELDS if n in cells.index]
        if not wanted:
            return True

        def values() -> Iterator[object]:
            for done, (_n, row) in enumerate(table.rows()):
                if done >= 5000:
                    return
                yield from (row[i] for i in wanted if i < len(row))

        return detect_day_first(values())

    def _check(
        self,
        table: Table,
        kind: ImportKind,
        mapping: ColumnMapping,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> tuple[list[tuple[int, object]], list[RowProblem], int]:
        """(accepted (row number, record) pairs, problems, rows read)."""
        estimate = max(table.estimated_rows, 1)

        def tick(done: int) -> None:
            if done % _TICK == 0:
                if cancelled is not None and cancelled():
                    raise ImportCancelled()
                if progress is not None:
                    progress(min(done, estimate), estimate)

        cells = Cells(table.headers, mapping)
        zone = self.settings.centre_timezone()
        day_first = self._day_first(table, mapping)
        lookups = Lookups.build(self.repo.agents(), self.repo.teams())
        accepted: list[tuple[int, object]] = []
        problems: list[RowProblem] = []
        name = table.path.name
        total = 0
        if kind is ImportKind.INTERACTIONS:
            calls = InteractionColumns(
                cells, lookups, zone, day_first, text_only=table.encoding is not None
            )
            for number, result in calls.parse_all(table.rows()):
                total += 1
                tick(total)
                if isinstance(result, RowError):
                    problems.append(RowProblem(name, number, result.column, result.reason))
                else:
                    accepted.append((number, result))
            return accepted, problems, total
        parser: SurveyRows | RosterRows | CountRows | CustomerRows | ChurnRows
        if kind is ImportKind.SURVEYS:
            parser = SurveyRows(cells, zone, day_first)
        elif kind is ImportKind.CUSTOMER_COUNTS:
            parser = CountRows(cells, lookups, zone, day_first)
        elif kind is ImportKind.CUSTOMERS:
            parser = CustomerRows(cells, lookups, zone, day_first)
        elif kind is ImportKind.CHURN_EVENTS:
            parser = ChurnRows(cells, lookups, zone, day_first, self._churn_reasons())
        else:
            parser = RosterRows(cells, lookups, zone, day_first)
        for number, row in table.rows():
            total += 1
            tick(total)
            try:
                accepted.append((number, parser.parse(number, row)))
            except RowError as exc:
                problems.append(RowProblem(name, number, exc.column, exc.reason))
        if kind is ImportKind.SURVEYS:
            accepted = self._known_interactions(accepted, problems, name, mapping)
        elif kind is ImportKind.CHURN_EVENTS:
            accepted = self._known_churn(accepted, problems, name, mapping)
        problems.sort(key=lambda p: p.row)
        return accepted, problems, total

    def _known_interactions(
        self,
        accepted: list[tuple[int, object]],
        problems: list[RowProblem],
        name: str,
        mapping: ColumnMapping,
    ) -> list[tuple[int, object]]:
        surveys = [(n, cast(tuple[str, tuple[object, ...]], rec)) for n, rec in accepted]
        ids = self.repo.interaction_ids(rec[0] for _n, rec in surveys)
        kept: list[tuple[int, object]] = []
        for number, (external_id, values) in surveys:
            if external_id in ids:
                kept.append((number, (*values, ids[external_id])))
            else:
                problems.append(
                    RowProblem(
                        name,
                        number,
                        mapping.header_for("external_id"),
                        f"no interaction with id '{shorten(external_id)}'; "
                        "import the call log first",
                    )
                )
        return kept

    def _churn_reasons(self) -> ChurnReasons:
        try:
            return ChurnReasons.from_json(self.settings.get(CHURN_REASONS_KEY))
        except ChurnReasonsError:
            return ChurnReasons()  # Settings says the stored list is damaged

    def _known_churn(
        self,
        accepted: list[tuple[int, object]],
        problems: list[RowProblem],
        name: str,
        mapping: ColumnMapping,
    ) -> list[tuple[int, object]]:
        """Churn rows whose customer is known and whose interaction (if named) exists,
        with the interaction's id; the others become problems."""
        events = [(n, cast(tuple[ChurnRow, str | None], rec)) for n, rec in accepted]
        known = OutcomeRepo(self.db).known_customers(row.customer_ref for _n, (row, _x) in events)
        ids = self.repo.interaction_ids(x for _n, (_r, x) in events if x is not None)
        kept: list[tuple[int, object]] = []
        for number, (row, external_id) in events:
            if row.customer_ref not in known:
                problems.append(
                    RowProblem(
                        name,
                        number,
                        mapping.header_for("customer_ref"),
                        f"no customer '{shorten(row.customer_ref)}' on the customer list or "
                        "in the call log; import the customer list or the call log first, "
                        "or correct the reference",
                    )
                )
            elif external_id is not None and external_id not in ids:
                problems.append(
                    RowProblem(
                        name,
                        number,
                        mapping.header_for("external_id"),
                        f"no interaction with id '{shorten(external_id)}'; import the call "
                        "log first, or leave the cell empty",
                    )
                )
            else:
                interaction = None if external_id is None else ids[external_id]
                kept.append((number, replace(row, interaction_id=interaction)))
        return kept

    def _open(
        self,
        path: str | Path,
        kind: ImportKind,
        mapping: ColumnMapping | None,
        encoding: str | None,
    ) -> tuple[Table, ColumnMapping]:
        table = self.read(path, kind, encoding)
        mapping = mapping or self.suggested_mapping(kind, table.headers)
        absent = [h for h in mapping.columns.values() if h not in table.headers]
        if absent:
            raise ImportInputError(
                f"'{table.path.name}' has no column "
                f"{', '.join(repr(shorten(h)) for h in absent)}; "
                "choose the columns again."
            )
        return table, mapping

    def preview(
        self,
        path: str | Path,
        kind: ImportKind,
        mapping: ColumnMapping | None = None,
        sample_rows: int = 20,
        *,
        encoding: str | None = None,
    ) -> ImportPreview:
        """The header, the mapping, the first rows and every row problem, without writing
        (a text file read in ``encoding``, None: detected)."""
        table, mapping = self._open(path, kind, mapping, encoding)
        sample: list[tuple[int, tuple[object, ...]]] = []
        for number, row in table.rows():
            if len(sample) >= sample_rows:
                break
            sample.append((number, tuple(row)))
        missing = tuple(mapping.missing())
        problems: list[RowProblem] = []
        if missing:
            total = sum(1 for _ in table.rows())
        else:
            _accepted, problems, total = self._check(table, kind, mapping)
        return ImportPreview(
            kind,
            table.path,
            table.headers,
            table.header_row,
            mapping,
            missing,
            tuple(sample),
            total,
            tuple(problems),
            table.encoding,
            table.delimiter,
            table.sheet,
            table.encoding_chosen,
            table.text_sample,
        )

    # -- importing -----------------------------------------------------------------------
    def run_import(
        self,
        path: str | Path,
        kind: ImportKind,
        mapping: ColumnMapping | None = None,
        *,
        allow_partial: bool = False,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        encoding: str | None = None,
    ) -> ImportReport:
        """Check every row, then write the accepted ones in one transaction (see the
        module rules). ``progress(rows checked, rows estimated)`` is called now and then.
        Raises ImportInputError for an unreadable file or unmapped required columns,
        ImportCancelled if ``cancelled()`` turns True before the writing starts. A text
        file is read in ``encoding`` (None: detected)."""
        table, mapping = self._open(path, kind, mapping, encoding)
        missing = mapping.missing()
        if missing:
            raise ImportInputError(
                f"'{table.path.name}': no column chosen for {', '.join(missing)}. "
                f"The file's columns are: {', '.join(shorten(h) for h in table.headers)}."
            )
        accepted, problems, total = self._check(table, kind, mapping, progress, cancelled)
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        refused = tuple(problems)
        if (problems and not allow_partial) or not accepted:
            return ImportReport(kind, table.path, total, 0, 0, refused, committed=not problems)
        records = [record for _n, record in accepted]
        with self.repo.large_cache():
            if kind is ImportKind.INTERACTIONS:
                calls = cast(list[tuple[object, ...]], records)
                created = updated = 0
                written = self._in_chunks(calls, self._write_interactions, mapping, table.path)
                for new, changed in written:
                    created, updated = created + new, updated + changed
                changes = Changes(interactions=True, evaluations=bool(updated))
            elif kind in _OUTCOME_KINDS:
                with self.db.atomic():
                    created, updated = self._write_outcomes(kind, records, table.path)
                changes = Changes(outcomes=True)
            elif kind is ImportKind.SURVEYS:
                created = 0
                surveys = cast(list[tuple[object, ...]], records)
                updated = sum(self._in_chunks(surveys, _write_surveys, self.repo, table.path))
                changes = Changes(interactions=True)
            else:
                with self.db.atomic():
                    created, updated = self._write_roster(cast(list[RosterRow], records))
                changes = Changes(people=True)
            with self.db.atomic():
                self.save_mapping(mapping)
        unchanged = len(records) - created - updated
        return ImportReport(
            kind, table.path, total, created, updated, refused, True, changes, unchanged
        )

    def _in_chunks(
        self, rows: Sequence[T], write: Callable[[Sequence[T], A], R], arg: A, file: Path
    ) -> Iterator[R]:
        """``write(chunk, arg)`` for successive chunks of ``rows``, each in its own write
        transaction (see the module rules); yields each chunk's result once committed.
        A storage failure after the first chunk says how many rows were kept."""
        size, start = _FIRST_CHUNK, 0
        while start < len(rows):
            chunk = rows[start : start + size]
            started = time.perf_counter()
            try:
                with self.db.atomic():
                    result = write(chunk, arg)
            except StorageFailure as exc:
                if start == 0:
                    raise
                raise ImportStoppedError(exc, file, start, len(rows)) from exc
            took = time.perf_counter() - started
            start += len(chunk)
            yield result
            if start < len(rows):
                yield_to_waiting_writers()
                size = max(_MIN_CHUNK, min(_MAX_CHUNK, int(size * _CHUNK_S / max(took, 0.001))))

    def _write_interactions(
        self, rows: Sequence[tuple[object, ...]], mapping: ColumnMapping
    ) -> tuple[int, int]:
        """One chunk: which rows exist is read inside the chunk's write transaction."""
        existing = self.repo.interaction_ids(str(row[0]) for row in rows)
        new = len(rows) - len(existing)
        written = self.repo.write_interactions(rows, set(mapping.columns), self.clock())
        if existing:
            self.repo.sync_evaluations(list(existing.values()))
        return new, written - new

    def _write_outcomes(self, kind: ImportKind, rows: list[object], path: Path) -> tuple[int, int]:
        """One transaction: the file's rows added or updated (re-imports match by key)."""
        repo = OutcomeRepo(self.db)
        now = utc_text(self.clock())
        if kind is ImportKind.CUSTOMER_COUNTS:
            done = repo.write_counts(cast(list[CountRow], rows), now, path.name)
        elif kind is ImportKind.CUSTOMERS:
            done = repo.write_customers(cast(list[CustomerRow], rows), now)
        else:
            done = repo.write_churn(cast(list[ChurnRow], rows), now)
        return done.created, done.updated

    def _write_roster(self, rows: list[RosterRow]) -> tuple[int, int]:
        now = self.clock()
        teams = {t.key: t.id for t in self.repo.teams() if t.active}
        created = updated = 0
        for row in rows:
            values = dict(row.values)
            if row.team is not None:
                key = name_key(row.team)
                if key not in teams:
                    teams[key] = self.repo.add_team(row.team, now)
                values["team_id"] = teams[key]
            if row.active is not None:
                values["active"] = int(row.active)
            if row.agent_id is None:
                self.repo.add_agent(values, now)
                created += 1
            elif self.repo.update_agent(row.agent_id, values):
                updated += 1
        return created, updated


def _write_surveys(rows: Sequence[tuple[object, ...]], repo: ImportRepo) -> int:
    return repo.write_surveys(rows)
