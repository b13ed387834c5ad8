"""Altair charts of the filtered incidents: over time, cumulative against official totals, per site, type, casualties.

Text from the data reaches charts only as Vega text (axis labels, legends) and tooltips, which Vega
draws as SVG text or escapes (vega-tooltip sanitises HTML), never as markup.

Conventions every chart here keeps:

* a count (incidents, attacks, people) is an axis of whole numbers (:func:`count_axis`);
* every mark is named by a legend, or, for a chart of one series, by its own title and axis;
* colours and labels of event types come from :mod:`dashboard.render.style`, like the map's;
* a chart that draws few marks is drawn as SVG (:func:`finish`), so its text is text in the page.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.render.style import COUNTRY_COLOURS, event_colour, event_label, types_in_order

#: Heights below are those of the plotting area: Streamlit otherwise fits the whole chart, title and
#: axes included, into ``height`` and squashes small bar charts flat.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
QUALIFIER_SHAPES = {"exact": "circle", "at_least": "triangle-up", "about": "diamond", "more_than": "square"}
QUALIFIER_WORDS = {"exact": "exactly", "at_least": "at least", "about": "about", "more_than": "more than"}
#: Up to this many periods, the time axis has one tick at the start of each, labelled as the period is
#: counted (instead of Vega's own ticks, which put "12 PM" between the days of a one-week view).
SHORT_PERIODS = 7
TICK_FORMATS = {"day": "%a %d %b", "week": "%d %b", "month": "%b %Y"}
#: The time axis's title per period (weeks are counted from Monday, which a reader cannot guess).
PERIOD_AXIS_TITLES = {"week": "weeks from Monday"}
#: Most marks a chart may have and still be drawn as SVG; past it Streamlit's own choice (canvas) stands.
SVG_MAX_MARKS = 2000
DATASET_SERIES = "attacks in this dataset"
DATASET_COLOUR = "#333333"
OFFICIAL_COLOUR = "#D55E00"
CASUALTY_KINDS = {"killed": "#000000", "injured": "#E69F00"}


def count_axis(**kwargs) -> alt.Axis:
    """An axis of whole numbers: ticks at least one apart, labelled without decimals ("3", "1,200").

    Parameters
    ----------
    **kwargs
        Further :class:`altair.Axis` settings.

    Returns
    -------
    altair.Axis
    """
    return alt.Axis(tickMinStep=1, format=",d", **kwargs)


def finish(chart: alt.TopLevelMixin, height: int, marks: int) -> alt.TopLevelMixin:
    """Size ``chart`` to its container's width and ``height``; draw it as SVG when it has few ``marks``.

    Parameters
    ----------
    chart : altair.Chart or altair.LayerChart
    height : int
        Height of the plotting area, in pixels.
    marks : int
        About how many marks it draws (rows of its data). Up to :data:`SVG_MAX_MARKS`, Vega draws SVG,
        whose labels are text a reader can select, a screen reader can read and a test can find;
        past it, the renderer is left to Streamlit, which draws large charts on a canvas.
    """
    chart = chart.properties(autosize=FIT_WIDTH, width="container", height=height)
    if marks <= SVG_MAX_MARKS:
        chart = chart.properties(usermeta={"embedOptions": {"renderer": "svg"}})
    return chart


def _country_scale(countries) -> alt.Scale:
    names = sorted({c for c in countries if c})
    return alt.Scale(domain=names, range=[COUNTRY_COLOURS.get(c, "#999999") for c in names])


def period_end(starts: pd.Series, period: str) -> pd.Series:
    """The day after each period, so bars span their whole day, week or month."""
    if period == "month":
        return starts + pd.offsets.MonthBegin(1)
    return starts + pd.Timedelta(days=7 if period == "week" else 1)


def time_axis(starts, period: str) -> alt.Axis:
    """The time axis of a chart per ``period``: one tick per period start when there are few.

    Parameters
    ----------
    starts : sequence of datetime-like
        The first day of each period drawn (repeats allowed).
    period : str
        "day", "week" or "month".

    Returns
    -------
    altair.Axis
        With up to :data:`SHORT_PERIODS` periods, ticks at their starts labelled as in
        :data:`TICK_FORMATS`; otherwise Vega's own ticks.
    """
    days = sorted(set(pd.to_datetime(pd.Series(list(starts), dtype="object")).dropna()))
    if not days or len(days) > SHORT_PERIODS:
        return alt.Axis()
    values = [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in days]
    return alt.Axis(values=values, format=TICK_FORMATS.get(period, "%d %b"), labelOverlap=True)


def _period_bars(data: pd.DataFrame, period: str, title: str, value: str, axis_title: str,
                 colour: alt.Color, tooltip: list, height: int, order: alt.Order | None = None) -> alt.Chart:
    """Bars spanning each period (``start`` to ``end``), stacked by ``colour``: the shape of both charts over time."""
    encoding = dict(
        x=alt.X("start:T", title=PERIOD_AXIS_TITLES.get(period), axis=time_axis(data["start"], period)),
        x2="end:T",
        y=alt.Y(f"sum({value}):Q", title=axis_title, axis=count_axis()),
        color=colour,
        tooltip=tooltip,
    )
    if order is not None:
        encoding["order"] = order
    chart = alt.Chart(data, title=title).mark_bar(stroke="white", strokeWidth=0.5).encode(**encoding)
    return finish(chart, height, len(data))


def counts_over_time_chart(counts: pd.DataFrame, period: str) -> alt.Chart:
    """Stacked bars of incidents per period, split by country (from ``count_by_period(..., by="country")``).

    Parameters
    ----------
    counts : pandas.DataFrame
        ``period`` (first day), ``country`` and ``count``.
    period : str
        What a period is: "day", "week" or "month".
    """
    data = counts.rename(columns={"period": "start"}).assign(
        country=lambda f: f["country"].replace("", "(none)"), end=lambda f: period_end(f["start"], period))
    return _period_bars(
        data, period, f"Incidents per {period}, by country", "count", "incidents",
        alt.Color("country:N", scale=_country_scale(data["country"]), title="country"),
        [alt.Tooltip("start:T", title=f"{period} from"), "country:N",
         alt.Tooltip("count:Q", title="incidents", format=",d")], 260)


def official_series(qualifier: str) -> str:
    """The legend's name for an official total given with ``qualifier`` ("officials' total: at least")."""
    return f"officials' total: {QUALIFIER_WORDS.get(qualifier, qualifier)}"


