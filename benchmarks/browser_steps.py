"""Drive the dashboard and the usual recipe in Chromium as a user does, timing each step until the page is drawn and idle.

A :class:`Session` is one visitor: a fresh browser context (empty cache) with one page, its uncaught
JavaScript errors and the bytes it receives over Streamlit's websocket. A step is one user action
that makes Streamlit run the script again (a date range committed, a country picked, a button or a
navigation link clicked), timed from that action until what the user waits for is on the screen
and Streamlit is idle:

- the dashboard's map: the data layer's draw counter (``data-draws`` on ``#map_div`` in the
  st_folium iframe) went up, or a new map element was drawn, and the address shows the new view
  (when the map has nothing new to draw, streamlit-folium does not redraw it: the step then ends
  with the script run for the new view, and is marked ``redrawn: false``);
- the recipe's map: the counts of the marker clusters (plus single markers) in the iframe add up to
  the number of points expected;
- the Charts page: every chart drawn; the Data & sources page: the table of 500 rows shown.

After every step the **Incidents** metric is compared with an independent pandas count of
``incidents.csv`` (:class:`Truth`), and a JavaScript error or a Streamlit exception box stops the
run (:class:`BenchmarkError`).
"""
from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from pathlib import Path

import pandas as pd
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import MAP_FRAME, NOT_LOCAL, OfflineRoutes, metric, open_page_from_nav, wait_until_idle, widget

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "static" / "vendor"
COUNTRIES = ("Iraq", "Syria", "Jordan")
#: How long after a run for the new view ended a map step waits for a redraw before it concludes there is none.
GRACE_MS = 2000
#: How long nothing must change after a first load before the next step starts.
QUIET_MS = 1500
#: What ``wait_until_idle`` checks, except that a status widget on its way out (a 200 ms fade after the run ended)
#: does not count as running.
IDLE = ("!document.querySelector('[data-testid=\"stStatusWidget\"]:not([class*=\"StatusWidget-exit\"])')"
        " && !document.querySelector('[data-stale=\"true\"]')")
_MAP_BOX = ("const frame = document.querySelector('" + MAP_FRAME + "');"
            " const box = frame && frame.contentDocument && frame.contentDocument.querySelector('#map_div');")
#: Tag the map element and return its draw count (before a step).
MARK_MAP = "token => { window.benchIdleSince = null; " + _MAP_BOX + " if (!box) { return 0; }" \
           " box.dataset.benchToken = token; return parseInt(box.dataset.draws || '0', 10); }"
#: Done when the map's data layer was drawn again since MARK_MAP (or a new map element was drawn) and Streamlit is
#: idle. When ``url`` is given (the query parameters the app writes for the new view; null: absent), the address
#: must show that view too (so a late run for an earlier view cannot end the step), and the step also ends when no
#: redraw followed within ``grace`` ms of that: the map then had nothing new to draw. Returns {redrawn, lag}, lag
#: being how long ago the step really ended (ms).
MAP_DONE = "([token, before, url, grace]) => { " + _MAP_BOX + " const idle = " + IDLE + ";" \
           " const drawn = !!box && !!box.dataset.draws && (box.dataset.benchToken !== token" \
           " || parseInt(box.dataset.draws, 10) > before);" \
           " if (url === null) { return drawn && idle ? {redrawn: true, lag: 0} : false; }" \
           " const params = new URLSearchParams(location.search);" \
           " const shown = Object.entries(url).every(([k, v]) => v === null ? !params.has(k) : params.get(k) === v);" \
           " if (!shown || !idle) { window.benchIdleSince = null; return false; }" \
           " if (drawn) { return {redrawn: true, lag: 0}; }" \
           " const now = performance.now(); if (window.benchIdleSince == null) { window.benchIdleSince = now; }" \
           " return now - window.benchIdleSince >= grace ? {redrawn: false, lag: now - window.benchIdleSince} : false; }"
