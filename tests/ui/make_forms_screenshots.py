"""Screenshots of the Forms screen's list, its F1 list of keys, the user guide, the
version comparison, the first publish dialog and the export dialog, for a visual review
(not a test; pytest does not collect it): at 1600×1000 and 1280×800, left-to-right and
right-to-left, offscreen, on the demo database.

    QT_QPA_PLATFORM=offscreen python tests/ui/make_forms_screenshots.py /tmp/i17/after-forms

The Forms list is grabbed inside the main window (as a supervisor sees it), with the
form that has two versions expanded and its latest version selected.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from qa_monitor.app import create_application
from qa_monitor.core.records import EvaluationFilter
from qa_monitor.reports.xlsx_export import ExportResult
from qa_monitor.services.demo_data import build_demo_database
from qa_monitor.ui.dialogs.export_dialog import ExportDialog
from qa_monitor.ui.dialogs.user_guide_dialog import UserGuideDialog
from qa_monitor.ui.dialogs.version_diff_dialog import PublishDialog, VersionDiffDialog
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.session import open_session

SIZES = ((1600, 1000), (1280, 800))
FORM = "inbound_service"  # the demo form with two published versions


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(widget: QWidget, path: Path) -> None:
    wait(200)
    widget.grab().save(str(path))
    print(path)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/i17/after-forms")
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="forms-shots-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    create_application([])
    path = folder / "demo.db"
    build_demo_database(path)
    for direction, tag in (
        (Qt.LayoutDirection.LeftToRight, "ltr"),
        (Qt.LayoutDirection.RightToLeft, "rtl"),
    ):
        QApplication.setLayoutDirection(direction)
        for width, height in SIZES:
            session = open_session(path, None)
            assert session is not None
            reviewers = session.services.people.list_reviewers()
            session.reviewer_id = reviewers[0].id
            window = MainWindow(session, ask_reviewer=False, first_sync_delay_ms=10**9)
            window.resize(width, height)
            window.show()
            forms = window.enter_screen("forms")
            info = next(f for f in session.services.forms.list_forms() if f.form_id == FORM)
            forms.select(FORM, info.versions[-1].id)  # type: ignore[attr-defined]
            forms.tree.setFocus()  # type: ignore[attr-defined]
            shoot(window, out / f"forms-list-{width}x{height}-{tag}.png")
            keys = window.shortcut_dialog()  # F1 on the Forms screen
            keys.show()
            shoot(keys, out / f"f1-forms-{width}x{height}-{tag}.png")
            keys.close()
            guide = UserGuideDialog(window)  # Shift+F1
            guide.show()
            shoot(guide, out / f"user-guide-{width}x{height}-{tag}.png")
            guide.close()
            services = session.services
            versions = [(f"Version {v.version}", v.id) for v in info.versions]
            diff = VersionDiffDialog(
                info.title,
                versions,
                lambda version_id, s=services: s.forms.get_version(version_id).form,
                info.versions[0].id,
                info.versions[-1].id,
                window,
            )
            diff.show()
            shoot(diff, out / f"compare-versions-{width}x{height}-{tag}.png")
            diff.close()
            form = services.forms.get_version(info.versions[0].id).form
            publish = PublishDialog(form, 1, None, None, 0, window)
            publish.show()
            shoot(publish, out / f"publish-first-{width}x{height}-{tag}.png")
            publish.close()
            flt = EvaluationFilter(date_from=date(2026, 1, 1), date_to=date(2026, 3, 31))
            export = ExportDialog(session, flt, parent=window)
            export.show()
            wait(100)
            name = "qa-evaluations-2026-q1-north-and-south-teams.xlsx"
            export._on_done(  # the line a finished export shows
                ExportResult(folder / name, 1234, 31_000, ("A",), 2.4)
            )
            shoot(export, out / f"export-{width}x{height}-{tag}.png")
            export.close()
            nothing = ExportDialog(session, EvaluationFilter(search="nobody"), parent=window)
            nothing.show()
            shoot(nothing, out / f"export-nothing-{width}x{height}-{tag}.png")
            nothing.close()
            window.close()
            window.deleteLater()
            wait(50)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
