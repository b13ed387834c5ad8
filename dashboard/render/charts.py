"""Altair charts of the filtered incidents: over time, cumulative against official totals, per site, type, casualties.

Text from the data reaches charts only as Vega text marks and tooltips, which Vega draws as SVG
text or escapes (vega-tooltip sanitises HTML), never as markup.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.core.data.columns import EVENT_TYPES

from dashboard.render.style import COUNTRY_COLOURS, EVENT_COLOURS

#: Heights below are those of the plotting area: Streamlit otherwise fits the whole chart, title and
#: axes included, into ``height`` and squashes small bar charts flat.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
PERIOD_LABELS = {"day": "day", "week": "week (from Monday)", "month": "month"}
QUALIFIER_SHAPES = {"exact": "circle", "at_least": "triangle-up", "about": "diamond", "more_than": "square"}
QUALIFIER_WORDS = {"exact": "exactly", "at_least": "at least", "about": "about", "more_than": "more than"}


def _country_scale(countries) -> alt.Scale:
    names = sorted({c for c in countries if c})
    return alt.Scale(domain=names, range=[COUNTRY_COLOURS.get(c, "#999999") for c in names])


def period_end(starts: pd.Series, period: str) -> pd.Series:
    """The day after each period, so bars span their whole day, week or month."""
    if period == "month":
        return starts + pd.offsets.MonthBegin(1)
    return starts + pd.Timedelta(days=7 if period == "week" else 1)


def counts_over_time_chart(counts: pd.DataFrame, period: str) -> alt.Chart:
    """Stacked bars of incidents per period, split by country (from ``count_by_period(..., by="country")``)."""
    data = counts.rename(columns={"period": "start"}).assign(
        country=lambda f: f["country"].replace("", "(none)"), end=lambda f: period_end(f["start"], period))
    return (
        alt.Chart(data, title=f"Incidents per {PERIOD_LABELS.get(period, period)}, by country")
        .mark_bar(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("start:T", title=None),
            x2="end:T",
            y=alt.Y("sum(count):Q", title="incidents"),
            color=alt.Color("country:N", scale=_country_scale(data["country"]), title="country"),
            tooltip=[alt.Tooltip("start:T", title=f"{period} from"), "country:N", alt.Tooltip("count:Q", title="incidents")],
        )
        .properties(autosize=FIT_WIDTH, width="container", height=260)
    )


def label_spaced(dates: pd.Series, min_days: int = 10) -> pd.Series:
    """True for the points to label: the first, then none closer than ``min_days`` to the last labelled one."""
    keep, last = [], None
    for day in pd.to_datetime(dates):
        ok = last is None or (day - last).days >= min_days
        keep.append(ok)
        last = day if ok else last
    return pd.Series(keep, index=dates.index)


def short_reporter(text: str, limit: int = 18) -> str:
    """A short label for who reported a figure: its first words, cut at ``limit`` characters."""
    text = str(text).split("(")[0].split(";")[0].strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def cumulative_vs_official_chart(cumulative: pd.DataFrame, comparison: pd.DataFrame) -> alt.LayerChart:
    """The dataset's cumulative count of attacks (line) against the officials' running totals (points).

    ``cumulative`` has ``period`` and ``cumulative``; ``comparison`` is
    :func:`dashboard.core.query.reference.compare_with_official`.
    """
    line = (
        alt.Chart(cumulative.assign(series="attacks in this dataset"))
        .mark_line(interpolate="step-after", color="#333333")
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("cumulative:Q", title="attacks since 17 Oct 2023",
                    scale=alt.Scale(domainMax=_headroom(cumulative, comparison))),
            tooltip=[alt.Tooltip("period:T", title="day"), alt.Tooltip("cumulative:Q", title="in dataset")],
        )
    )
    official = comparison.dropna(subset=["official_total"]).assign(
        wording=lambda f: f["qualifier"].map(lambda q: QUALIFIER_WORDS.get(q, q)),
        label=lambda f: f["reported_by"].map(short_reporter),
        official_total=lambda f: f["official_total"].astype(float),
    )
    points = (
        alt.Chart(official)
        .mark_point(filled=True, size=70, color="#D55E00")
        .encode(
            x="date_reported:T",
            y="official_total:Q",
            shape=alt.Shape("wording:N", title="official wording",
                            scale=alt.Scale(domain=list(QUALIFIER_WORDS.values()), range=list(QUALIFIER_SHAPES.values()))),
            tooltip=[alt.Tooltip("date_reported:T", title="reported"), alt.Tooltip("official_total:Q", title="official total"),
                     alt.Tooltip("wording:N", title="wording"), alt.Tooltip("reported_by:N", title="reported by"),
                     alt.Tooltip("dataset_total:Q", title="in dataset by then"), alt.Tooltip("gap:Q", title="not in dataset")],
        )
    )
    labels = (
        alt.Chart(official[label_spaced(official["date_reported"])])
        .mark_text(align="left", dx=5, dy=-6, fontSize=9, angle=330, color="#7a3000")
        .encode(x="date_reported:T", y="official_total:Q", text="label:N")
    )
    return alt.layer(line, points, labels).properties(
        title="Attacks in the dataset vs. officials' running totals", autosize=FIT_WIDTH, width="container", height=300)


def _headroom(cumulative: pd.DataFrame, comparison: pd.DataFrame) -> float:
    """Top of the y axis: a quarter above the highest value, so the rotated labels fit."""
    values = [float(cumulative["cumulative"].max()) if len(cumulative) else 0.0]
    if len(comparison):
        values.append(float(pd.to_numeric(comparison["official_total"], errors="coerce").max()))
    return max(max(values) * 1.25, 5.0)


def per_site_chart(site_counts: pd.DataFrame, top: int = 15) -> alt.Chart:
    """Horizontal bars of the sites with most incidents (from ``count_by_site``)."""
    data = site_counts.head(top).assign(label=lambda f: f["name"].fillna(f["site_id"]))
    return (
        alt.Chart(data, title=f"Incidents per site (top {min(top, len(data))})")
        .mark_bar(color="#0072B2")
        .encode(
            y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X("count:Q", title="incidents naming the site"),
            tooltip=["label:N", "site_id:N", "country:N", "count:Q"],
        )
        .properties(autosize=FIT_WIDTH, width="container", height=max(120, 22 * len(data)))
    )


def per_type_chart(type_counts: pd.DataFrame) -> alt.Chart:
    """Bars of incidents per event type, in the map's colours."""
    data = type_counts.assign(label=lambda f: f["event_type"].map(lambda t: EVENT_TYPES.get(t, t)))
    codes = [c for c in EVENT_TYPES if c in set(data["event_type"])]
    return (
        alt.Chart(data, title="Incidents per event type")
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort="-x", title=None),
            x=alt.X("count:Q", title="incidents"),
            color=alt.Color("label:N", legend=None, scale=alt.Scale(
                domain=[EVENT_TYPES[c] for c in codes], range=[EVENT_COLOURS[c] for c in codes])),
            tooltip=["label:N", "count:Q"],
        )
        .properties(autosize=FIT_WIDTH, width="container", height=max(100, 28 * len(data)))
    )


