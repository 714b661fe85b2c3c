"""Reviewer workspace timings on a large database (issue 3's targets).

    python benchmarks/generate.py 1000000 --out /tmp/bench1m.db     # once
    python benchmarks/bench_workspace.py /tmp/bench1m.db [--runs 5]

Measures, median of --runs:
- open the evaluation screen on a draft of a 150-question form (first usable / fully built),
- submit that evaluation (service call, and the screen's submit including the reload),
- open the evaluations list (count + first page, unfiltered, newest first, until shown).
Targets: open ≤ 300 ms, submit ≤ 50 ms, list ≤ 500 ms. Adds a few evaluations to the
database it is given (work on a copy if that matters).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import (
    Category,
    Channel,
    CommentRule,
    Form,
    FormSettings,
    Question,
    QuestionType,
    Section,
    default_options,
)
from qa_monitor.core.records import EvaluationFilter, InteractionData
from qa_monitor.services import Services
from qa_monitor.ui.screens.evaluate_screen import EvaluateScreen
from qa_monitor.ui.screens.evaluations_screen import EvaluationsScreen
from qa_monitor.ui.session import Session

TYPES = [QuestionType.YES_NO, QuestionType.SCALE_1_5, QuestionType.PASS_FAIL]


def big_form(n_questions: int = 150) -> Form:
    sections = []
    per = n_questions // 10
    for s in range(10):
        questions = tuple(
            Question(
                f"q{s}_{i}",
                f"Behaviour {s + 1}.{i + 1}: the agent did what the guidance describes",
                TYPES[i % 3],
                points=5,
                options=default_options(TYPES[i % 3]),
                allow_na=i % 4 == 0,
                comment=CommentRule.NOT_FULL if i % 5 == 0 else CommentRule.NEVER,
                guidance="What good looks like, in two sentences. What to mark down.",
            )
            for i in range(per)
        )
        sections.append(Section(f"s{s}", f"Section {s + 1}", list(Category)[s % 4], 1, questions))
    return Form("bench_150", "Benchmark 150-question form", tuple(sections), FormSettings())


def full_answers(form: Form) -> dict[str, Answer]:
    return {
        # Full marks everywhere, so no comment is required.
        q.id: Answer(q.id, max(q.options, key=lambda o: o.fraction or 0).id)
        for _s, q in form.questions()
    }


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = QApplication([])
    t0 = time.perf_counter()
    services = Services.open(args.db)
    open_db = time.perf_counter() - t0
    total = services.evaluations.count_evaluations(EvaluationFilter())
    reviewer = services.people.list_reviewers(active_only=True)[0]
    agent = services.people.list_agents(active_only=True)[0]
    form = big_form()
    version = services.forms.publish_form(form, reviewer.id)
    session = Session(services, args.db, reviewer.id)
    screen = EvaluateScreen(session)
    screen.resize(1500, 950)
    screen.show()
    opens_first, opens_full, submits, screen_submits, lists = [], [], [], [], []
    for run in range(args.runs):
        interaction = services.interactions.create_interaction(
            InteractionData(
                channel=Channel.PHONE,
                started_at=datetime.now(UTC),
                agent_id=agent.id,
                external_id=f"bench-ws-{time.time_ns()}-{run}",
            )
        )
        draft = services.evaluations.start_evaluation(interaction.id, version.id, reviewer.id)
        t0 = time.perf_counter()
        screen.open_evaluation(draft.id)
        app.processEvents()
        opens_first.append(time.perf_counter() - t0)
        while not screen.form_widget.is_fully_built():
            app.processEvents()
        opens_full.append(time.perf_counter() - t0)
        services.evaluations.save_draft(draft.id, full_answers(form))
        t0 = time.perf_counter()
        result = services.evaluations.submit(draft.id, reviewer.id)
        submits.append(time.perf_counter() - t0)
        assert result.ok, result.problems
        # The screen's submit path: save + submit + reopen read-only.
        second = services.evaluations.start_evaluation(interaction.id, version.id, reviewer.id)
        screen.open_evaluation(second.id)
        screen.form_widget.set_answers(full_answers(form))
        screen._dirty = True  # the answers came from code, not from key presses
        t0 = time.perf_counter()
        screen.submit()
        app.processEvents()
        screen_submits.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        lst = EvaluationsScreen(session)  # reads off the GUI thread: time until shown
        shown = QEventLoop()
        lst.listed.connect(shown.quit)
        shown.exec()
        lists.append(time.perf_counter() - t0)
        lst.close()
        lst.deleteLater()
    rows = [
        ("open database (migrations check)", open_db * 1000, None),
        ("open evaluation screen, first usable", median_ms(opens_first), 300),
        ("open evaluation screen, all 150 cards built", median_ms(opens_full), None),
        ("submit (service: validate + score + store)", median_ms(submits), 50),
        ("submit from the screen (save + submit + reopen)", median_ms(screen_submits), None),
        ("open evaluations list (count + first page)", median_ms(lists), 500),
    ]
    print(f"database: {args.db} ({total:,} evaluations), runs: {args.runs}")
    print(f"{'measure':<50} {'median ms':>10} {'target':>8}")
    for name, ms, target in rows:
        verdict = "" if target is None else ("ok" if ms <= target else "OVER")
        tgt = "" if target is None else f"≤{target}"
        print(f"{name:<50} {ms:>10.1f} {tgt:>8} {verdict}")
    services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
