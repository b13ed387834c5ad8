"""Benchmark of the data URLs (``/api/incidents.*``) served by the app's own server, against today's download button.

For each size (generated data folders, ``tests/generated.py``, converted to Parquet once with ``open_data``), one
``streamlit run streamlit_app.py`` is started on a free loopback port with ``DASHBOARD_DATA``/``DASHBOARD_CACHE``
pointing at them and the rate limit out of the way (``DASHBOARD_API_RATE``/``DASHBOARD_API_BURST`` 100000,
``DASHBOARD_API_SPOOL_MB`` unset). After ``/_stcore/health`` answers and one warm-up request (a 1,000-incident
page, which also loads the data and gives the selection's size), each request is made ``--runs`` times with
``http.client`` (the body read in pieces of at most 1 MB and dropped):

- whole GeoJSON: ``/api/incidents.geojson`` (every incident); whole CSV: ``/api/incidents.csv``;
- 3 months, one country: ``/api/incidents.geojson?start=2024-01-01&end=2024-03-31&country=Syria``;
- one page: ``/api/incidents.geojson?limit=1000&offset=<half the selection>``.

Per request: time to first byte (request sent until the first body byte is read), time to the whole body, its
size, and the server's VmRSS (the streamlit process and any children), sampled from /proc every 50 ms: just
before the request and its peak during it. Baseline: the page's GeoJSON download button as it is today
(``dashboard.ui.exports_box.geojson_file``: the whole selection read into frames, then one ``bytes``), for the
whole selection, in a fresh process per run on the same Parquet files (DuckDB reading them in place, as the
server does): its time, and its peak RSS (VmHWM, reset after loading) minus its RSS after loading.
Medians over the runs; MB = 10^6 bytes. Usage:
    PYTHONPATH=. .venv/bin/python benchmarks/bench_api.py [--sizes 1e4,1e6] [--runs 5] [--data /tmp/api13]
        [--cache /tmp/api13/cache] [--out benchmarks/results/api-<date>.md] [--json samples.json]
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import _stop as stop_server  # noqa: E402 (the tests' way to stop a server's group)
from tests.memory import PeakSampler, rss_kb  # noqa: E402

PIECE = 1 << 20
SAMPLE_S = 0.05
KB = 1024 / 1e6  # a /proc kB in MB (10^6 bytes)
REQUESTS = [("whole GeoJSON", "/api/incidents.geojson"), ("whole CSV", "/api/incidents.csv"),
            ("3 months, Syria, GeoJSON", "/api/incidents.geojson?start=2024-01-01&end=2024-03-31&country=Syria"),
            ("page of 1,000, GeoJSON", "/api/incidents.geojson?limit=1000&offset={middle}")]


def prepare(label: str, data: Path, cache: Path) -> Path:
    """The generated folder ``data/label`` of ``label`` (e.g. 1e6) incidents, made when missing, converted into ``cache``."""
    from dashboard.core.query.store import open_data
    from tests.generated import generated_folder

    folder, size = data / label, int(float(label))
    if not (folder / "incidents.csv").exists():
        generated_folder(folder, size)
    open_data(folder, root=cache)
    return folder


def fetch(port: int, path: str, pid: int) -> dict:
    """One GET of ``path``: first byte and full time (s), bytes, server RSS before and peak (MB)."""
    before = rss_kb(pid)
    sampler = PeakSampler(pid, SAMPLE_S)
    sampler.start()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1800)
    try:
        start = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        first, record, head, size = None, None, b"", 0
        while piece := response.read1(PIECE):
            if first is None:
                first = time.perf_counter() - start
            if record is None:  # the first incident: a GeoJSON feature, or the CSV's row after the header
                head += piece
                if (head.count(b"\n") >= 2) if path.split("?")[0].endswith(".csv") else (b'"Feature"' in head):
                    record = time.perf_counter() - start
                head = head[-64:] if not path.split("?")[0].endswith(".csv") else head
            size += len(piece)
        full = time.perf_counter() - start
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        total = int(response.getheader("X-Total-Count") or 0)
    finally:
        connection.close()
        peak = sampler.stop()
    return {"ttfb": first or full, "first record": record or full, "full": full, "bytes": size, "before": before * KB, "peak": peak * KB,
            "total": total}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure_server(folder: Path, cache: Path, runs: int, log: Path) -> dict:
    """Start a server on ``folder``, warm it up, time every request ``runs`` times; stop it whatever happens."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DASHBOARD_")}  # none leaks in
    env.update({"PYTHONPATH": str(ROOT), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "DASHBOARD_DATA": str(folder),
                "DASHBOARD_CACHE": str(cache), "DASHBOARD_API_RATE": "100000", "DASHBOARD_API_BURST": "100000"})
    command = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none"]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited ({process.returncode}):\n{log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit not healthy after 120 s:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        started = rss_kb(process.pid) * KB
        warm = fetch(port, "/api/incidents.geojson?limit=1000", process.pid)
        middle = warm["total"] // 2
        out = {"rss at start": started, "warm-up s": warm["full"], "incidents": warm["total"], "middle": middle}
        for label, path in REQUESTS:
            samples = [fetch(port, path.format(middle=middle), process.pid) for _ in range(runs)]
            out[label] = {key: [sample[key] for sample in samples] for key in samples[0]}
            print(f"  {label}: " + ", ".join(f"{s['full']:.2f} s" for s in samples), file=sys.stderr, flush=True)
        return out
    finally:
        stop_server(process)


