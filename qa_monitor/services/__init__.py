"""Use cases the UI and the command line call; each returns what changed or a result.

``Services`` is the one object to build: from a path (``Services.open(path)``) or an
open ``Database``, with an injectable clock for tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from qa_monitor.services.calibration_service import CalibrationService
from qa_monitor.services.coaching_service import CoachingService
from qa_monitor.services.common import (
    NO_CHANGES,
    Changes,
    Clock,
    ConflictError,
    InUseError,
    NotAllowedError,
    NotFoundError,
    system_clock,
)
from qa_monitor.services.dispute_service import DisputeService
from qa_monitor.services.evaluation_service import EvaluationService, SubmitResult
from qa_monitor.services.form_service import FormCache, FormDraftResult, FormService
from qa_monitor.services.import_service import ImportService
from qa_monitor.services.interaction_service import InteractionService
from qa_monitor.services.people_service import PeopleService
from qa_monitor.services.queue_service import QueueService
from qa_monitor.services.settings_service import SettingsService
from qa_monitor.services.team_sync import TeamSyncService, TransportFactory, default_transport
from qa_monitor.storage.database import Database, open_database, pending_upgrades
from qa_monitor.storage.errors import (
    DamagedDatabaseError,
    DatabaseBusyError,
    DatabaseOpenError,
    NotADatabaseError,
    SchemaTooNewError,
    StorageError,
    StorageFailure,
)
from qa_monitor.storage.repos import Repos

__all__ = [
    "NO_CHANGES",
    "CalibrationService",
    "Changes",
    "Clock",
    "CoachingService",
    "ConflictError",
    "DamagedDatabaseError",
    "DatabaseBusyError",
    "DatabaseOpenError",
    "EvaluationService",
    "FormDraftResult",
    "FormService",
    "InUseError",
    "InteractionService",
    "NotADatabaseError",
    "NotAllowedError",
    "NotFoundError",
    "PeopleService",
    "SchemaTooNewError",
    "Services",
    "SettingsService",
    "StorageError",
    "StorageFailure",
    "SubmitResult",
    "TeamSyncService",
]


class Services:
    """Every use case over one database.

    Attributes: ``people``, ``forms``, ``interactions``, ``evaluations``, ``settings``,
    ``disputes``, ``coaching``, ``calibration``, ``team_sync`` (the services), ``repos`` (the
    repositories), ``db`` and ``clock``.
    ``transport_factory`` lets tests put a fake team server behind ``team_sync``.
    """

    def __init__(
        self,
        db: Database,
        *,
        clock: Clock | None = None,
        owns_db: bool = False,
        transport_factory: TransportFactory = default_transport,
    ):
        self.db = db
        self.clock: Clock = clock or system_clock
        self._owns_db = owns_db
        self.repos = Repos(db)
        self.form_cache = FormCache(self.repos.forms)
        self.people = PeopleService(self.repos.people, self.clock)
        self.forms = FormService(self.repos.forms, self.clock)
        self.settings = SettingsService(self.repos.settings, self.repos.people)
        self.interactions = InteractionService(
            self.repos.interactions, self.repos.people, self.repos.settings, self.clock
        )
        self.evaluations = EvaluationService(
            self.repos, self.clock, self.form_cache, self.interactions
        )
        self.disputes = DisputeService(
            self.repos, self.clock, self.form_cache, self.evaluations, self.settings
        )
        self.queue = QueueService(self.repos, self.clock, self.settings)
        self.coaching: CoachingService = CoachingService(
            self.repos, self.clock, self.form_cache, self.settings
        )
        self.calibration: CalibrationService = CalibrationService(
            self.repos,
            self.clock,
            self.form_cache,
            self.settings,
            self.evaluations,
            self.forms,
        )
        self.evaluations.on_submit.append(self.calibration.join_on_submit)
        self.evaluations.edit_guards.append(self.calibration.check_edit)
        self.imports = ImportService(db, clock=self.clock)
        self.team_sync = TeamSyncService(db, clock=self.clock, transport_factory=transport_factory)
        self.settings.ensure_defaults()

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        clock: Clock | None = None,
        transport_factory: TransportFactory = default_transport,
    ) -> Services:
        """Open (or create) the database at ``path``; ``close()`` closes it.

        Raises NotADatabaseError, SchemaTooNewError or DatabaseOpenError (messages
        name the file and say what to do).
        """
        return cls(
            open_database(path), clock=clock, owns_db=True, transport_factory=transport_factory
        )

    @staticmethod
    def pending_upgrades(path: str | Path) -> list[str]:
        """The upgrade steps opening the existing database at ``path`` would run (read
        without writing; [] for a new or unreadable file)."""
        return pending_upgrades(path)

    @staticmethod
    def upgrade(path: str | Path) -> None:
        """Open ``path``, which runs its pending upgrade, and close it: for a worker
        thread, before the GUI thread opens the upgraded file. Raises what ``open``
        raises."""
        open_database(path).close()

    @contextmanager
    def waiting_at_most(self, seconds: float) -> Iterator[None]:
        """Writes inside wait at most ``seconds`` for another connection's write lock,
        then raise DatabaseBusyError; the GUI thread waits a few milliseconds and
        retries from a timer, showing that it waits, instead of freezing."""
        saved = self.db.write_wait_s
        self.db.write_wait_s = seconds
        try:
            yield
        finally:
            self.db.write_wait_s = saved

    @property
    def path(self) -> Path:
        return self.db.path

    def close(self) -> None:
        """Close the database if these services opened it."""
        if self._owns_db:
            self.db.close()

    def __enter__(self) -> Services:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
