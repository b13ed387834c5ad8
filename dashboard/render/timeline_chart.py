"""The map page's small count chart: incidents per step of the selected range, the step the map shows marked."""
from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

SHOWN, OTHER = "#B3461C", "#9AA5B1"


def step_chart(counts: pd.DataFrame, step: str, at: dt.date | None) -> alt.Chart:
    """Bars of incidents per week or month (``counts``: ``period`` and ``count``); the bar of ``at`` stands out.

    With ``at`` None (the whole range on the map) every bar has the marked colour.
    """
    end = counts["period"] + (pd.Timedelta(days=7) if step == "week" else pd.offsets.MonthBegin(1))
    shown = [at is None or p.date() == at for p in counts["period"]]
    data = counts.assign(end=end, shown=["on the map" if s else "not shown now" for s in shown])
    return (
        alt.Chart(data)
        .mark_bar(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("period:T", title=None, axis=alt.Axis(labelOverlap=True)),
            x2="end:T",
            y=alt.Y("count:Q", title=f"per {step}", scale=alt.Scale(domainMin=0, nice=True),
                    axis=alt.Axis(tickMinStep=1, format=",d", tickCount=3, titleFontWeight="normal")),
            y2=alt.datum(0),  # with x2 set, a bar without y2 would be a thin horizontal band at its count
            color=alt.Color("shown:N", title=None, legend=None,
                            scale=alt.Scale(domain=["on the map", "not shown now"], range=[SHOWN, OTHER])),
            tooltip=[alt.Tooltip("period:T", title=f"{step} from"), alt.Tooltip("count:Q", title="incidents")],
        )
        .properties(height=110, width="container")
    )
