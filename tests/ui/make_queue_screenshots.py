"""Screenshots of My queue (its three tabs), the rule dialog and the Build preview, for a
visual review (not a test; pytest does not collect it): at 1600×1000 and 1280×800,
left-to-right and right-to-left, offscreen.

    QT_QPA_PLATFORM=offscreen python tests/ui/make_queue_screenshots.py /tmp/issue14/queue

It builds the demo database in a temporary folder and plants, through the queue
service, three rules (a weekly sample with a chat minimum, every unhappy customer, new
starters per month) and the queues of the last three weeks and this one; about a third
of the older calls are then scored (answers copied from an earlier evaluation on the
same form version), so done, overdue and open all show. "Today" is Thursday 12
November 2026 when the queues are built, Wednesday 18 November when they are
looked at (the week before is overdue).
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from qa_monitor.app import create_application
from qa_monitor.core.sampling import PeriodKind, RuleKind, SamplingRule
from qa_monitor.services import Services
from qa_monitor.services.demo_data import build_demo_database
from qa_monitor.ui.dialogs.build_queue_dialog import BuildQueueDialog
from qa_monitor.ui.dialogs.sampling_rule_dialog import SamplingRuleDialog
from qa_monitor.ui.screens.queue_screen import QueueScreen
from qa_monitor.ui.session import Session

NOW = datetime(2026, 11, 12, 7, 30, tzinfo=UTC)  # the queues are built then
LATER = datetime(2026, 11, 18, 7, 30, tzinfo=UTC)  # and looked at then: some overdue
SIZES = ((1600, 1000), (1280, 800))


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def plant(services: Services) -> int:
    queue = services.queue
    form = next(f for f in services.forms.list_forms(include_retired=False) if f.latest_published)
    teams = services.people.list_teams()
    agents = services.people.list_agents(active_only=True)
    reviewers = services.people.list_reviewers(active_only=True)
    # A team leader who also takes calls: never given their own.
    leader = reviewers[-1]
    services.people.update_reviewer(replace(leader, team_id=teams[0].id, agent_id=agents[0].id))
    base = {"id": None, "form_id": form.form_id}
    queue.save_rule(
        SamplingRule(
            **base, name="Weekly sample", per_agent=3, min_channel="chat", min_channel_count=1,
            seed=4711, due_days=3,
        )
    )  # fmt: skip
    queue.save_rule(
        SamplingRule(**base, name="Unhappy customers", kind=RuleKind.EVERY, max_csat=1, seed=8)
    )
    queue.save_rule(
        SamplingRule(
            **base, name="New starters", team_id=teams[1].id, per_agent=2,
            period=PeriodKind.MONTH, tenure_days=90, seed=99, exclude_own_team=True,
            active=False,
        )
    )  # fmt: skip
    today = NOW.date()
    for weeks in (3, 2, 1, 0):
        queue.build(today - timedelta(days=7 * weeks))
    version = {}
    for ev in services.db.execute(
        "SELECT id, form_version_id FROM evaluations WHERE status = 'submitted' ORDER BY id"
    ).fetchall():
        version.setdefault(ev[1], ev[0])
    rows = queue._repo.period_items(today - timedelta(days=28), today - timedelta(days=7))
    for n, item in enumerate(rows):
        if n % 3 or item.reviewer_id is None:
            continue
        latest = services.forms.latest_published(item.form_id)
        assert latest is not None
        source = services.evaluations.get_evaluation(version[latest.id])
        ev = services.evaluations.start_evaluation(item.interaction_id, latest.id, item.reviewer_id)
        services.evaluations.save_draft(ev.id, source.answers)
        services.evaluations.submit(ev.id)
    mine = max(reviewers[:-1], key=lambda r: len(queue.my_queue(r.id)))
    first = queue.my_queue(mine.id)
    if len(first) > 3:
        queue.skip(first[-1].id, "Recording missing")
        latest = services.forms.latest_published(first[1].form_id)
        assert latest is not None
        services.evaluations.start_evaluation(first[1].interaction_id, latest.id, mine.id)
    return mine.id


def shoot(widget: QWidget, path: Path) -> None:
    wait(200)
    widget.grab().save(str(path))
    print(path)


def wait_for(signal) -> None:  # type: ignore[no-untyped-def]
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(10_000, loop.quit)
    loop.exec()


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/issue14/queue")
    out.mkdir(parents=True, exist_ok=True)
    create_application([])
    folder = Path(tempfile.mkdtemp(prefix="queue-shots-"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(folder))
    QCoreApplication.setOrganizationName("QA Monitor screenshots")
    path = folder / "demo.db"
    build_demo_database(path)
    with Services.open(path, clock=lambda: NOW) as services:
        viewer = plant(services)
    services = Services.open(path, clock=lambda: LATER)
    services.queue.build(LATER.date())
    for direction, tag in (
        (Qt.LayoutDirection.LeftToRight, "ltr"),
        (Qt.LayoutDirection.RightToLeft, "rtl"),
    ):
        QApplication.setLayoutDirection(direction)
        for width, height in SIZES:
            screen = QueueScreen(Session(services, path, viewer))
            screen.resize(width, height)
            screen.show()
            wait_for(screen.coverage.listed)
            wait(300)
            size = f"{width}x{height}-{tag}"
            shoot(screen, out / f"queue-mine-{size}.png")
            screen.show_tab("coverage")
            shoot(screen, out / f"queue-coverage-{size}.png")
            screen.show_tab("rules")
            shoot(screen, out / f"queue-rules-{size}.png")
            if height == 1000:
                rule = services.queue.rules()[0]
                dialog = SamplingRuleDialog(services, rule, screen)
                dialog.show()
                shoot(dialog, out / f"rule-dialog-{tag}.png")
                dialog.min_count.setValue(5)
                dialog.save()
                shoot(dialog, out / f"rule-dialog-refused-{tag}.png")
                dialog.reject()
                build = BuildQueueDialog(services_session(services, path, viewer), None, screen)
                build.resize(min(width - 200, 1000), min(height - 100, 760))
                build.show()
                build.preview()
                wait_for(build.previewed)
                shoot(build, out / f"build-preview-{tag}.png")
                build.reject()
            screen.close()
            screen.deleteLater()
            wait(50)
    services.close()
    return 0


def services_session(services: Services, path: Path, viewer: int) -> Session:
    return Session(services, path, viewer)


if __name__ == "__main__":
    sys.exit(main())
