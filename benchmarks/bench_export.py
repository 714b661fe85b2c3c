"""Time the Excel export against a bare openpyxl write-only loop writing the same cells.

    python benchmarks/generate.py 100000 --out /tmp/b100k.db     # once
    python benchmarks/bench_export.py [DB] [--repeat R] [--answers]

Each measurement runs in its own process (so peak memory is its own, from
``getrusage``), alternating baseline and export ``--repeat`` times; the best time of
each is compared:

- baseline: the Evaluations sheet's exact values (built by the export's own row code
  beforehand, not timed) appended with ``ws.append`` to a write-only workbook, saved;
- export: ``export_workbook`` from SQL to a finished file: Summary (key figures, bar
  chart), Evaluations (same cells, styled, formats, conditional formats, autofilter),
  Agents (per agent and month with intervals), Trend (two line charts), Questions.
  The Answers sheet (30 rows per evaluation) is left out unless ``--answers``.

Targets: export time at most 1.3× the baseline; export peak memory at most 300 MB.
The database is copied to a temporary folder first (opening it may add migrations).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))  # run from a checkout without installing

RATIO_TARGET = 1.3
MEMORY_TARGET_MB = 300.0


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _child_baseline(db: Path, out: Path) -> dict[str, float]:
    from openpyxl import Workbook

    from qa_monitor.core.records import EvaluationFilter
    from qa_monitor.reports.export_columns import EvaluationColumns
    from qa_monitor.services import Services
    from qa_monitor.storage import export_queries as q

    flt = EvaluationFilter()
    with Services.open(db) as services:
        cols = EvaluationColumns(q.export_layout(services.db, flt), q.centre_timezone(services.db))
        header = [c.header for c in cols.columns]
        rows = [cols.row(r, s) for r, s in q.evaluation_records(services.db, flt)]
    wall, cpu = time.perf_counter(), time.process_time()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Evaluations")
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(out)
    return {
        "seconds": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "rows": len(rows),
        "cells": sum(v is not None for row in rows for v in row),
        "columns": len(header),
        "peak_mb": _peak_mb(),
    }


def _child_export(db: Path, out: Path, answers: bool) -> dict[str, float]:
    from qa_monitor.core.records import EvaluationFilter
    from qa_monitor.reports.xlsx_export import export_workbook
    from qa_monitor.services import Services

    with Services.open(db) as services:
        wall, cpu = time.perf_counter(), time.process_time()
        result = export_workbook(
            services, EvaluationFilter(), out, generated_by="benchmark", include_answers=answers
        )
        seconds, cpu_s = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu": cpu_s,
        "rows": result.evaluations,
        "answers": result.answers,
        "sheets": len(result.sheets),
        "peak_mb": _peak_mb(),
        "file_mb": out.stat().st_size / 1e6,
    }


def _run_child(kind: str, db: Path, out: Path, answers: bool) -> dict[str, float]:
    args = [sys.executable, __file__, "--child", kind, str(db), "--out", str(out)]
    if answers:
        args.append("--answers")
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", nargs="?", type=Path, default=Path("/tmp/b100k.db"))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--answers", action="store_true", help="include the Answers sheet")
    parser.add_argument("--child", choices=["baseline", "export"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        if args.child == "baseline":
            result = _child_baseline(args.db, args.out)
        else:
            result = _child_export(args.db, args.out, args.answers)
        print(json.dumps(result))
        return 0
    if not args.db.exists():
        raise SystemExit(f"{args.db} does not exist; run benchmarks/generate.py 100000 first")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        shutil.copyfile(args.db, db)
        started = time.perf_counter()
        from qa_monitor.services import Services

        Services.open(db).close()  # apply any pending migration outside the timings
        print(f"copied and opened {args.db} in {time.perf_counter() - started:.1f} s")
        runs: dict[str, list[dict[str, float]]] = {"baseline": [], "export": []}
        for _ in range(args.repeat):
            for kind in ("baseline", "export"):
                runs[kind].append(_run_child(kind, db, Path(tmp) / f"{kind}.xlsx", args.answers))
    base = min(runs["baseline"], key=lambda r: r["seconds"])
    best = min(runs["export"], key=lambda r: r["seconds"])
    peak = max(r["peak_mb"] for r in runs["export"])
    ratio = best["seconds"] / base["seconds"]
    load = os.getloadavg()[0]
    print(
        f"\nExport of {best['rows']:,.0f} evaluations ({base['columns']:.0f} columns, "
        f"{base['cells']:,.0f} non-empty cells{', answers too' if args.answers else ''}); "
        f"best of {args.repeat}; load average {load:.1f} on {os.cpu_count()} CPUs\n"
    )
    print(f"{'run':<40} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}")
    print(f"{'-' * 40} {'-' * 7} {'-' * 7} {'-' * 8}")
    print(
        f"{'bare openpyxl write-only (same cells)':<40} {base['seconds']:>7.2f} "
        f"{base['cpu']:>7.2f} {base['peak_mb']:>8.0f}"
    )
    print(
        f"{'export_workbook (' + str(int(best['sheets'])) + ' sheets, charts)':<40} "
        f"{best['seconds']:>7.2f} {best['cpu']:>7.2f} {peak:>8.0f}"
    )
    for kind in ("baseline", "export"):
        times = ", ".join(f"{r['seconds']:.2f}" for r in runs[kind])
        print(f"  all {kind} runs: {times}")
    print(
        f"\nratio export / baseline: {ratio:.2f} (target ≤ {RATIO_TARGET}); "
        f"CPU ratio {best['cpu'] / base['cpu']:.2f}; export file {best['file_mb']:.1f} MB"
    )
    print(f"export peak memory {peak:.0f} MB (target ≤ {MEMORY_TARGET_MB:.0f} MB)")
    ok = ratio <= RATIO_TARGET and peak <= MEMORY_TARGET_MB
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