#: True once the map's draw count and Streamlit's idleness have not changed for ``quiet`` ms (the runs that follow
#: a first load, such as the one st_folium's first report of its bounds starts, are over).
SETTLED = "quiet => { " + _MAP_BOX + " const key = (box ? box.dataset.draws : '-') + '|' + (" + IDLE + ");" \
          " const now = performance.now();" \
          " if (window.benchKey !== key) { window.benchKey = key; window.benchSince = now; return false; }" \
          " return key.endsWith('true') && now - window.benchSince >= quiet; }"
MAP_STATE = "token => { " + _MAP_BOX + " if (!box) { return null; } const d = box.dataset;" \
            " return {kind: d.drawnKind, shown: parseInt(d.drawnShown, 10), features: parseInt(d.drawnFeatures, 10)," \
            " draws: parseInt(d.draws, 10), remounted: d.benchToken !== token}; }"
#: How many points the recipe's clusters and single markers show in the iframe.
CLUSTERED = "() => { const frame = document.querySelector('" + MAP_FRAME + "');" \
            " const doc = frame && frame.contentDocument; if (!doc) { return -1; } let total = 0;" \
            " doc.querySelectorAll('.marker-cluster span').forEach(s => { total += parseInt(s.textContent, 10) || 0; });" \
            " return total + doc.querySelectorAll('.leaflet-marker-icon:not(.marker-cluster)').length; }"
POINTS_SHOWN = "expected => (" + CLUSTERED + ")() === expected && " + IDLE
CHARTS_DRAWN = "() => { const charts = document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]').length;" \
               " const drawn = document.querySelectorAll('.vega-embed canvas, .vega-embed svg.marks').length;" \
               " return location.pathname.endsWith('/charts') && charts >= 6 && drawn >= charts && " + IDLE + "; }"
TABLE_SHOWN = "rows => { const grid = document.querySelector('[data-testid=\"stDataFrame\"] [role=\"grid\"]');" \
              " return location.pathname.endsWith('/data') && !!grid && grid.getAttribute('aria-rowcount') === rows" \
              " && !!document.querySelector('[data-testid=\"stDataFrame\"] canvas') && " + IDLE + "; }"


class BenchmarkError(RuntimeError):
    """A sanity check failed: a JavaScript error, an exception on the page, or a wrong count."""


class Truth:
    """Independent counts from the data folder's CSV files (pandas; none of the app's code)."""

    def __init__(self, folder: Path):
        rows = pd.read_csv(folder / "incidents.csv", usecols=["date", "site_id", "country"], dtype=str,
                           keep_default_na=False)
        sites = pd.read_csv(folder / "sites.csv", usecols=["site_id", "lat", "lon"], dtype=str, keep_default_na=False)
        located = set(sites.loc[(sites["lat"] != "") & (sites["lon"] != ""), "site_id"])
        rows["placed"] = rows["site_id"].str.split(";", n=1).str[0].isin(located)
        table = rows.groupby(["date", "country", "placed"]).size().rename("n").reset_index()
        self.dates = table["date"].to_numpy()
        self.countries = [set(cell.split(";")) for cell in table["country"]]
        self.placed = table["placed"].to_numpy()
        self.n = table["n"].to_numpy()
        self.first = dt.date.fromisoformat(table["date"].min())
        self.last = dt.date.fromisoformat(table["date"].max())
        self.rows = int(self.n.sum())

    def count(self, start: dt.date, end: dt.date, country: str | None = None, placed_only: bool = False) -> int:
        """Incidents dated ``start``..``end`` (inclusive) naming ``country``; with ``placed_only``, those whose
        first site has coordinates (what the recipe draws)."""
        keep = (self.dates >= start.isoformat()) & (self.dates <= end.isoformat())
        if country:
            keep &= [country in names for names in self.countries]
        if placed_only:
            keep &= self.placed
        return int(self.n[keep].sum())


