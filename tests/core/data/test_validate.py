"""Bad values in each file are reported with file, line, column, value and what was expected."""
from __future__ import annotations

import pytest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.data.problems import DataValidationError
from dashboard.core.data.columns import COUNT_COLUMNS, INCIDENT_COLUMNS, SITE_COLUMNS
from tests.conftest import COUNTS, INCIDENTS, SITES, write_csv

COLUMNS = {"sites.csv": SITE_COLUMNS, "incidents.csv": INCIDENT_COLUMNS, "official_counts.csv": COUNT_COLUMNS}
ROWS = {"sites.csv": SITES, "incidents.csv": INCIDENTS, "official_counts.csv": COUNTS}

# (file, row index (0 = first record, on line 2), column, bad value, words the message must contain)
BAD_VALUES = [
    ("incidents.csv", 0, "date", "2023-02-30", "a date that exists, written YYYY-MM-DD"),
    ("incidents.csv", 1, "date", "18/10/2023", "a date that exists, written YYYY-MM-DD"),
    ("incidents.csv", 2, "date", "", "may not be empty"),
    ("incidents.csv", 3, "event_type", "Drone", "one of drone, rocket, missile, mixed, us_strike, unknown"),
    ("incidents.csv", 4, "confirmation", "confirmed", "one of US-official, local-official, claim-only"),
    ("incidents.csv", 5, "killed", "three", "a whole number"),
    ("incidents.csv", 5, "injured", "-1", "a whole number between 0 and 100000"),
    ("incidents.csv", 0, "site_id", "IQ-NOPE", "a site_id that exists in sites.csv"),
    ("incidents.csv", 1, "incident_id", "I-1", "a unique id; line 2 has it too"),
    ("incidents.csv", 0, "sources", "http://bad url with spaces", "not a valid http(s) URL"),
    ("incidents.csv", 2, "date_certainty", "maybe", "one of reported, inferred, approximate"),
    ("incidents.csv", 4, "killed_max", "1", "a figure not below killed (2)"),
    ("sites.csv", 0, "lat", "95", "a latitude between -90 and 90"),
    ("sites.csv", 1, "lon", "200.5", "a longitude between -180 and 180"),
    ("sites.csv", 2, "lat", "north", "a decimal number"),
    ("sites.csv", 2, "coord_precision", "precise", "one of exact, approximate, town"),
    ("sites.csv", 0, "coord_precision", "", "a precision (exact, approximate or town)"),
    ("sites.csv", 3, "coord_precision", "town", "empty, since the site has no coordinates"),
    ("sites.csv", 1, "site_id", "IQ-A", "a unique id; line 2 has it too"),
    ("sites.csv", 2, "site_id", "SY C", "an id of letters, digits"),
    ("official_counts.csv", 0, "cumulative_total", "about 60", "a whole number"),
    ("official_counts.csv", 1, "qualifier", "approx", "one of exact, at_least, about, more_than"),
    ("official_counts.csv", 1, "date_reported", "2023-13-01", "a date that exists"),
]


@pytest.mark.parametrize("file, index, column, value, expected", BAD_VALUES)
def test_bad_value_is_reported_with_its_place(mini_data, file, index, column, value, expected):
    rows = [dict(r) for r in ROWS[file]]
    rows[index][column] = value
    write_csv(mini_data / file, COLUMNS[file], rows)

    with pytest.raises(DataValidationError) as info:
        load_dataset(mini_data)

    matching = [p for p in info.value.problems if p.file == file and p.column == column and p.level == "error"]
    assert len(matching) == 1, info.value.problems
    problem = matching[0]
    assert problem.line == index + 2
    assert problem.value == value
    assert expected in problem.expected
    assert f"{file}:{index + 2}" in str(problem) and f"column '{column}'" in str(problem)


def test_lat_without_lon_is_an_error(mini_data):
    rows = [dict(r) for r in SITES]
    rows[1]["lon"] = ""
    write_csv(mini_data / "sites.csv", SITE_COLUMNS, rows)
    with pytest.raises(DataValidationError) as info:
        load_dataset(mini_data)
    assert [(p.line, p.column) for p in info.value.problems if p.level == "error"] == [(3, "lon")]


def test_every_problem_is_listed_not_only_the_first(mini_data):
    rows = [dict(r) for r in INCIDENTS]
    rows[0]["date"] = "2023-02-30"
    rows[3]["event_type"] = "bomb"
    rows[5]["confirmation"] = ""
    write_csv(mini_data / "incidents.csv", INCIDENT_COLUMNS, rows)
    dataset = load_dataset(mini_data, strict=False)
    assert [(p.line, p.column) for p in dataset.errors] == [(2, "date"), (5, "event_type"), (7, "confirmation")]
    # nothing is dropped: the bad rows are still in the table
    assert len(dataset.incidents) == len(INCIDENTS)


def test_missing_required_column_is_named(mini_data):
    columns = [c for c in INCIDENT_COLUMNS if c.name != "confirmation"]
    rows = [{k: v for k, v in r.items() if k != "confirmation"} for r in INCIDENTS]
    write_csv(mini_data / "incidents.csv", columns, rows)
    dataset = load_dataset(mini_data, strict=False)
    assert any(p.line == 1 and p.column == "confirmation" and "missing from the header" in p.expected for p in dataset.errors)


def test_split_that_does_not_add_up_is_a_warning_not_an_error(mini_data):
    dataset = load_dataset(mini_data)
    assert [(p.file, p.line, p.column) for p in dataset.warnings] == [("official_counts.csv", 3, "cumulative_total")]


def test_seed_reference_to_missing_row_is_an_error(mini_data):
    seed = mini_data / "seeds" / "doc-1.json"
    seed.write_text(seed.read_text().replace('"I-6"', '"I-99"'))
    with pytest.raises(DataValidationError) as info:
        load_dataset(mini_data)
    (problem,) = [p for p in info.value.problems if p.level == "error"]
    assert problem.file == "doc-1.json" and problem.value == "I-99"
    assert problem.column == "facts[0].supports.incidents"


def test_seed_that_is_not_json_is_an_error(mini_data):
    (mini_data / "seeds" / "broken.json").write_text("{not json", encoding="utf-8")
    dataset = load_dataset(mini_data, strict=False)
    assert any(p.file == "broken.json" and "not valid UTF-8 JSON" in p.expected for p in dataset.errors)


def test_valid_data_loads_typed(mini_data):
    dataset = load_dataset(mini_data)
    incidents = dataset.incidents
    assert list(incidents["incident_id"]) == ["I-1", "I-2", "I-3", "I-4", "I-5", "I-6"]
    assert incidents.loc[2, "site_id"] == ("IQ-A", "SY-B")
    assert incidents.loc[2, "country"] == ("Iraq", "Syria")
    assert incidents.loc[4, "site_id"] == ()
    assert str(incidents["killed"].dtype) == "Int64" and incidents.loc[4, "killed"] == 2
    assert str(incidents["date"].dtype).startswith("datetime64")
    assert dataset.sites.set_index("site_id").loc["IQ-D", "lat"] != dataset.sites.set_index("site_id").loc["IQ-D", "lat"]
