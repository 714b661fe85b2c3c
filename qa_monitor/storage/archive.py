"""A complete archive of a database in one file, and importing it into a new database.

Format (``format_version`` 1; docs/backups.md): a zip file holding

- ``manifest.json``: the format and its version, the QA Monitor version and the
  schema (the names of the applied migrations), when it was made, and for every table
  its columns, its row count and the sha256 of its member, plus one digest of all;
- ``tables/<table>.jsonl``: one JSON array per row, in key order, values as stored
  (a blob as ``{"b64": ...}``).

Every table is in it — forms and their versions and questions, teams, agents,
reviewers, interactions, evaluations, answers, section scores, the audit log, the
settings — together with the sync identity: every record's uuid, this installation's
site id and the change journal, so the imported database is the same installation,
moved (docs/backups.md says what that means for team sync). Left out are what the
database computes from those rows (the dashboard roll-ups, rebuilt on import, and
the query planner's statistics) and the migration log's timestamps.

Why a zip of JSON lines rather than a copy of the SQLite file: it can be read back
by a later QA Monitor whatever the storage engine's version, it is checked table by
table against its manifest, and reading it is bounded (member sizes, line lengths,
row counts) before anything is parsed. A backup (storage/backup.py) is the SQLite copy.

Importing runs in one transaction into a new or empty database, so a failed or
interrupted import leaves no half-imported data; the sync and roll-up triggers are
set aside while the rows go in (they would otherwise journal every row as a new
local change), then put back from the schema's own text, and the roll-ups rebuilt.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qa_monitor.storage.errors import StorageError

FORMAT = "qa-monitor-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Bounds checked before parsing: the manifest's size, the members' number, a row's
# length, and the uncompressed size against the file's (JSON lines of this kind
# compress about 10 times; 200 leaves room and stops a zip bomb).
MAX_MANIFEST_BYTES = 1_000_000
MAX_MEMBERS = 200
MAX_LINE_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200
# Computed from the other tables, or the engine's own.
DERIVED_PREFIXES = ("rollup_", "sqlite_")
SKIPPED = ("_sqlite_migrations",)
# Holding any row in these means the database is in use: an archive is imported only
# into a database without them.
CONTENT_TABLES = (
    "teams", "agents", "reviewers", "forms", "form_versions", "interactions", "evaluations",
    "audit_log",
)  # fmt: skip


class ArchiveError(StorageError):
    """An archive could not be written or read (the message says what to do)."""


@dataclass(frozen=True)
class TableInfo:
    columns: tuple[str, ...]
    rows: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    tables: dict[str, TableInfo]
    migrations: tuple[str, ...]
    app_version: str
    created_at: str
    digest: str

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": self.app_version,
            "created_at": self.created_at,
            "migrations": list(self.migrations),
            "tables": {
                name: {"columns": list(t.columns), "rows": t.rows, "sha256": t.sha256}
                for name, t in self.tables.items()
            },
            "digest": self.digest,
        }


def archived_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables an archive holds, in the order they were created."""
    names = [
        str(r[0])
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
    ]
    return [n for n in names if not n.startswith(DERIVED_PREFIXES) and n not in SKIPPED]


def _columns(conn: sqlite3.Connection, table: str) -> tuple[str, ...]:
    return tuple(str(r[1]) for r in conn.execute(f'PRAGMA table_info("{table}")'))


def _order(conn: sqlite3.Connection, table: str) -> str:
    info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    keys = [str(r[1]) for r in sorted(info, key=lambda r: r[5]) if r[5] > 0]
    without_rowid = conn.execute(
        "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE name = ?", [table]
    ).fetchone()[0]
    if without_rowid:
        return ", ".join(f'"{k}"' for k in keys)
    return "rowid"


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"b64": base64.b64encode(value).decode("ascii")}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) != {"b64"} or not isinstance(value["b64"], str):
            raise ValueError("a value is an object that is not a blob")
        return base64.b64decode(value["b64"], validate=True)
    if isinstance(value, list | bool):
        raise ValueError("a value is a list or a boolean")
    return value


def row_lines(conn: sqlite3.Connection, table: str) -> Iterator[bytes]:
    """The table's rows as archive lines (also what the round-trip digest is made of)."""
    columns = ", ".join(f'"{c}"' for c in _columns(conn, table))
    cursor = conn.execute(f'SELECT {columns} FROM "{table}" ORDER BY {_order(conn, table)}')
    for row in cursor:
        line = json.dumps([_encode(v) for v in row], ensure_ascii=False, separators=(",", ":"))
        yield line.encode("utf-8") + b"\n"


