"""What F1 lists on each screen: the screen's own keys, then the keys that work on
every screen (the menus' shortcuts, moving between screens, help).

The Evaluate screen lists its keys itself (``EvaluateScreen.shortcut_groups``: the form,
the player, saving and submitting); the others are described here, by screen key. A
test walks every screen's shortcuts and fails when one is bound but not listed, so a new
key cannot be added without saying what it does.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from qa_monitor.ui.widgets.shortcut_help_widget import ShortcutGroup


def _t(text: str) -> str:
    return QCoreApplication.translate("ShortcutHelp", text)


def _queue() -> list[ShortcutGroup]:
    return [
        (
            _t("My queue"),
            [
                (_t("Score the selected call"), "Enter"),
                (_t("Skip the selected call, with a reason"), "Del / Ctrl+Shift+S"),
                (_t("Put a skipped call back in the queue"), "Ctrl+Shift+R"),
            ],
        ),
        (
            _t("Rules"),
            [
                (_t("Add a sampling rule"), "Ins / Ctrl+N"),
                (_t("Change the selected rule"), "F2 / Enter"),
                (_t("Deactivate / reactivate the selected rule"), "Ctrl+Shift+D / Ctrl+Shift+R"),
                (_t("Delete a rule that has queued nothing"), "Del"),
                (_t("Build the queue of a period"), "Ctrl+B"),
            ],
        ),
        (
            _t("Coverage"),
            [
                (_t("Give the selected call to a reviewer"), "Ctrl+Shift+A / Enter"),
                (_t("Previous / next period"), "Alt+PgUp / Alt+PgDown"),
                (_t("Back to this period"), "Alt+T"),
                (_t("Build the queue of a period"), "Ctrl+B"),
            ],
        ),
    ]


def _evaluations() -> list[ShortcutGroup]:
    return [
        (
            _t("Evaluations"),
            [
                (_t("Open the selected evaluation"), "Enter"),
                (_t("Record that the agent acknowledged it"), "Ctrl+Shift+K"),
                (_t("Record the agent's dispute"), "Ctrl+Shift+D"),
                (_t("Show its history"), "Ctrl+Shift+H"),
                (_t("Record a coaching session about it"), "Ctrl+Shift+O"),
            ],
        )
    ]


def _disputes() -> list[ShortcutGroup]:
    return [
        (
            _t("Disputes"),
            [
                (_t("Re-review the selected dispute"), "Enter"),
                (_t("Ask another reviewer to re-review it"), "Ctrl+Shift+A"),
                (_t("Show the disputed evaluation on Evaluate"), "Ctrl+Shift+O"),
            ],
        )
    ]


def _coaching() -> list[ShortcutGroup]:
    return [
        (
            _t("Coaching"),
            [
                (_t("New coaching session"), "Ctrl+N"),
                (_t("Open the selected session"), "Enter"),
                (_t("Delete the selected session"), "Del"),
            ],
        )
    ]


def _dashboard() -> list[ShortcutGroup]:
    return [
        (
            _t("Dashboard"),
            [
                (_t("Move between the charts and tables"), "Tab / Shift+Tab"),
                (_t("Move between the bars or points of a chart"), "← / → / ↑ / ↓"),
                (_t("First / last bar or point"), "Home / End"),
                (_t("Show the evaluations behind a bar or point"), "Enter / Space"),
            ],
        )
    ]


def _reviewers() -> list[ShortcutGroup]:
    return [
        (
            _t("Reviewer quality"),
            [
                (_t("Go to the reviewers table"), "Alt+R"),
                (_t("Go to the questions table"), "Alt+Q"),
                (_t("Show the selected reviewer's drift"), "Enter"),
                (_t("Export the report to Excel"), "Ctrl+Shift+E"),
            ],
        )
    ]


def _calibration() -> list[ShortcutGroup]:
    return [
        (
            _t("Calibration"),
            [
                (_t("New calibration session"), "Ins"),
                (_t("Open the selected session"), "Enter"),
                (_t("Delete the selected session"), "Del"),
                (_t("Show or hide the list of sessions"), "F9"),
                (_t("Save the agreed answer and note"), "Ctrl+S"),
                (_t("Export the calibration workbook"), "Ctrl+Shift+E"),
            ],
        )
    ]


def _profile() -> list[ShortcutGroup]:
    return [
        (
            _t("Agent profile"),
            [
                (_t("Find an agent: type part of the name, then Enter"), "Alt+G"),
                (_t("Choose the period"), "Alt+P"),
                (_t("New coaching session with this agent"), "Ctrl+Shift+O"),
            ],
        )
    ]


def _forms() -> list[ShortcutGroup]:
    return [
        (
            _t("Forms"),
            [
                (_t("New blank form"), "Ctrl+Shift+A / Ins"),
                (_t("Import a form file (YAML)"), "Ctrl+I"),
                (_t("Import an Excel scorecard"), "Ctrl+Shift+I"),
                (_t("Edit the selected form"), "F2 / Enter"),
                (_t("Publish the draft"), "Ctrl+Shift+P"),
                (_t("Discard the draft"), "Del"),
                (_t("Retire / bring back the form"), "Ctrl+Shift+R / Ctrl+Shift+B"),
                (_t("Compare two versions"), "Ctrl+D"),
                (_t("Export the selected version (YAML)"), "Ctrl+Shift+E"),
                (_t("Duplicate the form"), "Ctrl+Shift+D"),
                (_t("Undo the last discard, retire or bring back"), "Ctrl+Z"),
                (_t("Search the forms"), "Ctrl+F"),
            ],
        ),
        (
            _t("Form designer"),
            [
                (_t("Save the draft"), "Ctrl+S"),
                (_t("Back to the list of forms"), "Alt+Left"),
                (_t("Add a question / a section"), "Ins / Shift+Ins"),
                (_t("Duplicate the selected item"), "Ctrl+D"),
                (_t("Delete the selected item"), "Del"),
                (_t("Move the selected item up / down"), "Ctrl+Up / Ctrl+Down"),
                (_t("Undo / redo"), "Ctrl+Z / Ctrl+Shift+Z, Ctrl+Y"),
            ],
        ),
    ]


def _people() -> list[ShortcutGroup]:
    return [
        (
            _t("People"),
            [
                (_t("Add a person or a team"), "Ins / Ctrl+Shift+A"),
                (_t("Edit the selected row"), "F2 / Enter"),
                (_t("Delete the selected row"), "Del"),
                (_t("Deactivate / reactivate"), "Ctrl+Shift+D / Ctrl+Shift+R"),
                (_t("Show the agent's profile"), "Ctrl+Shift+P"),
                (_t("Undo the last change"), "Ctrl+Z"),
                (_t("Search / clear the search"), "Ctrl+F / Esc"),
            ],
        )
    ]


def _settings() -> list[ShortcutGroup]:
    return [
        (
            _t("Settings"),
            [(_t("Go to a field: Alt and the underlined letter of its label"), "Alt+…")],
        )
    ]


_SCREENS: dict[str, Callable[[], list[ShortcutGroup]]] = {
    "queue": _queue,
    "evaluations": _evaluations,
    "disputes": _disputes,
    "coaching": _coaching,
    "dashboard": _dashboard,
    "reviewers": _reviewers,
    "calibration": _calibration,
    "profile": _profile,
    "forms": _forms,
    "people": _people,
    "settings": _settings,
}


def screen_shortcuts(key: str) -> list[ShortcutGroup]:
    """The keys of screen ``key`` (the main window's screen keys), by group."""
    build = _SCREENS.get(key)
    return build() if build is not None else []


def window_shortcuts(screen_keys: list[tuple[str, str]]) -> ShortcutGroup:
    """The keys that work on every screen; ``screen_keys`` are (screen title, keys)."""
    rows = [
        (_t("New evaluation"), "Ctrl+N"),
        (_t("Export the evaluations shown on Evaluations to Excel"), "Ctrl+E"),
        (_t("Sync with the team now"), "F5"),
        (_t("Open a database"), "Ctrl+O"),
        (_t("Open a menu: Alt and its underlined letter"), "Alt+F / Alt+E / Alt+D …"),
        (_t("User guide"), "Shift+F1"),
    ]
    rows += [(_t("Go to {0}").format(title), keys) for title, keys in screen_keys]
    return (_t("Every screen"), rows)
