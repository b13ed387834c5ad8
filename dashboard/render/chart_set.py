"""All the charts of one view, built the same way for the Charts page and the HTML export."""
from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.core.query.reference import (casualties_by_period, chart_period, count_by, count_by_period, count_by_site,
                                      cumulative_against_official)

from dashboard.render import charts


def view_charts(
    incidents: pd.DataFrame,
    undated: pd.DataFrame,
    sites: pd.DataFrame,
    official_counts: pd.DataFrame,
    period: str,
    start,
    end,
) -> dict[str, alt.TopLevelMixin]:
    """The charts of a view, by name, in page order.

    Parameters
    ----------
    incidents : DataFrame
        The incidents that pass all filters.
    undated : DataFrame
        The incidents that pass the filters other than the dates (the
        cumulative line counts from 17 Oct 2023, as the officials did).
    sites, official_counts : DataFrame
        The gazetteer and the officials' running totals.
    period : {"day", "week", "month"}
        Made coarser where it would draw more than ``MAX_PERIODS`` bars (:func:`chart_period`).
    start, end : date-like
        The span shown.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    period, _ = chart_period(period, start, end)
    daily, comparison = cumulative_against_official(undated, official_counts, start, end)
    return {
        "over_time": charts.counts_over_time_chart(count_by_period(incidents, period, start, end, by="country"), period),
        "vs_official": charts.cumulative_vs_official_chart(daily, comparison),
        "per_site": charts.per_site_chart(count_by_site(incidents, sites)),
        "per_type": charts.per_type_chart(count_by(incidents, "event_type")),
        "per_country": charts.per_country_chart(count_by(incidents, "country")),
        "casualties": charts.casualties_chart(casualties_by_period(incidents, period, start, end), period),
    }
