"""Chart specs, checked through chart.to_dict()."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.query.page_data import chart_data
from dashboard.core.query.reference import (casualties_by_period, compare_with_official, count_by, count_by_period,
                                            count_by_site, cumulative_counts)
from dashboard.core.query.store import source_for
from dashboard.core.view.filters import Filters
from dashboard.render import charts, style
from dashboard.render.chart_set import view_charts

#: Views the Charts page shows: a one-week filter (few, small counts), the whole range, one country, one day.
VIEWS = {
    "one week": (Filters(start=dt.date(2024, 1, 22), end=dt.date(2024, 1, 28)), "week"),
    "one week per day": (Filters(start=dt.date(2024, 1, 22), end=dt.date(2024, 1, 28)), "day"),
    "one day": (Filters(start=dt.date(2024, 1, 28), end=dt.date(2024, 1, 28)), "day"),
    "whole range": (Filters(), "week"),
    "Syria": (Filters(countries=("Syria",)), "month"),
}


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.fixture(scope="module")
def source(dataset):
    return source_for(dataset)


def view_specs(dataset, source, view: str) -> dict[str, dict]:
    filters, period = VIEWS[view]
    start = filters.start or dataset.incidents["date"].min()
    end = filters.end or dataset.incidents["date"].max()
    data = chart_data(source, filters, dataset.sites, dataset.official_counts, period, start, end)
    return {name: chart.to_dict() for name, chart in view_charts(data).items()}


def units(spec: dict) -> list[dict]:
    """The single-view specs of a chart (its layers, or itself)."""
    return spec.get("layer", [spec])


def mark_type(unit: dict) -> str:
    return unit["mark"]["type"] if isinstance(unit["mark"], dict) else unit["mark"]


def data_rows(spec: dict, unit: dict) -> list[dict]:
    name = unit.get("data", spec.get("data", {})).get("name")
    return spec["datasets"][name]


def count_encodings(name: str, spec: dict) -> list[dict]:
    """The encodings that draw a count (incidents, attacks, people) on an axis."""
    found = []
    for unit in units(spec):
        for channel in ("x", "y"):
            encoding = unit.get("encoding", {}).get(channel, {})
            if encoding.get("type") == "quantitative":
                found.append(encoding)
    assert found, f"{name} has no count axis"
    return found


# --- every chart of every view ----------------------------------------------------------------------

@pytest.mark.parametrize("view", VIEWS)
def test_every_count_axis_has_whole_number_ticks(dataset, source, view):
    for name, spec in view_specs(dataset, source, view).items():
        for encoding in count_encodings(name, spec):
            axis = encoding.get("axis")
            if axis is None:  # a layer sharing the axis another layer sets
                assert "layer" in spec and any(e.get("axis") for e in count_encodings(name, spec)), name
                continue
            assert axis["tickMinStep"] == 1 and axis["format"] == ",d", (name, axis)


@pytest.mark.parametrize("view", VIEWS)
def test_every_coloured_series_has_a_legend_or_an_axis_naming_it(dataset, source, view):
    """Colour that tells series apart has a legend; colour that repeats a bar's axis label needs none."""
    for name, spec in view_specs(dataset, source, view).items():
        for unit in units(spec):
            encoding = unit["encoding"]
            if "color" not in encoding:  # one series in one colour: the title and axes say what it is
                assert name in ("per_site",), name
                continue
            colour = encoding["color"]
            if colour.get("legend", {}) is None:
                axis_fields = {encoding["y"]["field"], encoding["x"]["field"]}
                assert colour["field"] in axis_fields or (name == "per_type" and "label" in axis_fields), name
            else:
                assert "field" in colour, name


@pytest.mark.parametrize("view", ["one week", "one week per day", "one day"])
def test_short_views_draw_no_lines_between_periods(dataset, source, view):
    specs = view_specs(dataset, source, view)
    for name in ("over_time", "casualties"):
        assert mark_type(specs[name]) == "bar", name
        assert specs[name]["encoding"]["x2"]["field"] == "end"


