"""People ▸ reviewer: the team and the agent record a reviewer takes calls as, chosen
by keyboard and stored (the review queue keeps reviewers off their own calls)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from qa_monitor.services import Services
from qa_monitor.ui.dialogs.person_dialogs import ReviewerEditDialog, add_again


def test_a_reviewers_team_and_agent_record_are_stored(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Services.open(tmp_path / "qa.db") as services:
        people = services.people
        billing = people.add_team("Billing")
        reza = people.add_agent("Reza Tehrani", team_id=billing.id)
        dialog = ReviewerEditDialog(services, None)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.team.currentText() == "No team"
        assert dialog.agent.currentText() == "Nobody"
        qtbot.keyClicks(dialog.name, "Reza Tehrani")
        dialog.team.setFocus()
        qtbot.keyClick(dialog.team, Qt.Key.Key_Down)
        dialog.agent.setFocus()
        qtbot.keyClick(dialog.agent, Qt.Key.Key_Down)
        assert (dialog.team.currentText(), dialog.agent.currentText()) == (
            "Billing",
            "Reza Tehrani",
        )
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        assert dialog.saved_id is not None
        stored = people.get_reviewer(dialog.saved_id)
        assert (stored.team_id, stored.agent_id) == (billing.id, reza.id)

        edit = ReviewerEditDialog(services, stored)
        qtbot.addWidget(edit)
        edit.show()
        qtbot.waitExposed(edit)
        assert (edit.team.currentData(), edit.agent.currentData()) == (billing.id, reza.id)
        edit.team.setFocus()
        qtbot.keyClick(edit.team, Qt.Key.Key_Home)
        qtbot.keyClick(edit.name, Qt.Key.Key_Return)
        changed = people.get_reviewer(stored.id)
        assert (changed.team_id, changed.agent_id) == (None, reza.id)
        # Undoing a delete brings both back.
        people.delete_reviewer(changed.id)
        again = people.get_reviewer(add_again(services, changed))
        assert (again.team_id, again.agent_id) == (None, reza.id)