def per_country_chart(country_counts: pd.DataFrame) -> alt.Chart:
    """Bars of incidents per country (a record naming two countries counts under each)."""
    data = country_counts.assign(country=lambda f: f["country"].replace("", "(none)"))
    return (
        alt.Chart(data, title="Incidents per country")
        .mark_bar()
        .encode(
            y=alt.Y("country:N", sort="-x", title=None),
            x=alt.X("count:Q", title="incidents"),
            color=alt.Color("country:N", legend=None, scale=_country_scale(data["country"])),
            tooltip=["country:N", "count:Q"],
        )
        .properties(autosize=FIT_WIDTH, width="container", height=max(80, 30 * len(data)))
    )


def casualties_chart(casualties: pd.DataFrame, period: str) -> alt.Chart:
    """Killed and injured per period (the lower stated figures; records without figures add nothing)."""
    data = casualties.melt(id_vars=["period"], value_vars=["killed", "injured"], var_name="kind", value_name="people")
    return (
        alt.Chart(data, title=f"Killed and injured per {period} (all sides)")
        .mark_line(point=True, interpolate="linear", strokeWidth=1.5)
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("people:Q", title="people"),
            color=alt.Color("kind:N", scale=alt.Scale(domain=["killed", "injured"], range=["#000000", "#E69F00"]), title=None),
            tooltip=[alt.Tooltip("period:T", title=f"{period} from"), "kind:N", "people:Q"],
        )
        .properties(autosize=FIT_WIDTH, width="container", height=220)
    )
