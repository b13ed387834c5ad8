"""Server-side benchmark of the query layer against the pandas path, at 1e4 to 1e7 incidents.

For each size, a data folder in the bundled layout is generated once (``tests/generated.py``: the
bundled gazetteer and official counts, generated incidents over 2023-10-17..2025-12-31) and kept
under ``--data`` (default ``<temp>/dashboard-bench``). In one process per size:

- engine: the folder is converted to Parquet (once; cached by content) and loaded into DuckDB, as a
  server process does at start; then every query is timed on a cycle of filter changes (3-month
  ranges with a country, a site, a type or a status), as ``ui/data.py`` asks them with no answer
  cached. The engine compiles each shape of query once (values are variables), so a warm-up pass
  with other values comes first, as on a server that has been used for a while;
- pandas: the same answers from :mod:`dashboard.core.query.reference` over the loaded frames
  (today's pandas path before the query layer: ``apply_filters`` then the aggregates), measured
  up to ``--pandas-max`` incidents (its memory grows with the data).

Rows: every query the Charts page asks on a filter change, their sum ("Charts page, all"), the
sites map's data, and a page of 500 table rows (its total is the headline's count). Times are medians over ``--runs``
filter changes, in milliseconds, with the speed-up. Usage:
    .venv/bin/python benchmarks/bench_query.py [--sizes 1e4,1e5,1e6,1e7] [--runs 7] [--pandas-max 1e6]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

D = dt.date
QUERIES = ["headline", "count by country", "over time (week, by country)", "vs officials (daily, undated)",
           "per site", "per type", "casualties (week)", "Charts page, all", "sites map data", "page of 500 rows"]


SHAPES = [dict(countries=("Syria",)), dict(sites=("IQ-ASAD",)), dict(types=("drone", "rocket")),
          dict(statuses=("US-official",)), dict(countries=("Iraq", "Jordan"), types=("unknown", "mixed"))]
VALUES = [dict(countries=("Iraq",)), dict(sites=("SY-TANF", "JO-TOWER22")), dict(types=("missile",)),
          dict(statuses=("claim-only", "local-official")), dict(countries=("Syria",), types=("drone",))]


def filter_cycle(runs: int, offset: int = 0, values=SHAPES):
    """Filter changes: 3-month ranges moving through the data, each with one of five kinds of choice."""
    from dashboard.core.view.filters import Filters
    out = []
    for i in range(runs):
        start = D(2024, 1, 1) + dt.timedelta(days=37 * i + offset)
        out.append(Filters(start=start, end=start + dt.timedelta(days=91), **values[i % len(values)]))
    return out


def engine_times(folder: Path, runs: int) -> tuple[dict, dict]:
    from dashboard.core.query import counts, official, page_data, rows
    from dashboard.core.query.engine import Engine
    from dashboard.core.query.store import open_data

    started = time.perf_counter()
    stored = open_data(folder)
    opened = time.perf_counter()
    in_memory = os.environ.get("DASHBOARD_IN_MEMORY", "").strip() == "1"  # as the app decides
    engine = Engine(in_memory=in_memory)
    source = engine.register("bench", stored.tables(), stored.sites)
    loaded = time.perf_counter()
    info = {"open (convert once, then cached) s": round(opened - started, 2), "register in DuckDB s": round(loaded - opened, 2),
            "tables": "in memory" if in_memory else "Parquet files in place", "DuckDB MB": engine.memory_bytes() // 2**20}
    sites, official_counts = stored.sites, stored.official_counts
    times: dict[str, list[float]] = {q: [] for q in QUERIES}
    # A server that has run a while has compiled each shape of query once: warm up with other values
    warm = filter_cycle(len(SHAPES), offset=400, values=VALUES)
    for filters in warm + filter_cycle(runs):
        start, end = filters.start, filters.end
        steps = {
            "headline": lambda: counts.headline(source, filters),
            "count by country": lambda: counts.count_by(source, filters, "country"),
            "over time (week, by country)": lambda: counts.count_by_period(source, filters, "week", start, end, "country"),
            "vs officials (daily, undated)": lambda: official.cumulative_against_official(source, filters, official_counts,
                                                                                        start, end),
            "per site": lambda: counts.count_by_site(source, filters, sites),
            "per type": lambda: counts.count_by(source, filters, "event_type"),
            "casualties (week)": lambda: counts.casualties_by_period(source, filters, "week", start, end),
        }
        charts = 0.0
        for name, step in steps.items():
            took = _time(step)
            charts += took
            times[name].append(took)
        times["Charts page, all"].append(charts)
        times["sites map data"].append(_time(lambda: page_data.map_data(source, filters, "sites")))
        times["page of 500 rows"].append(_time(lambda: rows.page(source, filters, 0, 500)))
    return {q: [t * 1000 for t in v[len(warm):]] for q, v in times.items()}, info


def pandas_times(folder: Path, runs: int) -> dict:
    from dashboard.core.data.dataset import load_dataset
    from dashboard.core.places.join import join_incidents, place_anchors
    from dashboard.core.query import reference as ref
    from dashboard.core.view.filters import Filters

    dataset = load_dataset(folder)
    joined = join_incidents(dataset.incidents, dataset.sites)
    anchors = place_anchors(joined.placements, dataset.sites)
    sites, official_counts = dataset.sites, dataset.official_counts
    times: dict[str, list[float]] = {q: [] for q in QUERIES}
    scratch: dict[str, list[float]] = {q: [] for q in QUERIES}
    for filters in filter_cycle(runs):
        start, end = filters.start, filters.end
        began = time.perf_counter()
        chosen, placed, unmapped = ref.select(dataset.incidents, joined.placements, joined.unmapped, filters)
        select = time.perf_counter() - began
        undated_filters = Filters(countries=filters.countries, sites=filters.sites, types=filters.types,
                                  statuses=filters.statuses)
        steps = {
            "headline": lambda: ref.headline_figures(chosen, placed, unmapped),
            "count by country": lambda: ref.count_by(chosen, "country"),
            "over time (week, by country)": lambda: ref.count_by_period(chosen, "week", start, end, by="country"),
            "vs officials (daily, undated)": lambda: ref.cumulative_against_official(
                ref.select(dataset.incidents, joined.placements, joined.unmapped, undated_filters)[0],
                official_counts, start, end),
            "per site": lambda: ref.count_by_site(chosen, sites),
            "per type": lambda: ref.count_by(chosen, "event_type"),
            "casualties (week)": lambda: ref.casualties_by_period(chosen, "week", start, end),
        }
        charts = select
        for name, step in steps.items():
            took = _time(step)
            charts += took
            times[name].append(took)
            scratch[name].append(select + took)
        times["Charts page, all"].append(charts)
        scratch["Charts page, all"].append(charts)
        took = _time(lambda: ref.site_summary(placed, chosen, anchors))
        times["sites map data"].append(took)
        scratch["sites map data"].append(select + took)
        took = _time(lambda: chosen.sort_values("date", kind="stable").iloc[:500])
        times["page of 500 rows"].append(took)
        scratch["page of 500 rows"].append(select + took)
    return {"scratch": {q: [t * 1000 for t in v] for q, v in scratch.items()},
            "aggregate": {q: [t * 1000 for t in v] for q, v in times.items()}}


def _time(step) -> float:
    began = time.perf_counter()
    step()
    return time.perf_counter() - began


def one_size(size: int, runs: int, data: Path, with_pandas: bool) -> dict:
    from tests.generated import generated_folder

    folder = data / f"incidents-{size}"
    if not (folder / "incidents.csv").exists():
        generated_folder(folder, size)
    engine, info = engine_times(folder, runs)
    out = {"size": size, "engine": engine, "info": info}
    if with_pandas:
        out["pandas"] = pandas_times(folder, runs)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return out


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(results: list[dict]) -> str:
    """One block per size: engine, pandas from scratch (selection + aggregate), speed-up, pandas aggregate only."""
    lines = []
    for r in results:
        lines += [f"**{r['size']:,} incidents**", "",
                  "| query | engine ms | pandas ms (select + aggregate) | speed-up | pandas ms (aggregate only) |",
                  "|---|---|---|---|---|"]
        for query in QUERIES:
            fast = median(r["engine"][query])
            if "pandas" in r:
                slow, alone = median(r["pandas"]["scratch"][query]), median(r["pandas"]["aggregate"][query])
                lines.append(f"| {query} | {fast:.1f} | {slow:.0f} | {slow / fast:.0f}x | {alone:.0f} |")
            else:
                lines.append(f"| {query} | {fast:.1f} | not run | | |")
        lines.append("")
    lines.append("")
    for r in results:
        lines.append(f"- {r['size']:,} incidents: {json.dumps(r['info'])}; peak RSS {r['peak_rss_mb']:,} MB")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6,1e7")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pandas-max", type=float, default=1e6)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "dashboard-bench")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)  # internal: run one size in this process
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_size(int(args.one), args.runs, args.data, int(args.one) <= args.pandas_max)))
        return 0
    results = []
    for size in [int(float(s)) for s in args.sizes.split(",")]:
        command = [sys.executable, __file__, "--one", str(size), "--runs", str(args.runs), "--data", str(args.data),
                   "--pandas-max", str(args.pandas_max)]
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            return done.returncode
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"done: {size:,}", file=sys.stderr)
    print(f"Medians over {args.runs} filter changes (3-month ranges with a country, site, type or status), ms.\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