def table_digests(
    conn: sqlite3.Connection, tables: list[str] | None = None
) -> dict[str, TableInfo]:
    """Row count and sha256 of every archived table (or of ``tables``), as in a manifest."""
    found = {}
    for table in tables if tables is not None else archived_tables(conn):
        digest, rows = hashlib.sha256(), 0
        for line in row_lines(conn, table):
            digest.update(line)
            rows += 1
        found[table] = TableInfo(_columns(conn, table), rows, digest.hexdigest())
    return found


def overall_digest(tables: dict[str, TableInfo]) -> str:
    digest = hashlib.sha256()
    for name in sorted(tables):
        digest.update(f"{name}\t{tables[name].rows}\t{tables[name].sha256}\n".encode())
    return digest.hexdigest()


def export_archive(db: Any, target: Path) -> Manifest:
    """Write the archive of the open database ``db`` to ``target`` (written to a temporary
    name, fsynced, then renamed). Reads one consistent snapshot on its own connection."""
    from qa_monitor import __version__
    from qa_monitor.storage.health import open_read_only

    partial = target.with_name(target.name + ".partial")
    try:
        conn = open_read_only(Path(db.path))
    except sqlite3.Error as exc:
        raise ArchiveError(f"Cannot read the database '{db.path}' to archive it.") from exc
    try:
        conn.execute("BEGIN")  # one snapshot for every table
        migrations = tuple(
            str(r[0])
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'qa_monitor' ORDER BY id"
            )
        )
        tables: dict[str, TableInfo] = {}
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in archived_tables(conn):
                digest, rows = hashlib.sha256(), 0
                with archive.open(f"tables/{table}.jsonl", "w", force_zip64=True) as member:
                    for line in row_lines(conn, table):
                        member.write(line)
                        digest.update(line)
                        rows += 1
                tables[table] = TableInfo(_columns(conn, table), rows, digest.hexdigest())
            manifest = Manifest(
                tables,
                migrations,
                __version__,
                datetime.now(UTC).isoformat(timespec="seconds"),
                overall_digest(tables),
            )
            archive.writestr(MANIFEST, json.dumps(manifest.as_json(), indent=1))
        conn.execute("COMMIT")
        _fsync(partial)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ArchiveError(
            f"The archive '{target}' could not be written: {exc.strerror or exc}. Check that "
            "the folder exists, that you may write to it and that the disk has room."
        ) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        conn.close()
    return manifest


