"""Issue 17, item 10: shortcuts that always work. Real key events into the real window,
with the focus in real widgets on every screen: Ctrl+E whatever has the focus, the
menus' Alt+letter never taken by a field, F1 on every screen, Shift+F1's user guide."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabWidget,
    QWidget,
)

from qa_monitor.ui.dialogs.user_guide_dialog import UserGuideDialog
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.widgets.shortcut_help_widget import ShortcutHelpDialog
from tests.ui.test_main_window import make_db, window_for

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support", "QMenu.*popup", "grabbing the keyboard"
)
CTRL, ALT, SHIFT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ShiftModifier,
)


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch) -> MainWindow:
    path = tmp_path / "a.db"
    made = window_for(qtbot, path, monkeypatch, make_db(path))
    made.show()
    qtbot.waitExposed(made)
    made.activateWindow()
    qtbot.waitUntil(made.isActiveWindow)
    return made


def focus_in(qtbot, window: MainWindow, key: str, kind: type[QWidget] = QWidget) -> QWidget:
    """Show screen ``key`` and put the focus on its first visible field of ``kind``."""
    window.activateWindow()  # again: a menu closed offscreen leaves no active window
    qtbot.waitUntil(window.isActiveWindow)
    screen = window.show_screen(key)
    for child in screen.findChildren(kind):
        if (
            child.isVisible()
            and child.isEnabled()
            and child.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            child.setFocus(Qt.FocusReason.OtherFocusReason)
            qtbot.wait(1)
            focused = QApplication.focusWidget()  # a tab widget hands it to its tab bar
            if focused is not None and isinstance(focused, kind) and screen.isAncestorOf(focused):
                return focused
    raise AssertionError(f"no {kind.__name__} to focus on {key}: {QApplication.focusWidget()}")


class EndOfLineField(QLineEdit):
    """A line edit as on Linux desktops (the xcb platform's key bindings), where Ctrl+E
    is "move to the end of the line": it claims the key in ShortcutOverride, so the
    window's shortcut never saw it. (Offscreen, Qt uses other bindings; under Xvfb a
    plain QLineEdit behaves like this one.)"""

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and QKeySequence(event.keyCombination()) == QKeySequence("Ctrl+E")
        ):
            event.accept()
            return True
        return super().event(event)


# ---------------------------------------------------------------------- Ctrl+E
def test_ctrl_e_exports_whatever_has_the_focus(qtbot, window, monkeypatch):
    exports = []

    class Dialog:
        def exec(self) -> int:
            exports.append(QApplication.focusWidget())
            return 0

    monkeypatch.setattr(window.data_menu, "make_export", lambda fmt: Dialog())
    evaluations = window.screens["evaluations"]
    field = EndOfLineField(evaluations)
    evaluations.layout().addWidget(field)  # type: ignore[union-attr]
    field.show()
    targets = [
        ("evaluations", EndOfLineField),
        ("evaluations", QLineEdit),
        ("evaluations", QWidget),
        ("people", QLineEdit),
        ("forms", QWidget),
        ("dashboard", QWidget),
        ("profile", QComboBox),
        ("settings", QWidget),
        ("queue", QWidget),
    ]
    for key, kind in targets:
        widget = focus_in(qtbot, window, key, kind)
        before = len(exports)
        qtbot.keyClick(widget, Qt.Key.Key_E, CTRL)
        assert len(exports) == before + 1, f"Ctrl+E did nothing in {type(widget).__name__}"
        assert exports[-1] is widget
    # Ctrl+E typed in a field of another window stays that field's own key.
    other = EndOfLineField()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(other.isActiveWindow)
    other.setFocus()
    qtbot.keyClick(other, Qt.Key.Key_E, CTRL)
    assert len(exports) == len(targets)


# ---------------------------------------------------------------------- mnemonics
def mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    return found.group(1).upper() if found else None


def test_no_field_takes_a_menus_alt_letter(window):
    """Walks every widget of every screen (hidden pages too): a label's, button's, group's
    or tab's Alt+letter never equals a menu's (Alt+F File, Alt+D Data…)."""
    menus = {mnemonic(a.text()): a.text() for a in window.menuBar().actions()}
    assert {"F", "E", "D", "B", "V", "H"} <= set(menus)
    clashes = []
    for key, screen in window.screens.items():
        for widget in screen.findChildren(QWidget):
            texts = []
            if isinstance(widget, QLabel) and widget.buddy() is not None:
                texts.append(widget.text())
            if isinstance(widget, QAbstractButton):
                texts.append(widget.text())
            if isinstance(widget, QGroupBox):
                texts.append(widget.title())
            if isinstance(widget, QTabWidget):
                texts += [widget.tabText(i) for i in range(widget.count())]
            for text in texts:
                letter = mnemonic(text)
                if letter in menus:
                    clashes.append(f"{key}: {text!r} takes Alt+{letter} from {menus[letter]!r}")
    assert clashes == []


def test_alt_f_and_alt_d_open_their_menus_from_every_screen(qtbot, window):
    menus = {mnemonic(a.text()): a.menu() for a in window.menuBar().actions()}
    for spec in window._specs:
        for letter, key in (("F", Qt.Key.Key_F), ("D", Qt.Key.Key_D)):
            widget = focus_in(qtbot, window, spec.key)
            qtbot.keyClick(widget, key, ALT)
            popup = QApplication.activePopupWidget()
            assert popup is menus[letter], f"Alt+{letter} on {spec.key} gave {popup} ({widget})"
            popup.close()
            qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)


# ---------------------------------------------------------------------- F1
def bound_keys(screen: QWidget) -> set[str]:
    """Every key the screen binds (its enabled shortcuts and actions)."""
    keys: set[str] = set()
    for shortcut in screen.findChildren(QShortcut):
        if shortcut.isEnabled():
            keys.add(shortcut.key().toString())
    for action in screen.findChildren(QAction):
        keys.update(k.toString() for k in action.shortcuts())
    return {normal(k) for k in keys if k and k != "F1"}


def normal(keys: str) -> str:
    for arrow, word in (("←", "Left"), ("→", "Right"), ("↑", "Up"), ("↓", "Down")):
        keys = keys.replace(arrow, word)
    return keys.replace("Return", "Enter").replace("Delete", "Del").strip()


def listed_keys(rows: list[tuple[str, str]]) -> set[str]:
    out = set()
    for _action, keys in rows:
        out.update(normal(k) for k in re.split(r" / |, ", keys))
    return out


def test_f1_lists_the_keys_of_every_screen(qtbot, window, monkeypatch):
    shown: list[tuple[str, list[tuple[str, str]]]] = []

    def capture(dialog: ShortcutHelpDialog) -> int:
        shown.append((dialog.windowTitle(), dialog.shortcut_rows()))
        return 0

    monkeypatch.setattr(ShortcutHelpDialog, "exec", capture)
    for spec in window._specs:
        widget = focus_in(qtbot, window, spec.key)
        qtbot.keyClick(widget, Qt.Key.Key_F1)
        assert len(shown) == window._specs.index(spec) + 1, f"F1 did nothing on {spec.key}"
        title, rows = shown[-1]
        assert spec.title in title
        missing = bound_keys(window.screens[spec.key]) - listed_keys(rows)
        assert not missing, f"{spec.key} binds {sorted(missing)} but F1 does not list them"
        keys = dict(rows)
        assert keys["Export the evaluations shown on Evaluations to Excel"] == "Ctrl+E"
        assert keys["User guide"] == "Shift+F1"
        assert keys["Show this list"] == "F1"
    evaluate_rows = shown[0][1]
    assert ("Check and submit / save changes", "Ctrl+Enter") in evaluate_rows


# ---------------------------------------------------------------------- user guide
def test_shift_f1_opens_the_offline_user_guide(qtbot, window, monkeypatch):
    opened: list[UserGuideDialog] = []
    monkeypatch.setattr(UserGuideDialog, "exec", lambda self: opened.append(self) or 0)
    widget = focus_in(qtbot, window, "dashboard")
    qtbot.keyClick(widget, Qt.Key.Key_F1, SHIFT)
    assert len(opened) == 1
    guide = opened[0]
    assert guide.headings() == [
        "First steps",
        "Scoring a call with the keyboard",
        "The dashboard",
        "Calibration",
        "Disputes and coaching",
        "Team sync",
        "Backups",
    ]
    text = guide.browser.toPlainText()
    assert "Ctrl+N starts a new evaluation" in text and "F5 syncs at once" in text
    assert "http" not in guide.html()  # nothing to fetch: it works offline
    # The contents are links to the headings, followed inside the dialog.
    guide.browser.scrollToAnchor("backups")
    help_menu = window.menuBar().actions()[-1].menu()
    assert isinstance(help_menu, QMenu)
    texts = [a.text().replace("&", "") for a in help_menu.actions()]
    assert "User guide" in texts and "About QA Monitor" in texts


# ---------------------------------------------------------------------- agent search
def test_enter_in_the_agent_search_picks_the_only_match_in_the_window(qtbot, window):
    """In the window, where other screens bind Enter too: the agent profile's search
    takes the one agent that matches."""
    profile = window.screens["profile"]
    combo = profile.header.agent  # type: ignore[attr-defined]
    agents = window.session.services.people.list_agents()
    wanted = agents[0]
    typed = next(
        wanted.name[i : i + 4]
        for i in range(len(wanted.name) - 3)
        if sum(wanted.name[i : i + 4].casefold() in a.name.casefold() for a in agents) == 1
    )
    focus_in(qtbot, window, "profile", QComboBox)
    line = combo.lineEdit()
    line.selectAll()
    with qtbot.waitSignal(profile.header.agentChosen) as chosen:  # type: ignore[attr-defined]
        qtbot.keyClicks(line, typed)
        qtbot.keyClick(line, Qt.Key.Key_Return)
    assert chosen.args == [wanted.id]
