"""One fixture per layout: detected as the right format and layout, every row mapped, accounting exact."""
from __future__ import annotations

import math

import pytest

from dashboard.core.importers import EVENT_COLUMNS, detect_layout, import_events
from dashboard.core.data.columns import ALL_EVENT_TYPES

from .conftest import FIXTURES

# file, format, source_dataset, words in the layout name, flags expected among the layout flags
LAYOUTS = [
    ("acled_2015_uppercase.csv", "acled", "ACLED", "UPPERCASE", ()),
    ("acled_2016_v7_alphabetised_index.csv", "acled", "ACLED", "2016-2018 API",
     ("columns in alphabetical order", "unnamed index column (ignored)")),
    ("acled_2019_countycode_ddmmyy.csv", "acled", "ACLED", "2019-2023", ()),
    ("acled_2020_quoted.csv", "acled", "ACLED", "2019-2023", ()),
    ("acled_2020-04_global_truncated.csv", "acled", "ACLED", "2019-2023", ()),
    ("acled_2022_current_31col.csv", "acled", "ACLED", "2023+ export (31 columns)", ()),
    ("acled_2024_monadic_textinter.csv", "acled", "ACLED", "2023+ export (28 columns)",
     ("monadic: one row per actor, no actor2 columns (ids repeat)", "actor types as words")),
    ("ucdp_ged191_native.csv", "ucdp", "UCDP GED", "GED 19.1 (42 columns)", ()),
    ("ucdp_ged_hdx_iraq.csv", "ucdp", "UCDP GED", "via HDX (45 columns)", ("HXL hashtag row on line 2",)),
    ("ucdp_ged231_49col.csv", "ucdp", "UCDP GED", "20.1+ (49 columns)", ()),
    ("ucdp_ged_syria_41col.csv", "ucdp", "UCDP GED", "Syria file", ()),
    ("gdelt1_mixed_sample.csv", "gdelt", "GDELT 1.0", "57 and 58 columns", ()),
    ("gdelt2_sample.export.CSV", "gdelt", "GDELT 2.0", "61 columns", ()),
]


@pytest.mark.parametrize("name, fmt, dataset, layout_words, flags", LAYOUTS)
def test_layout_is_detected(name, fmt, dataset, layout_words, flags, sites):
    layout = detect_layout(FIXTURES / name)
    assert (layout.format, layout.source_dataset) == (fmt, dataset)
    assert layout_words in layout.name
    report = import_events(FIXTURES / name, sites=sites).report
    assert report["format"] == fmt and layout_words in report["layout"]
    assert set(flags) <= set(report["layout_flags"])