@pytest.mark.parametrize("view", VIEWS)
def test_no_chart_has_rotated_or_cut_text(dataset, source, view):
    for name, spec in view_specs(dataset, source, view).items():
        text = json.dumps(spec)
        assert '"angle"' not in text and '"labelAngle"' not in text, name
        assert all(mark_type(unit) != "text" for unit in units(spec)), name


def test_small_charts_are_svg_and_large_ones_left_to_streamlit():
    small = charts.per_country_chart(pd.DataFrame({"country": ["Iraq", "Syria"], "count": [3, 1]})).to_dict()
    assert small["usermeta"]["embedOptions"]["renderer"] == "svg"
    many = pd.DataFrame({"country": [f"C{i}" for i in range(charts.SVG_MAX_MARKS + 1)], "count": 1})
    assert "usermeta" not in charts.per_country_chart(many).to_dict()


# --- each chart -----------------------------------------------------------------------------------------

def test_counts_over_time_is_stacked_by_country_and_spans_periods(dataset):
    spec = charts.counts_over_time_chart(count_by_period(dataset.incidents, "week", by="country"), "week").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["color"]["field"] == "country"
    assert spec["encoding"]["x2"]["field"] == "end"
    assert spec["encoding"]["x"]["title"] == "weeks from Monday"
    rows = next(iter(spec["datasets"].values()))
    assert sum(r["count"] for r in rows) == sum(len(c) for c in dataset.incidents["country"])


@pytest.mark.parametrize("period, days, ticks, fmt", [
    ("week", ["2024-01-22"], [(2024, 1, 22)], "%d %b"),
    ("day", pd.date_range("2024-01-22", "2024-01-28").astype(str), [(2024, 1, d) for d in range(22, 29)], "%a %d %b"),
    ("month", ["2023-12-01", "2024-01-01"], [(2023, 12, 1), (2024, 1, 1)], "%b %Y"),
])
def test_a_short_time_axis_has_one_tick_per_period(period, days, ticks, fmt):
    frame = pd.DataFrame({"period": pd.to_datetime(list(days)), "country": "Iraq", "count": 1})
    axis = charts.counts_over_time_chart(frame, period).to_dict()["encoding"]["x"]["axis"]
    assert [(v["year"], v["month"], v["date"]) for v in axis["values"]] == ticks
    assert axis["format"] == fmt


def test_a_long_time_axis_keeps_vegas_ticks():
    frame = pd.DataFrame({"period": pd.date_range("2024-01-01", periods=charts.SHORT_PERIODS + 1, freq="7D"),
                          "country": "Iraq", "count": 1})
    assert "values" not in charts.counts_over_time_chart(frame, "week").to_dict()["encoding"]["x"].get("axis", {})


def test_cumulative_vs_official_has_one_legend_for_the_line_and_the_points(dataset):
    comparison = compare_with_official(dataset.incidents, dataset.official_counts)
    daily = cumulative_counts(count_by_period(dataset.incidents, "day"))
    spec = charts.cumulative_vs_official_chart(daily, comparison).to_dict()
    line, points = spec["layer"]
    assert (mark_type(line), mark_type(points)) == ("line", "point")
    # both layers colour and shape by the same field through the same scales, so Vega-Lite draws one legend
    scales = {(channel, json.dumps(layer["encoding"][channel]["scale"]), layer["encoding"][channel]["field"])
              for layer in (line, points) for channel in ("color", "shape")}
    assert {field for _, _, field in scales} == {"series"} and len(scales) == 2
    legends = {json.dumps(layer["encoding"][c]["legend"]) for layer in (line, points) for c in ("color", "shape")}
    assert len(legends) == 1 and json.loads(legends.pop())["labelLimit"] == 0  # never cut
    domain = line["encoding"]["color"]["scale"]["domain"]
    shapes = dict(zip(domain, line["encoding"]["shape"]["scale"]["range"]))
    colours = dict(zip(domain, line["encoding"]["color"]["scale"]["range"]))
    assert domain[0] == "attacks in this dataset" and shapes[domain[0]] == "stroke"
    assert {row["series"] for row in data_rows(spec, line)} == {"attacks in this dataset"}
    wordings = {f"officials' total: {w}" for w in ("exactly", "at least", "about", "more than")}
    assert set(domain[1:]) == wordings == {row["series"] for row in data_rows(spec, points)}
    assert len({shapes[d] for d in domain}) == len(domain)  # each wording its own shape
    assert colours[domain[0]] != colours[domain[1]]
    tooltip_fields = {t["field"] for t in points["encoding"]["tooltip"]}
    assert {"reported_by", "official_total", "dataset_total", "gap"} <= tooltip_fields


