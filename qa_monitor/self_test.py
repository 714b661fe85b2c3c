"""`qa-monitor --self-test`: prove an installation works, headless, then exit.

Opens a temporary database, publishes every shipped form, scores and submits one
evaluation per form, renders a chart, writes an .xlsx and sorts words of three
languages with Qt's collation. Two more lines report what
works without being needed (exit code still 0 without them, marked "warn"): audio playback
(QtMultimedia needs libpulse0 on Linux) and, on Linux, the system libraries a window on
X11 needs. With ``--db PATH`` it also
checks that database, read-only (``qa-monitor check``'s checks). Prints one line per check;
exit code 0 only if all pass. Installers and the frozen-app smoke test run it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from qa_monitor.core.answers import Answer, AnswerValue
from qa_monitor.core.forms import Form, QuestionType


def _answers_for(form: Form) -> dict[str, Answer]:
    """Full marks on every scored question, and a valid value for every required one."""
    answers = {}
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    for _section, question in form.questions():
        value: AnswerValue
        if question.scored:
            value = max(question.options, key=lambda o: o.fraction or 0).id
        elif not question.required:
            continue
        elif question.type is QuestionType.TAGS:
            value = (question.options[0].id,)
        elif question.options:
            value = question.options[0].id
        elif question.type is QuestionType.DATETIME:
            value = now
        elif question.type is QuestionType.NUMBER:
            value = question.minimum or 0
        else:
            value = "self-test"
        answers[question.id] = Answer(question.id, value)
    return answers


def _check_database(path: Path) -> str:
    """The given database exists and passes every check (read-only)."""
    from qa_monitor.services.check_service import run_checks

    if not path.is_file():
        raise RuntimeError(f"there is no database at '{path}'")
    if path.stat().st_size == 0:
        raise RuntimeError(f"the database file '{path}' is empty (0 bytes)")
    report = run_checks(path)
    if not report.ok:
        raise RuntimeError(report.findings[0].message)
    return f"'{path}' passed {len(report.checks)} checks"


def _check_playback(folder: Path) -> str:
    """QtMultimedia loads (on Linux it needs the PulseAudio client library) and its
    backend opens a WAV and an Ogg recording (the demo's), as the recording player does."""
    import os
    import wave

    from qa_monitor import paths
    from qa_monitor.app import create_application
    from qa_monitor.ui.widgets.audio_support import load_multimedia, recordings_load

    multimedia = load_multimedia()
    if multimedia.module is None:
        package = multimedia.missing_package
        if package:
            raise RuntimeError(
                f"unavailable ({package} missing: {multimedia.error}); recordings cannot "
                "be played, everything else works"
            )
        raise RuntimeError(f"unavailable ({multimedia.error}); recordings cannot be played")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    create_application([])
    sample = folder / "silence.wav"
    with wave.open(str(sample), "wb") as out:  # a quarter second of 8 kHz silence
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 2000)
    recordings = [sample, *sorted((paths.resources_dir() / "demo_audio").glob("*.ogg"))[:1]]
    problem = recordings_load(recordings)
    if problem is not None:
        raise RuntimeError(f"QtMultimedia loaded, but recordings cannot be played: {problem}")
    kinds = " and ".join(path.suffix.lstrip(".").upper() for path in recordings)
    return f"QtMultimedia loaded: {kinds} recordings open, so recordings can be played"


def _check_desktop_libraries() -> str:
    """The libraries Qt's X11 ("xcb") plugin needs are installed."""
    from qa_monitor.qt_preflight import XCB_LIBRARIES, missing_xcb_packages

    missing = missing_xcb_packages()
    if missing:
        raise RuntimeError(
            "the window cannot open on X11: install " + " ".join(missing) + " (Debian/Ubuntu)"
        )
    return f"the {len(XCB_LIBRARIES)} libraries a window on X11 needs are installed"


