"""The four downloads of the Data & sources page, pressed in a real browser, and each file opened.

For the default view and two shared links (one country, a date range) the test presses CSV, GeoJSON, KML and
"HTML page", saves what the browser downloads and reads it back: the CSV with pandas, the GeoJSON with json,
the KML with ElementTree, and the HTML page in a fresh Chromium context where nothing but tiles can load.
Expected counts come from the page's metrics and, independently, from geodata/incidents.csv read with the csv
module (conftest.rows_between). A screenshot of the top of each opened report (map and charts) is left in
test-artifacts/export-report-<view>.png.
"""
from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import (ARTIFACTS, LOAD_TIMEOUT_MS, ROOT, VIEWPORT, OfflineRoutes, assert_no_exception,
                       assert_offline, metric, rows_between, skip_without_browser, wait_until_idle)

skip_without_browser()
pytestmark = pytest.mark.browser

KML = "{http://www.opengis.net/kml/2.2}"
SITES_CSV = ROOT / "geodata" / "sites.csv"
BUTTONS = {"csv": "CSV (spreadsheets)", "geojson": "GeoJSON", "kml": "KML (Google Earth)",
           "html": "HTML page (map + charts)"}
#: Where the downloaded report is served in its own context (any address the app does not use).
REPORT_URL = "http://report.invalid/report.html"
#: base_map's zoom before any fit (the whole region); a map of one country's data is fitted closer.
REGION_ZOOM = 6
#: A chart narrower than this at a 1400 px viewport is not readable (the bug drew them 38 px wide).
MIN_CHART_WIDTH = 500

VIEWS = [
    pytest.param("", ("0000-01-01", "9999-12-31", None), id="default"),
    pytest.param("?country=Syria", ("0000-01-01", "9999-12-31", "Syria"), id="one-country"),
    pytest.param("?start=2023-10-17&end=2023-11-23", ("2023-10-17", "2023-11-23", None), id="dates"),
]


class ReportRoutes(OfflineRoutes):
    """Serves the downloaded report at :data:`REPORT_URL`; tiles get a blank PNG, anything else is recorded."""

    def __init__(self, report: bytes) -> None:
        super().__init__()
        self.report = report

    def handle(self, route) -> None:
        if route.request.url == REPORT_URL:
            route.fulfill(status=200, body=self.report, headers={"content-type": "text/html; charset=utf-8"})
        else:
            super().handle(route)


def download(page, label: str, folder: Path) -> Path:
    """Press the download button ``label``; the saved file."""
    with page.expect_download(timeout=LOAD_TIMEOUT_MS) as info:
        page.get_by_role("button", name=label, exact=True).click()
    got = info.value
    assert got.failure() is None, f"{label}: {got.failure()}"
    path = folder / got.suggested_filename
    got.save_as(path)
    return path


def check_csv(path: Path, total: int, country: str | None, start: str, end: str) -> pd.DataFrame:
    table = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(table) == total
    assert table["incident_id"].is_unique
    assert table["date"].between(start, end).all()
    if country:
        assert all(country in [c.strip() for c in value.split(";")] for value in table["country"])
    return table


def located_sites() -> set[str]:
    """Gazetteer sites with coordinates, from geodata/sites.csv (read with the csv module)."""
    with open(SITES_CSV, newline="", encoding="utf-8") as handle:
        return {row["site_id"] for row in csv.DictReader(handle) if row["lat"].strip() and row["lon"].strip()}