@pytest.mark.parametrize("name", [row[0] for row in LAYOUTS])
def test_rows_are_mapped_into_the_schema(name, sites):
    result = import_events(FIXTURES / name, sites=sites)
    events, report = result.events, result.report
    assert tuple(events.columns) == EVENT_COLUMNS
    assert report["rows_imported"] + report["rows_rejected"] == report["rows_read"]
    assert report["rows_imported"] == len(events) > 0
    assert set(events["event_type"]) <= set(ALL_EVENT_TYPES)
    assert events["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert (events["date_end"] >= events["date"]).all()
    assert set(events["date_precision"]) <= {"day", "week", "month", "year", "range"}
    assert set(events["location_precision"]) <= {"town", "approximate", "region"}
    assert events["incident_id"].str.startswith(("ACLED-", "UCDP-", "GDELT-")).all()
    assert events["lat"].between(-90, 90).all() and events["lon"].between(-180, 180).all()
    assert events["source_line"].is_monotonic_increasing or name.startswith("gdelt1")


# file, index of the row, expected values
ROWS = [
    ("acled_2015_uppercase.csv", 1, {
        "incident_id": "ACLED-2IRQ", "date": "2015-02-17", "date_precision": "week", "source_line": 3,
        "source_event_type": "Battle-No change of territory", "actor1_type": "State forces",
        "actor2_type": "Rebel group", "location_precision": "approximate",
        "source_location_precision": "geo_precision=2",
        "notes": "First line of an invented note.\r\nSecond line, after a line break inside the quotes."}),
    ("acled_2015_uppercase.csv", 2, {"incident_id": "ACLED-3SYR", "source_line": 5, "date_precision": "month",
                                     "location_precision": "region"}),
    ("acled_2016_v7_alphabetised_index.csv", 1, {
        "incident_id": "ACLED-102SYR", "date": "2016-06-30", "actor1": "Unidentified Armed Group (Syria)",
        "actor2": "Civilians (Syria)", "killed": 3, "event_type": "explosion", "source_event_type": "Remote violence",
        "notes": 'Invented note, with a comma and "quotes".'}),
    ("acled_2019_countycode_ddmmyy.csv", 0, {"date": "2019-12-31", "event_type": "drone",
                                             "actor1_type": "External/Other forces"}),
    ("acled_2019_countycode_ddmmyy.csv", 1, {"date": "2019-01-04", "date_precision": "week"}),
    ("acled_2020_quoted.csv", 0, {
        "date": "2020-03-21", "event_type": "rocket", "sources": "Invented Wire ; Example Daily",
        "source_event_type": "Explosions/Remote violence: Shelling/artillery/missile attack", "killed": 1}),
    ("acled_2020_quoted.csv", 1, {"date": "2020-03-01", "actor2": "", "actor2_type": ""}),
    ("acled_2020-04_global_truncated.csv", 0, {"date": "2020-05-09", "country": "Yemen", "killed": 3}),
    ("acled_2022_current_31col.csv", 0, {"event_type": "drone", "site_id": "IQ-ALPHA"}),
    ("acled_2022_current_31col.csv", 1, {"event_type": "missile", "date_precision": "month"}),
    ("acled_2022_current_31col.csv", 2, {"event_type": "rocket", "date_precision": "week"}),
    ("acled_2022_current_31col.csv", 3, {"event_type": "protest", "source_event_type": "Protests: Peaceful protest"}),
    ("acled_2024_monadic_textinter.csv", 1, {
        "incident_id": "ACLED-BGD90001", "actor1": "Civilians (Bangladesh)", "actor1_type": "Civilians",
        "date": "2024-08-05", "actor2": ""}),
    ("acled_2024_monadic_textinter.csv", 2, {"date": "2024-07-15", "actor1_type": "State forces"}),
    ("ucdp_ged191_native.csv", 0, {
        "incident_id": "UCDP-209980", "source_dataset": "UCDP GED", "date": "2015-05-11", "date_end": "2015-05-12",
        "date_precision": "range", "killed": 1, "killed_low": 1, "killed_high": 30, "country": "Myanmar (Burma)",
        "source_event_type": "type_of_violence 1 (state-based conflict)", "actor1": "Government of Myanmar (Burma)",
        "actor2": "MNDAA", "source_line": 2}),
    ("ucdp_ged191_native.csv", 2, {"source_line": 6}),
    ("ucdp_ged_hdx_iraq.csv", 0, {
        "incident_id": "UCDP-114064", "source_line": 3, "place": "Al Fallūjah town", "admin1": "Al Anbār province",
        "location_precision": "town", "source_location_precision": "where_prec=1",
        "sources": "Agence France Presse,2014-01-25,Iraq violence kills 14 as January toll tops 800"}),
    ("ucdp_ged_hdx_iraq.csv", 2, {"incident_id": "UCDP-164062", "source_line": 5, "date_precision": "month"}),
    ("ucdp_ged_hdx_iraq.csv", 3, {"source_line": 7}),
    ("ucdp_ged231_49col.csv", 0, {"incident_id": "UCDP-300380", "date": "2013-01-03", "country": "Syria"}),
    ("gdelt2_sample.export.CSV", 0, {
        "incident_id": "GDELT-881990832", "source_dataset": "GDELT 2.0", "date": "2018-10-24", "source_line": 1,
        "place": "Vancouver, British Columbia, Canada", "country": "Canada", "admin1": "British Columbia",
        "location_precision": "town", "source_location_precision": "ActionGeo_Type=4",
        "source_event_type": "CAMEO 139 (Threaten)",
        "sources": "https://www.timescolonist.com/entertainment/"
                   "jeremy-dutcher-brings-ancestors-songs-to-life-1.23985964"}),
    ("gdelt1_mixed_sample.csv", 0, {
        "incident_id": "GDELT-564111644", "source_dataset": "GDELT 1.0", "date": "2006-07-31",
        "admin1": "District of Columbia", "lat": 38.8973, "lon": -77.0083}),
    ("gdelt1_mixed_sample.csv", 2, {"source_line": 4, "date": "1982-01-02", "sources": ""}),
]


@pytest.mark.parametrize("name, row, expected", ROWS)
def test_row_values(name, row, expected, sites):
    events = import_events(FIXTURES / name, sites=sites).events
    actual = events.iloc[row]
    for column, value in expected.items():
        got = actual[column]
        if isinstance(value, float):
            assert math.isclose(got, value), column
        else:
            assert got == value, (column, got)


def test_monadic_duplicate_ids_are_kept_and_reported(sites):
    result = import_events(FIXTURES / "acled_2024_monadic_textinter.csv", sites=sites)
    assert list(result.events["incident_id"]).count("ACLED-BGD90001") == 2
    assert result.report["duplicate_ids"] == {"ids": 1, "rows": 2,
                                              "examples": [{"id": "ACLED-BGD90001", "lines": [2, 3]}]}


def test_extra_and_unnamed_columns_are_listed(sites):
    assert import_events(FIXTURES / "acled_2019_countycode_ddmmyy.csv", sites=sites).report["ignored_columns"] == [
        "countycode"]
    report = import_events(FIXTURES / "acled_2016_v7_alphabetised_index.csv", sites=sites).report
    assert report["ignored_columns"] == ["_unnamed_0 (unnamed, index)"]


@pytest.mark.parametrize("name, formats, order", [
    ("acled_2015_uppercase.csv", {"%d-%B-%Y": 3}, ""),
    ("acled_2019_countycode_ddmmyy.csv", {"%d-%m-%y": 2}, "day-month order: some dates only make sense that way"),
    ("acled_2020_quoted.csv", {"%d %B %Y": 2}, ""),
    ("acled_2020-04_global_truncated.csv", {"%d-%b-%y": 2}, ""),
    ("acled_2024_monadic_textinter.csv", {"%d-%b-%y": 3}, ""),
    ("gdelt2_sample.export.CSV", {"%Y%m%d": 4}, ""),
])
def test_date_formats_are_reported(name, formats, order, sites):
    report = import_events(FIXTURES / name, sites=sites).report
    assert (report["date_formats"], report["date_order"]) == (formats, order)
