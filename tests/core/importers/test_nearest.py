"""Nearest-site links: the right site, great-circle distances checked against a haversine written here."""
from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.core.importers import import_events
from dashboard.core.importers.nearest import nearest_sites

from .conftest import acled_row, acled_text


def great_circle_km(lat1, lon1, lat2, lon2, radius=6371.0088):
    """Haversine distance, written independently of the importer's."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(h))


def destination(lat, lon, km, bearing_deg, radius=6371.0088):
    """The point ``km`` away from (lat, lon) on a great circle with the given bearing."""
    d, theta = km / radius, math.radians(bearing_deg)
    phi1, lmb1 = math.radians(lat), math.radians(lon)
    phi2 = math.asin(math.sin(phi1) * math.cos(d) + math.cos(phi1) * math.sin(d) * math.cos(theta))
    lmb2 = lmb1 + math.atan2(math.sin(theta) * math.sin(d) * math.cos(phi1),
                             math.cos(d) - math.sin(phi1) * math.sin(phi2))
    return math.degrees(phi2), math.degrees(lmb2)


ALPHA = (33.8, 42.433333)
BRAVO = (36.5, 40.75)
EDGE = (34.0, 41.995)  # UTM zone 37, 5.5 km west of the zone 38 boundary at 42 E

# (lat, lon) of an event, the site expected ("" for none)
POINTS = [
    (destination(*ALPHA, 3.2, 45), "IQ-ALPHA"),
    (destination(*ALPHA, 9.95, 200), "IQ-ALPHA"),
    (destination(*ALPHA, 10.05, 200), ""),
    (destination(*BRAVO, 0.0, 0), "SY-BRAVO"),
    (destination(*BRAVO, 7.5, 300), "SY-BRAVO"),
    (destination(*EDGE, 6.0, 90), "IQ-EDGE"),   # across the zone boundary, in zone 38
    (destination(*EDGE, 9.9, 270), "IQ-EDGE"),
    ((34.0, 43.0), ""),
    ((-33.9, 151.2), ""),
]


def expected_link(lat, lon, sites, radius_km=10.0):
    best = ("", float("nan"))
    for row in sites.dropna(subset=["lat", "lon"]).itertuples():
        km = great_circle_km(lat, lon, row.lat, row.lon)
        if km <= radius_km and (best[0] == "" or km < best[1]):
            best = (row.site_id, km)
    return best


def test_nearest_site_and_distance_match_an_independent_haversine(sites):
    lat = [p[0][0] for p in POINTS]
    lon = [p[0][1] for p in POINTS]
    links = nearest_sites(lat, lon, sites, 10.0)
    for (point, site), (got_site, got_km) in zip(POINTS, links.itertuples(index=False)):
        want_site, want_km = expected_link(*point, sites)
        assert got_site == want_site == site, point
        if site:
            assert got_km == round(want_km, 2)
        else:
            assert math.isnan(got_km)


def test_radius_is_applied_on_the_great_circle_distance(sites):
    lat, lon = destination(*ALPHA, 4.0, 10)
    km = great_circle_km(lat, lon, *ALPHA)
    assert nearest_sites([lat], [lon], sites, km + 0.001)["site_id"].tolist() == ["IQ-ALPHA"]
    assert nearest_sites([lat], [lon], sites, km - 0.001)["site_id"].tolist() == [""]


def test_the_nearer_of_two_sites_wins(sites):
    sites.loc[len(sites)] = ["IQ-ALPHA2", "Alpha Two", "", "Iraq", 33.83, 42.433333, "exact"]
    lat, lon = destination(33.83, 42.433333, 1.0, 0)
    assert nearest_sites([lat], [lon], sites)["site_id"].tolist() == ["IQ-ALPHA2"]


def test_events_without_coordinates_and_sites_without_coordinates_are_ignored(sites):
    links = nearest_sites([np.nan, 33.8], [np.nan, 42.433333], sites)
    assert links["site_id"].tolist() == ["", "IQ-ALPHA"] and links["site_distance_km"].tolist()[1] == 0.0


@pytest.mark.parametrize("radius", [0, -1, float("nan"), "10", True])
def test_bad_radius_is_named(radius, sites):
    with pytest.raises(ValueError, match="`radius_km` was"):
        nearest_sites([33.8], [42.4], sites, radius)


def test_import_links_rows_and_places_named_rows_through_the_gazetteer(tmp_path, sites):
    near = destination(*BRAVO, 2.5, 135)
    rows = [
        acled_row(1, latitude=f"{near[0]:.6f}", longitude=f"{near[1]:.6f}", location="Somewhere"),
        acled_row(2, latitude="", longitude="", location="Ain al-Alpha"),   # resolves to IQ-ALPHA
        acled_row(3, latitude="", longitude="", location="Camp Nowhere"),   # a site without coordinates
        acled_row(4, latitude="", longitude="", location="Unknown Hamlet"),
    ]
    path = tmp_path / "a.csv"
    path.write_text(acled_text(rows), encoding="utf-8")
    result = import_events(path, sites=sites, radius_km=5)
    events = result.events
    assert events["site_id"].tolist() == ["SY-BRAVO", "IQ-ALPHA", "", ""]
    assert events["site_distance_km"].iloc[0] == round(great_circle_km(*near, *BRAVO), 2)
    assert (events["lat"].iloc[1], events["lon"].iloc[1]) == ALPHA
    assert events["location_precision"].tolist() == ["town", "approximate", "", ""]
    assert events["source_location_precision"].tolist() == ["geo_precision=1", "gazetteer:IQ-ALPHA", "", ""]
    assert result.report["located_by_name"] == 1 and result.report["without_coordinates"] == 2
    assert result.report["linked_to_sites"] == 2 and result.report["radius_km"] == 5.0