def round_views(first: dt.date, last: dt.date, k: int) -> dict:
    """The filters of round ``k``: each differs from every other round's and from the default view (whole span),
    so no answer the server cached for another view is reused."""
    day = dt.timedelta(days=1)
    room = (last - first).days - 130
    offset = 30 + (47 * k) % room + (47 * k) // room
    return {"3-month range": (first + offset * day, first + (offset + 91) * day),
            "full range": (first, last - (k + 1) * day),
            "one country": COUNTRIES[k % 3],
            "before incidents": (first + (k + 1) * day, last - (k + 1) * day),
            "before sites": (first + (k + 2) * day, last - (k + 1) * day)}


def view_url(first: dt.date, last: dt.date, start: dt.date, end: dt.date, country: str | None = None,
             mode: str = "sites") -> dict:
    """The query parameters the app writes for a view (``core/view/share.py``): defaults left out (None)."""
    return {"start": None if start == first else start.isoformat(), "end": None if end == last else end.isoformat(),
            "country": country, "view": None if mode == "sites" else mode}


def range_segments(label: str, start: dt.date, end: dt.date) -> list[tuple[str, str]]:
    """The date-range input's segments (their accessible names) and what to type in each: start date, then end date."""
    return [(f"{part}, {label} {which} date", text) for which, day in (("start", start), ("end", end))
            for part, text in (("year", f"{day.year:04d}"), ("month", f"{day.month:02d}"), ("day", f"{day.day:02d}"))]


class CdnAssets(OfflineRoutes):
    """OfflineRoutes that also answers folium's CDN links from local copies (for the recipe, which keeps them)."""

    def __init__(self, node_modules: Path):
        super().__init__()
        npm = Path(node_modules)
        awesome = npm / "drmonty-leaflet-awesome-markers"
        self.rules = [
            (r"https://cdn\.jsdelivr\.net/npm/leaflet@1\.9\.3/dist/(.+)", VENDOR),
            (r"https://code\.jquery\.com/jquery-3\.7\.1\.min\.js", VENDOR / "jquery.min.js"),
            (r"https://cdnjs\.cloudflare\.com/ajax/libs/leaflet\.markercluster/1\.1\.0/(.+)", VENDOR),
            (r"https://cdn\.jsdelivr\.net/npm/bootstrap@5\.2\.2/dist/(.+)", npm / "bootstrap" / "dist"),
            (r"https://cdn\.jsdelivr\.net/npm/@fortawesome/fontawesome-free@6\.2\.0/(.+)",
             npm / "@fortawesome" / "fontawesome-free"),
            (r"https://cdnjs\.cloudflare\.com/ajax/libs/Leaflet\.awesome-markers/2\.0\.2/(.+\.js)", awesome / "js"),
            (r"https://cdnjs\.cloudflare\.com/ajax/libs/Leaflet\.awesome-markers/2\.0\.2/(.+)", awesome / "css"),
        ]
        #: Stylesheets with no local copy, answered empty (glyphicons; the rotation of awesome-markers).
        self.empty = [r"https://netdna\.bootstrapcdn\.com/.+\.css",
                      r"https://cdn\.jsdelivr\.net/gh/python-visualization/folium/.+\.css"]
        self.served: set[str] = set()
        self.emptied: set[str] = set()

    def handle(self, route) -> None:
        url = route.request.url.split("?")[0]
        for pattern, place in self.rules:
            found = re.fullmatch(pattern, url)
            path = (place / found.group(1)) if found and found.groups() else place
            if found and path.is_file():
                self.served.add(url)
                kind = {".js": "application/javascript", ".css": "text/css", ".png": "image/png",
                        ".woff2": "font/woff2", ".ttf": "font/ttf"}.get(path.suffix, "application/octet-stream")
                self._answer(route, path.read_bytes(), kind)
                return
        if any(re.fullmatch(pattern, url) for pattern in self.empty):
            self.emptied.add(url)
            self._answer(route, b"", "text/css")
            return
        super().handle(route)

    @staticmethod
    def _answer(route, body: bytes, kind: str) -> None:
        try:
            route.fulfill(status=200, body=body, headers={"content-type": kind, "access-control-allow-origin": "*"})
        except Exception as exc:  # the page was closed while its request was answered
            if "closed" not in str(exc).lower():
                raise


