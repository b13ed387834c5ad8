"""An imported file on the map, in a real browser: the legend names the imported categories present and no other
type, clusters wear the types' colours (never the plugin's green, yellow and orange) and show summed incidents,
and the heat layer's scale shows only while the layer is on.

The server shows an invented UCDP GED file (3,000 events at 400 places; state-based and non-state conflict only)
beside the bundled incidents (``DASHBOARD_EVENTS``); a link limited to the file's dates (1989-2018) shows the
imported events alone.
Expected figures come from the file, read with the csv module. test-artifacts/imported-legend.png is the page at
1400×1000 with the map as it opens, imported-legend-zoomed.png three zoom levels closer.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.core.data.columns import ALL_EVENT_COLOURS, ALL_EVENT_TYPES
from tests.synthetic_events import CATEGORIES, ucdp_file

from .conftest import (ARTIFACTS, LOAD_TIMEOUT_MS, MAP_FRAME, assert_no_exception, assert_offline, running_server,
                       skip_without_browser, wait_until_idle)

skip_without_browser()
pytestmark = pytest.mark.browser

EVENTS, PLACES = 3000, 400
#: MarkerCluster.Default.css: the plugin's green, yellow and orange (inner circle, then halo).
PLUGIN_COLOURS = {"rgba(110, 204, 57, 0.6)", "rgba(240, 194, 12, 0.6)", "rgba(241, 128, 23, 0.6)",
                  "rgba(181, 226, 140, 0.6)", "rgba(241, 211, 87, 0.6)", "rgba(253, 156, 115, 0.6)"}

#: The legend's type lines (a coloured dot and a label), as shown.
LEGEND_TYPES = """() => [...document.querySelectorAll('.dashboard-legend div')]
    .filter(d => d.querySelector('.dot') && !d.classList.contains('legend-rings') && d.offsetParent !== null)
    .map(d => d.textContent.trim())"""
#: Every cluster icon and every single feature the cluster group shows now: the number on the icon, the incidents
#: of its children, how many children, the icon's colour and the colour of its children's leading type.
CLUSTERS = """() => {
    const shared = window.dashboardMapData, c = shared.data.columns, types = shared.data.types;
    let group = null;
    window.map.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) { group = l; } });
    const clusters = [], singles = [];
    group._featureGroup.eachLayer(l => {
        if (l instanceof L.MarkerCluster) {
            const sums = {};
            let incidents = 0;
            for (const m of l.getAllChildMarkers()) {
                incidents += m.feature.properties.n;
                const t = c.type[m.feature.properties.i];
                sums[t] = (sums[t] || 0) + m.feature.properties.n;
            }
            const best = Object.keys(sums).map(Number).sort((a, b) => sums[b] - sums[a] || a - b)[0];
            clusters.push({shown: l._icon.textContent.trim(), incidents: incidents, children: l.getChildCount(),
                           colour: getComputedStyle(l._icon.querySelector('div')).backgroundColor,
                           leading: types[best][2]});
        } else {
            singles.push(l.feature.properties.n);
        }
    });
    return {clusters: clusters, singles: singles};
}"""

#: The rings drawn, and those that break the rule: a ring only around a circle drawn on its own (none beside a
#: cluster) and wider than it; ``missing`` counts circles clearly wider rings should surround but do not.
RINGS = """() => {
    const shared = window.dashboardMapData, c = shared.data.columns, map = window.map;
    const px = (lat, lon, km) => map.latLngToLayerPoint([lat, lon]).distanceTo(
        map.latLngToLayerPoint([lat + km / 111.195, lon]));
    const singles = new Map();
    shared.layers.forEach(l => { if (map.hasLayer(l)) { singles.set(l.getLatLng().lat + ',' + l.getLatLng().lng, l); } });
    const rings = [];
    map.eachLayer(l => { if (l instanceof L.Circle && l.options.dashArray === '4 4') { rings.push(l); } });
    let orphan = 0, narrow = 0, missing = 0;
    const ratios = [];
    const ringed = new Set();
    for (const ring of rings) {
        const key = ring.getLatLng().lat + ',' + ring.getLatLng().lng, marker = singles.get(key);
        ringed.add(key);
        if (!marker) { orphan += 1; continue; }
        const ratio = px(ring.getLatLng().lat, ring.getLatLng().lng, ring.getRadius() / 1000) / marker.getRadius();
        ratios.push(Math.round(ratio * 1000) / 1000);
        if (ratio < 0.95) { narrow += 1; }  // 5 % for the two ways of measuring (Leaflet's projection here)
    }
    singles.forEach((marker, key) => {
        const i = marker.feature.properties.i, ll = marker.getLatLng();
        if (c.uncertaintyKm[i] && px(ll.lat, ll.lng, c.uncertaintyKm[i]) > 1.05 * marker.getRadius() && !ringed.has(key)) {
            missing += 1;
        }
    });
    return {rings: rings.length, singles: singles.size, orphan: orphan, narrow: narrow, missing: missing,
            least: Math.min(...ratios)};
}"""


#: Metric labels and values whose text does not fit their box (an ellipsis or a clipped line).
CUT_TEXT = """() => [...document.querySelectorAll('[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *,'
    + ' [data-testid="stMetricLabel"], [data-testid="stMetricValue"]')]
    .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible')
    .map(e => e.textContent.trim())"""


def rgb(colour: str) -> str:
    """``#RRGGBB`` as the browser's computed ``rgb(r, g, b)``."""
    return "rgb({}, {}, {})".format(*(int(colour[i:i + 2], 16) for i in (1, 3, 5)))


