"""Every query of the query layer, by name, and a table of filter combinations: what two engines must agree on.

``QUERIES`` calls each public function of ``dashboard.core.query`` that reads
the engine (with the arguments the pages pass), so a new query that is not
listed here is not proved equal on Spark: ``test_every_query_is_listed``
checks the list against the modules. :func:`comparable` turns an answer
(frames, dicts, dataclasses, tuples) into plain values so two engines' answers
compare with ``==``, NaN and None alike, integers and whole floats alike.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pandas as pd

from dashboard.core.query import counts, datasets, mapping, official, page_data, rows
from dashboard.core.view.filters import Filters
from dashboard.core.view.map_window import MapWindow

D = dt.date
#: A window over northern Syria and Iraq at zoom 8 (the map following a pan at scale).
WINDOW = MapWindow(zoom=8, south=33.0, west=38.0, north=37.0, east=44.0)
BOX = (33.0, 38.0, 37.0, 44.0)
RECORDS = [{"date": "2024-02-02", "date_end": "2024-02-04"}]

#: name -> call(source, stored, filters); ``stored`` gives the gazetteer and the officials' counts.
QUERIES = {
    "headline": lambda s, st, f: counts.headline(s, f),
    "span": lambda s, st, f: counts.span(s, f),
    "count_by_period week": lambda s, st, f: counts.count_by_period(s, f, "week"),
    "count_by_period month by country": lambda s, st, f: counts.count_by_period(s, f, "month", by="country"),
    "count_by_period day by site, Jan 2024": lambda s, st, f: counts.count_by_period(
        s, f, "day", D(2024, 1, 1), D(2024, 1, 31), by="site_id"),
    "count_by country": lambda s, st, f: counts.count_by(s, f, "country"),
    "count_by event_type": lambda s, st, f: counts.count_by(s, f, "event_type"),
    "count_by confirmation": lambda s, st, f: counts.count_by(s, f, "confirmation"),
    "count_by date_certainty": lambda s, st, f: counts.count_by(s, f, "date_certainty"),
    "count_by_site": lambda s, st, f: counts.count_by_site(s, f, st.sites),
    "casualties_by_period month": lambda s, st, f: counts.casualties_by_period(s, f, "month"),
    "count_multi_country": lambda s, st, f: counts.count_multi_country(s, f),
    "attack_days": lambda s, st, f: counts.attack_days(s, f, D(2023, 10, 17), D(2024, 3, 31)),
    "vocabulary": lambda s, st, f: counts.vocabulary(s, st.sites, today=D(2026, 1, 1)),
    "data_parts": lambda s, st, f: datasets.data_parts(s),
    "total": lambda s, st, f: rows.total(s, f),
    "total unmapped": lambda s, st, f: rows.total(s, f, "unmapped"),
    "total uncertain_date at IQ-ASAD": lambda s, st, f: rows.total(s, f, "uncertain_date", "IQ-ASAD"),
    "page by date": lambda s, st, f: rows.page(s, f, 0, 50),
    "page by killed, descending, offset 20": lambda s, st, f: rows.page(s, f, 20, 30, "killed", True),
    "page_with_total at SY-TANF": lambda s, st, f: rows.page_with_total(s, f, 0, 20, site="SY-TANF"),
    "all_rows unmapped": lambda s, st, f: rows.all_rows(s, f, "unmapped").head(2000),
    "all_placements": lambda s, st, f: rows.all_placements(s, f).head(2000),
    "nearby_incidents": lambda s, st, f: rows.nearby_incidents(s, RECORDS, 3).head(2000),
    "site_summary": lambda s, st, f: mapping.site_summary(s, f),
    "site_summary in a box, top 20": lambda s, st, f: mapping.site_summary(s, f, 20, BOX),
    "grid_cells 1°": lambda s, st, f: mapping.grid_cells(s, f, 1.0),
    "grid_cells 0.25° in a box": lambda s, st, f: mapping.grid_cells(s, f, 0.25, BOX),
    "cell_count 0.1°": lambda s, st, f: mapping.cell_count(s, f, 0.1),
    "overview": lambda s, st, f: mapping.overview(s, f),
    "overview in a box": lambda s, st, f: mapping.overview(s, f, BOX),
    "incident_points": lambda s, st, f: mapping.incident_points(s, f, 500),
    "incident_points in a box": lambda s, st, f: mapping.incident_points(s, f, 500, BOX),
    "placed_count": lambda s, st, f: mapping.placed_count(s, f),
    "compare_with_official": lambda s, st, f: official.compare_with_official(s, f, st.official_counts),
    "cumulative_against_official": lambda s, st, f: official.cumulative_against_official(
        s, f, st.official_counts, D(2023, 10, 17), D(2024, 6, 30)),
    "chart_data": lambda s, st, f: page_data.chart_data(s, f, st.sites, st.official_counts, "week",
                                                      D(2023, 10, 17), D(2024, 3, 31)),
    "map_data sites": lambda s, st, f: page_data.map_data(s, f, "sites"),
    "map_data incidents in a window": lambda s, st, f: page_data.map_data(s, f, "incidents", WINDOW),
}

#: The filter combinations every query is asked under.
FILTERS = {
    "everything": Filters(),
    "a date range": Filters(start=D(2024, 1, 1), end=D(2024, 3, 31)),
    "one country": Filters(countries=("Syria",)),
    "two countries and types": Filters(countries=("Iraq", "Jordan"), types=("drone", "rocket")),
    "one site and a range": Filters(start=D(2023, 10, 17), end=D(2024, 6, 30), sites=("IQ-ASAD",)),
    "sites, statuses and a range": Filters(start=D(2024, 2, 1), end=D(2025, 2, 1), sites=("SY-TANF", "JO-TOWER22"),
                                           statuses=("claim-only", "US-official")),
    "a type and a status": Filters(types=("missile",), statuses=("local-official",)),
    "nothing matches": Filters(start=D(2030, 1, 1), end=D(2030, 2, 1)),
}


def comparable(value):
    """``value`` as plain Python (lists, dicts, numbers, strings, ISO dates) so that equal answers compare equal."""
    if isinstance(value, pd.DataFrame):
        frame = value.reset_index(drop=True)
        return {"columns": [str(c) for c in frame.columns],
                "rows": [[comparable(v) for v in row] for row in frame.itertuples(index=False, name=None)]}
    if isinstance(value, pd.Series):
        return [comparable(v) for v in value.tolist()]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: comparable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): comparable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [comparable(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, dt.date):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None
        return int(value) if float(value).is_integer() else round(float(value), 9)
    return value


def answers(source, stored, filters: Filters, names=None) -> dict:
    """Each query's answer (``comparable``) for one filter combination."""
    return {name: comparable(QUERIES[name](source, stored, filters)) for name in (names or QUERIES)}


def differences(expected: dict, got: dict) -> list[str]:
    """The queries whose answers differ, each with the first differing part."""
    out = []
    for name, want in expected.items():
        have = got.get(name)
        if have != want:
            out.append(f"{name}: {_first_difference(want, have)}")
    return out


def _first_difference(want, have, where="") -> str:
    if isinstance(want, dict) and isinstance(have, dict):
        for key in want.keys() | have.keys():
            if want.get(key) != have.get(key):
                return _first_difference(want.get(key), have.get(key), f"{where}.{key}")
    if isinstance(want, list) and isinstance(have, list):
        if len(want) != len(have):
            return f"{where}: {len(want)} items, got {len(have)}"
        for i, (a, b) in enumerate(zip(want, have)):
            if a != b:
                return _first_difference(a, b, f"{where}[{i}]")
    return f"{where}: expected {want!r}, got {have!r}"[:400]
