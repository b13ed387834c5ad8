"""All the charts of one view, built the same way for the Charts page and the HTML export."""
from __future__ import annotations

import altair as alt

from dashboard.render import charts


def view_charts(data: dict) -> dict[str, alt.TopLevelMixin]:
    """The charts of a view, by name, in page order.

    Parameters
    ----------
    data : dict
        :func:`dashboard.core.query.page_data.chart_data`: the counts of each
        chart and the period they are counted in (already made coarser where
        the span would need more than ``MAX_PERIODS`` bars).
    """
    period = data["period"]
    return {
        "over_time": charts.counts_over_time_chart(data["over_time"], period),
        "vs_official": charts.cumulative_vs_official_chart(data["daily"], data["comparison"]),
        "per_site": charts.per_site_chart(data["per_site"]),
        "per_type": charts.per_type_chart(data["per_type"]),
        "per_country": charts.per_country_chart(data["per_country"]),
        "casualties": charts.casualties_chart(data["casualties"], period),
    }
