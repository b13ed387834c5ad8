"""Time the importer and measure its peak memory, next to a plain ``pandas.read_csv`` of the same file.

Prints a markdown table: median wall time of 3 runs and the largest peak
resident memory (VmHWM) seen, each run in a fresh child process so that one
run's memory cannot hide another's. Files: the largest real sample in
``../shared/data/real/`` (when that folder exists) and a synthetic
1,000,000-row ACLED-layout file generated into a temporary folder (never into
the repository). Timing starts after the imports, so Python and library
start-up are left out; the memory figure includes them (about 150-200 MB).

    .venv/bin/python benchmarks/bench_import.py [--rows 1000000] [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"

CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r})
import pandas as pd
from dashboard.core.importers import import_events
path, task = {path!r}, {task!r}
start = time.perf_counter()
if task == "import":
    result = import_events(path)
    rows = result.report["rows_imported"]
else:
    rows = len(pd.read_csv(path, low_memory=False))
seconds = time.perf_counter() - start
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({{"seconds": seconds, "peak_mb": peak_kb / 1024, "rows": rows}}))
"""


def measure(path: Path, task: str, runs: int) -> dict:
    """Run ``task`` (``import`` or ``read_csv``) on ``path`` in ``runs`` child processes."""
    results = []
    for _ in range(runs):
        code = CHILD.format(root=str(ROOT), path=str(path), task=task)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {
        "median_s": statistics.median(r["seconds"] for r in results),
        "runs_s": [r["seconds"] for r in results],
        "peak_mb": max(r["peak_mb"] for r in results),
        "rows": results[0]["rows"],
    }


def table(rows: list[tuple[str, Path, str, dict]]) -> str:
    lines = ["| file | size (MB) | task | rows | median time (s) | runs (s) | peak RSS (MB) |",
             "|---|---:|---|---:|---:|---|---:|"]
    for label, path, task, m in rows:
        runs = ", ".join(f"{s:.2f}" for s in m["runs_s"])
        lines.append(f"| {label} | {path.stat().st_size / 1e6:.1f} | {task} | {m['rows']:,} | "
                     f"{m['median_s']:.2f} | {runs} | {m['peak_mb']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the synthetic ACLED file")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (the median is shown)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synthetic_acled import write_synthetic_acled

    measured = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        files = []
        if REAL.is_dir():
            largest = max((p for p in REAL.iterdir() if p.suffix.lower() == ".csv"), key=lambda p: p.stat().st_size)
            files.append((f"real: {largest.name}", largest))
        synthetic = write_synthetic_acled(Path(folder) / "synthetic_acled.csv", args.rows)
        files.append((f"synthetic ACLED, {args.rows:,} rows", synthetic))
        for label, path in files:
            for task in ("read_csv", "import"):
                print(f"measuring {task} on {path.name} ...", file=sys.stderr)
                measured.append((label, path, "pandas.read_csv (baseline)" if task == "read_csv" else "import_events",
                                 measure(path, task, args.runs)))
        print(table(measured))


if __name__ == "__main__":
    main()
