"""How many features the map can draw one by one: the measurement behind ``page_data.FEATURE_BUDGET``.

For N incident markers (clustered, as the Incidents mode draws them) and N
site circles, the map is built exactly as the app builds it
(:func:`dashboard.render.maps.build_incident_map`), written as a page and
opened in headless Chromium from a local server (vendor scripts from
``static/vendor``, blank tiles). The clock runs from navigation until the
data layer has stamped the map (``data-drawn-kind``) plus two animation
frames. Also reported: the page's size and the JS heap. Counts per cell are
measured at the cell cap the same way.

Medians of ``--runs`` loads (min-max), each in a fresh browser context.
Usage::

    .venv/bin/python benchmarks/bench_feature_budget.py [--counts 1000,2500,5000,10000,20000] [--runs 5]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results"


def build_pages(counts: list[int], folder: Path) -> dict[str, tuple[int, int]]:
    """Write one page per (kind, N); return page name -> (features, bytes)."""
    import numpy as np
    import pandas as pd

    from dashboard.core.data.columns import EVENT_TYPES
    from dashboard.core.data.dataset import load_dataset
    from dashboard.core.query import mapping
    from dashboard.core.query.page_data import map_data
    from dashboard.core.query.store import source_for
    from dashboard.core.view.filters import Filters
    from dashboard.render.maps import build_incident_map
    from tests.generated import generated_folder

    largest = max(counts)
    dataset = load_dataset(generated_folder(folder / "data", int(largest * 1.4)))
    source = source_for(dataset)
    base = map_data(source, Filters(), "incidents")
    pages = {}
    for n in counts:
        points = mapping.incident_points(source, Filters(), n)
        if len(points) < n:
            raise SystemExit(f"only {len(points)} placements for N={n}")
        pages[f"incidents-{n}"] = replace(base, kind="incidents", features=points, shown=n)
        # N site circles: N distinct places on a grid over Iraq and Syria, each with a count
        rng = np.random.default_rng(n)
        side = int(np.ceil(np.sqrt(n)))
        lat = 29.5 + 7.5 * (np.arange(n) // side) / side
        lon = 36.0 + 12.0 * (np.arange(n) % side) / side
        places = pd.DataFrame({"site_id": [f"{a:.4f},{b:.4f}" for a, b in zip(lat, lon)], "place_kind": "place",
                               "site_name": [f"place {i}" for i in range(n)], "lat": lat, "lon": lon,
                               "coord_precision": "exact", "uncertainty_km": 0.0,
                               "count": rng.integers(1, 200, n), "top_type": rng.choice(list(EVENT_TYPES), n)})
        pages[f"sites-{n}"] = replace(base, kind="sites", mode="sites", features=places, shown=int(places["count"].sum()))
        rows = np.arange(n) // side
        cells = pd.DataFrame({"row": 300 + rows, "col": 360 + np.arange(n) % side})
        cells["lat"], cells["lon"] = (cells["row"] + 0.5) * 0.1, (cells["col"] + 0.5) * 0.1
        for code in EVENT_TYPES:
            cells[code] = rng.integers(0, 50, n)
        cells.insert(2, "count", cells[list(EVENT_TYPES)].sum(axis=1))
        pages[f"cells-{n}"] = replace(base, kind="cells", features=cells, cell_size=0.1, shown=int(cells["count"].sum()))
    sizes = {}
    for name, data in pages.items():
        html = build_incident_map(data, dataset.sites, asset_base="vendor/", height="800px").get_root().render()
        (folder / f"{name}.html").write_text(html, encoding="utf-8")
        sizes[name] = (len(data.features), len(html.encode()))
    return sizes


def serve(folder: Path) -> str:
    (folder / "vendor").symlink_to(ROOT / "static" / "vendor")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def measure(base: str, names: list[str], runs: int) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        for name in names:
            times, heaps, errors = [], [], []
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1200, "height": 800})
                context.route("**/*tile.openstreetmap.org/**", lambda route: route.fulfill(status=204))
                page = context.new_page()
                page.on("pageerror", lambda error: errors.append(str(error)))
                started = time.perf_counter()
                page.goto(f"{base}/{name}.html")
                page.locator(".folium-map[data-drawn-kind]").wait_for(state="attached", timeout=120_000)
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                times.append(time.perf_counter() - started)
                session = context.new_cdp_session(page)
                session.send("Performance.enable")
                metrics = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
                heaps.append(metrics.get("JSHeapUsedSize", 0) / 1e6)
                context.close()
            if errors:
                raise SystemExit(f"{name}: JavaScript errors: {errors[:3]}")
            results[name] = {"times_s": times, "heap_mb": statistics.median(heaps)}
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="1000,2500,5000,10000,20000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    counts = [int(float(c)) for c in args.counts.split(",")]
    with tempfile.TemporaryDirectory(prefix="feature-budget-") as scratch:
        folder = Path(scratch)
        sizes = build_pages(counts, folder)
        results = measure(serve(folder), list(sizes), args.runs)
    lines = ["| drawn | N | page | load to layer drawn, median (min-max) | JS heap |", "|---|---|---|---|---|"]
    for name, (features, size) in sizes.items():
        kind, n = name.rsplit("-", 1)
        t = results[name]["times_s"]
        lines.append(f"| {kind} | {int(n):,} | {size / 1e6:.2f} MB | {statistics.median(t):.2f} s "
                     f"({min(t):.2f}-{max(t):.2f}) | {results[name]['heap_mb']:.0f} MB |")
    table = "\n".join(lines)
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d")
    (RESULTS / f"feature-budget-{stamp}.md").write_text(table + "\n", encoding="utf-8")
    (RESULTS / f"feature-budget-{stamp}.json").write_text(json.dumps(
        {"date": stamp, "runs": args.runs, "pages": {k: {"features": v[0], "bytes": v[1], **results[k]}
                                                      for k, v in sizes.items()}}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