def baseline_child(folder: Path, cache: Path) -> dict:
    """In a fresh process: the download button's GeoJSON of the whole selection; time and memory growth."""
    import resource

    from dashboard.core.query.engine import Engine
    from dashboard.core.query.store import open_data
    from dashboard.core.view.filters import Filters
    from dashboard.ui.exports_box import geojson_file

    stored = open_data(folder, root=cache)
    source = Engine(in_memory=False).register("b", stored.tables(), stored.sites)
    loaded = rss_kb(os.getpid())
    try:  # reset VmHWM to the current RSS (Linux >= 4.0), so the peak is the build's alone
        Path("/proc/self/clear_refs").write_text("5")
        reset = True
    except OSError:
        reset = False
    start = time.perf_counter()
    body = geojson_file(source, Filters(), stored.sites)
    seconds = time.perf_counter() - start
    status = Path("/proc/self/status").read_text()
    hwm = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    peak = hwm if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"full": seconds, "bytes": len(body), "loaded": loaded * KB, "peak": peak * KB,
            "growth": (peak - loaded) * KB, "hwm reset": reset}


def baseline(folder: Path, cache: Path, runs: int) -> dict:
    samples = []
    for _ in range(runs):
        child = subprocess.run([sys.executable, __file__, "--baseline-child", str(folder), "--cache", str(cache)],
                               capture_output=True, text=True, cwd=ROOT)
        if child.returncode:
            raise RuntimeError(f"baseline failed:\n{child.stderr[-3000:]}")
        samples.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(f"  baseline: {samples[-1]['full']:.2f} s, +{samples[-1]['growth']:.0f} MB", file=sys.stderr, flush=True)
    return {key: [sample[key] for sample in samples] for key in samples[0]}


def shell(command: str) -> str:
    return subprocess.run(command, shell=True, capture_output=True, text=True, cwd=ROOT).stdout.strip()


def machine() -> str:
    memory = int(shell("awk '/MemTotal/ {print $2}' /proc/meminfo") or 0) / 1024 ** 2
    cpu = shell("awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo")
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in
                         ("streamlit", "starlette", "uvicorn", "duckdb", "ibis-framework", "pandas", "pyarrow"))
    return f"{os.cpu_count()} cores, {memory:.1f} GiB RAM, {cpu}; Python {platform.python_version()}; {versions}."


def code() -> str:
    """The commit and the uncommitted changes the servers ran (the tree may be edited while the benchmark runs)."""
    changed = shell("git status --short -- dashboard streamlit_app.py | awk '{print $2}'").split()
    digest = shell("git diff HEAD -- dashboard streamlit_app.py | sha256sum | cut -c1-12")
    return (f"commit {shell('git rev-parse --short HEAD')}" + (f", uncommitted changes (diff sha256 {digest}) in "
            + ", ".join(f"`{path}`" for path in changed) if changed else ", no uncommitted changes") + ".")


