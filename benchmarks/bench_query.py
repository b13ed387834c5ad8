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

- Spark (``--spark``): the same queries, the same filter cycle and the same warm-up pass (Spark's
  first queries also pay for JIT and code generation in the executors and for reading Parquet
  footers) on a standalone cluster on 127.0.0.1 (one master, two one-core workers,
  ``tests/spark_cluster.py``), the same Parquet tables registered through
  :func:`dashboard.core.query.engines.open_engine` as a server with ``DASHBOARD_ENGINE=spark`` does.

Rows: every query the Charts page asks on a filter change, their sum ("Charts page, all"), the
sites map's data, and a page of 500 table rows (its total is the headline's count). Times are medians over ``--runs``
filter changes, in milliseconds, with the speed-up. Usage:
    .venv/bin/python benchmarks/bench_query.py [--sizes 1e4,1e5,1e6,1e7] [--runs 7] [--pandas-max 1e6] [--spark]

Processes: each size runs in its own process (``--one``: DuckDB, then pandas), and with ``--spark``
a second process per size (``--one-spark``) runs after it: it starts the cluster, opens the Spark
session (the driver's JVM lives in that process), times the queries and stops session and cluster in
a ``finally``. Keeping the Spark driver out of the DuckDB process keeps the DuckDB and pandas numbers
as they were without ``--spark`` (no cluster JVMs idling beside them, no driver JVM in the same
address space, a peak RSS that is DuckDB's alone), and a fresh cluster per size means each size pays
its own warm-up, as a server started on that data would. After the timed pass, the Spark process asks
every query once more per filter change with the time split at the driver: Ibis compiling the
expression to SQL, Spark parsing and analysing it (``session.sql``), and ``toPandas`` (optimising,
planning, running the job(s) on the executors and bringing the rows to the driver as Arrow), with the
SQL queries it sent and the Spark jobs and tasks they ran; it also times a trivial ``SELECT 1`` (the floor of any
query) and a ``count(*)`` of the incidents (a scan with nothing else). That pass is reported in a
second table and does not enter the medians above it.
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
import uuid
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
    return timed_queries(source, stored, runs), info


def query_steps(source, stored, filters) -> dict:
    """The queries of one filter change, by row name (the Charts page's, then the map's and the table's)."""
    from dashboard.core.query import counts, official, page_data, rows

    start, end = filters.start, filters.end
    return {
        "headline": lambda: counts.headline(source, filters),
        "count by country": lambda: counts.count_by(source, filters, "country"),
        "over time (week, by country)": lambda: counts.count_by_period(source, filters, "week", start, end, "country"),
        "vs officials (daily, undated)": lambda: official.cumulative_against_official(source, filters,
                                                                                    stored.official_counts, start, end),
        "per site": lambda: counts.count_by_site(source, filters, stored.sites),
        "per type": lambda: counts.count_by(source, filters, "event_type"),
        "casualties (week)": lambda: counts.casualties_by_period(source, filters, "week", start, end),
        "sites map data": lambda: page_data.map_data(source, filters, "sites"),
        "page of 500 rows": lambda: rows.page(source, filters, 0, 500),
    }


CHARTS = QUERIES[:QUERIES.index("Charts page, all")]


def timed_queries(source, stored, runs: int) -> dict:
    """Milliseconds of every query over ``runs`` filter changes, after a warm-up pass with other values."""
    times: dict[str, list[float]] = {q: [] for q in QUERIES}
    # A server that has run a while has compiled each shape of query once: warm up with other values
    warm = filter_cycle(len(SHAPES), offset=400, values=VALUES)
    for filters in warm + filter_cycle(runs):
        steps = query_steps(source, stored, filters)
        charts = 0.0
        for name in CHARTS:
            took = _time(steps[name])
            charts += took
            times[name].append(took)
        times["Charts page, all"].append(charts)
        times["sites map data"].append(_time(steps["sites map data"]))
        times["page of 500 rows"].append(_time(steps["page of 500 rows"]))
    return {q: [t * 1000 for t in v[len(warm):]] for q, v in times.items()}


def spark_times(folder: Path, runs: int) -> tuple[dict, dict, dict]:
    """Spark on a standalone cluster started here: times, info (start-up), and the split of each query's time.

    The cluster (and the session) are stopped in a ``finally``, also when a query fails.
    """
    import shutil

    from dashboard.core.query.engines import engine_setting, open_engine
    from dashboard.core.query.store import open_data
    from tests.spark_cluster import SparkCluster

    stored = open_data(folder)
    cluster = SparkCluster(workers=2, folder=Path(tempfile.mkdtemp(prefix="bench-spark-")))
    engine, failed = None, False
    try:
        cluster.start()
        began = time.perf_counter()
        engine = open_engine(engine_setting("spark", cluster.master_url, environ={}), conf=cluster.session_conf())
        session_s = time.perf_counter() - began
        began = time.perf_counter()
        source = engine.register("bench", stored.tables(), stored.sites)
        register_s = time.perf_counter() - began
        session = engine.backend._session
        info = {"cluster start (master + 2 workers) s": round(cluster.started_s, 2),
                "Spark session start s": round(session_s, 2), "register in Spark s": round(register_s, 2),
                "workers": cluster.registered_workers(), "default parallelism": session.sparkContext.defaultParallelism,
                "shuffle partitions": session.conf.get("spark.sql.shuffle.partitions")}
        times = timed_queries(source, stored, runs)
        profile = profiled_queries(engine, source, stored, runs)
        incidents = source.incidents.get_name()
        info["SELECT 1 ms (median of 7)"] = round(median([_time(lambda: session.sql("SELECT 1").toPandas()) * 1000
                                                           for _ in range(8)][1:]), 1)
        info["count(*) of incidents ms (median of 7)"] = round(median(
            [_time(lambda: session.sql(f"SELECT count(*) FROM `{incidents}`").toPandas()) * 1000 for _ in range(8)][1:]), 1)
        return times, info, profile
    except BaseException:
        failed = True
        print(cluster.logs(), file=sys.stderr)
        raise
    finally:
        try:
            if engine is not None:
                engine.close()
        finally:
            cluster.stop()
            if not failed:
                shutil.rmtree(cluster.folder, ignore_errors=True)


PARTS = ("compile", "analyse", "run", "queries")


def profiled_queries(engine, source, stored, runs: int) -> dict:
    """Each query once per filter change, its driver-side time split: Ibis compile, Spark analysis, toPandas.

    ``engine.run`` is replaced (on this engine only) by the steps of Ibis' ``execute`` on PySpark, timed one by
    one; the answer is the same. Returns query -> part -> milliseconds (``queries``: SQL queries sent, ``jobs``
    and ``tasks``: the Spark jobs they started and the tasks those ran, counted after the query's time is taken).
    """
    from ibis.backends.pyspark.converter import PySparkPandasData

    from dashboard.core.query.engines import _frame

    backend, session = engine.backend, engine.backend._session
    context = session.sparkContext
    tracker = context.statusTracker()
    current: dict[str, float] = {}
    groups: list[str] = []

    def run(expr, values=None):
        began = time.perf_counter()
        table = expr.as_table()
        backend._run_pre_execute_hooks(table)
        sql = backend.compile(table)
        compiled = time.perf_counter()
        frame = session.sql(sql)  # parsed and analysed here (the plan is built eagerly)
        analysed = time.perf_counter()
        group = f"bench-{uuid.uuid4().hex[:8]}"
        context.setJobGroup(group, "bench")
        out = frame.toPandas()  # optimised, planned, run on the executors, rows to the driver as Arrow
        ran = time.perf_counter()
        current["compile"] += compiled - began
        current["analyse"] += analysed - compiled
        current["run"] += ran - analysed
        current["queries"] += 1
        groups.append(group)
        return _frame(expr.__pandas_result__(PySparkPandasData.convert_table(out, table.schema())))

    engine.run = run
    split: dict[str, dict[str, list[float]]] = {q: {p: [] for p in PARTS + ("jobs", "tasks", "total")}
                                                for q in QUERIES if q != "Charts page, all"}
    try:
        for filters in filter_cycle(runs):
            steps = query_steps(source, stored, filters)
            for name, step in steps.items():
                current.update({p: 0.0 for p in PARTS})
                groups.clear()
                took = _time(step)
                for part in PARTS:
                    split[name][part].append(current[part] * (1 if part == "queries" else 1000))
                split[name]["total"].append(took * 1000)
                jobs = [job for group in groups for job in tracker.getJobIdsForGroup(group)]
                stages = [tracker.getStageInfo(stage) for job in jobs if (info := tracker.getJobInfo(job))
                          for stage in info.stageIds]
                split[name]["jobs"].append(len(jobs))
                split[name]["tasks"].append(sum(stage.numCompletedTasks for stage in stages if stage))
    finally:
        del engine.run  # the class's own again
        context.setJobGroup("", "")
    return {q: {p: median(v) for p, v in parts.items()} for q, parts in split.items()}


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


def one_spark(size: int, runs: int, data: Path) -> dict:
    """Spark's times for one size (the data folder is the one ``--one`` made or found)."""
    folder = data / f"incidents-{size}"
    times, info, profile = spark_times(folder, runs)
    return {"spark": times, "spark_info": info, "spark_profile": profile}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(results: list[dict]) -> str:
    """One block per size: engine, [Spark,] pandas from scratch (selection + aggregate), speed-up, pandas aggregate only."""
    lines = []
    spark = any("spark" in r for r in results)
    for r in results:
        lines += [f"**{r['size']:,} incidents**", "",
                  "| query | engine ms |" + (" Spark ms |" if spark else "")
                  + " pandas ms (select + aggregate) | speed-up | pandas ms (aggregate only) |",
                  "|---|---|" + ("---|" if spark else "") + "---|---|---|"]
        for query in QUERIES:
            fast = median(r["engine"][query])
            cells = [query, f"{fast:.1f}"]
            if spark:
                cells.append(f"{median(r['spark'][query]):.0f}" if "spark" in r else "not run")
            if "pandas" in r:
                slow, alone = median(r["pandas"]["scratch"][query]), median(r["pandas"]["aggregate"][query])
                cells += [f"{slow:.0f}", f"{slow / fast:.0f}x", f"{alone:.0f}"]
            else:
                cells += ["not run", "", ""]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines.append("")
    for r in results:
        lines.append(f"- {r['size']:,} incidents: {json.dumps(r['info'])}; peak RSS {r['peak_rss_mb']:,} MB")
        if "spark_info" in r:
            lines.append(f"- {r['size']:,} incidents, Spark: {json.dumps(r['spark_info'])}")
    profiled = [r for r in results if "spark_profile" in r]
    if profiled:
        lines += ["", "Spark, where the time goes: each query asked once more per filter change with the time split "
                  "at the driver (medians, ms): Ibis compiling to SQL, Spark parsing and analysing it, and toPandas "
                  "(optimise, plan, run the jobs on the executors, rows to the driver); SQL queries sent, Spark jobs they "
                  "started and tasks those ran.", ""]
        for r in profiled:
            lines += [f"**{r['size']:,} incidents, Spark**", "",
                      "| query | total ms | Ibis compile ms | Spark analyse ms | toPandas (run) ms | SQL queries | jobs "
                      "| tasks |", "|---|---|---|---|---|---|---|---|"]
            for query, parts in r["spark_profile"].items():
                lines.append(f"| {query} | {parts['total']:.0f} | {parts['compile']:.0f} | {parts['analyse']:.0f} | "
                             f"{parts['run']:.0f} | {parts['queries']:.0f} | {parts['jobs']:.0f} | {parts['tasks']:.0f} |")
            lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6,1e7")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pandas-max", type=float, default=1e6)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "dashboard-bench")
    parser.add_argument("--spark", action="store_true",
                        help="also time the queries on Spark (a standalone cluster on 127.0.0.1: a master, two one-core "
                             "workers, started and stopped here)")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)  # internal: run one size in this process
    parser.add_argument("--one-spark", type=float, help=argparse.SUPPRESS)  # internal: Spark for one size
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_size(int(args.one), args.runs, args.data, int(args.one) <= args.pandas_max)))
        return 0
    if args.one_spark:
        print(json.dumps(one_spark(int(args.one_spark), args.runs, args.data)))
        return 0
    results = []
    began = time.perf_counter()
    for size in [int(float(s)) for s in args.sizes.split(",")]:
        common = ["--runs", str(args.runs), "--data", str(args.data), "--pandas-max", str(args.pandas_max)]
        result = None
        for flag in ["--one"] + (["--one-spark"] if args.spark else []):
            done = subprocess.run([sys.executable, __file__, flag, str(size), *common], capture_output=True, text=True,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)})
            if done.returncode:
                print(done.stderr, file=sys.stderr)
                return done.returncode
            answer = json.loads(done.stdout.strip().splitlines()[-1])
            result = answer if result is None else {**result, **answer}
            print(f"done: {size:,} ({flag[2:]}, {time.perf_counter() - began:.0f} s so far)", file=sys.stderr)
        results.append(result)
    print(f"Medians over {args.runs} filter changes (3-month ranges with a country, site, type or status), ms.\n")
    print(table(results))
    print(f"\nTotal run time {time.perf_counter() - began:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
