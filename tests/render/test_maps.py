"""The folium map: one feature per site or incident in one layer, escaped text, local assets, honest precision, ids."""
from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.places.join import join_incidents
from dashboard.core.query import mapping
from dashboard.core.query.page_data import map_data
from dashboard.core.query.store import source_for
from dashboard.core.view.filters import Filters, apply_filters
from dashboard.render.assets import FOLIUM_LINKS, PROJECT_ROOT, VENDOR_FILES, assets_installed
from dashboard.render.map_layer import data_layers, layer_json, layer_payload, marker_radius
from dashboard.render.maps import base_map, build_incident_map
from dashboard.render.tiles import BORDERS_LOOKS, Basemap, basemap_from_env

PAYLOAD = "<img src=x onerror=alert(1)>"
TEMPLATE_BREAK = "`);alert(2);(`${alert(3)}\\"


@pytest.fixture(scope="module")
def bundled():
    dataset = load_dataset()
    return dataset, join_incidents(dataset.incidents, dataset.sites), source_for(dataset)


def render(fmap) -> str:
    return fmap.get_root().render()


def draw(source, sites, filters=Filters(), mode="sites", **options):
    return build_incident_map(map_data(source, filters, mode), sites, **options)


def payload_of(html: str) -> dict:
    """The data layer's payload as the page holds it."""
    match = re.search(r"var data = (\{.*?\});\n", html)
    assert match, "no data layer in the map"
    return json.loads(match.group(1))


@pytest.mark.parametrize("filters", [Filters(), Filters(countries=("Syria",)), Filters(types=("us_strike",)),
                                     Filters(sites=("IQ-ASAD",))])
def test_one_feature_per_site_in_sites_mode(bundled, filters):
    dataset, joined, source = bundled
    incidents = apply_filters(dataset.incidents, filters)
    placements = joined.placements[joined.placements["incident_id"].isin(incidents["incident_id"])]
    payload = payload_of(render(draw(source, dataset.sites, filters)))
    assert payload["kind"] == "sites"
    assert sorted(payload["columns"]["siteId"]) == sorted(placements["site_id"].unique())


def test_one_marker_per_placement_in_incidents_mode(bundled):
    dataset, joined, source = bundled
    html = render(draw(source, dataset.sites, mode="incidents"))
    columns = payload_of(html)["columns"]
    assert sorted(zip(columns["incidentId"], columns["siteId"])) == sorted(
        zip(joined.placements["incident_id"], joined.placements["site_id"]))
    assert "L.markerClusterGroup(" in html and "L.geoJSON(" in html


def test_features_are_data_not_folium_objects(bundled):
    """Thousands of features must not mean thousands of folium objects: the page has no per-feature marker code."""
    dataset, joined, source = bundled
    for mode in ("sites", "incidents"):
        html = render(draw(source, dataset.sites, mode=mode))
        assert html.count("L.circleMarker(") == 2  # the two calls in the layer script, not one per feature
        assert html.count("L.circle(") == 1 and ".bindPopup(" in html


def test_site_counts_and_sizes(bundled):
    dataset, joined, source = bundled
    columns = payload_of(render(draw(source, dataset.sites)))["columns"]
    counts = dict(zip(columns["siteId"], columns["n"]))
    expected = int(dataset.incidents["site_id"].map(lambda ids: "IQ-ASAD" in ids).sum())
    assert counts["IQ-ASAD"] == expected
    assert dict(zip(columns["siteId"], columns["radius"]))["IQ-ASAD"] == round(marker_radius(expected), 1)
    assert marker_radius(4) ** 2 - 4 == pytest.approx(4 * (marker_radius(1) ** 2 - 4), rel=0.35)


def test_rings_carry_the_gazetteer_uncertainty(bundled):
    dataset, joined, source = bundled
    columns = payload_of(render(draw(source, dataset.sites)))["columns"]
    placed = map_data(source, Filters()).features
    assert sum(1 for u in columns["uncertaintyKm"] if u > 0) == int((placed["uncertainty_km"] > 0).sum()) > 0


