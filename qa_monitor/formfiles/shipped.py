"""The form templates shipped with QA Monitor, found the same way in every kind of install.

- Frozen (PyInstaller) app: ``sys._MEIPASS/forms``.
- Source checkout: the repository's top-level ``forms/`` (the source of truth).
- Installed wheel: the same files as the package ``qa_monitor._forms``.
"""

from __future__ import annotations

import importlib.resources
import sys
from pathlib import Path

import qa_monitor
from qa_monitor.core.forms import Form
from qa_monitor.formfiles.yaml_format import load_form

_PATTERN = "*.yaml"


def _yaml_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob(_PATTERN) if p.is_file())


def _frozen_files() -> list[Path]:
    base = getattr(sys, "_MEIPASS", None)
    if not getattr(sys, "frozen", False) or not base:
        return []
    return _yaml_files(Path(base) / "forms")


def _checkout_files() -> list[Path]:
    return _yaml_files(Path(qa_monitor.__file__).resolve().parent.parent / "forms")


def _package_files() -> list[Path]:
    try:
        root = importlib.resources.files("qa_monitor._forms")
    except ModuleNotFoundError:
        return []
    # Only files on disk: a zipped install has no paths to hand out (none is built).
    found = [
        entry
        for entry in root.iterdir()
        if isinstance(entry, Path) and entry.is_file() and entry.match(_PATTERN)
    ]
    return sorted(found)


def shipped_form_paths() -> list[Path]:
    """The shipped template files, sorted by name.

    Looks in the frozen bundle first (when frozen), then the checkout's ``forms/``, then
    the installed ``qa_monitor._forms`` package; the first place holding ``*.yaml`` wins.
    An empty list means no templates were installed.
    """
    for finder in (_frozen_files, _checkout_files, _package_files):
        files = finder()
        if files:
            return files
    return []


def load_shipped_forms() -> list[Form]:
    """Every shipped template as a Form, in file-name order.

    Raises ``FormFileError`` if one cannot be read: shipped forms are tested, so that
    is a packaging bug, not a user's mistake.
    """
    return [load_form(path) for path in shipped_form_paths()]