def cumulative_vs_official_chart(cumulative: pd.DataFrame, comparison: pd.DataFrame) -> alt.LayerChart:
    """The dataset's cumulative count of attacks (a line) against the officials' running totals (points).

    One legend names the line and each wording of the officials' figures (its shape); who gave
    a figure, the dataset's count by then and the gap are in the point's tooltip. There are no
    text labels on the plot: the officials' figures crowd together in the first weeks, where any
    label would overlap the next one.

    Parameters
    ----------
    cumulative : pandas.DataFrame
        ``period`` (days) and ``cumulative``.
    comparison : pandas.DataFrame
        :func:`dashboard.core.query.official.compare_with_official` for the figures in the range.
    """
    official = comparison.dropna(subset=["official_total"]).assign(
        series=lambda f: f["qualifier"].map(official_series),
        wording=lambda f: f["qualifier"].map(lambda q: QUALIFIER_WORDS.get(q, q)),
        official_total=lambda f: f["official_total"].astype(float),
    )
    qualifiers = list(QUALIFIER_WORDS) + sorted(set(official["qualifier"]) - set(QUALIFIER_WORDS))
    present = [q for q in qualifiers if q in set(official["qualifier"])]
    series = alt.Scale(domain=[DATASET_SERIES] + [official_series(q) for q in present],
                       range=[DATASET_COLOUR] + [OFFICIAL_COLOUR] * len(present))
    shapes = alt.Scale(domain=[DATASET_SERIES] + [official_series(q) for q in present],
                       range=["stroke"] + [QUALIFIER_SHAPES.get(q, "circle") for q in present])
    legend = alt.Legend(title=None, labelLimit=0, symbolSize=90, symbolStrokeWidth=2)
    days = cumulative["period"] if len(cumulative) else pd.Series([], dtype="datetime64[ns]")
    line = (
        alt.Chart(cumulative.assign(series=DATASET_SERIES))
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X("period:T", title=None, axis=time_axis(days, "day")),
            y=alt.Y("cumulative:Q", title="attacks since 17 Oct 2023", axis=count_axis()),
            color=alt.Color("series:N", scale=series, legend=legend),
            shape=alt.Shape("series:N", scale=shapes, legend=legend),
            tooltip=[alt.Tooltip("period:T", title="day"), alt.Tooltip("cumulative:Q", title="in dataset", format=",d")],
        )
    )
    points = (
        alt.Chart(official)
        .mark_point(filled=True, size=70, opacity=1)
        .encode(
            x="date_reported:T",
            y="official_total:Q",
            color=alt.Color("series:N", scale=series, legend=legend),
            shape=alt.Shape("series:N", scale=shapes, legend=legend),
            tooltip=[alt.Tooltip("date_reported:T", title="reported"),
                     alt.Tooltip("official_total:Q", title="officials' total", format=",d"),
                     alt.Tooltip("wording:N", title="wording"), alt.Tooltip("reported_by:N", title="reported by"),
                     alt.Tooltip("dataset_total:Q", title="in dataset by then", format=",d"),
                     alt.Tooltip("gap:Q", title="not in dataset", format=",d")],
        )
    )
    chart = alt.layer(line, points).properties(title="Attacks in the dataset vs. officials' running totals")
    return finish(chart, 300, len(cumulative) + len(official))