def test_coordinates_are_drawn_as_in_the_gazetteer(bundled):
    dataset, joined, source = bundled
    for mode in ("sites", "incidents"):
        columns = payload_of(render(draw(source, dataset.sites, mode=mode)))["columns"]
        drawn = set(zip(columns["lat"], columns["lon"]))
        gazetteer = {(round(float(a), 5), round(float(b), 5))
                     for a, b in dataset.sites[["lat", "lon"]].dropna().itertuples(index=False)}
        assert drawn and drawn <= gazetteer


def test_legend_counts_unmapped(bundled):
    dataset, joined, source = bundled
    legend = payload_of(render(draw(source, dataset.sites)))["legend"]
    assert f"{len(joined.unmapped)} incidents not mapped" in legend
    assert f"{joined.placements['incident_id'].nunique()} incidents on the map" in legend


@pytest.mark.parametrize("column", ["place", "incident_id"])
def test_text_from_data_is_escaped(bundled, column):
    dataset, joined, _ = bundled
    incidents = dataset.incidents.copy()
    first = int(incidents.index[incidents["site_id"].map(len) > 0][0])
    incidents.loc[first, column] = PAYLOAD + TEMPLATE_BREAK
    html = render(draw(source_for(replace(dataset, incidents=incidents)), dataset.sites, mode="incidents"))
    assert PAYLOAD not in html and "&lt;img src=x onerror=alert(1)&gt;" in json.dumps(payload_of(html))
    assert "`);alert(2)" not in html and "${alert(3)}" not in html


def test_site_names_are_escaped(bundled):
    dataset, joined, _ = bundled
    sites = dataset.sites.copy()
    sites.loc[sites["site_id"] == "IQ-ASAD", "name"] = PAYLOAD + TEMPLATE_BREAK
    sites.loc[sites["site_id"] == "IQ-ASAD", "admin1"] = PAYLOAD
    source = source_for(replace(dataset, sites=sites))
    for mode in ("sites", "incidents"):
        html = render(draw(source, sites, mode=mode))
        assert PAYLOAD not in html and "`);alert(2)" not in html and "${alert(3)}" not in html
        assert "&lt;img src=x" in json.dumps(payload_of(html)["columns"]["label"])


def test_payload_cannot_end_the_script_element(bundled):
    dataset, joined, _ = bundled
    sites = dataset.sites.copy()
    sites.loc[sites["site_id"] == "IQ-ASAD", "name"] = "</script><script>alert(5)</script>"
    html = render(draw(source_for(replace(dataset, sites=sites)), sites))
    assert "</script><script>alert(5)" not in html


@pytest.mark.parametrize("mode", ["sites", "incidents"])
def test_markers_carry_their_ids_as_data(bundled, mode):
    """A click hands the app the feature's properties; the site is never read back from text."""
    dataset, joined, source = bundled
    html = render(draw(source, dataset.sites, mode=mode))
    columns = payload_of(html)["columns"]
    assert set(columns["siteId"]) == set(joined.placements["site_id"])
    assert set(columns["placeKind"]) == {"site"}
    assert "site_id: c.siteId[i], place_kind: c.placeKind[i]" in html
    if mode == "incidents":
        assert set(columns["incidentId"]) == set(joined.placements["incident_id"])


def test_base_map_does_not_depend_on_the_data(bundled):
    """The app keeps one base map while the filters change; only the layers carry data."""
    dataset, joined, source = bundled
    frame = (32.0, 38.0, 37.0, 45.0)
    first, second = render(base_map(frame)), render(base_map(frame))
    strip = lambda html: re.sub(r"_[0-9a-f]{32}", "", html)  # folium's random element ids
    assert strip(first) == strip(second)
    assert "Al Asad" not in first
    one = data_layers("sites", layer_json(map_data(source, Filters(countries=("Syria",))), dataset.sites))
    other = data_layers("sites", layer_json(map_data(source, Filters(countries=("Iraq",))), dataset.sites))
    assert [g.layer_name for g in one] == [g.layer_name for g in other]


