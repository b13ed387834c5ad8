"""Downloads: CSV cells cannot run as formulas, GeoJSON and KML keep every incident and escape every text."""
from __future__ import annotations

import codecs
import csv
import io
import json
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.data.exports import (
    CSV_COLUMNS, html_safe_json, incidents_csv, incidents_geojson, incidents_kml, neutralise_cell,
)
from dashboard.core.places.join import join_incidents

PAYLOAD = "<img src=x onerror=alert(1)>]]></description><script>alert(1)</script>"
KML = {"k": "http://www.opengis.net/kml/2.2"}


@pytest.fixture
def data(mini_data):
    dataset = load_dataset(mini_data)
    return dataset.incidents, dataset.sites, join_incidents(dataset.incidents, dataset.sites).placements


def with_values(incidents: pd.DataFrame, incident_id: str, **values) -> pd.DataFrame:
    frame = incidents.copy()
    row = frame.index[frame["incident_id"] == incident_id][0]
    for column, value in values.items():
        frame.at[row, column] = value
    return frame


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- CSV -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
    ("+1", "'+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("  =1+1", "'  =1+1"),
    ("\uff1d1+1", "'\uff1d1+1"),
    ("normal text", "normal text"),
    ("a-b = c", "a-b = c"),
    ("", ""),
])
def test_neutralise_cell(text, expected):
    assert neutralise_cell(text) == expected