@pytest.fixture(scope="module")
def events_file(tmp_path_factory) -> Path:
    return ucdp_file(tmp_path_factory.mktemp("ged") / "ged_invented.csv", EVENTS, PLACES)


@pytest.fixture(scope="module")
def file_rows(events_file) -> list[dict]:
    with open(events_file, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == EVENTS
    return rows


@pytest.fixture(scope="module")
def file_categories(file_rows) -> set[str]:
    return {CATEGORIES[row["type_of_violence"]] for row in file_rows}


@pytest.fixture(scope="module")
def imported_only(file_rows) -> str:
    """The link parameters of the file's own dates: its events alone (the bundled incidents start in 2023)."""
    return f"start={min(r['date_start'] for r in file_rows)}&end={max(r['date_end'] for r in file_rows)}"


@pytest.fixture(scope="module")
def events_url(events_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("imported-legend")
    with running_server(folder / "server.log", {"DASHBOARD_EVENTS": str(events_file),
                                                "DASHBOARD_CACHE": str(folder / "cache")}) as (base, _process):
        yield base


def open_map(page, url: str) -> object:
    """Open ``url``, wait until the map has drawn its layer and the clusters have settled; return the map's frame."""
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("#map_div[data-drawn-kind]").wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)
    wait_until_idle(page)
    expect(frame.locator(".marker-cluster").first).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    live = next(f for f in page.frames if "streamlit_folium" in f.url)
    # chunked loading adds the features in slices: wait until every one is in the cluster group
    live.wait_for_function("""() => { let g = null;
        window.map.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) { g = l; } });
        return g && g.getLayers().length === window.dashboardMapData.features.length; }""", timeout=LOAD_TIMEOUT_MS)
    # and until the clusters have settled: while the last slices are added, clusters of the earlier slices are
    # briefly on the map beside the new ones (the same incidents counted twice); wait for three equal readings
    live.wait_for_function("""() => {
        const now = [...document.querySelectorAll('.marker-cluster')].map(e => e.textContent).join(',');
        const seen = window.__settle = window.__settle || [];
        seen.push(now);
        return seen.length >= 3 && seen.slice(-3).every(v => v === now);
    }""", polling=300, timeout=LOAD_TIMEOUT_MS)
    return live


def check_clusters(live, present: set[str]) -> dict:
    drawn = live.evaluate(CLUSTERS)
    assert drawn["clusters"], "no cluster drawn"
    allowed = {rgb(ALL_EVENT_COLOURS[code]) for code in present}
    for cluster in drawn["clusters"]:
        assert cluster["colour"] not in PLUGIN_COLOURS, cluster
        assert cluster["colour"] in allowed and cluster["colour"] == rgb(cluster["leading"]), cluster
        assert cluster["shown"] == str(cluster["incidents"]), cluster
    return drawn


def test_sites_of_an_import_are_clustered_in_the_types_colours(page, offline, events_url, file_categories,
                                                              imported_only):
    live = open_map(page, f"{events_url}/?{imported_only}")
    assert live.evaluate("() => window.dashboardMapData.data.kind") == "sites"

    shown = set(live.evaluate(LEGEND_TYPES))
    imported_labels = {ALL_EVENT_TYPES[code] for code in file_categories}
    assert shown and shown <= imported_labels, shown
    assert ALL_EVENT_TYPES["state_conflict"] in shown  # the most frequent type leads most places
    legend = page.frame_locator(MAP_FRAME).locator(".dashboard-legend").inner_text()
    for code, label in ALL_EVENT_TYPES.items():
        if code not in file_categories:
            assert label not in legend, f"{label!r} is in the legend but not in the file"
    assert "nearby places grouped together" in legend

    drawn = check_clusters(live, file_categories)
    # the number on a cluster is the incidents at its places, not how many places it groups
    assert any(c["incidents"] > c["children"] for c in drawn["clusters"])
    assert sum(c["incidents"] for c in drawn["clusters"]) + sum(drawn["singles"]) == EVENTS
    assert page.evaluate(CUT_TEXT) == [], "a headline figure or its label is cut"
    assert_no_exception(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    wait_until_idle(page)
    page.screenshot(path=str(ARTIFACTS / "imported-legend.png"), animations="disabled")

    # closer, places stand on their own: a ring around each whose ring is wider than its circle, none elsewhere
    live.evaluate("() => window.map.setZoom(window.map.getZoom() + 3, {animate: false})")
    live.wait_for_function(f"() => {{ const r = ({RINGS})(); return r.rings > 0 && r.missing === 0; }}",
                           timeout=LOAD_TIMEOUT_MS)
    rings = live.evaluate(RINGS)
    assert rings["orphan"] == 0 and rings["narrow"] == 0 and rings["missing"] == 0, rings
    expect(page.frame_locator(MAP_FRAME).locator(".dashboard-legend .legend-rings")).to_be_visible()
    check_clusters(live, file_categories)
    assert_no_exception(page)
    assert_offline(offline)
    wait_until_idle(page)
    page.screenshot(path=str(ARTIFACTS / "imported-legend-zoomed.png"), animations="disabled")


def test_incidents_of_an_import_list_exactly_the_file_types(page, offline, events_url, file_categories, imported_only):
    live = open_map(page, f"{events_url}/?view=incidents&{imported_only}")
    assert live.evaluate("() => window.dashboardMapData.data.kind") == "incidents"
    assert set(live.evaluate(LEGEND_TYPES)) == {ALL_EVENT_TYPES[code] for code in file_categories}
    drawn = check_clusters(live, file_categories)
    assert sum(c["incidents"] for c in drawn["clusters"]) + len(drawn["singles"]) == EVENTS
    assert_no_exception(page)
    assert_offline(offline)


def test_heat_scale_shows_only_while_the_heat_layer_is_on(page, offline, events_url, events_file):
    """A map with the rings and heat layers and a layer control (as an export has it), served from the app's origin
    with the app's own Leaflet: switching a layer off hides its line of the legend, switching it on shows it."""
    import folium

    from dashboard.core.data.dataset import load_dataset
    from dashboard.core.importers import import_events
    from dashboard.core.query.page_data import map_data
    from dashboard.core.query.store import source_for
    from dashboard.core.view.filters import Filters
    from dashboard.render.assets import assets_installed
    from dashboard.render.map_layer import HEAT_NAME, RINGS_NAME, data_layers, layer_json
    from dashboard.render.maps import base_map

    if not assets_installed():
        pytest.skip("static/vendor not installed (run scripts/setup.sh)")
    dataset = load_dataset()
    events = import_events(events_file, sites=dataset.sites).events
    data = map_data(source_for(dataset, name="heat", events=events, mode="uploaded"), Filters(), "sites")
    fmap = base_map(data.extent, asset_base=f"{events_url}/app/static/vendor/")
    for group in data_layers(data.kind, layer_json(data, dataset.sites), ("rings", "heat")):
        group.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    html = fmap.get_root().render()
    page.route(f"{events_url}/heat-test.html",
               lambda route: route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8"))
    page.goto(f"{events_url}/heat-test.html")

    heat, rings = page.locator(".dashboard-legend .legend-heat"), page.locator(".dashboard-legend .legend-rings")
    expect(heat).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    # closer in, where rings are wider than their circles (folium names the map map_<32 hex digits>)
    first_zoom = page.evaluate("""() => window[Object.keys(window).find(k => /^map_[0-9a-f]{32}$/.test(k))]
                                        .getZoom()""")
    zoom_in = """(zoom) => { const map = window[Object.keys(window).find(k => /^map_[0-9a-f]{32}$/.test(k))];
                             if (map.getZoom() < zoom) { map.setZoom(zoom, {animate: false}); }
                             return map.getZoom() >= zoom; }"""
    # asked again until it holds: on a loaded machine a zoom asked while the first fit still settles was undone
    # (seen once in CI: the rings' line never showed because the map was back at its first zoom)
    page.wait_for_function(zoom_in, arg=first_zoom + 3, timeout=LOAD_TIMEOUT_MS, polling=500)
    expect(heat).to_contain_text("few")
    expect(heat).to_contain_text("many")
    expect(heat).to_contain_text("each place weighted by its count")
    # (the rings follow the clusters, which settle after their zoom animation: slow on a loaded machine)
    expect(rings).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 1

    control = page.locator(".leaflet-control-layers-overlays label")
    control.filter(has_text=HEAT_NAME).locator("input").uncheck()
    expect(heat).to_be_hidden(timeout=LOAD_TIMEOUT_MS)
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 0
    expect(rings).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    control.filter(has_text=RINGS_NAME).locator("input").uncheck()
    expect(rings).to_be_hidden(timeout=LOAD_TIMEOUT_MS)
    control.filter(has_text=HEAT_NAME).locator("input").check()
    expect(heat).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    assert page.js_errors == [], page.js_errors
    assert_offline(offline)