class Session:
    """One visitor: a new browser context with one page; counts its JS errors and the websocket bytes it receives."""

    def __init__(self, browser, routes: OfflineRoutes, timeout_s: float, viewport: dict | None = None,
                 shots: Path | None = None):
        self.shots = shots
        self.context = browser.new_context(viewport=viewport or {"width": 1400, "height": 1000})
        self.timeout_ms = timeout_s * 1000
        self.context.set_default_timeout(self.timeout_ms)
        self.context.route(NOT_LOCAL, routes.handle)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.received = 0
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("websocket", lambda socket: socket.on("framereceived", self._count))

    def _count(self, payload) -> None:
        self.received += len(payload)

    def close(self) -> None:
        self.context.close()

    def check(self, where: str) -> None:
        """Stop on an uncaught JavaScript error or a Streamlit exception box."""
        if self.errors:
            raise BenchmarkError(f"{where}: JavaScript error on the page: {self.errors}")
        boxes = self.page.locator('[data-testid="stException"]')
        if boxes.count():
            raise BenchmarkError(f"{where}: exception shown on the page: {boxes.first.inner_text()[:500]}")

    def incidents_shown(self) -> int:
        return int(metric(self.page, "Incidents").replace(",", ""))

    def heap_mb(self) -> dict:
        """The page's JavaScript heap (CDP Performance.getMetrics; same-origin iframes share it), MB = 10^6 bytes:
        as found (``used``, ``total``), then what is still used after a forced garbage collection (``live``)."""
        cdp = self.context.new_cdp_session(self.page)
        try:
            cdp.send("Performance.enable")
            values = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            cdp.send("HeapProfiler.collectGarbage")
            live = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        finally:
            cdp.detach()
        return {"used": round(values["JSHeapUsedSize"] / 1e6, 1), "total": round(values["JSHeapTotalSize"] / 1e6, 1),
                "live": round(live["JSHeapUsedSize"] / 1e6, 1)}

    # --- the actions a user takes ------------------------------------------------------------------

    def type_range(self, label: str, start: dt.date, end: dt.date) -> None:
        """Type both dates into the date-range input segment by segment (committed only by :meth:`commit_range`)."""
        field = widget(self.page, "stDateInput", label)
        wanted = [start.isoformat(), end.isoformat()]
        for _attempt in range(2):
            for name, text in range_segments(label, start, end):
                segment = field.get_by_role("spinbutton", name=name)
                segment.click()
                segment.press_sequentially(text)
            shown = [box.get_attribute("value") for box in field.locator('input[type="date"]').all()]
            if shown == wanted:
                return
        raise BenchmarkError(f"the date input {label!r} shows {shown} after typing {wanted}")

    def commit_range(self) -> None:
        """Click the page title (the app's h4, the recipe's h1): the date input loses focus, which is when Streamlit sends its new value."""
        self.page.locator('[data-testid="stMain"] h1, [data-testid="stMain"] h4').first.click()

    def country_option(self, name: str):
        """Open the Country multiselect; return the option to click."""
        widget(self.page, "stMultiSelect", "Country").locator("input").click()
        option = self.page.get_by_role("option", name=name, exact=True)
        option.wait_for()
        return option

    def pick(self, option) -> None:
        option.click()
        self.page.keyboard.press("Escape")

    def remove_country(self, name: str) -> None:
        widget(self.page, "stMultiSelect", "Country").get_by_role("button", name=f"Remove {name}").click()

    # --- steps: an action, timed until its result is drawn -------------------------------------------

    def _timed(self, name: str, action, done: str, arg, expected: int) -> tuple[dict, object]:
        """Run ``action`` and wait until the JavaScript function ``done`` (called with ``arg``) returns a true value;
        return the step's figures and that value."""
        received = self.received
        started = time.perf_counter()
        action()
        try:
            outcome = self.page.wait_for_function(done, arg=arg, timeout=self.timeout_ms).json_value()
        except PlaywrightTimeout as exc:
            raise BenchmarkError(f"{name}: nothing was drawn within {self.timeout_ms / 1000:.0f} s; "
                                 f"{self.describe(name)}") from exc
        seconds = time.perf_counter() - started
        wait_until_idle(self.page)
        self.check(name)
        step = {"step": name, "s": round(seconds, 3), "ws_bytes": self.received - received, "expected": expected,
                "incidents": self.incidents_shown()}
        if step["incidents"] != expected:
            raise BenchmarkError(f"{name}: the Incidents metric shows {step['incidents']:,}, "
                                 f"incidents.csv has {expected:,} rows for that view")
        return step, outcome

    def describe(self, name: str) -> str:
        """The page's state when a step timed out (and a screenshot of it, when a folder for them was given)."""
        state = self.page.evaluate("token => ({url: location.href, idle: " + IDLE + ", map: (" + MAP_STATE + ")(token)})",
                                   "")
        if self.shots is not None:
            path = self.shots / f"timeout-{re.sub(r'[^A-Za-z0-9]+', '-', name)}-{uuid.uuid4().hex[:6]}.png"
            self.page.screenshot(path=str(path))
            state["screenshot"] = str(path)
        return f"page state: {state}; JavaScript errors: {self.errors}"

    def map_step(self, name: str, action, expected: int, url: dict | None = None) -> dict:
        """Time ``action`` until the dashboard's map is drawn again (or, given the new view's ``url``, until the run
        for that view ended and no redraw followed) and Streamlit is idle."""
        token = uuid.uuid4().hex
        started = time.perf_counter()
        before = self.page.evaluate(MARK_MAP, token) if self.page.url.startswith("http") else 0
        previous = self.page.evaluate(MAP_STATE, token) if self.page.url.startswith("http") else None
        step, outcome = self._timed(name, action, MAP_DONE, [token, before, url, GRACE_MS], expected)
        step["redrawn"] = outcome["redrawn"]
        if not outcome["redrawn"]:
            step["s"] = round(step["s"] - outcome["lag"] / 1000, 3)
            step["map_before"] = previous
        step["map"] = self.page.evaluate(MAP_STATE, token)
        if url is None:  # a first load: wait until the runs it sets off are over (not timed)
            self.page.wait_for_function(SETTLED, arg=QUIET_MS, timeout=self.timeout_ms)
            step["settled_s"] = round(time.perf_counter() - started - QUIET_MS / 1000, 3)
            step["map_settled"] = self.page.evaluate(MAP_STATE, token)
        return step

    def points_step(self, name: str, action, expected: int, points: int) -> dict:
        """Time ``action`` until the recipe's clusters add up to ``points`` and Streamlit is idle."""
        previous = self.page.evaluate(CLUSTERED) if self.page.url.startswith("http") else -1
        step, _ = self._timed(name, action, POINTS_SHOWN, points, expected)
        step["points"] = points
        if previous == points:
            step["note"] = "the previous view showed as many points: the end of this step may be early"
        return step

    def page_step(self, name: str, title: str, expected: int) -> dict:
        """Time a click on the sidebar link ``title`` until the Charts or the Data & sources page is drawn."""
        done, arg = (CHARTS_DRAWN, None) if title == "Charts" else (TABLE_SHOWN, str(min(expected, 500) + 1))
        return self._timed(name, lambda: open_page_from_nav(self.page, title), done, arg, expected)[0]