def check_geojson(path: Path, table: pd.DataFrame, not_mapped: int) -> int:
    """One feature per incident and located site it names; the rest listed as unmapped. Returns the features."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert features, "no feature"
    drawn: dict[str, list[str]] = {}
    for feature in features:
        assert feature["geometry"]["type"] == "Point" and len(feature["geometry"]["coordinates"]) == 2
        drawn.setdefault(feature["properties"]["incident_id"], []).append(feature["properties"]["site_id"])
    located = located_sites()
    expected = {incident: [s for s in sites.split(";") if s in located]
                for incident, sites in zip(table["incident_id"], table["site_ids"])}
    assert drawn == {incident: sites for incident, sites in expected.items() if sites}
    unmapped = collection["unmapped"]
    assert unmapped["count"] == not_mapped == len(unmapped["incident_ids"])
    assert set(unmapped["incident_ids"]) == {incident for incident, sites in expected.items() if not sites}
    return len(features)


def check_kml(path: Path, features: int, start: str, end: str) -> None:
    document = ET.parse(path).getroot()
    assert document.tag == f"{KML}kml"
    placemarks = list(document.iter(f"{KML}Placemark"))
    assert len(placemarks) == features
    for placemark in placemarks:
        lon, lat = (float(v) for v in placemark.find(f"{KML}Point/{KML}coordinates").text.split(",")[:2])
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert start <= placemark.find(f"{KML}TimeStamp/{KML}when").text <= end


#: In the report's map frame: the Leaflet map (folium names it map_<hash>), and every marker drawn on it.
MAP_STATE = """() => {
    const name = Object.keys(window).find(key => /^map_[0-9a-f]+$/.test(key));
    const map = name && window[name];
    if (!map || !map.getSize) { return null; }
    const points = [];
    map.eachLayer(layer => {
        if (layer.getLatLng && !(layer instanceof L.Marker && layer.getChildCount)) {
            const p = layer.getLatLng(); points.push([p.lat, p.lng]);
        }
    });
    const bounds = map.getBounds(), size = map.getSize();
    const outside = points.filter(([lat, lng]) => !bounds.contains([lat, lng]));
    return {zoom: map.getZoom(), width: size.x, height: size.y, points: points.length, outside: outside,
            fits: points.length ? map.getBoundsZoom(L.latLngBounds(points)) : null,
            legend: (document.querySelector('.dashboard-legend') || {}).textContent || ''};
}"""


def check_report(browser, report: bytes, sentence: str, total: int, country: str | None, shot: Path) -> None:
    """Open the report in a fresh context: map fitted, charts readable, sources as links, only tiles fetched."""
    routes = ReportRoutes(report)
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.route(re.compile(".*"), routes.handle)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(REPORT_URL)
        assert page.locator("h1").inner_text().strip()
        assert sentence in page.locator("p.description").inner_text()

        charts = page.locator("#charts .chart")
        count = charts.count()
        assert count >= 6, f"{count} charts"
        page.wait_for_function("n => document.querySelectorAll('#charts .chart svg.marks, #charts .chart canvas')"
                               ".length >= n", arg=count, timeout=LOAD_TIMEOUT_MS)
        widths = page.evaluate("""() => [...document.querySelectorAll('#charts .chart')].map(chart => {
            const drawn = chart.querySelector('svg.marks, canvas');
            return drawn ? drawn.getBoundingClientRect().width : 0; })""")
        assert min(widths) >= MIN_CHART_WIDTH, f"chart widths {widths}"
        assert "could not be drawn" not in page.locator("#charts").inner_text()

        frame = page.frame_locator("iframe.map")
        frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)
        map_frame = next(f for f in page.frames if f.url == "about:srcdoc")
        fitted = ("() => { const s = (" + MAP_STATE + ")(); "
                  "return s && s.width > 0 && s.points > 0 && s.outside.length === 0; }")
        try:
            map_frame.wait_for_function(fitted, timeout=10_000)
        except PlaywrightTimeout:
            pass  # the assertions below say what is wrong
        state = map_frame.evaluate(MAP_STATE)
        assert state and state["width"] > 0 and state["height"] > 0, f"map not drawn: {state}"
        assert state["points"] > 0 and state["outside"] == [], f"markers outside the map's view: {state}"
        assert state["zoom"] >= min(state["fits"], 8) - 1, f"zoomed out further than the data needs: {state}"
        if country:
            assert state["zoom"] > REGION_ZOOM, f"one country's data at the region's zoom: {state}"
        shown = re.search(r"(\d+) incidents? on the map; (\d+) incidents? not mapped", state["legend"])
        assert shown and int(shown.group(1)) + int(shown.group(2)) == total, state["legend"]

        table = page.locator("#table table.incidents")
        assert table.locator("tbody tr").count() == total
        links = table.locator("a")
        assert links.count() > 0, "no source is a link"
        hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert all(re.match(r"https?://", href) for href in hrefs), [h for h in hrefs if not re.match(r"https?://", h)]

        page.locator("iframe.map").scroll_into_view_if_needed()  # images of a frame out of view may wait
        try:
            frame.locator("img.leaflet-tile-loaded").first.wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)
        except PlaywrightTimeout:
            tiles = map_frame.evaluate("""() => Array.from(document.querySelectorAll('img.leaflet-tile'))
                .map(img => ({src: img.src.slice(0, 80), complete: img.complete, width: img.naturalWidth,
                              cls: img.className}))""")
            raise AssertionError(f"no map tile loaded in the report: {routes.tiles} tile requests answered, "
                                 f"tile images {tiles[:6]} ({len(tiles)} in all)") from None
        assert routes.tiles > 0, "no tile was requested"
        assert routes.blocked == [], f"the report requested more than tiles: {routes.blocked}"
        assert errors == [], errors
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(shot), full_page=True, clip={"x": 0, "y": 0, "width": VIEWPORT["width"],
                                                              "height": 2600})
    finally:
        context.close()


@pytest.mark.parametrize("query, expected", VIEWS)
def test_every_download_opens(page, offline, app_url, browser, tmp_path, query, expected):
    start, end, country = expected
    page.goto(app_url + "/data" + query)
    page.get_by_role("button", name=BUTTONS["html"], exact=True).wait_for(timeout=LOAD_TIMEOUT_MS)
    wait_until_idle(page)
    total = int(metric(page, "Incidents").replace(",", ""))
    assert total == rows_between(start, end, country) > 0
    not_mapped = int(metric(page, "Not mapped").replace(",", ""))
    sentence = page.locator('[data-testid="stMain"] [data-testid="stMarkdown"] strong',
                            has_text=re.compile(r"^[\d,]+ incidents?, ")).first.inner_text().strip()

    files = {kind: download(page, label, tmp_path) for kind, label in BUTTONS.items()}
    assert {kind: path.suffix for kind, path in files.items()} == {kind: f".{kind}" for kind in BUTTONS}
    table = check_csv(files["csv"], total, country, start, end)
    features = check_geojson(files["geojson"], table, not_mapped)
    check_kml(files["kml"], features, start, end)
    assert_no_exception(page)
    assert_offline(offline)

    name = re.sub(r"\W+", "-", query).strip("-") or "default"
    check_report(browser, files["html"].read_bytes(), sentence, total, country,
                 ARTIFACTS / f"export-report-{name}.png")
