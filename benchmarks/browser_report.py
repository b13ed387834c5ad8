"""The browser benchmark's output: the machine it ran on, Markdown tables of medians (min-max), the raw JSON."""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
from importlib import metadata
from pathlib import Path

PACKAGES = ("streamlit", "folium", "streamlit-folium", "duckdb", "ibis-framework", "pandas", "altair", "playwright")
#: Steps as the tables show them, in order; the recipe has the first four.
STEPS = ("first load", "3-month range", "full range", "one country", "map shows incidents", "map shows sites",
         "Charts page", "Data & sources page")
NOTES = """\
How it was measured: every step is timed from the user's action (the date range committed by leaving the
date input, a country picked, a button or a sidebar link clicked, a URL opened) until what the user waits
for is on the screen and Streamlit is idle: for the app, the map's data layer drawn again (`data-draws` on
`#map_div` in the st_folium iframe went up) with the new view in the address bar; for the recipe, its
clusters adding up to the expected number of points; the Charts page with all its charts drawn; the Data &
sources page with its 500-row table. When the app's map has nothing new to draw (the same layer for the new
view), streamlit-folium does not redraw it: such a step is timed until the script run for the new view
ended, and listed under its table. Each round is a new browser context (empty cache) and uses views no other
round used, so no per-view answer cached by the server is reused; the warm first load opens the default view,
which earlier sessions did open. "Cold" is the first session after the server started (the app then opens
the data in its engine). The Incidents metric was checked against a pandas count of incidents.csv after
every step, and no JavaScript error occurred.

MB = 10^6 bytes. "MB received" is what the page received over Streamlit's websocket during the step; server
memory is the VmRSS of the server process and its children; the JS heap is the page's (same-origin iframes
included) after the map steps, as found and after a forced garbage collection ("live"). Map tiles are
answered with a blank PNG and the recipe's CDN assets with local copies, so no download time is included.
The browser, the driver and the server share the machine's cores."""