@pytest.mark.skipif(not assets_installed(), reason="static/vendor not installed (run scripts/setup.sh)")
def test_local_assets_replace_every_cdn_link(bundled):
    dataset, joined, source = bundled
    for mode in ("sites", "incidents"):
        html = render(draw(source, dataset.sites, mode=mode, asset_base="../../app/static/vendor/"))
        links = re.findall(r'<script src="([^"]+)"|<link rel="stylesheet" href="([^"]+)"', html)
        urls = [a or b for a, b in links]
        assert urls and all(u.startswith("../../app/static/vendor/") for u in urls), urls
        assert any(u.endswith("leaflet.markercluster.js") for u in urls)
        assert any(u.endswith("leaflet_heat.min.js") for u in urls)


def test_every_folium_link_name_is_mapped():
    import folium
    from folium.plugins import HeatMap, MarkerCluster
    names = {name for cls in (folium.Map, MarkerCluster, HeatMap) for name, _ in cls.default_js + cls.default_css}
    assert names <= set(FOLIUM_LINKS)


def test_basemap_from_environment():
    assert basemap_from_env({}) == Basemap()
    custom = basemap_from_env({"DASHBOARD_TILES_URL": "https://tiles.example.org/{z}/{x}/{y}.png",
                               "DASHBOARD_TILES_ATTRIBUTION": "Example tiles"})
    assert custom.url.startswith("https://tiles.example.org") and custom.attribution == "Example tiles"
    with pytest.raises(ValueError, match="DASHBOARD_TILES_URL"):
        basemap_from_env({"DASHBOARD_TILES_URL": "ftp://x"})


def test_custom_basemap_reaches_the_map(bundled):
    dataset, joined, source = bundled
    html = render(draw(source, dataset.sites,
                       basemap=Basemap(url="https://tiles.example.org/{z}/{x}/{y}.png", attribution="X")))
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in html and "tile.openstreetmap.org" not in html


def test_payload_of_cells_lists_counts_by_type(bundled):
    dataset, joined, source = bundled
    data = map_data(source, Filters(), "incidents")
    cells = replace(data, kind="cells", cell_size=0.5, features=mapping.grid_cells(source, Filters(), 0.5))
    payload = layer_payload(cells, dataset.sites)
    columns = payload["columns"]
    assert sum(columns["n"]) >= joined.placements["incident_id"].nunique()
    assert all(sum(by_type[i] for by_type in columns["byType"]) == n for i, n in enumerate(columns["n"]))
    assert "Incidents per 0.5° cell" in payload["legend"]


# --- the base map: basemaps, theme, buttons, local files ---------------------------------------------------

LOCAL = "../../app/static/vendor/"
needs_assets = pytest.mark.skipif(not assets_installed(), reason="static/vendor not installed (run scripts/setup.sh)")


def links(html: str) -> list[str]:
    found = re.findall(r'<script src="([^"]+)"|<link rel="stylesheet" href="([^"]+)"', html)
    return [a or b for a, b in found]


