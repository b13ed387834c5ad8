"""Joining incidents to sites: placements keep the gazetteer's coordinates and precision."""
from __future__ import annotations

import pytest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.places.join import join_incidents, site_uncertainty_km


@pytest.fixture
def joined(mini_data):
    dataset = load_dataset(mini_data)
    return dataset, join_incidents(dataset.incidents, dataset.sites)


def test_placements_are_points_in_wgs84(joined):
    _, result = joined
    points = result.points()
    assert points.crs.to_epsg() == 4326
    assert list(points.geometry.x) == list(result.placements["lon"])
    assert sorted(zip(result.placements["incident_id"], result.placements["site_id"])) == [
        ("I-1", "IQ-A"), ("I-2", "SY-C"), ("I-3", "IQ-A"), ("I-3", "SY-B"), ("I-6", "SY-B")]


def test_coordinates_are_never_moved(joined):
    dataset, result = joined
    sites = dataset.sites.set_index("site_id")
    for row in result.points().itertuples():
        assert (row.geometry.x, row.geometry.y) == (sites.loc[row.site_id, "lon"], sites.loc[row.site_id, "lat"])


def test_precision_and_uncertainty_are_kept(joined):
    _, result = joined
    by_site = result.placements.drop_duplicates("site_id").set_index("site_id")
    assert by_site.loc["IQ-A", "coord_precision"] == "approximate" and by_site.loc["IQ-A", "uncertainty_km"] == 2
    assert by_site.loc["SY-B", "coord_precision"] == "town" and by_site.loc["SY-B", "uncertainty_km"] == 10
    assert by_site.loc["SY-C", "uncertainty_km"] == 0


def test_unmapped_incidents_stay_listed_with_a_reason(joined):
    _, result = joined
    reasons = dict(zip(result.unmapped["incident_id"], result.unmapped["reason"]))
    assert reasons == {"I-4": "no coordinates for IQ-D", "I-5": "no site named"}
    assert result.mapped_ids == {"I-1", "I-2", "I-3", "I-6"}


def test_multi_site_incident_records_how_many_sites_it_names(joined):
    _, result = joined
    assert set(result.placements.loc[result.placements["incident_id"] == "I-3", "sites_named"]) == {2}


@pytest.mark.parametrize("precision, own, expected", [("exact", None, 0.0), ("approximate", None, 5.0),
                                                       ("town", None, 10.0), ("town", 3.5, 3.5)])
def test_uncertainty_defaults_by_precision(precision, own, expected):
    assert site_uncertainty_km(precision, own) == expected
