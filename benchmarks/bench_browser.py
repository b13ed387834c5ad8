"""Browser benchmark of the running app: what a user waits for, at 1e4 to 1e7 incidents, against the usual recipe.

For each size and shape of data a folder is made under ``--work`` (kept and reused; generation is
deterministic), converted to Parquet once (setup, not timed), and the app is started on 127.0.0.1 as
the browser tests start it (``tests/browser/conftest.py::streamlit_server``, plus
``MALLOC_ARENA_MAX=2`` as ``scripts/run.sh`` sets it). Headless Chromium (Debian's, through
Playwright) then does what a user does, in the sidebar widgets, each step timed from the action to
the map (or page) drawn and Streamlit idle (see :mod:`benchmarks.browser_steps`):

- first load: a new browser context opens the base URL; the first session after the server starts
  is "cold" (it loads the data into the engine) and is reported apart; the others are "warm";
- 3-month range, full range (the span less 1..5 days), one country (Iraq, Syria, Jordan in turn);
- the map mode switched to Incidents, then to Sites, each after a new date range;
- the Charts page and the Data & sources page, through the sidebar links.

Every round uses views no other round used, so the server's per-view cache never answers a step;
the first session (cold) uses views of its own too. The bytes received over the websocket are
summed per step; after the runs the server's memory (VmRSS of the process and its children) and
each page's JavaScript heap on the map are read. A JavaScript error, an exception on the page or an
Incidents metric that differs from a pandas count of ``incidents.csv`` stops the measurement of that
app and size (reported, exit status 1).

Shapes: ``sites`` is :func:`tests.generated.generated_folder` (the bundled gazetteer's 33 sites;
folders already generated under ``<temp>/dashboard-bench`` are reused when the bundled sites and
counts are unchanged); ``places`` is :func:`benchmarks.places_data.places_folder` (20,000 synthetic
places, as an imported file has).

The baseline, in the same run, is ``benchmarks/recipe_app.py`` (pandas + ``st.cache_data`` +
one ``FastMarkerCluster`` of all filtered points), timed for the first load and the three filter
steps until its clusters add up to the expected number of points, up to ``--baseline-max``
incidents. Its CDN assets are served from the app's ``static/vendor`` and from npm packages
installed under ``--work`` (awesome-markers, Bootstrap, Font Awesome; ``npm install`` once).

Usage (the whole default benchmark, then the load test)::

    .venv/bin/python benchmarks/bench_browser.py [--sizes 1e4,1e5,1e6,1e7] [--shapes sites,places] [--runs 5]
        [--baseline-max 1e6] [--work /tmp/dashboard-bench-browser]
    .venv/bin/python benchmarks/bench_browser.py --load [--load-size 1e6] [--load-sessions 20] [--load-seconds 60]

Writes ``benchmarks/results/browser-<date>.md`` (the tables, also printed) and ``.json`` (every
figure, the machine and the package versions); the load test writes ``browser-load-<date>.*``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import browser_report as report  # noqa: E402
from benchmarks.browser_steps import BenchmarkError, CdnAssets, Session, Truth, round_views, view_url  # noqa: E402
from tests.browser.conftest import (APP_ENV, CHROMIUM, LAUNCH_ARGS, OfflineRoutes, app_env,
                                   streamlit_server, widget)  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
RECIPE = ROOT / "benchmarks" / "recipe_app.py"
OLD_BENCH = Path(tempfile.gettempdir()) / "dashboard-bench"
APP_LABEL, RECIPE_LABEL = "Dates (inclusive)", "Dates"
NPM_PACKAGES = ("drmonty-leaflet-awesome-markers@2.0.2", "bootstrap@5.2.2", "@fortawesome/fontawesome-free@6.2.0")


# --- data folders -----------------------------------------------------------------------------------

def data_folder(shape: str, n: int, work: Path) -> tuple[Path, dict]:
    """The data folder of ``shape`` and ``n`` under ``work``: reused when complete, else made (deterministically)."""
    folder = work / "data" / f"{shape}-{n}"
    info = {"folder": str(folder)}
    if (folder / "incidents.csv").is_file():
        info["made"] = "reused"
        return folder, info
    started = time.perf_counter()
    if shape == "sites":
        old = OLD_BENCH / f"incidents-{n}"
        if _same_bundled_files(old):
            folder.mkdir(parents=True, exist_ok=True)
            for name in ("sites.csv", "official_counts.csv", "incidents.csv"):
                _link_or_copy(old / name, folder / name)
            (folder / "seeds").mkdir(exist_ok=True)
            info["made"] = f"linked from {old}"
        else:
            from tests.generated import generated_folder
            generated_folder(folder, n)
            info["made"] = "generated"
    elif shape == "places":
        from benchmarks.places_data import places_folder
        places_folder(folder, n)
        info["made"] = "generated"
    else:
        raise ValueError(f"`shape` was {shape!r} but is expected to be 'sites' or 'places'")
    info["make_s"] = round(time.perf_counter() - started, 1)
    return folder, info


def _same_bundled_files(old: Path) -> bool:
    """A folder of tests.generated made with today's bundled sites and counts (its incidents are seeded)."""
    bundled = ROOT / "geodata"
    return (old / "incidents.csv").is_file() and all(
        (old / name).is_file() and (old / name).read_bytes() == (bundled / name).read_bytes()
        for name in ("sites.csv", "official_counts.csv"))


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def convert(folder: Path) -> float:
    """Convert the folder to the app's Parquet cache (once; a second call only hashes the files), in a subprocess."""
    started = time.perf_counter()
    code = "import sys; from pathlib import Path; from dashboard.core.query.store import open_data; open_data(Path(sys.argv[1]))"
    done = subprocess.run([sys.executable, "-c", code, str(folder)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode:
        raise BenchmarkError(f"the app's conversion of {folder} failed:\n{done.stderr[-3000:]}")
    return round(time.perf_counter() - started, 1)


# --- servers ----------------------------------------------------------------------------------------

def server_mb(pid: int) -> float:
    """VmRSS of ``pid`` and all its descendants, MB = 10^6 bytes."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            lines = Path(f"/proc/{current}/status").read_text().splitlines()
        except OSError:
            continue
        total += sum(int(line.split()[1]) for line in lines if line.startswith("VmRSS:"))
    return round(total * 1024 / 1e6, 1)


def recipe_server(log_path: Path, folder: Path, cwd: Path):
    """``streamlit run benchmarks/recipe_app.py`` on a free loopback port, with Streamlit's default settings."""
    cwd.mkdir(parents=True, exist_ok=True)  # an empty folder: the project's .streamlit/config.toml does not apply
    env = {key: value for key, value in os.environ.items() if key not in APP_ENV}
    env.update({"DASHBOARD_DATA": str(folder), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"})
    return streamlit_server(RECIPE, cwd, env, log_path, timeout_s=60)


def log_tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else "(no log)"


def recipe_assets(work: Path) -> Path | None:
    """node_modules with awesome-markers, Bootstrap and Font Awesome for the recipe's CDN links (npm install once)."""
    prefix = work / "assets"
    modules = prefix / "node_modules"
    needed = [modules / "drmonty-leaflet-awesome-markers" / "js" / "leaflet.awesome-markers.js",
              modules / "bootstrap" / "dist" / "js" / "bootstrap.bundle.min.js",
              modules / "@fortawesome" / "fontawesome-free" / "css" / "all.min.css"]
    if not all(path.is_file() for path in needed) and shutil.which("npm"):
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(prefix),
                        *NPM_PACKAGES], capture_output=True, timeout=600)
    return modules if all(path.is_file() for path in needed) else None


# --- rounds -----------------------------------------------------------------------------------------

def app_round(session: Session, base: str, truth: Truth, k: int) -> dict:
    """One visitor on the dashboard: the first load, then every step with the views of round ``k``."""
    views, first, last = round_views(truth.first, truth.last, k), truth.first, truth.last

    def url(start: dt.date, end: dt.date, country: str | None = None, mode: str = "sites") -> dict:
        return view_url(first, last, start, end, country, mode)

    steps = [session.map_step("first load", lambda: session.page.goto(base), truth.count(first, last))]
    _check_span(session, APP_LABEL, first, last)
    for name in ("3-month range", "full range"):
        start, end = views[name]
        session.type_range(APP_LABEL, start, end)
        steps.append(session.map_step(name, session.commit_range, truth.count(start, end), url(start, end)))
    country = views["one country"]
    option = session.country_option(country)
    steps.append(session.map_step("one country", lambda: session.pick(option), truth.count(start, end, country),
                                  url(start, end, country)))
    steps.append(session.map_step("(all countries again)", lambda: session.remove_country(country),
                                  truth.count(start, end), url(start, end)))
    for mode, previous in (("Incidents", "sites"), ("Sites", "incidents")):
        start, end = views[f"before {mode.lower()}"]
        session.type_range(APP_LABEL, start, end)
        steps.append(session.map_step(f"(new range before {mode})", session.commit_range, truth.count(start, end),
                                      url(start, end, mode=previous)))
        button = session.page.locator("[data-testid=stButtonGroup] button", has_text=mode)
        steps.append(session.map_step(f"map shows {mode.lower()}", button.click, truth.count(start, end),
                                      url(start, end, mode=mode.lower())))
    heap = session.heap_mb()
    steps.append(session.page_step("Charts page", "Charts", truth.count(start, end)))
    steps.append(session.page_step("Data & sources page", "Data & sources", truth.count(start, end)))
    return {"steps": steps, "heap_mb": heap}


def recipe_round(session: Session, base: str, truth: Truth, k: int, load_only: bool = False) -> dict:
    """One visitor on the recipe: the first load, then the three filter steps of round ``k``."""
    views, first, last = round_views(truth.first, truth.last, k), truth.first, truth.last
    steps = [session.points_step("first load", lambda: session.page.goto(base), truth.count(first, last),
                                 truth.count(first, last, placed_only=True))]
    if not load_only:
        _check_span(session, RECIPE_LABEL, first, last)
        for name in ("3-month range", "full range"):
            start, end = views[name]
            session.type_range(RECIPE_LABEL, start, end)
            steps.append(session.points_step(name, session.commit_range, truth.count(start, end),
                                             truth.count(start, end, placed_only=True)))
        country = views["one country"]
        option = session.country_option(country)
        steps.append(session.points_step("one country", lambda: session.pick(option), truth.count(start, end, country),
                                         truth.count(start, end, country, placed_only=True)))
    return {"steps": steps, "heap_mb": session.heap_mb()}


def _check_span(session: Session, label: str, first: dt.date, last: dt.date) -> None:
    """The date input opens on the data's whole span (the views of every round are built from it)."""
    shown = [box.get_attribute("value") for box in
             widget(session.page, "stDateInput", label).locator('input[type="date"]').all()]
    if shown != [first.isoformat(), last.isoformat()]:
        raise BenchmarkError(f"the date input shows {shown}; incidents.csv spans {first} to {last}")


def measure(target: str, browser, base: str, pid: int, truth: Truth, runs: int, timeout_s: float, routes,
            shots: Path) -> dict:
    """The cold session, then ``runs`` warm rounds, then the server's memory."""
    out = {"server_mb_idle": server_mb(pid), "cold": None, "rounds": []}
    for k in [runs] + list(range(runs)):  # the cold session uses the views of round `runs`, never measured again
        cold = k == runs
        session = Session(browser, routes, timeout_s, shots=shots)
        try:
            result = (app_round(session, base, truth, k) if target == "app"
                      else recipe_round(session, base, truth, k, load_only=cold))
        finally:
            session.close()
        if cold:
            out["cold"] = result
        else:
            out["rounds"].append(result)
        print(f"    {target} {'cold session' if cold else f'round {k + 1}/{runs}'}: "
              + ", ".join(f"{s['step']} {s['s']:.2f} s" for s in result["steps"] if not s["step"].startswith("(")),
              file=sys.stderr, flush=True)
    out["server_mb_after"] = server_mb(pid)
    out["blocked"] = sorted(set(routes.blocked))
    return out


def run_target(target: str, folder: Path, truth: Truth, args, logs: Path, label: str) -> dict:
    """Start the app or the recipe on ``folder``, measure it, stop it; an error is recorded with the log's tail."""
    from playwright.sync_api import sync_playwright

    log_path = logs / f"{target}-{label}.log"
    timeout_s = args.timeout or (90 + (150 if target == "recipe" else 60) * truth.rows / 1e6)
    routes = OfflineRoutes()
    if target == "recipe":
        modules = recipe_assets(args.work)
        if modules is None:
            return {"not_measured": "awesome-markers could not be installed from npm: FastMarkerCluster's markers "
                                    "call L.AwesomeMarkers.icon() and throw without it"}
        routes = CdnAssets(modules)
    try:
        server = (streamlit_server("streamlit_app.py", ROOT, app_env({"DASHBOARD_DATA": str(folder),
                                                                      "MALLOC_ARENA_MAX": "2"}), log_path)
                  if target == "app" else recipe_server(log_path, folder, args.work / "recipe"))
        with server as (base, process), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
            try:
                result = measure(target, browser, base, process.pid, truth, args.runs, timeout_s, routes, logs)
                result["chromium"] = browser.version
            finally:
                browser.close()
        if target == "recipe":
            result["cdn_served"], result["cdn_answered_empty"] = sorted(routes.served), sorted(routes.emptied)
        return result
    except Exception as exc:  # a server that does not start (ServerFailed) or a failed step: recorded, the rest runs
        print(f"  {target} failed: {exc}", file=sys.stderr)
        return {"error": f"{type(exc).__name__}: {exc}"[:4000], "traceback": traceback.format_exc()[-4000:],
                "server_log_tail": log_tail(log_path)}


def run_size(shape: str, n: int, args) -> dict:
    label = f"{shape}-{n}"
    logs = args.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    print(f"{label}: preparing the data", file=sys.stderr, flush=True)
    try:
        folder, info = data_folder(shape, n, args.work)
        info["convert_s"] = convert(folder)
        truth = Truth(folder)
    except (BenchmarkError, OSError, ValueError) as exc:  # recorded for both, and the other sizes still run
        failed = {"error": f"setup: {type(exc).__name__}: {exc}"[:4000], "server_log_tail": ""}
        return {"shape": shape, "size": n, "rows": n, "span": ["", ""], "setup": {}, "app": failed, "recipe": failed}
    out = {"shape": shape, "size": n, "rows": truth.rows, "span": [str(truth.first), str(truth.last)], "setup": info}
    print(f"{label}: the app", file=sys.stderr, flush=True)
    out["app"] = run_target("app", folder, truth, args, logs, label)
    if n > args.baseline_max:
        out["recipe"] = {"not_attempted": f"above --baseline-max {args.baseline_max:,.0f}"}
    else:
        print(f"{label}: the recipe", file=sys.stderr, flush=True)
        out["recipe"] = run_target("recipe", folder, truth, args, logs, label)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6,1e7")
    parser.add_argument("--shapes", default="sites,places")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline-max", type=float, default=1e6)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dashboard-bench-browser")
    parser.add_argument("--timeout", type=float, help="seconds a step may take (default: by size, 90 s + 60 s "
                                                      "per million incidents for the app, 150 s for the recipe)")
    parser.add_argument("--load", action="store_true", help="run the load test instead")
    parser.add_argument("--load-size", type=float, default=1e6)
    parser.add_argument("--load-sessions", type=int, default=20)
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument("--out", type=Path, default=RESULTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    day = dt.date.today().isoformat()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.load:
        from benchmarks.browser_load import run_load
        return run_load(args, day)
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    shapes = [s.strip() for s in args.shapes.split(",")]
    run = {"date": day, "command": " ".join([Path(sys.executable).name, *sys.argv]), "options": {
        "sizes": sizes, "shapes": shapes, "runs": args.runs, "baseline_max": args.baseline_max, "work": str(args.work)},
        "machine": report.machine(), "results": []}
    for n in sizes:
        for shape in shapes:
            run["results"].append(run_size(shape, n, args))
            report.write(run, args.out / f"browser-{day}")
    text = report.write(run, args.out / f"browser-{day}")
    print(text)
    failed = [f"{r['shape']}-{r['size']} {t}" for r in run["results"] for t in ("app", "recipe") if "error" in r[t]]
    if failed:
        print(f"FAILED: {', '.join(failed)} (errors and server log tails in the JSON)", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
