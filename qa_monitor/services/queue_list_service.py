"""The review queue's reads for the UI, safe to call from a worker thread.

Rules (as ``DisputeListService``): every call opens its own read-only connection and
closes it before returning (an SQLite connection belongs to the thread that opened it),
and the answers are ``QueueService``'s own, so the screen and the service never
disagree. Opening ``Services`` instead would run the open's checks and first-use
writes for every read: tens of seconds on a million-evaluation file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

import sqlite_utils

from qa_monitor.services.cancellation import CancelToken, run_readonly
from qa_monitor.services.common import Clock
from qa_monitor.services.queue_service import QueueService
from qa_monitor.services.settings_service import SettingsService
from qa_monitor.storage.database import Database
from qa_monitor.storage.repos import Repos

T = TypeVar("T")


def read_queue(
    path: str | Path,
    clock: Clock,
    work: Callable[[QueueService], T],
    cancel: CancelToken | None = None,
) -> T:
    """``work(queue)`` with a queue service over a read-only connection to ``path``
    (only its readers may be called)."""

    def run(db: sqlite_utils.Database) -> T:
        repos = Repos(cast(Database, db))
        settings = SettingsService(repos.settings, repos.people)
        return work(QueueService(repos, clock, settings))

    return run_readonly(path, run, cancel)