@pytest.mark.parametrize("column, value, expected", [
    ("notes", '=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
    ("place", "+1", "'+1"),
    ("actor", "-2+3", "'-2+3"),
    ("casualties", "@SUM(A1)", "'@SUM(A1)"),
    ("notes", "\tx", "'\tx"),
    ("notes", "plain note", "plain note"),
    ("killed", -2, "-2"),
    ("injured", 4, "4"),
])
def test_text_cells_are_neutralised_and_numbers_stay_numbers(data, column, value, expected):
    incidents, sites, _ = data
    rows = csv_rows(incidents_csv(with_values(incidents, "I-1", **{column: value}), sites))
    assert rows[0]["incident_id"] == "I-1"
    assert rows[0][column] == expected


def test_list_cells_are_neutralised_too(data):
    incidents, sites, _ = data
    frame = with_values(incidents, "I-1", sources=("=cmd|' /C calc'!A0", "https://example.org/a"))
    assert csv_rows(incidents_csv(frame, sites))[0]["sources"] == "'=cmd|' /C calc'!A0 ; https://example.org/a"


def test_csv_has_a_bom_and_round_trips_through_pandas(data):
    incidents, sites, _ = data
    out = incidents_csv(incidents, sites)
    assert out.startswith(codecs.BOM_UTF8)
    back = pd.read_csv(io.BytesIO(out), dtype=str, keep_default_na=False)
    assert list(back.columns) == list(CSV_COLUMNS)
    assert len(back) == len(incidents)
    assert list(back["incident_id"]) == list(incidents["incident_id"])


def test_csv_has_one_row_per_incident_with_joined_sites(data):
    incidents, sites, _ = data
    rows = {row["incident_id"]: row for row in csv_rows(incidents_csv(incidents, sites))}
    assert rows["I-3"]["site_ids"] == "IQ-A;SY-B"
    assert rows["I-3"]["site_names"] == "Alpha Air Base;Tall Bravo"
    assert rows["I-3"]["country"] == "Iraq;Syria"
    assert rows["I-3"]["date"] == "2023-10-25"
    assert rows["I-5"]["site_ids"] == "" and rows["I-5"]["killed"] == "2" and rows["I-5"]["killed_max"] == "7"
    assert "lat" not in rows["I-1"] and "lon" not in rows["I-1"]


def test_csv_of_a_filtered_view(data):
    incidents, sites, _ = data
    assert [row["incident_id"] for row in csv_rows(incidents_csv(incidents.iloc[[5, 0]], sites))] == ["I-6", "I-1"]


def test_missing_column_is_named(data):
    incidents, sites, _ = data
    with pytest.raises(ValueError, match=r"`incidents` lacks column\(s\) \['notes'\]"):
        incidents_csv(incidents.drop(columns=["notes"]), sites)


# --- GeoJSON ---------------------------------------------------------------------------------

def test_geojson_has_one_feature_per_placement_and_lists_the_unmapped(data):
    incidents, _, placements = data
    collection = json.loads(incidents_geojson(incidents, placements))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(placements) == 5
    assert collection["unmapped"]["count"] == 2
    assert collection["unmapped"]["incident_ids"] == ["I-4", "I-5"]
    mapped = {f["properties"]["incident_id"] for f in collection["features"]}
    assert len(mapped) + collection["unmapped"]["count"] == len(incidents)


def test_geojson_keeps_gazetteer_coordinates_and_json_types(data):
    incidents, sites, placements = data
    features = json.loads(incidents_geojson(incidents, placements))["features"]
    where = sites.set_index("site_id")
    for feature in features:
        site = feature["properties"]["site_id"]
        assert feature["geometry"] == {"type": "Point", "coordinates": [where.at[site, "lon"], where.at[site, "lat"]]}
    by_key = {(f["properties"]["incident_id"], f["properties"]["site_id"]): f["properties"] for f in features}
    assert by_key["I-1", "IQ-A"]["date"] == "2023-10-18"
    assert by_key["I-1", "IQ-A"]["injured"] == 4 and by_key["I-1", "IQ-A"]["killed"] is None
    assert by_key["I-3", "SY-B"]["site_ids"] == ["IQ-A", "SY-B"]
    assert by_key["I-3", "SY-B"]["sites_named"] == 2 and by_key["I-3", "IQ-A"]["sites_named"] == 2
    assert by_key["I-3", "SY-B"]["site_name"] == "Tall Bravo" and by_key["I-3", "SY-B"]["uncertainty_km"] == 10


def test_geojson_leaves_out_placements_of_filtered_out_incidents(data):
    incidents, _, placements = data
    collection = json.loads(incidents_geojson(incidents[incidents["incident_id"] == "I-3"], placements))
    assert [f["properties"]["site_id"] for f in collection["features"]] == ["IQ-A", "SY-B"]
    assert collection["unmapped"]["count"] == 0


def test_geojson_keeps_a_payload_as_data_and_never_as_markup(data):
    incidents, _, placements = data
    out = incidents_geojson(with_values(incidents, "I-1", notes=PAYLOAD), placements)
    assert b"<img" not in out and b"<script" not in out and b"</" not in out
    notes = {f["properties"]["incident_id"]: f["properties"]["notes"] for f in json.loads(out)["features"]}
    assert notes["I-1"] == PAYLOAD


@pytest.mark.parametrize("value", ["</script><script>alert(1)</script>", "a & b", "\u2028", {"t": "<!--"}])
def test_html_safe_json_round_trips_without_markup(value):
    text = html_safe_json(value)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


# --- KML -------------------------------------------------------------------------------------

def kml_placemarks(out: bytes) -> list[ET.Element]:
    return ET.fromstring(out).findall(".//k:Placemark", KML)


def extended(mark: ET.Element) -> dict[str, str]:
    return {d.get("name"): d.findtext("k:value", "", KML) for d in mark.findall("k:ExtendedData/k:Data", KML)}


def test_kml_has_a_placemark_per_placement_with_the_incident_date(data):
    incidents, _, placements = data
    marks = kml_placemarks(incidents_kml(incidents, placements, "View"))
    assert len(marks) == len(placements)
    dates = {row.incident_id: row.date.strftime("%Y-%m-%d") for row in incidents.itertuples()}
    for mark in marks:
        assert mark.findtext("k:TimeStamp/k:when", None, KML) == dates[extended(mark)["incident_id"]]


def test_kml_folders_styles_and_coordinates(data):
    incidents, _, placements = data
    document = ET.fromstring(incidents_kml(incidents, placements, "View")).find("k:Document", KML)
    assert document.findtext("k:name", None, KML) == "View"
    folders = {f.findtext("k:name", None, KML): len(f.findall("k:Placemark", KML))
               for f in document.findall("k:Folder", KML)}
    assert folders == {"Drone": 2, "Rocket / mortar": 1, "Rockets and drones": 2}
    styles = {s.get("id"): s.findtext("k:IconStyle/k:color", None, KML) for s in document.findall("k:Style", KML)}
    assert styles["event-drone"] == "ff005ed5"  # #D55E00 as aabbggrr
    marks = {(extended(m)["incident_id"], extended(m)["site_id"]): m for m in document.iter(f"{{{KML['k']}}}Placemark")}
    assert marks["I-1", "IQ-A"].findtext("k:Point/k:coordinates", None, KML) == "42.4,33.8"
    assert marks["I-1", "IQ-A"].findtext("k:styleUrl", None, KML) == "#event-drone"
    assert "I-4" in document.findtext("k:description", "", KML) and "I-5" in document.findtext("k:description", "", KML)


def test_kml_escapes_a_payload_everywhere(data):
    incidents, _, placements = data
    frame = with_values(incidents, "I-1", notes=PAYLOAD, sources=("javascript:alert(1)", "https://example.org/ok"))
    out = incidents_kml(frame, placements, PAYLOAD)
    assert PAYLOAD.encode() not in out
    assert b"<img" not in out and b"<script" not in out and b"]]>" not in out and b"CDATA" not in out
    root = ET.fromstring(out)
    assert root.findtext("k:Document/k:name", None, KML) == PAYLOAD
    mark = next(m for m in kml_placemarks(out) if extended(m)["incident_id"] == "I-1")
    assert extended(mark)["notes"] == PAYLOAD  # data stays data
    balloon = mark.findtext("k:description", "", KML)  # Google Earth renders this as HTML
    assert "<img" not in balloon and "<script" not in balloon and "&lt;img src=x onerror=alert(1)&gt;" in balloon
    assert 'href="javascript' not in balloon and '<a href="https://example.org/ok">' in balloon


def test_kml_survives_control_characters(data):
    incidents, _, placements = data
    marks = kml_placemarks(incidents_kml(with_values(incidents, "I-1", notes="bell\x07 and \x0bvt"), placements, "V"))
    assert any(extended(m)["notes"] == "bell and vt" for m in marks)


def test_kml_title_must_be_text(data):
    incidents, _, placements = data
    with pytest.raises(TypeError, match="`title` was None"):
        incidents_kml(incidents, placements, None)