def per_site_chart(site_counts: pd.DataFrame, top: int = 15) -> alt.Chart:
    """Horizontal bars of the sites with most incidents (from ``count_by_site``); one series, named by the title."""
    data = site_counts.head(top).assign(label=lambda f: f["name"].fillna(f["site_id"]))
    chart = (
        alt.Chart(data, title=f"Incidents naming each site (top {min(top, len(data))})")
        .mark_bar(color="#0072B2")
        .encode(
            y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X("count:Q", title="incidents", axis=count_axis()),
            tooltip=["label:N", "site_id:N", "country:N", alt.Tooltip("count:Q", format=",d")],
        )
    )
    return finish(chart, max(120, 22 * len(data)), len(data))


def per_type_chart(type_counts: pd.DataFrame) -> alt.Chart:
    """Bars of incidents per event type, in the map's colours; each bar is named by its axis label.

    Labels and colours come from :func:`dashboard.render.style.event_label` and
    :func:`~dashboard.render.style.event_colour`, so a type the style knows (a bundled or an
    imported category) looks as it does on the map; the colour scale lists the types in the
    style's order (:func:`~dashboard.render.style.types_in_order`).
    """
    codes = types_in_order(type_counts["event_type"])
    data = type_counts.assign(label=lambda f: f["event_type"].map(event_label))
    chart = (
        alt.Chart(data, title="Incidents per event type")
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort="-x", title=None),
            x=alt.X("count:Q", title="incidents", axis=count_axis()),
            color=alt.Color("event_type:N", legend=None, scale=alt.Scale(
                domain=codes, range=[event_colour(c) for c in codes])),
            tooltip=[alt.Tooltip("label:N", title="type"), alt.Tooltip("count:Q", title="incidents", format=",d")],
        )
    )
    return finish(chart, max(100, 28 * len(data)), len(data))


def per_country_chart(country_counts: pd.DataFrame) -> alt.Chart:
    """Bars of incidents per country (a record naming two countries counts under each), named by the axis."""
    data = country_counts.assign(country=lambda f: f["country"].replace("", "(none)"))
    chart = (
        alt.Chart(data, title="Incidents per country")
        .mark_bar()
        .encode(
            y=alt.Y("country:N", sort="-x", title=None),
            x=alt.X("count:Q", title="incidents", axis=count_axis()),
            color=alt.Color("country:N", legend=None, scale=_country_scale(data["country"])),
            tooltip=["country:N", alt.Tooltip("count:Q", title="incidents", format=",d")],
        )
    )
    return finish(chart, max(80, 30 * len(data)), len(data))


def casualties_chart(casualties: pd.DataFrame, period: str) -> alt.Chart:
    """Killed and injured per period, as bars stacked over each period's span (the lower stated figures).

    Bars at every length of range, not a line: each figure is a total for its own period, and a
    line drawn between two or three of them reads as a trend that is not there. Stacked (killed
    below, injured above) on the same time axis as the incidents per period, so the two charts
    line up and a bar's height is the people killed or injured; each part's figure is in its tooltip.
    Records without figures add nothing.

    Parameters
    ----------
    casualties : pandas.DataFrame
        ``period`` (first day), ``killed`` and ``injured`` (from ``casualties_by_period``).
    period : str
        What a period is: "day", "week" or "month".
    """
    data = casualties.melt(id_vars=["period"], value_vars=list(CASUALTY_KINDS), var_name="kind", value_name="people")
    data = data.rename(columns={"period": "start"}).assign(
        end=lambda f: period_end(pd.to_datetime(f["start"]), period),
        stack=lambda f: f["kind"].map({kind: n for n, kind in enumerate(CASUALTY_KINDS)}),
        people=lambda f: pd.to_numeric(f["people"]).fillna(0).astype("int64"))
    return _period_bars(
        data, period, f"Killed and injured per {period}", "people", "people, all sides",
        alt.Color("kind:N", title=None, scale=alt.Scale(domain=list(CASUALTY_KINDS), range=list(CASUALTY_KINDS.values()))),
        [alt.Tooltip("start:T", title=f"{period} from"), alt.Tooltip("kind:N", title="figure"),
         alt.Tooltip("people:Q", format=",d")], 220, order=alt.Order("stack:Q"))
