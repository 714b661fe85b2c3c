"""What a desktop launcher passes: a database path as the first argument, and Qt's own
options (``-reverse``, ``-style fusion``...), sorted out before argparse sees them.

A ``.desktop`` entry runs ``qa-monitor %f``, a file manager ``qa-monitor PATH.db``, and
Qt documents options every Qt application accepts; argparse would refuse all three.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# QGuiApplication's and QApplication's options (Qt 6 documentation), with and without a
# value. Qt reads them with one dash or two and as "-name=value".
QT_FLAGS = frozenset({"reverse", "nograb", "dograb", "sync", "widgetcount"})
QT_OPTIONS_WITH_VALUE = frozenset(
    {
        "platform",
        "platformpluginpath",
        "platformtheme",
        "plugin",
        "qwindowgeometry",
        "qwindowicon",
        "qwindowtitle",
        "style",
        "stylesheet",
        "session",
        "display",
        "geometry",
        "qmljsdebugger",
    }
)
# Our own options that take a value, so their value is not read as a database path.
OWN_OPTIONS_WITH_VALUE = frozenset({"--db"})


@dataclass(frozen=True)
class LaunchArgs:
    ours: list[str]  # for argparse
    qt: list[str]  # for QApplication, after the program name


def _qt_name(token: str) -> str | None:
    if not token.startswith("-") or token in ("-", "--"):
        return None
    name = token.lstrip("-").split("=", 1)[0]
    return name if name in QT_FLAGS or name in QT_OPTIONS_WITH_VALUE else None


def split_launch_args(argv: Sequence[str], commands: Iterable[str]) -> LaunchArgs:
    """Qt's options go to ``qt``; a first positional argument that is not a command is
    the database to open (``--db PATH``)."""
    ours: list[str] = []
    qt: list[str] = []
    tokens = list(argv)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        name = _qt_name(token)
        if name is None:
            ours.append(token)
        elif name in QT_OPTIONS_WITH_VALUE and "=" not in token and i + 1 < len(tokens):
            qt += [token, tokens[i + 1]]
            i += 1
        else:
            qt.append(token)
        i += 1
    return LaunchArgs(_database_as_option(ours, set(commands)), qt)


def _database_as_option(args: list[str], commands: set[str]) -> list[str]:
    """``qa-monitor PATH`` -> ``qa-monitor --db PATH`` when PATH names no command."""
    i = 0
    while i < len(args):
        token = args[i]
        if token == "--":
            return args
        if token in OWN_OPTIONS_WITH_VALUE:
            i += 2
            continue
        if token.startswith("-"):
            i += 1
            continue
        if token in commands:
            return args
        return [*args[:i], "--db", token, *args[i + 1 :]]
    return args
