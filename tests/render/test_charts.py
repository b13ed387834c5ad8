"""Chart specs, checked through chart.to_dict()."""
from __future__ import annotations

import pytest

from dashboard.core.query.reference import (casualties_by_period, compare_with_official, count_by, count_by_period,
                                      count_by_site, cumulative_counts)
from dashboard.core.data.dataset import load_dataset
from dashboard.render import charts


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_counts_over_time_is_stacked_by_country_and_spans_periods(dataset):
    spec = charts.counts_over_time_chart(count_by_period(dataset.incidents, "week", by="country"), "week").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["color"]["field"] == "country"
    assert spec["encoding"]["x2"]["field"] == "end"
    rows = next(iter(spec["datasets"].values()))
    assert sum(r["count"] for r in rows) == sum(len(c) for c in dataset.incidents["country"])


def test_cumulative_vs_official_has_line_points_and_labels(dataset):
    comparison = compare_with_official(dataset.incidents, dataset.official_counts)
    daily = cumulative_counts(count_by_period(dataset.incidents, "day"))
    spec = charts.cumulative_vs_official_chart(daily, comparison).to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["line", "point", "text"]
    assert spec["layer"][2]["encoding"]["text"]["field"] == "label"
    tooltip_fields = {t["field"] for t in spec["layer"][1]["encoding"]["tooltip"]}
    assert {"reported_by", "official_total", "dataset_total", "gap"} <= tooltip_fields


def test_label_spacing_keeps_first_and_spaces_others():
    import pandas as pd
    dates = pd.Series(pd.to_datetime(["2023-10-24", "2023-10-26", "2023-11-06", "2023-11-09", "2023-11-20"]))
    assert list(charts.label_spaced(dates, 10)) == [True, False, True, False, True]


@pytest.mark.parametrize("builder, frame", [
    (charts.per_site_chart, lambda d: count_by_site(d.incidents, d.sites)),
    (charts.per_type_chart, lambda d: count_by(d.incidents, "event_type")),
    (charts.per_country_chart, lambda d: count_by(d.incidents, "country")),
])
def test_bar_charts(dataset, builder, frame):
    spec = builder(frame(dataset)).to_dict()
    assert spec["mark"]["type"] == "bar" and spec["encoding"]["x"]["field"] == "count"


def test_type_colours_match_the_map(dataset):
    from dashboard.render.style import EVENT_COLOURS
    spec = charts.per_type_chart(count_by(dataset.incidents, "event_type")).to_dict()
    assert set(spec["encoding"]["color"]["scale"]["range"]) <= set(EVENT_COLOURS.values())


def test_casualties_chart(dataset):
    spec = charts.casualties_chart(casualties_by_period(dataset.incidents, "month"), "month").to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["killed", "injured"]
