"""Screenshots of team sync in the app, for a visual review (not a test; pytest does not
collect it): Settings ▸ Team, the status bar while syncing and with a problem, and the
Sync conflicts view, left-to-right and right-to-left, at 1600×1000.

Run under Xvfb (the whole screen is grabbed, so dialogs and tooltips show):

    xvfb-run -a -s "-screen 0 1600x1000x24" sh -c \\
        "openbox & sleep 1; python tests/ui/make_sync_screenshots.py /tmp/issue12/ui"

It builds the demo database, syncs it through a team folder with a second, empty
installation, then has two supervisors edit one evaluation and rename one team while
offline, so every value shown is real: names, scores, answers, site ids, times. The
"syncing" shot is a real sync of 6,000 changes, slowed down between batches so that
it can be caught while it runs.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QToolTip

from qa_monitor.app import create_application
from qa_monitor.core.answers import Answer
from qa_monitor.core.sync_merge import Change
from qa_monitor.services import Services
from qa_monitor.services.demo_data import build_demo_database
from qa_monitor.services.sync_transport import Batch, Transport
from qa_monitor.services.team_sync import SyncMode, TeamSettings, default_transport
from qa_monitor.storage.database import Database
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.session import Session
from qa_monitor.ui.sync_texts import SyncState

SLOW_S = 6.0


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(test: Callable[[], bool], timeout_s: float = 120) -> None:
    end = time.monotonic() + timeout_s
    while not test():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not reach the state to photograph")
        wait(50)


class Slow:
    """The real team folder, with a pause after each batch sent or received while
    ``on`` (so a shot can catch the sync running)."""

    def __init__(self) -> None:
        self.on = False

    def __call__(self, db: Database, settings: TeamSettings, password: str | None) -> Transport:
        inner = default_transport(db, settings, password)
        outer = self

        class Paced:
            source = inner.source

            def open(self) -> None:
                inner.open()

            def send(self, changes: list[Change]) -> None:
                inner.send(changes)
                if outer.on:
                    time.sleep(SLOW_S)

            def incoming(self, problems: list[str]) -> Iterator[Batch]:
                for batch in inner.incoming(problems):
                    yield batch
                    if outer.on:
                        time.sleep(SLOW_S)

            def close(self) -> None:
                inner.close()

        return Paced()


def two_installations(tmp: Path) -> tuple[Path, Path, Path]:
    """The demo database and a second installation, synced, then a real conflict."""
    a, b, folder = tmp / "centre.db", tmp / "second.db", tmp / "team"
    folder.mkdir()
    started = time.monotonic()
    build_demo_database(a)
    print(f"demo database built in {time.monotonic() - started:.0f} s", flush=True)
    settings = TeamSettings(SyncMode.FOLDER, folder=str(folder))
    with Services.open(a) as sa, Services.open(b) as sb:
        sb.settings.set_timezone(sa.settings.centre().timezone)
        for s in (sa, sb):
            s.team_sync.save_team_settings(settings)
        for s in (sa, sb, sa):
            s.team_sync.sync_now()
        uuid = sa.db.execute(
            "SELECT uuid FROM evaluations WHERE status = 'submitted' ORDER BY id DESC LIMIT 1"
        ).fetchone()[0]
        for s, boss, comment, reason in (
            (sa, "Maryam Rostami", "Good call; the hold was explained.", "Re-listened"),
            (sb, "Kaveh Jafari", "The customer had to repeat the account number.", "Calibration"),
        ):
            ev_id = s.db.execute("SELECT id FROM evaluations WHERE uuid = ?", [uuid]).fetchone()[0]
            ev = s.evaluations.get_evaluation(ev_id)
            form = s.forms.get_version(ev.form_version_id).form
            answers = dict(ev.answers)
            chosen = [
                q for _sec, q in form.questions()
                if q.options and isinstance(getattr(answers.get(q.id), "value", None), str)
            ]
            if s is sa:  # two answers changed on re-listening
                for q in chosen[:2]:
                    other = next(o.id for o in q.options if o.id != answers[q.id].value)
                    answers[q.id] = replace(answers[q.id], value=other, comment="Heard it again.")
            else:  # the first one changed differently, after calibration
                q = chosen[0]
                answers[q.id] = Answer(q.id, q.options[-1].id, comment="Calibrated with the team.")
            reviewer = s.people.add_reviewer(boss)
            s.evaluations.edit_submitted(ev_id, answers, comment, reviewer.id, reason)
        team_a = sa.people.list_teams()[0]
        team_b = next(t for t in sb.people.list_teams() if t.name == team_a.name)
        sa.people.rename_team(team_a.id, f"{team_a.name} & Payments")
        sb.people.rename_team(team_b.id, f"{team_a.name} (North)")
        for s in (sa, sb, sa):
            s.team_sync.sync_now()
        assert sa.team_sync.status().conflicts >= 2, sa.team_sync.status()
    return a, b, folder


def grab(out: Path, name: str) -> None:
    wait(400)
    screen = QGuiApplication.primaryScreen()
    image = screen.grabWindow(0)
    path = out / f"{name}.png"
    image.save(str(path))
    print(path, f"{image.width()}×{image.height()}", flush=True)


def shots(app: QApplication, out: Path, a: Path, folder: Path, suffix: str) -> None:
    slow = Slow()
    services = Services.open(a, transport_factory=slow)
    reviewer = services.people.list_reviewers()[0]
    window = MainWindow(
        Session(services, a, reviewer.id), ask_reviewer=False, first_sync_delay_ms=3_600_000
    )
    window.showMaximized()
    indicator = window.team_sync.indicator
    wait_for(lambda: indicator.current.state is not SyncState.NEVER)

    # Settings ▸ Team
    window.show_team_settings()
    wait(300)
    grab(out, f"sync-settings-team-{suffix}")

    # Syncing: 6,000 changes made here go out in two batches, paced.
    with services.db.conn:
        services.db.conn.executemany(
            "INSERT INTO teams (name, active, created_at)"
            " VALUES (?, 0, '2026-03-01T09:00:00.000Z')",
            [(f"Archived team {suffix} {i:04d}",) for i in range(6000)],
        )
    window.team_sync.local_change()
    runner = window.team_sync.runner
    assert runner is not None
    wait_for(lambda: runner.status is not None and runner.status.pending >= 6000)
    window.show_screen("evaluations")
    slow.on = True
    window.team_sync.sync_now()
    wait_for(lambda: indicator.text().startswith("Syncing") and "of" in indicator.text())
    grab(out, f"sync-indicator-syncing-{suffix}")
    wait_for(lambda: not runner.is_running())
    slow.on = False

    # A problem: the share is gone.
    away = folder.with_name("team-away")
    folder.rename(away)
    window.team_sync.sync_now()
    wait_for(lambda: "Nothing was lost" in indicator.toolTip())  # the status read after
    away.rename(folder)
    corner = indicator.mapToGlobal(QPoint(indicator.width() // 2, 0))
    QToolTip.showText(corner, indicator.toolTip(), indicator)
    grab(out, f"sync-indicator-problem-{suffix}")
    QToolTip.hideText()

    # The conflicts view, the evaluation's conflict selected.
    window.team_sync.sync_now()
    wait_for(lambda: indicator.current.state is SyncState.CONFLICTS)
    dialog = window.team_sync.show_conflicts()
    assert dialog is not None
    wait_for(lambda: dialog.model.rowCount() > 0)
    for row in range(dialog.proxy.rowCount()):
        if dialog.proxy.index(row, 1).data() == "Scores, answers and comments":
            dialog.select_row(row)
    grab(out, f"sync-conflicts-{suffix}")
    dialog.reject()
    window.team_sync.stop()
    window.close()
    wait(200)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/screens")
    out.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    with tempfile.TemporaryDirectory() as tmp:
        a, _b, folder = two_installations(Path(tmp))
        shots(app, out, a, folder, "ltr")
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        shots(app, out, a, folder, "rtl")


if __name__ == "__main__":
    main()
