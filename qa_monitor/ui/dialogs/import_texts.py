"""The import dialog's sentences: what each kind imports, what was found in the file, what
will happen to its rows, and what went wrong, said so the user knows what to do next."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from qa_monitor.services import StorageError
from qa_monitor.services.import_fields import ImportKind
from qa_monitor.services.import_service import ImportInputError, ImportPreview
from qa_monitor.ui.widgets.widget_style import ltr

log = logging.getLogger(__name__)
_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate("ImportDialog", text, disambiguation, n)


def kind_title(kind: ImportKind) -> str:
    """The kind as the menu and the kind combo name it."""
    return {
        ImportKind.ROSTER: tr("Roster (agents and teams)"),
        ImportKind.INTERACTIONS: tr("Interactions (call log)"),
        ImportKind.SURVEYS: tr("Survey results"),
        ImportKind.CUSTOMER_COUNTS: tr("Customer counts per period"),
        ImportKind.CUSTOMERS: tr("Customer list"),
        ImportKind.CHURN_EVENTS: tr("Churn events (customers who left)"),
    }[kind]


def kind_about(kind: ImportKind) -> str:
    return {
        ImportKind.ROSTER: tr(
            "One row per agent. Agents already here are matched by their phone-system id, "
            "else by name, and updated; new teams are created. A blank cell keeps what is "
            "stored."
        ),
        ImportKind.INTERACTIONS: tr(
            "One row per call, chat or email from your phone or ticket system. Times are "
            "read in the centre's time zone. Importing the same file again updates the "
            "interactions it created, never duplicates them."
        ),
        ImportKind.SURVEYS: tr(
            "CSAT (1–5), NPS (0–10) and CES (1–7) answers, matched to interactions already "
            "imported by their interaction id. Import the call log first."
        ),
        ImportKind.CUSTOMER_COUNTS: tr(
            "One row per period (and team or segment): customers at the start (S), at the "
            "end (E) and new during it (N), which give the retention and churn rates. "
            "Importing the same periods again replaces their figures."
        ),
        ImportKind.CUSTOMERS: tr(
            "One row per customer with the day they became a customer and, if they left, "
            "the day they left; the customers at the start, at the end and new in each "
            "period are counted from it."
        ),
        ImportKind.CHURN_EVENTS: tr(
            "One row per customer who left: the day, the reason and, where known, the "
            "interaction before it. The customer must be on the customer list or in the "
            "call log."
        ),
    }[kind]


def describe_file(p: ImportPreview) -> str:
    """Where the header is, how the file was read, and how many rows follow."""
    parts = [tr("Header on row {0}").format(ltr(str(p.header_row)))]
    if p.sheet is not None:
        parts.append(tr("sheet “{0}”").format(p.sheet))
    if p.encoding is not None:
        parts.append(tr("encoding {0}").format(ltr(p.encoding.upper())))
    if p.delimiter is not None:
        name = _DELIMITERS.get(p.delimiter)
        parts.append(tr("{0}-separated").format(tr(name)) if name else repr(p.delimiter))
    parts.append(tr("%n data row(s)", "", p.total_rows))
    return f"{p.path.name}: " + " · ".join(parts)


def encoding_title(name: str) -> str:
    """An encoding as the encoding combo names it (Python's codec name otherwise)."""
    titles = {
        "utf-8": tr("Unicode (UTF-8)"),
        "utf-8-sig": tr("Unicode (UTF-8 with byte-order mark)"),
        "utf-16": tr("Unicode (UTF-16)"),
        "cp1252": tr("Western European (Windows-1252)"),
        "cp1256": tr("Arabic and Persian (Windows-1256)"),
        "cp1251": tr("Cyrillic (Windows-1251)"),
        "iso8859-1": tr("Western European (ISO 8859-1)"),
        "iso-8859-1": tr("Western European (ISO 8859-1)"),
    }
    return titles.get(name, name)


def encoding_text(p: ImportPreview) -> str:
    """How a text file was decoded, and a few of its lines as decoded (the first one with
    letters beyond ASCII among them), so a wrong encoding shows before anything is
    imported. Empty for workbooks."""
    if p.encoding is None:
        return ""
    name = encoding_title(p.encoding)
    if p.encoding_chosen:
        head = tr("Read as {0}, the encoding you chose. Its first lines read:").format(name)
    else:
        head = tr(
            "Read as {0} (detected). If these lines look wrong, choose the file's encoding:"
        ).format(name)
    return "\n".join((head, *p.text_sample))


def status_text(p: ImportPreview) -> str:
    """What Import would do with the file as it is mapped now."""
    if p.missing:
        return tr("Choose a column for: {0}. The import needs it.").format(", ".join(p.missing))
    if p.total_rows == 0:
        return tr("{0} has a header but no data rows; there is nothing to import.").format(
            p.path.name
        )
    if not p.problems:
        return tr("All {0} rows can be imported. Press Import to add them.").format(p.total_rows)
    refused = len({q.row for q in p.problems})
    return tr(
        "{0} of {1} rows are refused (listed with the reason). Fix them in the file and press "
        "Check again, or import the other rows and skip these."
    ).format(refused, p.total_rows)


def failure_text(exc: object, path: Path | None, *, importing: bool = False) -> str:
    """A sentence for an exception from the import service (never a traceback)."""
    if isinstance(exc, ImportInputError | StorageError):
        return str(exc)
    if isinstance(exc, OSError):
        name = path.name if path else "the file"
        return tr("Cannot read {0}: {1}. Check that it exists and is not locked.").format(
            name, exc.strerror or exc
        )
    log.error("Import failed: %r", exc)
    if importing:
        return tr(
            "The import stopped unexpectedly ({0}). Nothing was written; the details are in "
            "the log file."
        ).format(exc)
    return tr(
        "This file could not be read ({0}). Save it again as .xlsx or UTF-8 .csv and "
        "choose it again."
    ).format(exc)
