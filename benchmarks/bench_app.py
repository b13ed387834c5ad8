"""Benchmark of the app's server-side work, printed as a markdown table of medians.

For the bundled data and for synthetic datasets of 1e3, 1e4 and 1e5 incidents (drawn from the
bundled ones, with new ids and dates spread over the same span, written to a temporary folder),
each size in its own process:

- load: reading and validating the three files (done once per data change, cached by the app);
- join: incidents to sites (once, cached);
- filter + aggregate: the pandas path (``core/query/reference.py``): a 3-month, one-country filter,
  weekly counts by country, per-site counts and the comparison with official totals (the query
  layer's own figures are in ``bench_query.py``);
- map (sites) / map (incidents): the map's data from the query layer, then building the folium map
  and rendering it to HTML, as st_folium does on every rerun;
- baseline: the naive map, one folium.Marker with a popup per placement, built and rendered the
  same way, to compare against.

Times are medians of 5 runs (min-max), peak RSS is the process's maximum. Usage:
    .venv/bin/python benchmarks/bench_app.py [--sizes 1000,10000,100000] [--runs 5]
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_dataset(size: int, folder: Path) -> Path:
    """Write a synthetic dataset of ``size`` incidents drawn from the bundled ones."""
    import numpy as np
    import pandas as pd

    folder.mkdir(parents=True, exist_ok=True)
    for name in ("sites.csv", "official_counts.csv"):
        shutil.copyfile(ROOT / "geodata" / name, folder / name)
    (folder / "seeds").mkdir(exist_ok=True)
    base = pd.read_csv(ROOT / "geodata" / "incidents.csv", dtype=str, keep_default_na=False)
    rng = np.random.default_rng(17)
    rows = base.iloc[rng.integers(0, len(base), size)].reset_index(drop=True)
    days = rng.integers(0, 393, size)
    rows["date"] = (pd.Timestamp("2023-10-17") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d")
    rows["incident_id"] = [f"SYN-{i:07d}" for i in range(size)]
    rows.sort_values("date", kind="stable").to_csv(folder / "incidents.csv", index=False)
    return folder


def timed(function, runs: int) -> tuple[float, float, float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times), result


def measure(folder: Path, runs: int) -> dict:
    """Run every step on one dataset; called in a child process."""
    import datetime as dt

    import folium

    from dashboard.core.query.reference import compare_with_official, count_by_period, count_by_site
    from dashboard.core.data.dataset import load_dataset
    from dashboard.core.view.filters import Filters, apply_filters
    from dashboard.core.places.join import join_incidents
    from dashboard.core.query.page_data import map_data
    from dashboard.core.query.store import source_for
    from dashboard.render.maps import build_incident_map

    out = {}
    out["load"] = timed(lambda: load_dataset(folder), runs)[:3]
    dataset = load_dataset(folder)
    out["join"] = timed(lambda: join_incidents(dataset.incidents, dataset.sites), runs)[:3]
    joined = join_incidents(dataset.incidents, dataset.sites)
    filters = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31), countries=("Syria",))

    def filter_and_aggregate():
        chosen = apply_filters(dataset.incidents, filters)
        count_by_period(chosen, "week", filters.start, filters.end, by="country")
        count_by_site(chosen, dataset.sites)
        compare_with_official(chosen, dataset.official_counts)
        return chosen

    out["filter + aggregate"] = timed(filter_and_aggregate, runs)[:3]
    placements = joined.placements
    source = source_for(dataset)
    for mode in ("sites", "incidents"):
        out[f"map ({mode})"] = timed(
            lambda: build_incident_map(map_data(source, Filters(), mode), dataset.sites).get_root().render(), runs)[:3]
    if len(placements) <= 20000:
        def naive():
            fmap = folium.Map(location=(34, 41), zoom_start=6)
            for row in placements.itertuples(index=False):
                folium.Marker((row.lat, row.lon), popup=str(row.incident_id)).add_to(fmap)
            return fmap.get_root().render()
        out["baseline: Marker per placement"] = timed(naive, max(1, min(runs, 3)))[:3]
    out["placements"] = len(placements)
    out["peak RSS MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def fmt(value) -> str:
    if isinstance(value, (list, tuple)):
        median, low, high = value
        unit, scale = ("ms", 1000) if median < 1 else ("s", 1)
        return f"{median * scale:.1f} {unit} ({low * scale:.1f}-{high * scale:.1f})"
    return f"{value:,.0f}" if isinstance(value, (int, float)) else str(value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child), args.runs)))
        return 0
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("bundled (123)", ROOT / "geodata")]
        targets += [(f"{int(n):,}", make_dataset(int(n), Path(tmp) / f"n{n}")) for n in args.sizes.split(",") if n]
        for label, folder in targets:
            child = subprocess.run([sys.executable, __file__, "--child", str(folder), "--runs", str(args.runs)],
                                   capture_output=True, text=True, check=True)
            results[label] = json.loads(child.stdout.strip().splitlines()[-1])
    rows = ["load", "join", "filter + aggregate", "map (sites)", "map (incidents)",
            "baseline: Marker per placement", "placements", "peak RSS MB"]
    print("| step | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for row in rows:
        print(f"| {row} | " + " | ".join(fmt(r[row]) if row in r else "not run" for r in results.values()) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
