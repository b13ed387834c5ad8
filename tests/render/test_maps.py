"""The folium map: one feature per site or incident, escaped text, local assets, honest precision."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.view.filters import Filters, apply_filters
from dashboard.core.places.join import join_incidents
from dashboard.render.assets import FOLIUM_LINKS, assets_installed
from dashboard.render.maps import MAX_DETAILED_MARKERS, build_incident_map, marker_radius, site_summary
from dashboard.render.tiles import Basemap, basemap_from_env

PAYLOAD = "<img src=x onerror=alert(1)>"
TEMPLATE_BREAK = "`);alert(2);(`${alert(3)}\\"


@pytest.fixture(scope="module")
def bundled():
    dataset = load_dataset()
    return dataset, join_incidents(dataset.incidents, dataset.sites)


def render(fmap) -> str:
    return fmap.get_root().render()


@pytest.mark.parametrize("filters", [Filters(), Filters(countries=("Syria",)), Filters(types=("us_strike",)),
                                     Filters(sites=("IQ-ASAD",))])
def test_one_circle_per_site_in_sites_mode(bundled, filters):
    dataset, joined = bundled
    incidents = apply_filters(dataset.incidents, filters)
    placements = joined.placements[joined.placements["incident_id"].isin(incidents["incident_id"])]
    html = render(build_incident_map(placements, incidents, dataset.sites, mode="sites"))
    assert html.count("L.circleMarker(") == placements["site_id"].nunique()


def test_one_marker_per_placement_in_incidents_mode(bundled):
    dataset, joined = bundled
    html = render(build_incident_map(joined.placements, dataset.incidents, dataset.sites, mode="incidents"))
    assert html.count("L.circleMarker(") == len(joined.placements)
    assert "L.markerClusterGroup(" in html


def test_site_counts_and_sizes(bundled):
    dataset, joined = bundled
    summary = site_summary(joined.placements, dataset.incidents).set_index("site_id")
    expected = int(dataset.incidents["site_id"].map(lambda ids: "IQ-ASAD" in ids).sum())
    assert summary.loc["IQ-ASAD", "count"] == expected
    assert marker_radius(4) ** 2 - 4 == pytest.approx(4 * (marker_radius(1) ** 2 - 4), rel=0.35)


def test_rings_only_for_uncertain_sites(bundled):
    dataset, joined = bundled
    html = render(build_incident_map(joined.placements, dataset.incidents, dataset.sites))
    placed = site_summary(joined.placements, dataset.incidents)
    assert html.count("L.circle(") == int((placed["uncertainty_km"] > 0).sum())


def test_coordinates_are_drawn_as_in_the_gazetteer(bundled):
    dataset, joined = bundled
    html = render(build_incident_map(joined.placements, dataset.incidents, dataset.sites))
    drawn = {tuple(map(float, m)) for m in re.findall(r"L\.circleMarker\(\s*\[([-\d.]+), ([-\d.]+)\]", html)}
    gazetteer = {(float(a), float(b)) for a, b in dataset.sites[["lat", "lon"]].dropna().itertuples(index=False)}
    assert drawn and drawn <= gazetteer


def test_legend_counts_unmapped(bundled):
    dataset, joined = bundled
    html = render(build_incident_map(joined.placements, dataset.incidents, dataset.sites, unmapped=len(joined.unmapped)))
    assert f"{len(joined.unmapped)} incidents not mapped" in html


@pytest.mark.parametrize("mode", ["sites", "incidents"])
@pytest.mark.parametrize("column", ["notes", "place", "actor", "casualties"])
def test_text_from_data_is_escaped(bundled, mode, column):
    dataset, joined = bundled
    incidents = dataset.incidents.copy()
    incidents.loc[0, column] = PAYLOAD + TEMPLATE_BREAK
    incidents.at[0, "sources"] = ("javascript:alert(4)", "https://example.org/a?b=<script>")
    html = render(build_incident_map(joined.placements, incidents, dataset.sites, mode=mode))
    assert PAYLOAD not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "`);alert(2)" not in html and "${alert(3)}" not in html
    assert 'href="javascript:' not in html and "<script>\"" not in html


def test_site_names_are_escaped(bundled):
    dataset, joined = bundled
    sites = dataset.sites.copy()
    sites.loc[sites["site_id"] == "IQ-ASAD", "name"] = PAYLOAD
    placements = joined.placements.copy()
    placements.loc[placements["site_id"] == "IQ-ASAD", "site_name"] = PAYLOAD
    for mode in ("sites", "incidents"):
        html = render(build_incident_map(placements, dataset.incidents, sites, mode=mode))
        assert PAYLOAD not in html


def test_many_placements_use_fast_cluster(bundled):
    dataset, joined = bundled
    many = pd.concat([joined.placements] * (MAX_DETAILED_MARKERS // len(joined.placements) + 1), ignore_index=True)
    html = render(build_incident_map(many, dataset.incidents, dataset.sites, mode="incidents"))
    assert "L.circleMarker(" not in html and "L.markerClusterGroup" in html


@pytest.mark.skipif(not assets_installed(), reason="static/vendor not installed (run scripts/setup.sh)")
def test_local_assets_replace_every_cdn_link(bundled):
    dataset, joined = bundled
    for mode in ("sites", "incidents"):
        html = render(build_incident_map(joined.placements, dataset.incidents, dataset.sites, mode=mode,
                                         asset_base="../../app/static/vendor/"))
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
    dataset, joined = bundled
    html = render(build_incident_map(joined.placements, dataset.incidents, dataset.sites,
                                     basemap=Basemap(url="https://tiles.example.org/{z}/{x}/{y}.png", attribution="X")))
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in html and "tile.openstreetmap.org" not in html
