"""The data URLs' bodies equal the downloads: streamed GeoJSON and CSV, the gazetteer and cells as GeoJSON."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard.core.data.dataset import data_folder, load_dataset
from dashboard.core.data.exports import csv_parts, incidents_csv, incidents_geojson, placements_with_country
from dashboard.core.data.feeds import cells_geojson, geojson_parts, sites_geojson
from dashboard.core.query import mapping, rows, stream
from dashboard.core.query.store import source_for
from dashboard.core.view.filters import Filters


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(data_folder())


@pytest.fixture(scope="module")
def bundled(dataset):
    return source_for(dataset)


@pytest.mark.parametrize("filters", [Filters(), Filters(countries=("Syria",)), Filters(types=("us_strike",))])
def test_streamed_geojson_is_the_download(bundled, dataset, filters):
    incidents = rows.all_rows(bundled, filters)
    download = json.loads(incidents_geojson(
        incidents, placements_with_country(rows.all_placements(bundled, filters), incidents, dataset.sites)))
    body = b"".join(geojson_parts(stream.placed_chunks(bundled, filters, chunk_rows=5), dataset.sites,
                                  lambda written, unmapped: {"numberReturned": written}))
    streamed = json.loads(body)
    assert streamed["type"] == "FeatureCollection"
    assert streamed["features"] == download["features"]
    assert streamed["unmapped"] == download["unmapped"]
    assert streamed["numberReturned"] == len(incidents)


def test_streamed_geojson_escapes_markup_as_the_download_does(dataset):
    incidents = dataset.incidents.head(1).assign(notes="</script><img src=x onerror=alert(1)>")
    placements = pd.DataFrame({"incident_id": incidents["incident_id"], "site_id": ["IQ-ASAD"],
                               "place_kind": ["site"], "site_name": ["<b>x</b>"], "lat": [33.8], "lon": [42.4],
                               "coord_precision": ["approximate"], "uncertainty_km": [2.0], "sites_named": [1],
                               "country": ["Iraq"]})
    body = b"".join(geojson_parts([(incidents, placements)], dataset.sites, lambda w, u: {}))
    assert b"<" not in body and b">" not in body
    assert json.loads(body)["features"][0]["properties"]["notes"] == "</script><img src=x onerror=alert(1)>"


def test_an_empty_selection_is_an_empty_collection(dataset):
    body = b"".join(geojson_parts([], dataset.sites, lambda w, u: {"numberReturned": w}))
    assert json.loads(body) == {"type": "FeatureCollection", "features": [], "numberReturned": 0,
                                "unmapped": {"count": 0, "incident_ids": [], "note": json.loads(body)["unmapped"]["note"]}}


def test_streamed_csv_is_the_download(bundled, dataset):
    filters = Filters(countries=("Iraq",))
    expected = incidents_csv(rows.all_rows(bundled, filters), dataset.sites)
    assert b"".join(csv_parts(stream.incident_chunks(bundled, filters, chunk_rows=3), dataset.sites)) == expected


def test_csv_parts_neutralise_formulas(dataset):
    incidents = dataset.incidents.head(2).assign(notes=["=HYPERLINK(\"http://x\")", " +1"])
    text = b"".join(csv_parts([incidents], dataset.sites)).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "' +1" in text


def test_sites_geojson_keeps_every_site_with_its_precision_and_source(dataset):
    sites = dataset.sites
    collection = sites_geojson(sites, {"IQ-ASAD": 5})
    assert len(collection["features"]) == len(sites)
    by_id = {feature["id"]: feature for feature in collection["features"]}
    asad = by_id["IQ-ASAD"]
    row = sites.set_index("site_id").loc["IQ-ASAD"]
    assert asad["geometry"]["coordinates"] == [row["lon"], row["lat"]]
    assert asad["properties"]["coord_precision"] == row["coord_precision"]
    assert asad["properties"]["source"] == row["source"] and asad["properties"]["incidents"] == 5
    unplaced = sites[sites["lat"].isna()]["site_id"].tolist()
    assert all(by_id[site]["geometry"] is None for site in unplaced)
    json.dumps(collection, allow_nan=False)  # no NaN anywhere


def test_cells_geojson_squares_and_counts(bundled):
    cells = mapping.grid_cells(bundled, Filters(), 0.5)
    collection = cells_geojson(cells, 0.5)
    assert sum(f["properties"]["count"] for f in collection["features"]) == int(cells["count"].sum())
    first = collection["features"][0]
    ring = first["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 5
    assert ring[2][0] - ring[0][0] == pytest.approx(0.5) and ring[2][1] - ring[0][1] == pytest.approx(0.5)
    assert first["properties"]["leading_type"] in first["properties"]["by_type"]


def record_by_record_csv(incidents: pd.DataFrame, sites: pd.DataFrame) -> bytes:
    """The CSV written one record and one cell at a time with ``_csv_cell`` (how the download was written before
    the column-wise writer): the reference the faster writer is held to."""
    import csv as csv_module
    import io

    from dashboard.core.data.exports import CSV_COLUMNS, _csv_cell

    names = dict(zip(sites["site_id"], sites["name"]))
    buffer = io.StringIO()
    writer = csv_module.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in incidents.to_dict("records"):
        site_ids = tuple(record["site_id"] or ())
        values = {**record, "site_ids": site_ids, "site_names": tuple(str(names.get(s, "")) for s in site_ids)}
        writer.writerow([_csv_cell(column, values[column]) for column in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


@pytest.mark.parametrize("filters", [Filters(), Filters(countries=("Syria",)), Filters(types=("us_strike",))])
def test_the_column_wise_csv_equals_the_record_by_record_one(bundled, dataset, filters):
    incidents = rows.all_rows(bundled, filters)
    assert incidents_csv(incidents, dataset.sites) == record_by_record_csv(incidents, dataset.sites)


def test_the_column_wise_csv_handles_hostile_and_missing_values(dataset):
    incidents = dataset.incidents.head(6).copy()
    incidents["notes"] = ["=1+1", " @SUM(A1)", "-2", "plain, with comma", 'quote "inside"', "\ttab"]
    incidents["actor"] = ["", "+x", "a\r\nb", "ok", "=", "-"]
    incidents.loc[incidents.index[0], "date"] = pd.NaT
    assert incidents_csv(incidents, dataset.sites) == record_by_record_csv(incidents, dataset.sites)


def record_by_record_features(incidents: pd.DataFrame, placements: pd.DataFrame) -> tuple[list[dict], list[str]]:
    """The GeoJSON features built one record at a time with ``_feature_fields`` (as the KML's fields are, and as
    the download was written before the column-wise builder): the reference the faster one is held to."""
    from dashboard.core.data.exports import _feature_fields, _placed

    by_id, placed, unmapped = _placed(incidents, placements)
    return [{"type": "Feature",
             "geometry": {"type": "Point", "coordinates": [float(p["lon"]), float(p["lat"])]},
             "properties": _feature_fields(by_id[p["incident_id"]], p)} for p in placed], unmapped


@pytest.mark.parametrize("filters", [Filters(), Filters(countries=("Syria",)), Filters(types=("us_strike",))])
def test_the_column_wise_features_equal_the_record_by_record_ones(bundled, dataset, filters):
    from dashboard.core.data.exports import placed_features

    incidents = rows.all_rows(bundled, filters)
    placements = placements_with_country(rows.all_placements(bundled, filters), incidents, dataset.sites)
    assert placed_features(incidents, placements) == record_by_record_features(incidents, placements)