def _fsync(path: Path) -> None:
    import os

    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_manifest(archive: zipfile.ZipFile, path: Path) -> Manifest:
    """The archive's manifest, checked for shape and bounds before anything else is read."""

    def bad(why: str) -> ArchiveError:
        return ArchiveError(
            f"'{path}' is not a QA Monitor archive that can be read ({why}). Choose the file "
            "written by Archive ▸ Export, or by: qa-monitor archive export FILE"
        )

    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise bad(f"it holds {len(members)} files, more than {MAX_MEMBERS}")
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise bad("it has no manifest") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise bad(f"its manifest is larger than {MAX_MANIFEST_BYTES:,} bytes")
    try:
        raw = json.loads(archive.read(MANIFEST))
        if raw.get("format") != FORMAT:
            raise bad("its manifest names another format")
        if raw.get("format_version") != FORMAT_VERSION:
            raise ArchiveError(
                f"'{path}' is an archive of format version {raw.get('format_version')}, and this "
                f"QA Monitor reads version {FORMAT_VERSION}. Import it with the QA Monitor that "
                "wrote it, or a newer one."
            )
        tables = {
            str(name): TableInfo(
                tuple(str(c) for c in t["columns"]), int(t["rows"]), str(t["sha256"])
            )
            for name, t in raw["tables"].items()
        }
        manifest = Manifest(
            tables,
            tuple(str(m) for m in raw["migrations"]),
            str(raw["app_version"]),
            str(raw["created_at"]),
            str(raw["digest"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError, zipfile.BadZipFile) as exc:
        raise bad("its manifest cannot be read") from exc
    if overall_digest(manifest.tables) != manifest.digest:
        raise bad("its manifest does not match its own digest")
    compressed = sum(m.compress_size for m in members) or 1
    uncompressed = sum(m.file_size for m in members)
    if uncompressed > MAX_RATIO * compressed + MAX_MANIFEST_BYTES:
        raise bad(f"it would expand more than {MAX_RATIO} times")
    return manifest


def _lines(member: Any) -> Iterator[bytes]:
    while True:
        line = member.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES:
            raise ValueError(f"a row is longer than {MAX_LINE_BYTES:,} bytes")
        yield line


def import_archive(source: Path, target: Path) -> Manifest:
    """Import the archive ``source`` into a new database at ``target`` (or into an empty
    one there): all of it in one transaction, each table checked against the manifest."""
    try:
        archive = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise ArchiveError(f"There is no archive at '{source}'. Check the file name.") from None
    except (OSError, zipfile.BadZipFile) as exc:
        raise ArchiveError(
            f"'{source}' is not a QA Monitor archive (it is not a zip file). Choose the file "
            "written by: qa-monitor archive export FILE"
        ) from exc
    with archive:
        manifest = read_manifest(archive, source)
        _check_schema(manifest, source)
        created = not target.exists()
        try:
            _import_into(archive, manifest, source, target)
        except BaseException:
            if created:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{target}{suffix}").unlink(missing_ok=True)
            raise
    return manifest


def _check_schema(manifest: Manifest, source: Path) -> None:
    from qa_monitor.storage.migrations import known_names

    known = tuple(known_names())
    if manifest.migrations != known:
        newer = set(manifest.migrations) - set(known)
        which = "a newer" if newer else "an older"
        raise ArchiveError(
            f"'{source}' was written by {which} version of QA Monitor ({manifest.app_version}, "
            f"schema {len(manifest.migrations)}; this one has schema {len(known)}). Import it "
            "with that version, then open the database with this one."
        )


def _import_into(archive: zipfile.ZipFile, manifest: Manifest, source: Path, target: Path) -> None:
    from qa_monitor.storage.database import open_database
    from qa_monitor.storage.rollups import rebuild_rollups

    db = open_database(target)
    conn = db.conn
    try:
        used = [t for t in CONTENT_TABLES if conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()]
        if used:
            raise ArchiveError(
                f"The database '{target}' already holds data, and an archive is imported only "
                "into a new, empty database. Choose a new file name with --db, or Database ▸ "
                "New, then import."
            )
        ours = archived_tables(conn)
        if sorted(ours) != sorted(manifest.tables):
            raise ArchiveError(
                f"The tables in '{source}' do not match this version's database, so nothing was "
                "imported. Import it with the QA Monitor that wrote it."
            )
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("BEGIN IMMEDIATE")
        try:
            triggers = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid"
            ).fetchall()
            for name, _sql in triggers:
                conn.execute(f'DROP TRIGGER "{name}"')
            for table in ours:
                conn.execute(f'DELETE FROM "{table}"')  # a new database's own defaults
                _load_table(conn, archive, table, manifest.tables[table], source)
            rebuild_rollups(conn)
            have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            for name, sql in triggers:
                if name not in have:
                    conn.execute(sql)
            broken = conn.execute("PRAGMA foreign_key_check").fetchone()
            if broken is not None:
                raise ArchiveError(
                    f"Rows of the table '{broken[0]}' in '{source}' refer to records the archive "
                    "does not hold, so nothing was imported. The archive is incomplete; export "
                    "it again."
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            conn.execute("PRAGMA foreign_keys = ON")
    finally:
        db.close()


def _load_table(
    conn: sqlite3.Connection,
    archive: zipfile.ZipFile,
    table: str,
    info: TableInfo,
    source: Path,
) -> None:
    columns = _columns(conn, table)
    if set(columns) != set(info.columns):
        raise ArchiveError(
            f"The table '{table}' in '{source}' has other columns than this version's, so "
            "nothing was imported. Import it with the QA Monitor that wrote it."
        )
    names = ", ".join(f'"{c}"' for c in info.columns)
    marks = ", ".join("?" for _ in info.columns)
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
    digest, rows, batch = hashlib.sha256(), 0, []
    try:
        with archive.open(f"tables/{table}.jsonl") as member:
            for line in _lines(member):
                digest.update(line)
                values = json.loads(line)
                if not isinstance(values, list) or len(values) != len(info.columns):
                    raise ValueError(f"row {rows + 1} has the wrong number of values")
                batch.append([_decode(v) for v in values])
                rows += 1
                if len(batch) >= 5000:
                    conn.executemany(sql, batch)
                    batch.clear()
        if batch:
            conn.executemany(sql, batch)
    except KeyError:
        raise ArchiveError(
            f"'{source}' has no rows file for the table '{table}', so nothing was imported. "
            "The archive is incomplete; export it again."
        ) from None
    except (ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ArchiveError(
            f"The table '{table}' in '{source}' cannot be read ({exc}), so nothing was imported. "
            "The archive is damaged; use another copy."
        ) from exc
    except sqlite3.IntegrityError as exc:
        raise ArchiveError(
            f"Row {rows:,} of the table '{table}' in '{source}' breaks a rule of the database, "
            "so nothing was imported. The archive is damaged; use another copy."
        ) from exc
    if rows != info.rows or digest.hexdigest() != info.sha256:
        raise ArchiveError(
            f"The table '{table}' in '{source}' does not match its manifest ({rows:,} rows read, "
            f"{info.rows:,} listed), so nothing was imported. The archive is damaged; use "
            "another copy."
        )