def machine() -> dict:
    """Cores, memory, CPU model, Chromium and package versions of this machine."""
    info = {"cores": os.cpu_count(), "python": platform.python_version(), "os": platform.platform()}
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            info["ram_gb"] = round(int(line.split()[1]) * 1024 / 2**30, 1)
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            info["cpu"] = line.split(":", 1)[1].strip()
            break
    try:
        info["chromium"] = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True,
                                          timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        info["chromium"] = f"unknown ({exc})"
    info["packages"] = {}
    for name in PACKAGES:
        try:
            info["packages"][name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            info["packages"][name] = "not installed"
    return info


def write(run: dict, stem: Path) -> str:
    """Write ``stem``.json (everything) and ``stem``.md (the tables); return the Markdown."""
    stem.with_suffix(".json").write_text(json.dumps(run, indent=1, default=str) + "\n")
    text = markdown(run)
    stem.with_suffix(".md").write_text(text)
    return text


def times(target: dict, step: str, cold: bool = False) -> list[float]:
    """Seconds of ``step`` over the warm rounds (or of the cold session)."""
    rounds = [target["cold"]] if cold else target.get("rounds", [])
    return [s["s"] for r in rounds if r for s in r["steps"] if s["step"] == step]


def received(target: dict, step: str, cold: bool = False) -> list[float]:
    rounds = [target["cold"]] if cold else target.get("rounds", [])
    return [s["ws_bytes"] / 1e6 for r in rounds if r for s in r["steps"] if s["step"] == step]


def seconds(values: list[float], spread: bool = True) -> str:
    if not values:
        return ""
    mid = statistics.median(values)
    text = _s(mid)
    if spread and len(values) > 1:
        text += f" ({_s(min(values), unit=False)}-{_s(max(values), unit=False)})"
    return text


def _s(value: float, unit: bool = True) -> str:
    number = f"{value:.2f}" if value < 10 else f"{value:.1f}"
    return number + (" s" if unit else "")


def _megabytes(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}" if values else ""


def _status(target: dict) -> str | None:
    """Why a target has no figures, or None."""
    if "not_attempted" in target:
        return "not attempted"
    if "not_measured" in target:
        return "not measured"
    if "error" in target:
        return "failed: " + target["error"].splitlines()[0][:120]
    return None


def _rows(run: dict, shape: str) -> list[dict]:
    return [r for r in run["results"] if r["shape"] == shape]


def overview(run: dict, shape: str) -> list[str]:
    """One line per size: the app's medians, and the recipe's with how many times slower it is."""
    lines = [f"**{shape}**: median of {run['options']['runs']} runs (cold: one run)", "",
             "| incidents | | first load, cold | first load, warm | 3-month range | full range | one country | "
             "map shows incidents | map shows sites | Charts page | Data & sources page | server MB | JS heap MB (live) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for result in _rows(run, shape):
        for name in ("app", "recipe"):
            target = result[name]
            status = _status(target)
            if status:
                lines.append(f"| {result['size']:,} | {name} | {status} |" + " |" * 10)
                continue
            app = result["app"]
            cells = []
            for step, cold in [("first load", True), ("first load", False)] + [(s, False) for s in STEPS[1:]]:
                mine = times(target, step, cold)
                if not mine:
                    cells.append("")
                    continue
                cell = seconds(mine, spread=False)
                base = times(app, step, cold) if "rounds" in app else []
                if name == "recipe" and base:
                    cell += f" ({statistics.median(mine) / statistics.median(base):.1f}x)"
                cells.append(cell)
            heaps = [r["heap_mb"]["live"] for r in target["rounds"]]
            cells += [f"{target['server_mb_after']:,.0f}", f"{statistics.median(heaps):,.0f}" if heaps else ""]
            lines.append(f"| {result['size']:,} | {name} | " + " | ".join(cells) + " |")
    lines += ["", "The recipe's cells give in brackets how many times the app's time it takes.", ""]
    return lines


def details(result: dict, runs: int) -> list[str]:
    """Every step of one shape and size: median (min-max), MB received, the ratio."""
    app, recipe = result["app"], result["recipe"]
    lines = [f"**{result['shape']}, {result['size']:,} incidents** (data {result['span'][0]} to {result['span'][1]})", "",
             "| step | app | MB received | recipe | MB received | recipe / app |", "|---|---|---|---|---|---|"]
    problems = [f"{name}: {_status(t)}" for name, t in (("app", app), ("recipe", recipe)) if _status(t)]
    for step, cold in [("first load", True), ("first load", False)] + [(s, False) for s in STEPS[1:]]:
        label = f"{step}, {'cold' if cold else 'warm'}" if step == "first load" else step
        cells = []
        for target in (app, recipe):
            ok = _status(target) is None
            cells += [seconds(times(target, step, cold)) if ok else "", _megabytes(received(target, step, cold)) if ok else ""]
        mine, base = (times(recipe, step, cold) if _status(recipe) is None else []), (times(app, step, cold) if _status(app) is None else [])
        ratio = f"{statistics.median(mine) / statistics.median(base):.1f}x" if mine and base else ""
        if not cells[2] and _status(recipe) is None:
            cells[2] = "not in the recipe"
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {ratio} |")
    for what, key in (("server VmRSS after the runs, MB", "server_mb_after"), ("server VmRSS at start, MB", "server_mb_idle")):
        cells = [f"{t[key]:,.0f}" if _status(t) is None else "" for t in (app, recipe)]
        lines.append(f"| {what} | {cells[0]} | | {cells[1]} | | |")
    for what, key in (("browser JS heap on the map, MB", "used"), ("the same after a forced GC, MB", "live")):
        heaps = [[r["heap_mb"][key] for r in t["rounds"]] if _status(t) is None else [] for t in (app, recipe)]
        lines.append(f"| {what} | " + " | | ".join(
            f"{statistics.median(h):,.0f} ({min(h):,.0f}-{max(h):,.0f})" if h else "" for h in heaps) + " | | |")
    lines.append("")
    problems += not_redrawn(app)
    problems += [f"{name}: requests outside 127.0.0.1 were refused: {t['blocked']}"
                 for name, t in (("app", app), ("recipe", recipe)) if t.get("blocked")]
    if problems:
        lines += [f"- {p}" for p in problems] + [""]
    return lines


def not_redrawn(target: dict) -> list[str]:
    """The app's map steps after which the map was not drawn again (it had the same layer to show)."""
    if _status(target) is not None:
        return []
    found: dict[str, list[dict]] = {}
    for result in [target["cold"]] + target["rounds"]:
        for step in result["steps"] if result else []:
            if step.get("redrawn") is False:
                found.setdefault(step["step"], []).append(step)
    lines = []
    for name, steps in found.items():
        before, after = steps[0].get("map_before") or {}, steps[0].get("map") or {}
        lines.append(f"app, {name}: the map was not drawn again in {len(steps)} of {len(target['rounds']) + 1} sessions "
                     f"(it showed {before.get('features')} {before.get('kind')} before and {after.get('features')} "
                     f"{after.get('kind')} after); timed until the script run for the new view ended")
    return lines


def markdown(run: dict) -> str:
    m = run["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    lines = [f"# Browser benchmark, {run['date']}", "",
             f"`{run['command']}`", "",
             f"Machine: {m['cores']} cores, {m['ram_gb']} GiB RAM, {m.get('cpu', 'unknown CPU')}; {m['chromium']}; "
             f"Python {m['python']}; {packages}.", "",
             "App: the dashboard (`streamlit_app.py`). Recipe: `benchmarks/recipe_app.py`, the usual Streamlit + folium "
             "recipe (pandas under `st.cache_data`, one `FastMarkerCluster` of every filtered point), attempted up to "
             f"{run['options']['baseline_max']:,.0f} incidents. Shapes: `sites`, incidents at the bundled gazetteer's "
             "sites; `places`, incidents at 20,000 synthetic places, as an imported file has.", ""]
    for shape in run["options"]["shapes"]:
        if _rows(run, shape):
            lines += overview(run, shape)
    lines += ["## Every step: median (min-max) of the warm runs, in seconds", ""]
    for result in run["results"]:
        lines += details(result, run["options"]["runs"])
    lines += ["## Notes", "", NOTES, ""]
    return "\n".join(lines)
