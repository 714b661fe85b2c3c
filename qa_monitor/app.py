"""Composition root: open the database, build the services, start Qt, show the main window."""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from qa_monitor import __version__, paths

log = logging.getLogger("qa_monitor")
# Exit code: the window cannot open because system libraries Qt needs are missing.
WINDOW_CANNOT_OPEN = 5


def setup_logging() -> Path:
    """Log to a rotating file under the data directory; errors never reach a dialog raw."""
    log_file = paths.log_dir() / "qa-monitor.log"
    root = logging.getLogger()
    # Open the file only when no handler writes it yet (a second launch in one process,
    # e.g. from tests, would otherwise leak an open file).
    if not any(
        isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == log_file
        for h in root.handlers
    ):
        handler = RotatingFileHandler(log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return log_file


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with our names, style and accent sheet (reused by tests/screenshots)."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(paths.APP_AUTHOR)
        QCoreApplication.setApplicationName(paths.APP_NAME)
        QCoreApplication.setApplicationVersion(__version__)
        app = QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    app.setWindowIcon(application_icon())
    # Wayland and the task bar find the icon through the desktop entry of this name.
    app.setDesktopFileName("qa-monitor")
    app.setStyle("Fusion")
    qss = paths.resources_dir() / "styles" / "accent.qss"
    if qss.is_file():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    if app.findChild(_PaletteFollower) is None:
        app.installEventFilter(_PaletteFollower(app))
    install_plurals(app)
    return app


def application_icon() -> QIcon:
    """The app's icon at every size (installer/make_icons.py renders them from the SVG)."""
    icon = QIcon()
    folder = paths.resources_dir() / "icons"
    for png in sorted((folder / "png").glob("qa-monitor-*.png")):
        icon.addFile(str(png))
    if icon.isNull() and (folder / "qa-monitor.svg").is_file():
        icon.addFile(str(folder / "qa-monitor.svg"))
    return icon


def use_data_dir_for_settings() -> Path | None:
    """With ``QA_MONITOR_DATA_DIR`` set, QSettings are an .ini file under it, so a portable
    install writes nothing to the registry or ~/.config; None: the platform's place."""
    folder = paths.settings_dir()
    if folder is not None:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


def install_plurals(app: QApplication) -> QTranslator | None:
    """The English singular and plural of counted texts ("1 evaluation", "2 evaluations"
    for ``tr("%n evaluation(s)", "", n)``; ``resources/translations/update_plurals.py``)."""
    existing = app.findChild(QTranslator, "qa_monitor_en")
    if isinstance(existing, QTranslator):
        return existing
    translator = QTranslator(app)
    translator.setObjectName("qa_monitor_en")
    folder = paths.resources_dir() / "translations"
    if not translator.load("qa_monitor_en", str(folder)):
        log.warning("English plural forms not found in %s; counts read '(s)'", folder)
        return None
    app.installTranslator(translator)
    return translator


class _PaletteFollower(QObject):
    """Carries a new application palette (the system switching to dark mode, say) to
    every widget. With a style sheet set, Qt keeps each widget's polished palette and
    ignores QApplication.setPalette; setting the sheet again repolishes them, and
    the charts then redraw in the matching theme."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange and watched is self.parent():
            app = self.parent()
            if isinstance(app, QApplication) and app.styleSheet():
                app.setStyleSheet(app.styleSheet())
        return False


def render_check() -> str:
    """Build and render the scoring widgets offscreen (for ``--self-test``)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    create_application([])
    from qa_monitor.formfiles import load_shipped_forms
    from qa_monitor.ui.widgets.evaluation_form_widget import EvaluationFormWidget

    widget = EvaluationFormWidget()
    widget.set_form(load_shipped_forms()[0])
    widget.resize(900, 700)
    image = widget.grab()
    return f"evaluation form rendered offscreen ({image.width()}×{image.height()})"


# Words whose order by code point differs from their language's: sorted right only when
# Qt's collation works (on Linux it reads ICU's data, which the bundle trims).
COLLATION_SAMPLES = (
    ("fa", ("ل", "گ", "ک", "آ"), ("آ", "ک", "گ", "ل")),
    ("ru", ("я", "Ё", "а", "е"), ("а", "е", "Ё", "я")),
    ("en", ("b", "B", "a", "A"), ("a", "A", "b", "B")),
)


def collation_check() -> str:
    """Sort Persian, Russian and English words with Qt's collation (for ``--self-test``)."""
    from functools import cmp_to_key

    from PySide6.QtCore import QCollator, QLocale

    for language, words, expected in COLLATION_SAMPLES:
        got = tuple(sorted(words, key=cmp_to_key(QCollator(QLocale(language)).compare)))
        if got != expected:
            raise RuntimeError(
                f"{language} words sort as {' '.join(got)}, not {' '.join(expected)}: "
                "the collation data is missing"
            )
    return "Persian, Russian and English words sort as their languages order them"


def storage_failure_text(exc: BaseException, db_path: Path | None) -> str | None:
    """The sentence for a storage failure (disk full, read-only, busy, damaged) that no
    screen caught, naming the file and what to do; None for any other error."""
    import sqlite3

    from qa_monitor.storage.errors import StorageFailure, translate_sqlite_error

    if isinstance(exc, StorageFailure):
        return str(exc)
    if isinstance(exc, sqlite3.Error) and db_path is not None:
        translated = translate_sqlite_error(exc, db_path)
        if isinstance(translated, StorageFailure):
            return str(translated)
    return None


def error_dialog_text(exc: BaseException, db_path: Path | None, log_file: Path) -> str:
    """What the error dialog says: the storage failure's own sentence, else the
    generic one."""
    failure = storage_failure_text(exc, db_path)
    if failure is not None:
        return QCoreApplication.translate("app", "{0}\n\nThe details were written to {1}.").format(
            failure, log_file
        )
    return QCoreApplication.translate(
        "app",
        "Something went wrong: {0}\n\nYour saved work is safe. The details were written to {1}.",
    ).format(exc, log_file)


def _install_excepthook(log_file: Path, db_path: Path | None = None) -> None:
    """An unexpected error is logged in full and shown as a sentence, never a traceback."""

    def hook(exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
        log.error("Unhandled error", exc_info=(exc_type, exc, tb))
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            QCoreApplication.translate("app", "Error"),
            error_dialog_text(exc, db_path, log_file),
        )
        box.setDetailedText(details)
        box.exec()

    sys.excepthook = hook


def run_app(
    db_path: Path | None = None, demo: bool = False, qt_args: list[str] | None = None
) -> int:
    """Launch the GUI on ``db_path`` (default: the user's database, or the demo one);
    ``qt_args`` are Qt's own options (``-reverse``...)."""
    import time

    started = time.perf_counter()
    from qa_monitor.qt_preflight import missing_libraries_sentence, missing_xcb_packages, uses_xcb

    qt_args = qt_args or []
    if uses_xcb(qt_args=qt_args):
        missing = missing_xcb_packages()
        if missing:
            print(missing_libraries_sentence(missing), file=sys.stderr)
            return WINDOW_CANNOT_OPEN
    log_file = setup_logging()
    use_data_dir_for_settings()
    app = create_application([sys.argv[0], *qt_args])
    from qa_monitor.ui.main_window import MainWindow
    from qa_monitor.ui.screens.settings_screen import apply_saved_direction
    from qa_monitor.ui.session import open_session

    if db_path is None:
        db_path = paths.demo_database_path() if demo else paths.default_database_path()
    _install_excepthook(log_file, db_path)
    if demo and not db_path.exists():
        from qa_monitor.services.demo_data import build_demo_database

        app.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            build_demo_database(db_path)
        finally:
            app.restoreOverrideCursor()
    if not any(arg.lstrip("-") == "reverse" for arg in qt_args):
        apply_saved_direction()  # Qt's -reverse on the command line wins for this run
    session = open_session(db_path, parent=None)
    if session is None:
        return 1
    window = MainWindow(session, auto_backup=True)
    from qa_monitor.ui import start_timing

    if start_timing.wanted():
        start_timing.StartTimer(window, started, time.perf_counter())
    window.show()
    from qa_monitor.ui.dialogs.welcome_dialog import offer_welcome

    QTimer.singleShot(0, window, lambda: offer_welcome(window))
    return app.exec()