def med(values) -> float:
    return statistics.median(values)


def report(results: dict, runs: int, command: str, before: str, after: str, busy: tuple[str, str], took: float,
           code_before: str) -> str:
    code_after = code()
    lines = [f"# Data URLs (`/api/incidents.*`) vs the download button, {dt.date.today().isoformat()}", "",
             f"Command: `{command}` (total run time {took:.0f} s).", "", f"Machine: {machine()}", "",
             f"Code: {code_before}" + ("" if code_after == code_before else f" At the end: {code_after}"), "",
             f"Load: `uptime` before `{before}`, after `{after}`.", "",
             f"Medians of {runs} runs. MB = 10^6 bytes (body and RSS); RSS is VmRSS of the streamlit process and its "
             "children, sampled every 50 ms. TTFB: request sent until the first body byte read (the answer's opening "
             "is written before any query); first incident: until the first GeoJSON feature or CSV row is read.", "",
             "| size | request | TTFB ms (median) | first incident ms (median) | full s (median, min-max) | MB "
             "| server RSS before MB | server RSS peak MB | peak - before MB |", "|---|---|---|---|---|---|---|---|---|"]
    for size, out in results.items():
        server = out["server"]
        for label, _path in REQUESTS:
            s = server[label]
            growth = [p - b for p, b in zip(s["peak"], s["before"])]
            lines.append(f"| {size} | {label} | {med(s['ttfb']) * 1000:,.0f} | {med(s['first record']) * 1000:,.0f} "
                         f"| {med(s['full']):,.2f} "
                         f"({min(s['full']):,.2f}-{max(s['full']):,.2f}) | {med(s['bytes']) / 1e6:,.2f} | "
                         f"{med(s['before']):,.0f} | {med(s['peak']):,.0f} | {med(growth):,.0f} |")
        b = out["baseline"]
        lines.append(f"| {size} | baseline: download button's GeoJSON, whole selection (fresh process) | "
                     f"(no bytes before the end) | (none before the end) | {med(b['full']):,.2f} ({min(b['full']):,.2f}-{max(b['full']):,.2f})"
                     f" | {med(b['bytes']) / 1e6:,.2f} | {med(b['loaded']):,.0f} (after loading) | "
                     f"{med(b['peak']):,.0f} | {med(b['growth']):,.0f} |")
    lines += ["", "Per size: " + "; ".join(
        f"{size}: {out['server']['incidents']:,} incidents, server RSS at start {out['server']['rss at start']:,.0f} MB, "
        f"warm-up request {out['server']['warm-up s']:.2f} s, page offset {out['server']['middle']:,}"
        for size, out in results.items()) + ".", "",
        "`ps aux --sort=-%cpu | head` before:", "", "```", busy[0], "```", "", "after:", "", "```", busy[1], "```"]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e4,1e6")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path("/tmp/api13"))
    parser.add_argument("--cache", type=Path, default=None, help="default: <data>/cache")
    parser.add_argument("--out", type=Path, help="also write the Markdown report here")
    parser.add_argument("--json", type=Path, help="write every sample here as JSON")
    parser.add_argument("--baseline-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    cache = args.cache or args.data / "cache"
    if args.baseline_child:
        print(json.dumps(baseline_child(args.baseline_child, cache)))
        return 0
    command = "PYTHONPATH=. .venv/bin/python " + " ".join([os.path.relpath(__file__, ROOT)] + sys.argv[1:])
    ps = "ps aux --sort=-%cpu | head | cut -c1-200"
    before, busy_before, code_before, started = shell("uptime"), shell(ps), code(), time.perf_counter()
    results = {}
    for raw in args.sizes.split(","):
        size = int(float(raw))
        folder = prepare(raw, args.data, cache)
        print(f"{size:,} incidents ({folder})", file=sys.stderr, flush=True)
        log = args.data / f"bench-api-server-{raw}.log"
        results[f"{size:,}"] = {"server": measure_server(folder, cache, args.runs, log),
                                "baseline": baseline(folder, cache, args.runs)}
    text = report(results, args.runs, command, before, shell("uptime"), (busy_before, shell(ps)),
                  time.perf_counter() - started, code_before)
    print(text)
    if args.out:
        args.out.write_text(text)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
