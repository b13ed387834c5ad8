"""Counts per period (zero-filled), per group, cumulative, and against official totals."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.core.query.reference import (casualties_by_period, compare_with_official, count_by, count_by_period,
                                      cumulative_against_official,
                                      count_by_site, cumulative_counts)
from dashboard.core.data.dataset import load_dataset


@pytest.fixture
def dataset(mini_data):
    return load_dataset(mini_data)


def as_pairs(frame):
    return [(p.date().isoformat(), c) for p, c in zip(frame["period"], frame["count"])]


def test_days_are_zero_filled(dataset):
    counts = count_by_period(dataset.incidents, "day", "2023-10-17", "2023-10-19")
    assert as_pairs(counts) == [("2023-10-17", 0), ("2023-10-18", 2), ("2023-10-19", 0)]


def test_weeks_start_on_monday_and_are_zero_filled(dataset):
    counts = count_by_period(dataset.incidents, "week")
    assert as_pairs(counts) == [("2023-10-16", 2), ("2023-10-23", 1), ("2023-10-30", 2), ("2023-11-06", 0),
                                ("2023-11-13", 0), ("2023-11-20", 1)]


def test_months(dataset):
    counts = count_by_period(dataset.incidents, "month", dt.date(2023, 9, 1), dt.date(2023, 12, 31))
    assert as_pairs(counts) == [("2023-09-01", 0), ("2023-10-01", 3), ("2023-11-01", 3), ("2023-12-01", 0)]


def test_split_by_country_counts_multi_country_incident_under_each(dataset):
    counts = count_by_period(dataset.incidents, "month", by="country")
    got = {(p.month, c): n for p, c, n in zip(counts["period"], counts["country"], counts["count"])}
    assert got == {(10, "Iraq"): 2, (10, "Syria"): 2, (11, "Iraq"): 1, (11, "Syria"): 2}


def test_cumulative(dataset):
    counts = cumulative_counts(count_by_period(dataset.incidents, "week"))
    assert list(counts["cumulative"]) == [2, 3, 5, 5, 5, 6]


def test_empty_selection_gives_zero_rows_not_an_error(dataset):
    empty = dataset.incidents.iloc[0:0]
    assert count_by_period(empty, "week").empty
    assert as_pairs(count_by_period(empty, "week", "2023-10-16", "2023-10-22")) == [("2023-10-16", 0)]


def test_unknown_period_is_refused(dataset):
    with pytest.raises(ValueError, match="`period` was 'year'"):
        count_by_period(dataset.incidents, "year")


def test_count_by_site_and_type(dataset):
    sites = count_by_site(dataset.incidents, dataset.sites)
    assert dict(zip(sites["site_id"], sites["count"])) == {"IQ-A": 2, "SY-B": 2, "SY-C": 1, "IQ-D": 1, "": 1}
    assert sites.set_index("site_id").loc["", "name"] == "(no site named)"
    types = count_by(dataset.incidents, "event_type")
    assert dict(zip(types["event_type"], types["count"])) == {"drone": 3, "rocket": 1, "mixed": 1, "us_strike": 1}


def test_casualties_per_month(dataset):
    out = casualties_by_period(dataset.incidents, "month")
    assert list(out["killed"]) == [0, 2] and list(out["injured"]) == [4, 1]


def test_comparison_with_official_counts_leaves_out_us_strikes(dataset):
    table = compare_with_official(dataset.incidents, dataset.official_counts)
    first, second = table.to_dict("records")
    assert (first["official_total"], first["dataset_total"], first["gap"]) == (3, 2, 1)  # I-1, I-2 by Oct 24
    # by Nov 21: I-1, I-2, I-3, I-4, I-6 (I-5 is a US strike)
    assert (second["official_total"], second["dataset_total"], second["gap"]) == (10, 5, 5)
    assert (second["dataset_iraq"], second["dataset_syria"]) == (3, 3)
    assert second["date_reported"] == pd.Timestamp("2023-11-21")


def test_cumulative_against_official_counts_from_campaign_start(dataset):
    daily, comparison = cumulative_against_official(dataset.incidents, dataset.official_counts, "2023-11-01", "2023-11-30")
    assert daily["period"].min() == pd.Timestamp("2023-11-01")
    # the line at 1 Nov already holds the October attacks (I-1, I-2, I-3) and I-4 (2 Nov) comes next
    assert list(daily.loc[daily["period"] <= "2023-11-02", "cumulative"]) == [3, 4]
    assert list(comparison["count_id"]) == ["OC-2"] and comparison.iloc[0]["dataset_total"] == 5
