"""Load test of the running app: many visitors changing the date range at once, each in its own context of one Chromium.

The app is started on a "sites" folder of ``--load-size`` incidents (1,000,000 by default) as
bench_browser.py starts it. One warm-up visitor opens the map and changes the range once (the data
is then loaded into the engine and the queries compiled); the server's memory is read (the median
of five readings a second apart). Then ``--load-sessions`` visitors open the map together; once all
have it, each loops for ``--load-seconds``: type a new random date range (distinct for every visitor
and iteration, so no cached answer is reused), commit it, wait until the map is drawn again and
Streamlit is idle, and record the time. Errors are counted, not fatal: an uncaught JavaScript error,
a step that times out, an exception box on the page, or an Incidents metric that differs from the
pandas count. The server's memory is read again while the visitors are still open.

The browser pages, the driver and the server share the machine's cores, so the times include the
browsers' own work under contention, as a single machine cannot separate them.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
import os
import random
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

from benchmarks import browser_report as report
from benchmarks.browser_steps import GRACE_MS, MAP_DONE, MARK_MAP, QUIET_MS, SETTLED, Truth, range_segments, view_url
from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, NOT_LOCAL, ROOT, TILE, app_env, blank_png, streamlit_server

LABEL = "Dates (inclusive)"
VIEWPORT = {"width": 1100, "height": 850}
MAX_ERRORS_IN_A_ROW = 3


class Visitor:
    """One browser context and page that changes the date range in a loop; keeps its times and errors."""

    def __init__(self, number: int, truth: Truth, timeout_s: float):
        self.number, self.truth, self.timeout_ms = number, truth, timeout_s * 1000
        self.times: list[float] = []
        self.errors: list[dict] = []
        self.first_load_s: float | None = None
        self.js_errors: list[str] = []
        self.blocked: list[str] = []
        self.not_redrawn = 0

    async def open(self, browser, base: str) -> None:
        png = blank_png()

        async def answer(route) -> None:
            if TILE.search(route.request.url.split("?")[0]):
                await route.fulfill(status=200, body=png, headers={"content-type": "image/png"})
            else:
                self.blocked.append(route.request.url)
                await route.abort()

        self.context = await browser.new_context(viewport=VIEWPORT)
        self.context.set_default_timeout(self.timeout_ms)
        await self.context.route(NOT_LOCAL, answer)
        self.page = await self.context.new_page()
        self.page.on("pageerror", lambda error: self.js_errors.append(str(error)))
        started = time.perf_counter()
        await self.page.goto(base)
        await self.page.wait_for_function(MAP_DONE, arg=["", 0, None, GRACE_MS], timeout=self.timeout_ms)
        self.first_load_s = round(time.perf_counter() - started, 3)
        await self.page.wait_for_function(SETTLED, arg=QUIET_MS, timeout=self.timeout_ms)  # the runs it sets off

    async def change_range(self, start: dt.date, end: dt.date) -> None:
        """Type the range, commit it, wait for the map; record the time or the error."""
        page = self.page
        seen_errors = len(self.js_errors)
        try:
            for name, text in range_segments(LABEL, start, end):
                segment = page.get_by_role("spinbutton", name=name)
                await segment.click()
                await segment.press_sequentially(text)
            token = uuid.uuid4().hex
            before = await page.evaluate(MARK_MAP, token)
            began = time.perf_counter()
            await page.locator('[data-testid="stMain"] h1, [data-testid="stMain"] h4').first.click()
            url = view_url(self.truth.first, self.truth.last, start, end)
            done = await page.wait_for_function(MAP_DONE, arg=[token, before, url, GRACE_MS], timeout=self.timeout_ms)
            outcome = await done.json_value()
            took = time.perf_counter() - began - outcome["lag"] / 1000
            if not outcome["redrawn"]:
                self.not_redrawn += 1
            problem = await self._problem(start, end, seen_errors)
        except Exception as exc:  # a timeout or a page gone: counted, and the loop goes on
            took, problem = None, {"kind": "exception" if "Timeout" not in type(exc).__name__ else "timeout",
                                   "detail": str(exc).splitlines()[0][:300]}
        if problem:
            self.errors.append({**problem, "range": [str(start), str(end)]})
        else:
            self.times.append(round(took, 3))

    async def _problem(self, start: dt.date, end: dt.date, seen_errors: int) -> dict | None:
        page = self.page
        if len(self.js_errors) > seen_errors:
            return {"kind": "javascript", "detail": self.js_errors[-1][:300]}
        boxes = page.locator('[data-testid="stException"]')
        if await boxes.count():
            return {"kind": "exception on the page", "detail": (await boxes.first.inner_text())[:300]}
        label = page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(r"^\s*Incidents\s*$"))
        value = page.locator('[data-testid="stMetric"]').filter(has=label).locator('[data-testid="stMetricValue"]')
        shown = int((await value.inner_text()).replace(",", ""))
        expected = self.truth.count(start, end)
        if shown != expected:
            return {"kind": "wrong count", "detail": f"Incidents shows {shown:,}, incidents.csv has {expected:,}"}
        return None

    async def loop(self, ranges, go: asyncio.Event, stop_at: list[float]) -> None:
        await go.wait()
        in_a_row = 0
        while time.perf_counter() < stop_at[0]:
            errors = len(self.errors)
            await self.change_range(*ranges())
            in_a_row = in_a_row + 1 if len(self.errors) > errors else 0
            if in_a_row >= MAX_ERRORS_IN_A_ROW:
                self.errors.append({"kind": "gave up", "detail": f"{in_a_row} errors in a row"})
                break


def range_picker(truth: Truth, seed: int = 5):
    """A function returning a new random date range each call, never the same one twice."""
    rng, seen = random.Random(seed), set()
    span = (truth.last - truth.first).days

    def pick() -> tuple[dt.date, dt.date]:
        while True:
            length = rng.randint(7, 400)
            start = truth.first + dt.timedelta(days=rng.randint(0, span - length))
            chosen = (start, start + dt.timedelta(days=length))
            if chosen not in seen:
                seen.add(chosen)
                return chosen
    return pick


async def settled_mb(pid: int) -> float:
    from benchmarks.bench_browser import server_mb
    readings = []
    for _ in range(5):
        await asyncio.sleep(1)  # the interval between readings, not a wait for readiness
        readings.append(server_mb(pid))
    return statistics.median(readings)


async def drive(base: str, pid: int, truth: Truth, args) -> dict:
    from playwright.async_api import async_playwright

    timeout_s = args.timeout or 180
    pick = range_picker(truth)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        warm = Visitor(-1, truth, timeout_s)
        await warm.open(browser, base)
        await warm.change_range(*pick())
        await warm.context.close()
        before = await settled_mb(pid)
        visitors = [Visitor(i, truth, timeout_s) for i in range(args.load_sessions)]
        opened = await asyncio.gather(*(v.open(browser, base) for v in visitors), return_exceptions=True)
        failed = [f"visitor {v.number}: {o}" for v, o in zip(visitors, opened) if isinstance(o, BaseException)]
        ready = [v for v, o in zip(visitors, opened) if not isinstance(o, BaseException)]
        go, stop_at = asyncio.Event(), [0.0]
        loops = [asyncio.create_task(v.loop(pick, go, stop_at)) for v in ready]
        stop_at[0] = time.perf_counter() + args.load_seconds
        began = time.perf_counter()
        server_cpu, machine_cpu = cpu_seconds(pid), machine_busy_seconds()
        go.set()
        await asyncio.gather(*loops)
        elapsed = time.perf_counter() - began
        server_cpu, machine_cpu = cpu_seconds(pid) - server_cpu, machine_busy_seconds() - machine_cpu
        after = await settled_mb(pid)
        for v in ready:
            await v.context.close()
        chromium = browser.version
        await browser.close()
    times = [t for v in ready for t in v.times]
    errors = [{**e, "visitor": v.number} for v in ready for e in v.errors]
    return {"chromium": chromium, "warm_up": {"first_load_s": warm.first_load_s, "rerun_s": warm.times, "errors": warm.errors},
            "sessions": args.load_sessions, "sessions_opened": len(ready), "open_failures": failed,
            "first_load_s": [v.first_load_s for v in ready], "seconds": round(elapsed, 1),
            "reruns": times, "reruns_per_session": [len(v.times) for v in ready], "errors": errors,
            "blocked": sorted({u for v in ready for u in v.blocked}),
            "map_not_redrawn": sum(v.not_redrawn for v in ready),
            "server_mb_before": before, "server_mb_after": after,
            "server_cpu_s": round(server_cpu, 1), "machine_cpu_s": round(machine_cpu, 1),
            "growth_mb_per_session": round((after - before) / max(len(ready), 1), 1)}


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of the process ``pid`` and its children so far, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / tick


def machine_busy_seconds() -> float:
    """CPU time all cores spent busy so far (everything but idle and iowait), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def markdown(run: dict) -> str:
    """The load test's table: times per rerun, errors, the server's memory."""
    r, m = run["load"], run["machine"]
    kinds: dict[str, int] = {}
    for error in r["errors"]:
        kinds[error["kind"]] = kinds.get(error["kind"], 0) + 1
    times, per_session, loads = r["reruns"], r["reruns_per_session"], r["first_load_s"]
    rows = [
        ("filter changes measured", f"{len(times):,}"),
        ("time per rerun (range committed to the map redrawn and idle), median",
         f"{statistics.median(times):.2f} s" if times else "none"),
        ("95th percentile", f"{percentile(times, 0.95):.2f} s" if times else "none"),
        ("min - max", f"{min(times):.2f} - {max(times):.2f} s" if times else "none"),
        ("reruns per session, median (min-max)",
         f"{statistics.median(per_session)} ({min(per_session)}-{max(per_session)})" if per_session else "none"),
        ("errors", f"{len(r['errors'])}" + (" (" + ", ".join(f"{k}: {v}" for k, v in kinds.items()) + ")" if kinds else "")),
        ("sessions that could not open the map", f"{len(r['open_failures'])}"),
        ("reruns after which the map had nothing new to draw (timed to the end of the run)",
         f"{r.get('map_not_redrawn', 0)}"),
        ("first load, all sessions opening at once, median (max)",
         f"{statistics.median(loads):.1f} s ({max(loads):.1f} s)" if loads else "none"),
        ("server VmRSS before the sessions (after a warm-up visitor)", f"{r['server_mb_before']:,.0f} MB"),
        ("server VmRSS with the sessions open, after the loop", f"{r['server_mb_after']:,.0f} MB"),
        ("growth per session", f"{r['growth_mb_per_session']:,.1f} MB"),
        ("CPU time during the loop: the server (process and children) / the whole machine",
         f"{r.get('server_cpu_s', 0):,.1f} s / {r.get('machine_cpu_s', 0):,.1f} s "
         f"(of {r['seconds'] * (os.cpu_count() or 1):,.0f} s the cores had)"),
    ]
    lines = [f"# Browser load test, {run['date']}", "", f"`{run['command']}`", "",
             f"Machine: {m['cores']} cores, {m['ram_gb']} GiB RAM, {m.get('cpu', '')}; {m['chromium']}; "
             + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + ".", "",
             f"{r['sessions_opened']} of {r['sessions']} sessions at once on {run['size']:,} incidents (shape `sites`), "
             f"each changing the date range in a loop for {r['seconds']} s; one Chromium, one context per session. "
             "**The browser pages share the machine's cores with the server**, so a time includes the browsers' "
             "own work under contention.", "", "| | value |", "|---|---|"]
    lines += [f"| {label} | {value} |" for label, value in rows]
    lines += ["", "MB = 10^6 bytes; server memory is the VmRSS of the server process and its children, the median of "
              "five readings a second apart.", ""]
    return "\n".join(lines)


def run_load(args, day: str) -> int:
    from benchmarks.bench_browser import convert, data_folder, log_tail

    n = int(args.load_size)
    folder, info = data_folder("sites", n, args.work)
    info["convert_s"] = convert(folder)
    truth = Truth(folder)
    logs = args.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"load-sites-{n}.log"
    run = {"date": day, "command": " ".join(["python", *sys.argv]), "size": n, "setup": info,
           "options": {"sessions": args.load_sessions, "seconds": args.load_seconds},
           "machine": report.machine()}
    env = app_env({"DASHBOARD_DATA": str(folder), "MALLOC_ARENA_MAX": "2"})
    with streamlit_server("streamlit_app.py", ROOT, env, log_path) as (base, process):
        run["load"] = asyncio.run(drive(base, process.pid, truth, args))
    run["server_log_tail"] = log_tail(log_path)
    stem = args.out / f"browser-load-{day}"
    stem.with_suffix(".json").write_text(json.dumps(run, indent=1, default=str) + "\n")
    text = markdown(run)
    stem.with_suffix(".md").write_text(text)
    print(text)
    return 1 if run["load"]["errors"] or run["load"]["open_failures"] else 0
