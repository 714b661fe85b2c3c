"""What the export dialog hands to a worker, and where its files go by default.

Each ``*_work`` function returns a callable for ``workers.Job``: it opens its own
connection in the worker thread, calls one writer of ``reports`` with the job's progress
and cancel hooks, and returns the writer's ``ExportResult``.
"""

from __future__ import annotations

import getpass
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

from qa_monitor.core.records import EvaluationFilter
from qa_monitor.reports.agent_feedback import export_agent_feedback
from qa_monitor.reports.counting_rule import CountingRule
from qa_monitor.reports.csv_export import export_csv
from qa_monitor.reports.xlsx_export import ExportResult
from qa_monitor.services import Services
from qa_monitor.services.outcome_export import export_workbook
from qa_monitor.ui.dialogs.export_choices import ExportFormat
from qa_monitor.ui.workers import JobControl, with_services

log = logging.getLogger(__name__)
FOLDER_KEY = "export/folder"
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
ExportWork = Callable[[JobControl], ExportResult]


def safe_file_part(text: str) -> str:
    """``text`` usable in a file name on every system (letters of any script kept)."""
    return "-".join(_UNSAFE.sub(" ", text).split()) or "agent"


def export_folder() -> Path:
    """The folder of the last export, else Documents, else home."""
    saved = QSettings().value(FOLDER_KEY)
    if saved and Path(str(saved)).is_dir():
        return Path(str(saved))
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def generated_by(services: Services, reviewer_id: int | None) -> str:
    """Who the workbook says made it: the current reviewer, else the system user."""
    if reviewer_id is not None:
        try:
            return services.people.get_reviewer(reviewer_id).name
        except LookupError:
            log.info("Reviewer %s no longer exists; naming the system user", reviewer_id)
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment; the summary just omits it
        return ""


def remember_folder(path: Path) -> None:
    QSettings().setValue(FOLDER_KEY, str(path.parent))


@dataclass(frozen=True, slots=True)
class EvaluationsExport:
    db_path: Path
    target: Path
    flt: EvaluationFilter
    fmt: ExportFormat
    include_answers: bool
    generated_by: str
    rule: CountingRule | None = None  # None: the default rule (the dashboard's)


def evaluations_work(spec: EvaluationsExport) -> ExportWork:
    def run(services: Services, control: JobControl) -> ExportResult:
        if spec.fmt is ExportFormat.CSV:
            return export_csv(
                services,
                spec.flt,
                spec.target,
                progress=control.progress,
                cancelled=control.cancelled,
                rule=spec.rule,
            )
        return export_workbook(
            services,
            spec.flt,
            spec.target,
            generated_by=spec.generated_by,
            progress=control.progress,
            cancelled=control.cancelled,
            include_answers=spec.include_answers,
            rule=spec.rule,
        )

    return with_services(spec.db_path, run)


@dataclass(frozen=True, slots=True)
class FeedbackExport:
    db_path: Path
    target: Path
    agent_id: int
    date_from: date
    date_to: date
    generated_by: str
    rule: CountingRule | None = None  # None: the default rule (the dashboard's)


def feedback_work(spec: FeedbackExport) -> ExportWork:
    def run(services: Services, control: JobControl) -> ExportResult:
        return export_agent_feedback(
            services,
            spec.agent_id,
            spec.date_from,
            spec.date_to,
            spec.target,
            generated_by=spec.generated_by,
            progress=control.progress,
            cancelled=control.cancelled,
            rule=spec.rule,
        )

    return with_services(spec.db_path, run)
