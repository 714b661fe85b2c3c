"""What a start leaves where: with QA_MONITOR_DATA_DIR set (a portable install) the
settings and matplotlib's cache stay under it and nothing is written to the user's config
folder; before Qt opens a window on Linux, missing X11 libraries are named as packages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa_monitor import qt_preflight
from qa_monitor.cli import main

ROOT = Path(__file__).resolve().parent.parent

# A full start of the app with the event loop replaced: every window closes at once (so
# the window's state is saved as on a real quit) and no one answers the reviewer question.
START_AND_QUIT = """
from PySide6.QtWidgets import QApplication
from qa_monitor.ui.dialogs.reviewer_dialog import ReviewerDialog
from qa_monitor.ui.dialogs import welcome_dialog
ReviewerDialog.exec = lambda self: 0
welcome_dialog.offer_welcome = lambda window: None

def quit_at_once(self=None):
    for widget in QApplication.topLevelWidgets():
        widget.close()
    return 0

QApplication.exec = quit_at_once
from qa_monitor.cli import main
raise SystemExit(main([]))
"""


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_portable_start_writes_nothing_to_the_users_config(tmp_path):
    home = tmp_path / "home"
    portable = tmp_path / "portable"
    home.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "MPL"))},
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "QA_MONITOR_DATA_DIR": str(portable),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.run(
        [sys.executable, "-c", START_AND_QUIT],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Before: .config/QA Monitor/QA Monitor.conf (the window's geometry) was written here.
    assert not (home / ".config").exists() or files_under(home / ".config") == []
    assert not (home / ".local").exists()
    written = files_under(portable)
    assert "settings/QA Monitor/QA Monitor.ini" in written
    assert "qa-monitor.db" in written
    assert any(name.startswith("matplotlib/") for name in written) or "matplotlib" not in (
        proc.stderr
    )


def test_matplotlib_cache_goes_to_the_data_dir(monkeypatch, tmp_path):
    from qa_monitor import paths

    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    monkeypatch.delitem(sys.modules, "matplotlib", raising=False)
    paths.use_data_dir_for_matplotlib()
    assert os.environ["MPLCONFIGDIR"] == str(tmp_path / "data" / "matplotlib")
    monkeypatch.delenv("MPLCONFIGDIR")


@pytest.mark.parametrize(
    ("env", "qt_args", "expected"),
    [
        ({}, [], True),
        ({"QT_QPA_PLATFORM": "offscreen"}, [], False),
        ({"QT_QPA_PLATFORM": "xcb"}, [], True),
        ({"XDG_SESSION_TYPE": "wayland"}, [], False),
        ({"XDG_SESSION_TYPE": "wayland"}, ["-platform", "xcb"], True),
        ({"QT_QPA_PLATFORM": "xcb"}, ["-platform=offscreen"], False),
    ],
)
def test_when_the_xcb_libraries_matter(env, qt_args, expected):
    assert qt_preflight.uses_xcb(env, qt_args, platform="linux") is expected


def test_missing_libraries_are_named_as_packages(monkeypatch, capsys):
    absent = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}
    monkeypatch.setattr(qt_preflight, "_loads", lambda soname: soname not in absent)
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(sys, "platform", "linux")
    assert main([]) == 5
    err = capsys.readouterr().err
    assert 'the Qt platform plugin "xcb" needs system libraries' in err
    assert err.strip().endswith("sudo apt-get install libxcb-icccm4 libxcb-keysyms1")


def test_every_library_loads_here():
    # .ci/run installs them; the check must not cry wolf on a complete machine.
    assert qt_preflight.missing_xcb_packages() == []


def test_a_frozen_build_counts_the_libraries_it_carries(monkeypatch, tmp_path):
    # The bundle's copy of a library is what Qt loads: a system without it is fine.
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    tried = []

    def cdll(name):
        tried.append(name)
        if not name.startswith(str(tmp_path)):
            raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(qt_preflight.ctypes, "CDLL", cdll)
    (tmp_path / "libxcb-icccm.so.4").write_bytes(b"")
    assert qt_preflight._loads("libxcb-icccm.so.4")
    assert not qt_preflight._loads("libxcb-keysyms.so.1")
    assert tried == [str(tmp_path / "libxcb-icccm.so.4"), "libxcb-keysyms.so.1"]
