"""Form files and scorecards chosen in the GUI are read off the GUI thread.

A hostile form file is refused in well under a second now (formfiles/yaml_limits.py),
but reading an acceptable one can still take seconds; the window keeps painting
meanwhile and the result arrives as if read in place.
"""

from __future__ import annotations

import threading
import time
import zipfile
from pathlib import Path

from PySide6.QtCore import QTimer

from qa_monitor.formfiles import save_form
from qa_monitor.ui.dialogs import new_form_dialog, scorecard_import_dialog
from qa_monitor.ui.dialogs.new_form_dialog import NewFormDialog
from qa_monitor.ui.dialogs.scorecard_import_dialog import ScorecardImportDialog
from tests.factories import sample_form

_PAIRS = zip("abcdefgh", "bcdefghi", strict=True)
_LEVELS = [f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]" for p, n in _PAIRS]
BOMB = "format: qa-monitor-form/1\nid: bomb\ntitle: Bomb\n" + "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', *_LEVELS, "i: 1"]
)


def test_a_slow_form_file_never_blocks_the_gui_thread(qtbot, tmp_path: Path, monkeypatch) -> None:
    good = tmp_path / "good.yaml"
    save_form(sample_form("from_file", "From file"), good)
    threads: list[threading.Thread] = []
    real = new_form_dialog.load_form
    fired: list[int] = []

    def slow_load(path):
        # The read waits until the GUI thread has run its timer five times: only
        # possible while the read is off it. (A fixed sleep counted ticks, and a loaded
        # machine could starve the GUI thread of them: 1 tick in 0.6 s at load 6.)
        threads.append(threading.current_thread())
        deadline = time.monotonic() + 20
        while len(fired) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        return real(path)

    monkeypatch.setattr(new_form_dialog, "load_form", slow_load)
    dialog = NewFormDialog(set(), [])
    qtbot.addWidget(dialog)
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: fired.append(1))
    timer.start()
    try:
        loaded = dialog.load_file(good)
    finally:
        timer.stop()
    assert loaded and dialog.form().id == "from_file"  # type: ignore[union-attr]
    assert threads and threads[0] is not threading.main_thread()
    assert len(fired) >= 5  # the event loop ran all along


def test_an_alias_bomb_chosen_in_the_dialog_is_listed_as_a_problem_at_once(
    qtbot, tmp_path: Path
) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB + "\n", encoding="utf-8")
    dialog = NewFormDialog(set(), [])
    qtbot.addWidget(dialog)
    started = time.perf_counter()
    assert not dialog.load_file(bomb)
    assert time.perf_counter() - started < 5
    problems = dialog.file_problems.toPlainText()
    assert f"{bomb}:" in problems
    assert "the file holds more than 50,000 values" in problems
    assert not dialog.ok.isEnabled()


def test_a_scorecard_zip_bomb_is_read_off_the_gui_thread_and_reported(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "scorecard.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/sharedStrings.xml", b"<sst>" + b"A" * 8_000_000 + b"</sst>")
    threads: list[threading.Thread] = []
    real = scorecard_import_dialog.read_scorecard

    def recorded(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(scorecard_import_dialog, "read_scorecard", recorded)
    dialog = ScorecardImportDialog(set())
    qtbot.addWidget(dialog)
    dialog.load(path)
    assert threads and threads[0] is not threading.main_thread()
    assert dialog.result_data is not None and dialog.result_data.form is None
    (problem,) = dialog.problems_model.stringList()
    assert "the file holds a part (xl/sharedStrings.xml) compressed" in problem
    assert not dialog.import_button.isEnabled()