def run_self_test(db_path: Path | None = None) -> int:
    from qa_monitor import __version__

    results: list[tuple[str, str, str]] = []  # name, "ok" / "FAIL" / "warn", detail

    def check(name: str, fn: Callable[[], str], failed: str = "FAIL") -> None:
        started = time.perf_counter()
        try:
            detail = fn()
            status = "ok"
        except RuntimeError as exc:  # a finding, already in words
            detail, status = str(exc), failed
        except Exception as exc:  # every failure is reported, none stops the others
            detail, status = f"{type(exc).__name__}: {exc}", failed
        ms = (time.perf_counter() - started) * 1000
        results.append((name, status, f"{detail} ({ms:.0f} ms)"))

    with tempfile.TemporaryDirectory(prefix="qa-monitor-self-test-") as tmp:
        root = Path(tmp)
        state: dict[str, object] = {}

        def forms() -> str:
            from qa_monitor.formfiles import load_shipped_forms

            loaded = load_shipped_forms()
            if not loaded:
                raise RuntimeError("no shipped forms found")
            state["forms"] = loaded
            return f"{len(loaded)} shipped forms"

        def database() -> str:
            from qa_monitor.core.forms import Channel
            from qa_monitor.core.records import InteractionData
            from qa_monitor.services import Services

            with Services.open(root / "self-test.db") as services:
                reviewer = services.people.add_reviewer("Self test")
                agent = services.people.add_agent("Self test agent")
                scores = []
                for form in state["forms"]:  # type: ignore[attr-defined]
                    version = services.forms.publish_form(form, reviewer.id)
                    interaction = services.interactions.create_interaction(
                        InteractionData(
                            channel=Channel.PHONE, started_at=datetime.now(UTC), agent_id=agent.id
                        )
                    )
                    draft = services.evaluations.start_evaluation(
                        interaction.id, version.id, reviewer.id
                    )
                    services.evaluations.save_draft(draft.id, _answers_for(form))
                    result = services.evaluations.submit(draft.id, reviewer.id)
                    if not result.ok:
                        raise RuntimeError(f"{form.id}: {result.problems[0]}")
                    scores.append(result.evaluation.score)
            return f"scored {len(scores)} evaluations: {', '.join(f'{s:.1f}' for s in scores)}"

        def chart() -> str:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure

            figure = Figure(figsize=(4, 3))
            axes = figure.add_subplot()
            axes.plot([1, 2, 3], [80, 85, 90])
            axes.set_title("Self test")
            FigureCanvasAgg(figure).print_png(str(root / "chart.png"))
            return f"{(root / 'chart.png').stat().st_size} bytes PNG"

        def workbook() -> str:
            from openpyxl import Workbook, load_workbook

            book = Workbook(write_only=True)
            sheet = book.create_sheet("Self test")
            sheet.append(["score", 87.5])
            book.save(root / "self-test.xlsx")
            value = load_workbook(root / "self-test.xlsx")["Self test"]["B1"].value
            if value != 87.5:
                raise RuntimeError(f"read back {value!r}")
            from openpyxl.xml import DEFUSEDXML

            if not DEFUSEDXML:  # a frozen build that left it out reads workbooks unsafely
                raise RuntimeError("defusedxml is missing: imports would refuse every workbook")
            return "xlsx written and read back through defusedxml"

        def qt() -> str:
            from qa_monitor.app import render_check

            return render_check()

        def sorting() -> str:
            from qa_monitor.app import collation_check

            return collation_check()

        for name, fn in (
            ("forms", forms),
            ("database", database),
            ("chart", chart),
            ("excel", workbook),
            ("qt", qt),
            ("sorting", sorting),
        ):
            check(name, fn)
        check("playback", lambda: _check_playback(root), failed="warn")
        if sys.platform.startswith("linux"):
            check("desktop", _check_desktop_libraries, failed="warn")
        if db_path is not None:
            given = Path(db_path).expanduser()
            check("your db", lambda: _check_database(given))

    print(f"QA Monitor {__version__} self-test ({sys.platform}, Python {sys.version.split()[0]})")
    for name, status, detail in results:
        print(f"  [{status}] {name:<9} {detail}")
    return 1 if any(status == "FAIL" for _n, status, _d in results) else 0
