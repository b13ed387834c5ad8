"""Issue 8, item 3: a link cannot ask for millions of periods; its dates are clamped to the data's span."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.query.periods import MAX_PERIODS, chart_period
from dashboard.core.view.share import parse_view
from tests.conftest import ROOT

from .test_share import VOCAB

D = dt.date


@pytest.mark.parametrize("params, start, end, said", [
    ({"start": "0001-01-01", "end": "9999-12-31"}, D(2023, 10, 17), None,
     ["start date 0001-01-01 is before the data begins", "end date 9999-12-31 is after the data ends"]),
    ({"end": "9999-12-31"}, None, None, ["showing up to 2024-11-13"]),
    ({"start": "2030-01-01"}, None, None, ["lie outside the data (the data runs from 2023-10-17 to 2024-11-13)"]),
    ({"start": "1990-01-01", "end": "1991-01-01"}, None, None, ["showing the whole period instead"]),
    ({"start": "2023-10-17", "end": "2023-11-23"}, D(2023, 10, 17), D(2023, 11, 23), []),
])
def test_dates_are_clamped_to_the_data_with_a_warning(params, start, end, said):
    state, warnings = parse_view(params, VOCAB)
    assert (state.filters.start, state.filters.end) == (start, end)
    assert len(warnings) == len(said)
    for warning, words in zip(warnings, said):
        assert words in warning


@pytest.mark.parametrize("period, start, end, drawn", [
    ("day", "2023-10-17", "2024-11-13", "day"),     # 394 days: still readable
    ("day", "2020-01-01", "2023-12-31", "week"),
    ("week", "1989-01-01", "2018-12-31", "month"),
    ("day", "1979-01-01", "2025-12-31", "month"),   # the coarsest there is, even past the bound
    ("month", "2023-01-01", "2023-03-01", "month"),
])
def test_chart_period_becomes_coarser_past_the_bound(period, start, end, drawn):
    chosen, note = chart_period(period, start, end)
    assert chosen == drawn
    assert (note is None) == (drawn == period)
    if note:
        assert f"Counted per {drawn}" in note and f"at most {MAX_PERIODS}" in note


def test_the_unbounded_charts_link_draws_quickly():
    """/charts?start=0001-01-01&end=9999-12-31&period=day took 30 s and 3.5 GB before."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    for key, value in {"start": "0001-01-01", "end": "9999-12-31", "period": "day"}.items():
        at.query_params[key] = value
    started = time.perf_counter()
    at.run()
    at.switch_page("dashboard/app_pages/charts_page.py")
    at.run()
    assert [e.proto.spec for e in at.get("arrow_vega_lite_chart")] or at.get("vega_lite_chart")
    assert time.perf_counter() - started < 20
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "0001-01-01 is before the data begins" in warnings and "9999-12-31 is after the data ends" in warnings
    assert at.query_params["start"] == "2023-10-17" and "end" not in at.query_params
