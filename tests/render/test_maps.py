"""The folium map: one feature per site or incident, escaped text, local assets, honest precision, ids as data."""
from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.places.join import join_incidents
from dashboard.core.query.page_data import MAX_DETAILED_MARKERS, map_data
from dashboard.core.query.store import source_for
from dashboard.core.view.filters import Filters, apply_filters
from dashboard.render.assets import FOLIUM_LINKS, assets_installed
from dashboard.render.maps import build_incident_map, marker_radius
from dashboard.render.tiles import Basemap, basemap_from_env
from tests.generated import generated_folder

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


@pytest.mark.parametrize("filters", [Filters(), Filters(countries=("Syria",)), Filters(types=("us_strike",)),
                                     Filters(sites=("IQ-ASAD",))])
def test_one_circle_per_site_in_sites_mode(bundled, filters):
    dataset, joined, source = bundled
    incidents = apply_filters(dataset.incidents, filters)
    placements = joined.placements[joined.placements["incident_id"].isin(incidents["incident_id"])]
    html = render(draw(source, dataset.sites, filters))
    assert html.count("L.circleMarker(") == placements["site_id"].nunique()


def test_one_marker_per_placement_in_incidents_mode(bundled):
    dataset, joined, source = bundled
    html = render(draw(source, dataset.sites, mode="incidents"))
    assert html.count("L.circleMarker(") == len(joined.placements)
    assert "L.markerClusterGroup(" in html


def test_site_counts_and_sizes(bundled):
    dataset, joined, source = bundled
    summary = map_data(source, Filters()).places.set_index("site_id")
    expected = int(dataset.incidents["site_id"].map(lambda ids: "IQ-ASAD" in ids).sum())
    assert summary.loc["IQ-ASAD", "count"] == expected
    assert marker_radius(4) ** 2 - 4 == pytest.approx(4 * (marker_radius(1) ** 2 - 4), rel=0.35)


def test_rings_only_for_uncertain_sites(bundled):
    dataset, joined, source = bundled
    html = render(draw(source, dataset.sites))
    placed = map_data(source, Filters()).places
    assert html.count("L.circle(") == int((placed["uncertainty_km"] > 0).sum())


def test_coordinates_are_drawn_as_in_the_gazetteer(bundled):
    dataset, joined, source = bundled
    html = render(draw(source, dataset.sites))
    drawn = {tuple(map(float, m)) for m in re.findall(r"L\.circleMarker\(\s*\[([-\d.]+), ([-\d.]+)\]", html)}
    gazetteer = {(float(a), float(b)) for a, b in dataset.sites[["lat", "lon"]].dropna().itertuples(index=False)}
    assert drawn and drawn <= gazetteer


def test_legend_counts_unmapped(bundled):
    dataset, joined, source = bundled
    html = render(draw(source, dataset.sites))
    assert f"{len(joined.unmapped)} incidents not mapped" in html


@pytest.mark.parametrize("mode", ["sites", "incidents"])
@pytest.mark.parametrize("column", ["notes", "place", "actor", "casualties"])
def test_text_from_data_is_escaped(bundled, mode, column):
    dataset, joined, _ = bundled
    incidents = dataset.incidents.copy()
    first = int(incidents.index[incidents["site_id"].map(len) > 0][0])
    incidents.loc[first, column] = PAYLOAD + TEMPLATE_BREAK
    incidents.at[first, "sources"] = ("javascript:alert(4)", "https://example.org/a?b=<script>")
    html = render(draw(source_for(replace(dataset, incidents=incidents)), dataset.sites, mode=mode))
    assert PAYLOAD not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "`);alert(2)" not in html and "${alert(3)}" not in html
    assert 'href="javascript:' not in html and "<script>\"" not in html


def test_site_names_are_escaped(bundled):
    dataset, joined, _ = bundled
    sites = dataset.sites.copy()
    sites.loc[sites["site_id"] == "IQ-ASAD", "name"] = PAYLOAD
    source = source_for(replace(dataset, sites=sites))
    for mode in ("sites", "incidents"):
        html = render(draw(source, sites, mode=mode))
        assert PAYLOAD not in html and "&lt;img src=x" in html


def test_many_placements_use_fast_cluster(tmp_path):
    dataset = load_dataset(generated_folder(tmp_path, MAX_DETAILED_MARKERS + 200))
    html = render(draw(source_for(dataset), dataset.sites, mode="incidents"))
    assert "L.circleMarker(" not in html and "L.markerClusterGroup" in html


@pytest.mark.parametrize("mode", ["sites", "incidents"])
def test_markers_carry_their_ids_as_data(bundled, mode):
    """A click hands the app the marker's feature properties; the site is never read back from text."""
    dataset, joined, source = bundled
    html = render(draw(source, dataset.sites, mode=mode))
    features = [json.loads(m) for m in re.findall(r'\.feature = \{"type": "Feature", "properties": (\{[^}]*\})\};', html)]
    assert len(features) == html.count("L.circleMarker(")
    assert {f["site_id"] for f in features} == set(joined.placements["site_id"])
    assert {f["place_kind"] for f in features} == {"site"}
    if mode == "incidents":
        assert {f["incident_id"] for f in features} == set(joined.placements["incident_id"])


@pytest.mark.skipif(not assets_installed(), reason="static/vendor not installed (run scripts/setup.sh)")
def test_local_assets_replace_every_cdn_link(bundled):
    dataset, joined, source = bundled
    for mode in ("sites", "incidents"):
        html = render(draw(source, dataset.sites, mode=mode, asset_base="../../app/static/vendor/"))
        links = re.findall(r'<script src="([^"]+)"|<link rel="stylesheet" href="([^"]+)"', html)
        urls = [a or b for a, b in links]
        assert urls and all(u.startswith("../../app/static/vendor/") for u in urls), urls


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