def test_cumulative_vs_official_lists_only_the_wordings_shown(dataset):
    comparison = compare_with_official(dataset.incidents, dataset.official_counts)
    daily = cumulative_counts(count_by_period(dataset.incidents, "day"))
    only = comparison[comparison["qualifier"] == "more_than"]
    domain = charts.cumulative_vs_official_chart(daily, only).to_dict()["layer"][0]["encoding"]["color"]["scale"]
    assert domain["domain"] == ["attacks in this dataset", "officials' total: more than"]
    none = charts.cumulative_vs_official_chart(daily, comparison.iloc[:0]).to_dict()["layer"][0]
    assert none["encoding"]["color"]["scale"]["domain"] == ["attacks in this dataset"]


@pytest.mark.parametrize("builder, frame", [
    (charts.per_site_chart, lambda d: count_by_site(d.incidents, d.sites)),
    (charts.per_type_chart, lambda d: count_by(d.incidents, "event_type")),
    (charts.per_country_chart, lambda d: count_by(d.incidents, "country")),
])
def test_bar_charts(dataset, builder, frame):
    spec = builder(frame(dataset)).to_dict()
    assert spec["mark"]["type"] == "bar" and spec["encoding"]["x"]["field"] == "count"


def test_type_colours_and_labels_come_from_the_style(dataset):
    """Including a code the bundled data does not use and one nobody knows: the style decides both."""
    frame = pd.concat([count_by(dataset.incidents, "event_type"),
                       pd.DataFrame({"event_type": ["battle", "zz_new"], "count": [2, 1]})], ignore_index=True)
    spec = charts.per_type_chart(frame).to_dict()
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == style.types_in_order(frame["event_type"])  # the order of the map's legend
    assert scale["range"] == [style.event_colour(code) for code in scale["domain"]]
    labels = {row["event_type"]: row["label"] for row in next(iter(spec["datasets"].values()))}
    assert labels == {code: style.event_label(code) for code in frame["event_type"]}
    assert labels["zz_new"] == "zz_new"


def test_casualties_are_stacked_bars_killed_below(dataset):
    frame = casualties_by_period(dataset.incidents, "month")
    spec = charts.casualties_chart(frame, "month").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["killed", "injured"]
    assert spec["encoding"]["order"]["field"] == "stack"
    rows = next(iter(spec["datasets"].values()))
    assert {r["stack"] for r in rows if r["kind"] == "killed"} == {0}
    assert {r["stack"] for r in rows if r["kind"] == "injured"} == {1}
    assert sum(r["people"] for r in rows if r["kind"] == "killed") == int(frame["killed"].sum())
    assert sum(r["people"] for r in rows if r["kind"] == "injured") == int(frame["injured"].sum())


def test_casualties_of_one_week_are_one_period_of_bars():
    frame = pd.DataFrame({"period": pd.to_datetime(["2024-01-22"]), "count": [7], "killed": [4], "injured": [36]})
    spec = charts.casualties_chart(frame, "week").to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [(r["kind"], r["people"]) for r in rows] == [("killed", 4), ("injured", 36)]
    assert {r["end"][:10] for r in rows} == {"2024-01-29"}
    assert [v["date"] for v in spec["encoding"]["x"]["axis"]["values"]] == [22]
