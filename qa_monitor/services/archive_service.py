"""Archive export and import (the format and its rules: storage/archive.py, docs/backups.md)."""

from __future__ import annotations

from pathlib import Path

from qa_monitor.storage.archive import ArchiveError, Manifest, export_archive, import_archive
from qa_monitor.storage.database import open_database

__all__ = ["ArchiveError", "Manifest", "export_to", "import_from"]


def export_to(db_path: Path, target: Path) -> Manifest:
    """Write the archive of the database at ``db_path`` to ``target``, on a connection of
    its own (so a worker thread can run it)."""
    db = open_database(db_path)
    try:
        return export_archive(db, target)
    finally:
        db.close()


def import_from(source: Path, target: Path) -> Manifest:
    """Make the new (or empty) database ``target`` from the archive ``source``."""
    return import_archive(source, target)
