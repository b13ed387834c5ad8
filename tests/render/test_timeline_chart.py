"""The map page's count chart per step: vertical bars from zero, whole-number axis, the shown step marked."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.render.timeline_chart import OTHER, SHOWN, step_chart


def counts() -> pd.DataFrame:
    return pd.DataFrame({"period": pd.to_datetime(["2023-10-16", "2023-10-23", "2023-10-30"]), "count": [3, 0, 7]})


def test_bars_stand_on_zero_with_integer_ticks():
    spec = step_chart(counts(), "week", None).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y2"] == {"datum": 0}
    axis = spec["encoding"]["y"]["axis"]
    assert axis["tickMinStep"] == 1 and axis["format"] == ",d"
    assert spec["encoding"]["y"]["scale"]["domainMin"] == 0


def test_the_step_shown_is_marked_and_the_others_are_not():
    chart = step_chart(counts(), "week", dt.date(2023, 10, 23))
    marks = list(chart.data["shown"])
    assert marks == ["not shown now", "on the map", "not shown now"]
    assert chart.to_dict()["encoding"]["color"]["scale"]["range"] == [SHOWN, OTHER]
    assert list(step_chart(counts(), "month", None).data["shown"]) == ["on the map"] * 3


def test_month_bars_end_on_the_next_first_of_month():
    data = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-02-01"]), "count": [1, 2]})
    chart = step_chart(data, "month", None)
    assert list(chart.data["end"]) == list(pd.to_datetime(["2024-02-01", "2024-03-01"]))
