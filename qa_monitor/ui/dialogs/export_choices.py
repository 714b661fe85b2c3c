"""What an export writes (the format) and of what (the mode): the names the Data menu
needs to offer its exports. Kept apart from the dialog and its jobs, which import the
Excel writers (openpyxl, ~0.5 s), so the menu is built at start without them."""

from __future__ import annotations

from enum import StrEnum


class ExportFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


class ExportMode(StrEnum):
    EVALUATIONS = "evaluations"
    AGENT_FEEDBACK = "agent_feedback"
