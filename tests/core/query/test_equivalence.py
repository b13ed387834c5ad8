"""Every query of the engine answers what the pandas path (the reference) answers, for a table of filters.

The data: 3,000 generated incidents over the bundled gazetteer (multi-site and
multi-country rows, sites without coordinates, every type and status, month
and year boundaries) and, for the stacked source, 2,000 imported events at
their own coordinates (some linked to sites, some without coordinates, repeated ids).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.core.data.dataset import load_dataset
from dashboard.core.importers.combine import combine
from dashboard.core.places.join import join_incidents, place_anchors
from dashboard.core.query import counts, mapping, official, reference, rows
from dashboard.core.query.engine import Engine
from dashboard.core.query.tables import build_tables, upload_tables
from dashboard.core.view.filters import Filters
from tests.generated import generated_events, generated_folder

D = dt.date
FILTERS = [
    Filters(),
    Filters(start=D(2023, 10, 17), end=D(2023, 12, 31)),
    Filters(start=D(2024, 1, 1), end=D(2024, 1, 31)),
    Filters(start=D(2024, 12, 25), end=D(2025, 1, 5)),  # a year boundary
    Filters(start=D(2024, 2, 29), end=D(2024, 2, 29)),  # one (leap) day
    Filters(start=D(2025, 12, 1)),
    Filters(end=D(2024, 3, 31)),
    Filters(start=D(2030, 1, 1)),  # nothing
    Filters(countries=("Iraq",)),
    Filters(countries=("Syria", "Jordan")),
    Filters(countries=("Jordan",)),
    Filters(sites=("IQ-ASAD",)),
    Filters(sites=("SY-TANF", "JO-TOWER22")),
    Filters(types=("drone",)),
    Filters(types=("us_strike",)),
    Filters(types=("rocket", "missile", "mixed")),
    Filters(types=("unknown",)),
    Filters(statuses=("claim-only",)),
    Filters(statuses=("US-official", "local-official")),
    Filters(statuses=("unassessed",)),
    Filters(countries=("Iraq",), types=("drone", "rocket")),
    Filters(start=D(2024, 1, 1), end=D(2024, 6, 30), sites=("IQ-ASAD", "SY-EUPHRATES")),
    Filters(start=D(2024, 1, 28), end=D(2024, 2, 4), countries=("Jordan", "Syria"), statuses=("US-official",)),
    Filters(countries=("Jordan",), sites=("IQ-ASAD",)),  # no incident names both
    Filters(start=D(2023, 11, 1), end=D(2024, 10, 31), countries=("Iraq", "Syria"), types=("drone", "unknown"),
            statuses=("claim-only", "unassessed")),
    Filters(start=D(2025, 6, 30), end=D(2025, 7, 1), types=("mixed",)),
    Filters(end=D(2023, 10, 31), statuses=("local-official",)),
    Filters(sites=("IQ-ASAD",), types=("us_strike",)),
    Filters(start=D(2024, 3, 1), end=D(2024, 3, 31), countries=("Syria",), sites=("SY-SHADDADI",),
            types=("drone",), statuses=("US-official",)),
    Filters(start=D(2024, 7, 1), countries=("Iraq", "Jordan", "Syria")),
    Filters(types=tuple(["drone", "rocket", "missile", "mixed", "unknown"]), statuses=("US-official",)),
    Filters(start=D(2023, 12, 31), end=D(2024, 1, 1)),
]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = generated_folder(tmp_path_factory.mktemp("generated"), 3000)
    dataset = load_dataset(folder)
    joined = join_incidents(dataset.incidents, dataset.sites)
    events = generated_events(2000, dataset.sites)
    engine = Engine()
    plain = engine.register("generated", build_tables(dataset.incidents, joined.placements, joined.unmapped,
                                                      dataset.sites), dataset.sites)
    upload = engine.register("upload", upload_tables(events, dataset.sites), dataset.sites)
    stacked = engine.stack("both", plain, upload)
    shown, shown_join = combine(dataset, joined, events, "both")
    return {
        "generated": (plain, dataset.incidents, joined, dataset),
        "both": (stacked, shown.incidents, shown_join, dataset),
    }


def frames_equal(left: pd.DataFrame, right: pd.DataFrame) -> None:
    def tidy(frame):
        frame = frame.reset_index(drop=True).copy()
        for column in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                frame[column] = frame[column].astype("datetime64[ns]")
        return frame
    pd.testing.assert_frame_equal(tidy(left), tidy(right), check_dtype=False, check_index_type=False)


def span(filters: Filters, incidents: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(filters.start or incidents["date"].min())
    return start, max(start, pd.Timestamp(filters.end or incidents["date"].max()))


def check_every_query(source, incidents, joined, dataset, filters: Filters) -> None:
    chosen, placed, unmapped = reference.select(incidents, joined.placements, joined.unmapped, filters)
    assert counts.headline(source, filters) == reference.headline_figures(chosen, placed, unmapped)
    start, end = span(filters, incidents)
    for period in ("day", "week", "month"):
        for by in (None, "country", "site_id", "event_type"):
            frames_equal(counts.count_by_period(source, filters, period, start, end, by=by),
                         reference.count_by_period(chosen, period, start, end, by=by))
    frames_equal(counts.count_by_period(source, filters, "week"), reference.count_by_period(chosen, "week"))
    for column in ("country", "site_id", "event_type", "confirmation"):
        frames_equal(counts.count_by(source, filters, column), reference.count_by(chosen, column))
    frames_equal(counts.count_by_site(source, filters, dataset.sites), reference.count_by_site(chosen, dataset.sites))
    frames_equal(counts.casualties_by_period(source, filters, "month", start, end),
                 reference.casualties_by_period(chosen, "month", start, end))
    anchors = place_anchors(joined.placements, dataset.sites)
    frames_equal(mapping.site_summary(source, filters), reference.site_summary(placed, chosen, anchors))
    for size in (0.25, 2.0):
        frames_equal(mapping.grid_cells(source, filters, size), reference.grid_cells(placed, chosen, size))
    assert mapping.placed_count(source, filters) == placed["incident_id"].nunique()
    undated = reference.select(incidents, joined.placements, joined.unmapped,
                               Filters(countries=filters.countries, sites=filters.sites, types=filters.types,
                                       statuses=filters.statuses))[0]
    line, table = official.cumulative_against_official(source, filters, dataset.official_counts, start, end)
    expected_line, expected_table = reference.cumulative_against_official(undated, dataset.official_counts, start, end)
    frames_equal(line, expected_line)
    frames_equal(table, expected_table)
    frames_equal(official.compare_with_official(source, filters, dataset.official_counts),
                 reference.compare_with_official(undated, dataset.official_counts))
    assert rows.total(source, filters) == len(chosen)
    assert rows.total(source, filters, "unmapped") == len(unmapped)
    listed, count = rows.page_with_total(source, filters, 0, 50, subset="unmapped")
    assert count == len(unmapped) and set(listed["incident_id"]) <= set(unmapped["incident_id"])
    for sort, descending in (("date", False), ("killed", True), ("event_type", False)):
        expected = chosen.sort_values(sort, ascending=not descending, kind="stable", na_position="last")
        got = rows.page(source, filters, offset=3, limit=40, sort=sort, descending=descending)
        assert list(got["incident_id"]) == list(expected["incident_id"].iloc[3:43])


@pytest.mark.parametrize("filters", FILTERS, ids=[f"f{i}" for i in range(len(FILTERS))])
@pytest.mark.parametrize("name", ["generated", "both"])
def test_every_query_answers_as_the_pandas_path(data, name, filters):
    check_every_query(*data[name], filters)


def test_the_table_has_enough_combinations_and_some_select_nothing(data):
    source, incidents, joined, _ = data["generated"]
    sizes = [len(reference.select(incidents, joined.placements, joined.unmapped, f)[0]) for f in FILTERS]
    assert len(FILTERS) >= 30 and 0 in sizes and max(sizes) == len(incidents)


def test_vocabulary_is_the_same(data):
    for name in ("generated", "both"):
        source, incidents, _, dataset = data[name]
        assert counts.vocabulary(source, dataset.sites, D(2026, 1, 1)) == \
            reference.vocabulary(incidents, dataset.sites, D(2026, 1, 1))


def test_page_rows_carry_the_loaded_values(data):
    source, incidents, _, _ = data["generated"]
    got = rows.page(source, Filters(), limit=200).drop(columns=["ord", "mapped", "unmapped_reason"])
    expected = incidents.iloc[:200][got.columns]
    frames_equal(got, expected)


@st.composite
def filter_sets(draw):
    def some(values):
        return tuple(draw(st.lists(st.sampled_from(values), max_size=3, unique=True)))
    start = draw(st.one_of(st.none(), st.dates(D(2023, 10, 1), D(2026, 1, 31))))
    end = draw(st.one_of(st.none(), st.dates(start or D(2023, 10, 1), D(2026, 2, 28))))
    return Filters(start=start, end=end, countries=some(["Iraq", "Syria", "Jordan"]),
                   sites=some(["IQ-ASAD", "SY-TANF", "SY-EUPHRATES", "JO-TOWER22", "IQ-ERBIL-AB", "SY-KHADRA"]),
                   types=some(["drone", "rocket", "missile", "mixed", "us_strike", "unknown"]),
                   statuses=some(["US-official", "local-official", "claim-only", "unassessed"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filters=filter_sets())
def test_generated_filter_combinations(data, filters):
    check_every_query(*data["both"], filters)