@pytest.fixture
def no_basemap_env(monkeypatch):
    for name in ("DASHBOARD_BASEMAP", "DASHBOARD_TILES_URL", "DASHBOARD_TILES_ATTRIBUTION"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@needs_assets
@pytest.mark.parametrize("basemap", ["osm", "borders"])
def test_base_map_names_the_local_vendor_files(no_basemap_env, basemap):
    html = render(base_map(basemap=basemap, asset_base=LOCAL))
    urls = links(html)
    assert urls and all(u.startswith(LOCAL) for u in urls), urls
    names = {u.removeprefix(LOCAL) for u in urls}
    assert {"leaflet.js", "Control.FullScreen.umd.js", "Control.FullScreen.css", "html-to-image.js"} <= names
    assert ("topojson-client.min.js" in names) == (basemap == "borders")
    assert ('fetch("../../app/static/vendor/countries-50m.json")' in html) == (basemap == "borders")


def test_cdn_links_are_the_pinned_npm_files(no_basemap_env):
    """Without static/vendor the map's own links name jsDelivr at package.json's versions, the same files."""
    versions = json.loads((PROJECT_ROOT / "package.json").read_text())["dependencies"]

    def jsdelivr(vendor_name: str) -> str:
        package, path = VENDOR_FILES[vendor_name].split("/", 1)
        return f"https://cdn.jsdelivr.net/npm/{package}@{versions[package]}/{path}"

    html = render(base_map(basemap="borders"))
    for name in ("Control.FullScreen.umd.js", "Control.FullScreen.css", "html-to-image.js", "topojson-client.min.js"):
        assert jsdelivr(name) in links(html)
    assert f"fetch({json.dumps(jsdelivr('countries-50m.json'))})" in html


def test_borders_basemap_needs_no_tiles(no_basemap_env):
    html = render(base_map(basemap="borders", asset_base=LOCAL))
    assert "L.tileLayer(" not in html and "tile.openstreetmap.org" not in html
    assert "topojson.feature(world, world.objects.countries)" in html
    assert 'attribution: "Borders: \\u003ca href=\\"https://www.naturalearthdata.com/\\"\\u003eNatural Earth' in html
    assert '"maxZoom": 12' in html and '"minZoom": 2' in html


def test_osm_basemap_is_tiles_or_their_override(no_basemap_env):
    html = render(base_map(basemap="osm"))
    assert "L.tileLayer(" in html and "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in html
    assert "topojson" not in html
    no_basemap_env.setenv("DASHBOARD_TILES_URL", "https://tiles.example.org/{z}/{x}/{y}.png")
    html = render(base_map(basemap="osm"))
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in html and "tile.openstreetmap.org" not in html


def test_dashboard_basemap_sets_the_default(no_basemap_env):
    assert "L.tileLayer(" in render(base_map())
    no_basemap_env.setenv("DASHBOARD_BASEMAP", "borders")
    html = render(base_map())
    assert "L.tileLayer(" not in html and "topojson.feature(" in html
    assert "L.tileLayer(" in render(base_map(basemap="osm"))  # a name given wins over the default
    no_basemap_env.setenv("DASHBOARD_BASEMAP", "satellite")
    with pytest.raises(ValueError, match="DASHBOARD_BASEMAP"):
        base_map()


def test_a_basemap_object_is_still_accepted(no_basemap_env):
    html = render(base_map(basemap=Basemap(url="https://tiles.example.org/{z}/{x}/{y}.png", attribution="X")))
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in html


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_theme_colours_the_borders_and_the_controls(no_basemap_env, theme):
    html = render(base_map(basemap="borders", theme=theme))
    look, other = BORDERS_LOOKS[theme], BORDERS_LOOKS["dark" if theme == "light" else "light"]
    assert all(colour in html for colour in (look.sea, look.land, look.border, look.coast))
    assert not any(colour in html for colour in (other.sea, other.land))
    assert f'if ({"true" if theme == "dark" else "false"}) {{ L.DomUtil.addClass(container, "dashboard-dark"); }}' in html
    assert ".dashboard-dark .dashboard-legend" in html  # the dark legend and controls' style is always there


def test_theme_is_validated(no_basemap_env):
    with pytest.raises(ValueError, match=r"`theme` was 'night'"):
        base_map(theme="night")


@pytest.mark.parametrize("basemap", ["osm", "borders"])
def test_buttons_and_the_first_click_fix(no_basemap_env, basemap):
    html = render(base_map(basemap=basemap))
    assert "new L.Control.FullScreen(" in html
    assert "htmlToImage.toBlob(box" in html and 'link.download = "map.png"' in html
    assert "focus({preventScroll: true})" in html  # the first click on a marker is not lost (test_first_click)


def test_incident_map_has_the_buttons(bundled, no_basemap_env):
    dataset, joined, source = bundled
    html = render(draw(source, dataset.sites, basemap="borders"))
    assert "new L.Control.FullScreen(" in html and "topojson.feature(" in html and payload_of(html)["kind"] == "sites"
