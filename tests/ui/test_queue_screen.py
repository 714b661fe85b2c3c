"""The My queue screen on a real database, driven with real key events: a rule made by
keyboard (and a refusal shown inline), the Build preview's counts and shortfall and the
build itself, my queue opened with Enter, Skip needing a reason, the coverage figures,
and the tables keeping their selection right-to-left."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from qa_monitor.core.records import Channel, EvaluationStatus
from qa_monitor.core.sampling import RuleKind, SamplingRule
from qa_monitor.services import Changes, Services
from qa_monitor.ui.dialogs.build_queue_dialog import BuildQueueDialog
from qa_monitor.ui.dialogs.sampling_rule_dialog import SamplingRuleDialog
from qa_monitor.ui.dialogs.skip_call_dialog import SkipCallDialog
from qa_monitor.ui.models.queue_table_models import MyQueueModel
from qa_monitor.ui.screens.queue_screen import QueueScreen
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.record_table import select_id, selected_id
from tests.factories import FakeClock, interaction_data, passing_answers, seed

TIMEOUT = 10_000
MONDAY = date(2026, 3, 2)
CHANNELS = (Channel.PHONE, Channel.PHONE, Channel.CHAT, Channel.PHONE, Channel.EMAIL)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 4, 9, 0, tzinfo=UTC))  # Wednesday of the week


@pytest.fixture
def centre(tmp_path: Path, clock: FakeClock):  # type: ignore[no-untyped-def]
    """Three Billing agents with five calls each in the week of 2 March, and Mina with
    only one (a shortfall for a sample of two); two reviewers."""
    path = tmp_path / "qa.db"
    with Services.open(path, clock=clock) as services:
        first = seed(services)
        agents = [first.agent]
        agents += [services.people.add_agent(n, team_id=first.team.id) for n in ("Reza Tehrani",)]
        mina = services.people.add_agent("Mina Jafari", team_id=first.team.id)
        for k, agent in enumerate(agents):
            for i in range(5):
                services.interactions.create_interaction(
                    interaction_data(
                        agent.id,
                        external_id=f"c-{k}-{i}",
                        channel=CHANNELS[i],
                        started_at=datetime(2026, 3, 2 + i, 10, i, tzinfo=UTC),
                        duration_s=125.0,
                    )
                )
        services.interactions.create_interaction(
            interaction_data(
                mina.id,
                external_id="m-0",
                started_at=datetime(2026, 3, 3, 10, tzinfo=UTC),
            )
        )
        yield services, first, path


def rule(first, **kw: object) -> SamplingRule:  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "id": None,
        "name": "Weekly sample",
        "form_id": first.version.form_id,
        "per_agent": 2,
        "seed": 7,
    }
    values.update(kw)
    return SamplingRule(**values)  # type: ignore[arg-type]


def show(qtbot, services: Services, path: Path, reviewer_id: int | None) -> QueueScreen:  # type: ignore[no-untyped-def]
    screen = QueueScreen(Session(services, path, reviewer_id))
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    with qtbot.waitSignals([screen.mine.listed, screen.coverage.listed], timeout=TIMEOUT):
        screen.show()
    qtbot.waitExposed(screen)
    return screen


def reload(qtbot, screen: QueueScreen) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignals([screen.mine.listed, screen.coverage.listed], timeout=TIMEOUT):
        screen.reload()


def active_dialog(qtbot, owner):  # type: ignore[no-untyped-def]
    dialog = owner.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow, timeout=TIMEOUT)
    return dialog


def shown(value: object) -> str:
    return str(value).strip("\u2068\u2069")


def type_into(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def test_a_rule_is_made_by_keyboard_and_a_refusal_shows_inline(qtbot, centre) -> None:  # type: ignore[no-untyped-def]
    services, first, path = centre
    screen = show(qtbot, services, path, first.expert.id)
    screen.show_tab("rules")
    assert screen.rules.table.hasFocus() or screen.rules.pages.currentIndex() == 1
    screen.rules.table.setFocus()
    qtbot.keyClick(screen.rules.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = active_dialog(qtbot, screen.rules)
    assert isinstance(dialog, SamplingRuleDialog)
    assert dialog.name.hasFocus()
    # A sample of 2 cannot hold "at least 3 chat calls": the service's sentence, inline.
    qtbot.keyClicks(dialog.name, "Weekly chats")
    dialog.per_agent.setFocus()
    dialog.per_agent.selectAll()
    qtbot.keyClicks(dialog.per_agent, "2")
    dialog.min_count.setFocus()
    dialog.min_count.selectAll()
    qtbot.keyClicks(dialog.min_count, "3")
    dialog.min_channel.setCurrentIndex(dialog.min_channel.findData("chat"))
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert "cannot fit in a sample of 2" in dialog.error.text.text()
    assert dialog.name.text() == "Weekly chats"  # what was typed is kept
    assert services.queue.rules() == []
    dialog.min_count.setFocus()
    dialog.min_count.selectAll()
    qtbot.keyClicks(dialog.min_count, "1")
    assert not dialog.error.isVisible()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: screen.rules.dialog is None, timeout=TIMEOUT)
    (stored,) = services.queue.rules()
    assert (stored.name, stored.per_agent, stored.min_channel, stored.min_channel_count) == (
        "Weekly chats",
        2,
        "chat",
        1,
    )
    model = screen.rules.model
    assert shown(model.index(0, model.KIND).data()) == "2 per agent per week"
    assert shown(model.index(0, model.FILTERS).data()) == "At least 1 chat call"
    assert shown(model.index(0, model.TEAM).data()) == "All teams"
    assert selected_id(screen.rules.table) == stored.id


def test_a_rule_that_queued_calls_is_not_deleted_and_says_why(qtbot, centre) -> None:  # type: ignore[no-untyped-def]
    services, first, path = centre
    stored = services.queue.save_rule(rule(first))
    services.queue.build(MONDAY)
    screen = show(qtbot, services, path, first.expert.id)
    screen.show_tab("rules")
    assert screen.rules.confirm_delete(stored.id, stored.name) is False
    assert "deactivate the rule instead" in screen.rules.status.text()
    qtbot.keyClick(
        screen.rules.table,
        Qt.Key.Key_D,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert not services.queue.rule(stored.id).active
    assert shown(screen.rules.model.index(0, screen.rules.model.ACTIVE).data()) == "Inactive"


def test_build_preview_shows_counts_and_shortfalls_and_build_writes(qtbot, centre) -> None:  # type: ignore[no-untyped-def]
    services, first, path = centre
    services.queue.save_rule(rule(first))
    screen = show(qtbot, services, path, first.expert.id)
    screen.show_tab("coverage")
    qtbot.keyClick(screen.coverage.agents_table, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    dialog = active_dialog(qtbot, screen.coverage)
    assert isinstance(dialog, BuildQueueDialog)
    assert dialog.rules.count() == 1 and dialog.reviewers.count() == 2
    with qtbot.waitSignal(dialog.previewed, timeout=TIMEOUT):
        qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    report = dialog.problems_text()
    # Sara and Reza 2 each, Mina only 1 of 2 (and the seed's own call of Sara counts).
    assert "Weekly sample: 5 calls" in report
    assert "Mina Jafari had 1 calls in the week of 2026-03-02" in report
    assert "1 problem" in report
    assert services.queue.my_queue(first.reviewer.id) == []  # a preview writes nothing
    with qtbot.waitSignal(dialog.built, timeout=TIMEOUT) as built:
        qtbot.keyClick(dialog, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    assert built.args == [Changes(programme=True)]
    assert "5 calls added to the queue" in dialog.status.text()
    total = sum(len(services.queue.my_queue(r.id)) for r in services.people.list_reviewers())
    assert total == 5
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: screen.coverage.dialog is None, timeout=TIMEOUT)


def test_my_queue_lists_my_calls_and_enter_opens_an_evaluation(qtbot, centre) -> None:  # type: ignore[no-untyped-def]
    services, first, path = centre
    services.queue.save_rule(rule(first))
    services.queue.build(MONDAY, reviewer_ids=[first.reviewer.id])
    mine = services.queue.my_queue(first.reviewer.id)
    assert len(mine) == 5
    screen = show(qtbot, services, path, first.reviewer.id)
    model = screen.mine.model
    assert model.rowCount() == 5
    assert screen.mine.counts.text() == "5 open · 0 overdue · 0 skipped"
    assert screen.mine.table.hasFocus()
    proxy = screen.mine.table.model()
    dues = [proxy.index(r, MyQueueModel.DUE).data(Qt.ItemDataRole.UserRole + 2) for r in range(5)]
    assert dues == sorted(dues)
    assert shown(proxy.index(0, MyQueueModel.STATUS).data()) == "Open"
    assert shown(proxy.index(0, MyQueueModel.WHY).data()) == "Weekly sample: Random sample"
    item = model.row_at(proxy.mapToSource(proxy.index(0, 0)).row())
    assert item.duration_s in (125.0, 312.5)
    duration = shown(proxy.index(0, MyQueueModel.DURATION).data())
    assert duration == ("2:05" if item.duration_s == 125.0 else "5:12")
    with qtbot.waitSignal(screen.openEvaluationRequested, timeout=TIMEOUT) as opened:
        qtbot.keyClick(screen.mine.table, Qt.Key.Key_Return)
    ev = services.evaluations.get_evaluation(opened.args[0])
    assert ev.interaction_id == item.interaction_id
    assert ev.status is EvaluationStatus.DRAFT and ev.reviewer_id == first.reviewer.id
    # The call now shows as Started, and Enter again resumes the same draft.
    qtbot.waitUntil(
        lambda: any(model.status(r) == "started" for r in model.rows()), timeout=TIMEOUT
    )
    assert selected_id(screen.mine.table) == item.id
    with qtbot.waitSignal(screen.openEvaluationRequested, timeout=TIMEOUT) as again:
        qtbot.keyClick(screen.mine.table, Qt.Key.Key_Return)
    assert again.args == opened.args


def test_skip_needs_a_reason_and_reopen_puts_the_call_back(qtbot, centre) -> None:  # type: ignore[no-untyped-def]
    services, first, path = centre
    services.queue.save_rule(rule(first))
    services.queue.build(MONDAY, reviewer_ids=[first.reviewer.id])
    screen = show(qtbot, services, path, first.reviewer.id)
    item_id = selected_id(screen.mine.table)
    assert item_id is not None
    qtbot.keyClick(screen.mine.table, Qt.Key.Key_Delete)
    dialog = active_dialog(qtbot, screen.mine)
    assert isinstance(dialog, SkipCallDialog)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # no reason
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "Say why the call is skipped" in dialog.error.text.text()
    assert services.queue.item(item_id).status == "open"
    qtbot.keyClicks(dialog.reason, "recording missing")
    with qtbot.waitSignal(screen.mine.listed, timeout=TIMEOUT):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert services.queue.item(item_id).note == "recording missing"
    assert screen.mine.counts.text() == "4 open · 0 overdue · 1 skipped"
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow, timeout=TIMEOUT)
    screen.mine.table.setFocus()
    select_id(screen.mine.table, item_id)
    row = screen.mine.model.row_of(item_id)
    assert screen.mine.model.status_text(screen.mine.model.row_at(row)) == "Skipped"
    with qtbot.waitSignal(screen.mine.listed, timeout=TIMEOUT):
        qtbot.keyClick(
            screen.mine.table,
            Qt.Key.Key_R,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert services.queue.item(item_id).status == "open"


def test_my_queue_without_a_reviewer_says_how_to_choose_one(qtbot, centre) -> None:  # type: ignore[no-untyped-def]
    services, _first, path = centre
    screen = show(qtbot, services, path, None)
    assert screen.mine.pages.currentIndex() == 1
    assert "Evaluation ▸ Change reviewer" in screen.mine.empty.text()


def test_coverage_shows_targets_and_done(qtbot, centre, clock) -> None:  # type: ignore[no-untyped-def]
    services, first, path = centre
    services.queue.save_rule(rule(first))
    services.queue.build(MONDAY, reviewer_ids=[first.reviewer.id])
    # One of Sara's queued calls is scored and submitted.
    sara = next(
        q for q in services.queue.my_queue(first.reviewer.id) if q.agent_name == "Sara Ahmadi"
    )
    ev = services.evaluations.start_evaluation(
        sara.interaction_id, first.version.id, first.reviewer.id
    )
    services.evaluations.save_draft(ev.id, passing_answers())
    assert services.evaluations.submit(ev.id).ok
    clock.advance(days=12)  # Monday 16 March: the week's calls were due on the 13th
    screen = show(qtbot, services, path, first.expert.id)
    screen.show_tab("coverage")
    tab = screen.coverage
    tab.day.setDate(tab.day.date().addDays(-14))
    with qtbot.waitSignal(tab.listed, timeout=TIMEOUT):
        tab.load()
    assert tab.totals.text() == "Done 1 of 6 target · 4 overdue · 0 unassigned"
    model = tab.agents_model
    figures = {
        model.row_at(r).name: [
            shown(model.index(r, c).data())
            for c in (model.TARGET, model.QUEUED, model.DONE, model.REMAINING, model.OVERDUE)
        ]
        for r in range(model.rowCount())
    }
    assert figures == {
        "Sara Ahmadi": ["2", "2", "1", "1", "1"],
        "Reza Tehrani": ["2", "2", "0", "2", "2"],
        "Mina Jafari": ["2", "1", "0", "2", "1"],
    }
    loads = tab.reviewers_model
    omid = next(
        loads.row_at(r) for r in range(loads.rowCount()) if loads.row_at(r).name == "Omid Karimi"
    )
    assert (omid.open_items, omid.overdue, omid.assigned_in_period, omid.done_in_period) == (
        4,
        4,
        5,
        1,
    )
    assert tab.calls_model.rowCount() == 4
    # Alt+Page Down steps to the next week: the same targets, nothing queued or done.
    with qtbot.waitSignal(tab.listed, timeout=TIMEOUT):
        qtbot.keyClick(tab.agents_table, Qt.Key.Key_PageDown, Qt.KeyboardModifier.AltModifier)
    assert tab.totals.text() == "Done 0 of 6 target · 4 overdue · 0 unassigned"


def test_assign_offers_only_reviewers_who_may_take_the_call(qtbot, centre) -> None:  # type: ignore[no-untyped-def]
    services, first, path = centre
    reza_agent = next(a for a in services.people.list_agents() if a.name == "Reza Tehrani")
    services.queue.save_rule(rule(first))
    services.queue.build(MONDAY, reviewer_ids=[])  # nobody: every call unassigned
    leader = services.people.add_reviewer("Reza Tehrani", agent_id=reza_agent.id)
    screen = show(qtbot, services, path, first.expert.id)
    screen.show_tab("coverage")
    tab = screen.coverage
    rows = tab.calls_model.rows()
    assert len(rows) == 5 and all(r.reviewer_id is None for r in rows)
    reza_call = next(r for r in rows if r.agent_name == "Reza Tehrani")
    select_id(tab.calls_table, reza_call.id)
    tab.calls_table.setFocus()
    qtbot.keyClick(
        tab.calls_table,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = active_dialog(qtbot, tab)
    offered = [dialog.reviewer.itemData(i) for i in range(dialog.reviewer.count())]
    assert leader.id not in offered and first.reviewer.id in offered
    dialog.reviewer.setCurrentIndex(dialog.reviewer.findData(first.reviewer.id))
    with qtbot.waitSignal(tab.listed, timeout=TIMEOUT):
        qtbot.keyClick(dialog.reviewer, Qt.Key.Key_Return)
    assert services.queue.item(reza_call.id).reviewer_id == first.reviewer.id
    assert "Omid Karimi" in tab.status.text()


def test_right_to_left_tables_keep_their_selection(qtbot, centre) -> None:  # type: ignore[no-untyped-def]
    services, first, path = centre
    services.queue.save_rule(rule(first))
    services.queue.save_rule(rule(first, name="Unhappy", kind=RuleKind.EVERY, max_csat=2))
    services.queue.build(MONDAY, reviewer_ids=[first.reviewer.id])
    QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        screen = show(qtbot, services, path, first.reviewer.id)
        table = screen.mine.table
        assert selected_id(table) is not None
        qtbot.keyClick(table, Qt.Key.Key_Down)
        qtbot.keyClick(table, Qt.Key.Key_Down)
        kept = selected_id(table)
        reload(qtbot, screen)
        assert selected_id(table) == kept
        screen.show_tab("rules")
        assert selected_id(screen.rules.table) is not None
        qtbot.keyClick(screen.rules.table, Qt.Key.Key_Down)
        kept_rule = selected_id(screen.rules.table)
        reload(qtbot, screen)
        assert selected_id(screen.rules.table) == kept_rule
        screen.show_tab("coverage")
        assert selected_id(screen.coverage.agents_table) is not None
    finally:
        QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
