"""The multi-select drop-down: its summary text, ticking by click and by keyboard,
searching a long list, Clear, and signals only for user changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from qa_monitor.ui.widgets.multi_select_combo import MultiSelectCombo
from tests.ui.unicode_keys import type_unicode

# A popup window raises itself and grabs the keyboard; the offscreen test platform says
# it cannot (a notice about the platform, not our code).
POPUP_NOTICES = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)
NAMES = ["Arash", "Daniel", "Hannah", "Ivan", "Niloufar", "Olga", "Omar", "Parisa", "Rania"]


@pytest.fixture
def combo(qtbot) -> MultiSelectCombo:
    widget = MultiSelectCombo("All agents", "{0} agents")
    widget.setAccessibleName("Agent")
    widget.set_choices([(name, i) for i, name in enumerate(NAMES, start=1)])
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_summary_says_all_one_or_how_many(qtbot, combo: MultiSelectCombo) -> None:
    assert combo.currentText() == "All agents" and combo.selected() == ()
    with qtbot.waitSignal(combo.selectionChanged):
        combo.toggle(3)
    assert combo.currentText() == "Hannah" and combo.selected() == (3,)
    combo.toggle(1)
    assert combo.currentText() == "2 agents" and combo.selected() == (1, 3)  # list order
    assert combo.toolTip() == "Arash\nHannah"
    with qtbot.waitSignal(combo.selectionChanged):
        combo.clear_selection()
    assert combo.currentText() == "All agents"


def test_setting_from_code_can_stay_silent(qtbot, combo: MultiSelectCombo) -> None:
    with qtbot.assertNotEmitted(combo.selectionChanged):
        combo.set_selected([2, 4], emit=False)
    assert combo.selected() == (2, 4)
    with qtbot.assertNotEmitted(combo.selectionChanged):
        combo.set_choices([(n, i) for i, n in enumerate(NAMES[:3], start=1)])
    assert combo.selected() == (2,)  # 4 is no longer offered


@POPUP_NOTICES
def test_popup_search_click_and_keyboard(qtbot, combo: MultiSelectCombo) -> None:
    combo.showPopup()
    popup = combo.popup
    qtbot.waitUntil(popup.isVisible)
    assert popup.search.isVisible()  # nine rows: long enough to search
    assert popup.search.accessibleName() == "Search Agent"
    qtbot.keyClicks(popup.search, "an")
    shown = [popup.view.model().index(r, 0).data() for r in range(popup.view.model().rowCount())]
    assert shown == ["Daniel", "Hannah", "Ivan", "Rania"]
    view = popup.view
    rect = view.visualRect(view.model().index(1, 0))
    with qtbot.waitSignal(combo.selectionChanged):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert combo.selected_texts() == (shown[1],)
    qtbot.keyClick(popup.search, Qt.Key.Key_Down)  # into the list, first row
    assert view.hasFocus() or view.currentIndex().row() == 0
    view.setCurrentIndex(view.model().index(0, 0))
    with qtbot.waitSignal(combo.selectionChanged):
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert set(combo.selected_texts()) == {shown[0], shown[1]}
    assert popup.count.text() == "2 of 9 ticked"
    qtbot.mouseClick(popup.clear_button, Qt.MouseButton.LeftButton)
    assert combo.selected() == ()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert not popup.isVisible()


@POPUP_NOTICES
def test_short_lists_have_no_search_field(qtbot) -> None:
    combo = MultiSelectCombo("All channels", "{0} channels")
    qtbot.addWidget(combo)
    combo.set_choices([("Phone", "phone"), ("Chat", "chat")])
    combo.show()
    combo.showPopup()
    assert not combo.popup.search.isVisible()
    combo.hidePopup()
    with pytest.raises(KeyError):
        combo.toggle("fax")


@POPUP_NOTICES
def test_popup_search_matches_arabic_letters_typed_on_a_persian_keyboard(qtbot) -> None:
    combo = MultiSelectCombo("All agents", "{0} agents")
    names = [*NAMES[:7], "علي رضايي", "كاظم"]  # as an Arabic-encoded system wrote them
    combo.set_choices([(name, i) for i, name in enumerate(names, start=1)])
    qtbot.addWidget(combo)
    combo.show()
    combo.showPopup()
    qtbot.waitUntil(combo.popup.isVisible)
    type_unicode(combo.popup.search, "علی")  # Persian yeh
    model = combo.popup.view.model()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["علي رضايي"]
    combo.popup.search.clear()
    type_unicode(combo.popup.search, "کاظ")  # Persian keheh
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["كاظم"]
