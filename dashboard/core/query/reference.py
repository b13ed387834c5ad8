"""The pandas path: every query answered over in-memory frames, the oracle the engine's queries are tested against.

It works on what :func:`dashboard.core.data.dataset.load_dataset` and
:func:`dashboard.core.places.join.join_incidents` return (list columns as
tuples). It is plain and slow on purpose: a few thousand rows in tests, and
the "before" column of the benchmarks.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dashboard.core.data.columns import ALL_EVENT_TYPES, CAMPAIGN_START, STATUS_LABELS, UNASSESSED
from dashboard.core.data.columns import attack_mask  # noqa: F401 (the one definition, re-exported)
from dashboard.core.places.join import GAZETTEER_SITE
from dashboard.core.query.periods import check_period, cumulative_counts, period_index, period_start
from dashboard.core.view.filters import Filters, apply_filters
from dashboard.core.view.share import Vocabulary

LIST_COLUMNS = ("country", "site_id")
COMPARISON_COLUMNS = ["count_id", "date_reported", "official_total", "qualifier", "reported_by", "official_iraq",
                      "official_syria", "dataset_total", "dataset_iraq", "dataset_syria", "gap"]
SUMMARY_COLUMNS = ["site_id", "place_kind", "site_name", "lat", "lon", "coord_precision", "uncertainty_km", "count",
                   "top_type"]


def select(incidents: pd.DataFrame, placements: pd.DataFrame, unmapped: pd.DataFrame, filters: Filters):
    """The incidents that pass ``filters``, their placements and those of them that cannot be placed."""
    chosen = apply_filters(incidents, filters)
    ids = set(chosen["incident_id"])
    return chosen, placements[placements["incident_id"].isin(ids)], unmapped[unmapped["incident_id"].isin(ids)]


def explode_list(incidents: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per value of a list column (``country`` or ``site_id``); none named -> ``""``."""
    frame = incidents.copy()
    frame[column] = [tuple(v) if v else ("",) for v in frame[column]]
    return frame.explode(column)


def count_by_period(incidents: pd.DataFrame, period: str = "week", start: dt.date | str | None = None,
                    end: dt.date | str | None = None, by: str | None = None) -> pd.DataFrame:
    """Incidents per day, week or month, every period in ``start..end`` present (zero when empty).

    Parameters
    ----------
    incidents : pandas.DataFrame
        Incidents with a ``date`` column.
    period : {"day", "week", "month"}
        Weeks start on Monday; a period is labelled by its first day.
    start, end : date, optional
        The span to fill; default the span of the incidents.
    by : str, optional
        A column to split the counts by. For ``country`` and ``site_id`` an
        incident counts once under each value it names, so the groups can
        add up to more than the number of incidents.

    Returns
    -------
    pandas.DataFrame
        Columns ``period``, (``by``,) ``count``.
    """
    check_period(period)
    columns = ["period"] + ([by] if by else []) + ["count"]
    if incidents.empty and (start is None or end is None):
        return pd.DataFrame(columns=columns)
    start = pd.Timestamp(start) if start is not None else incidents["date"].min()
    end = pd.Timestamp(end) if end is not None else incidents["date"].max()
    if start > end:
        raise ValueError(f"`start` ({start.date()}) is after `end` ({end.date()})")
    index = period_index(start, end, period)
    frame = incidents[(incidents["date"] >= start) & (incidents["date"] <= end)]
    if by in LIST_COLUMNS:
        frame = explode_list(frame, by)
    frame = frame.assign(period=period_start(frame["date"], period))
    if not by:
        counts = frame.groupby("period").size().reindex(index, fill_value=0)
        return counts.rename_axis("period").reset_index(name="count")
    groups = sorted(frame[by].dropna().unique())
    full = pd.MultiIndex.from_product([index, groups], names=["period", by])
    counts = frame.groupby(["period", by]).size().reindex(full, fill_value=0)
    return counts.reset_index(name="count")


def count_by(incidents: pd.DataFrame, column: str) -> pd.DataFrame:
    """Incidents per value of ``column``, largest first; list columns count once per value."""
    frame = explode_list(incidents, column) if column in LIST_COLUMNS else incidents
    counts = frame.groupby(column).size().sort_values(ascending=False, kind="stable")
    return counts.rename_axis(column).reset_index(name="count")


def count_by_site(incidents: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Incidents per named site with the site's name and country; ``""`` collects incidents naming none."""
    counts = count_by(incidents, "site_id")
    names = sites.set_index("site_id")[["name", "country"]]
    counts = counts.join(names, on="site_id")
    return counts.fillna({"name": "(no site named)", "country": ""})


def casualties_by_period(incidents: pd.DataFrame, period: str = "month", start=None, end=None) -> pd.DataFrame:
    """Killed and injured per period (the stated lower figures), zero-filled like :func:`count_by_period`."""
    base = count_by_period(incidents, period, start, end)
    if base.empty:
        return base.assign(killed=[], injured=[])
    frame = incidents.assign(period=period_start(incidents["date"], period))
    sums = frame.groupby("period")[["killed", "injured"]].sum(min_count=1).fillna(0).astype("int64")
    out = base.join(sums, on="period")
    out[["killed", "injured"]] = out[["killed", "injured"]].fillna(0).astype("int64")
    return out


def compare_with_official(incidents: pd.DataFrame, official_counts: pd.DataFrame,
                          since: str = CAMPAIGN_START) -> pd.DataFrame:
    """For each official running total, how many attacks the dataset holds up to the same date.

    Only attacks on US / coalition forces count (US strikes are left out), dated
    from ``since`` to the date of the official figure, inclusive; an attack
    naming several sites counts once. ``gap`` is official minus dataset.
    """
    since = pd.Timestamp(since)
    attacks = incidents[attack_mask(incidents) & (incidents["date"] >= since)]
    dates = attacks["date"].sort_values().to_numpy()
    in_iraq = attacks.loc[attacks["country"].map(lambda v: "Iraq" in v).astype(bool), "date"].sort_values().to_numpy()
    in_syria = attacks.loc[attacks["country"].map(lambda v: "Syria" in v).astype(bool), "date"].sort_values().to_numpy()
    rows = []
    for row in official_counts.itertuples(index=False):
        day = pd.Timestamp(row.date_reported).to_datetime64()
        dataset = int(dates.searchsorted(day, side="right"))
        rows.append({
            "count_id": row.count_id, "date_reported": row.date_reported, "official_total": row.cumulative_total,
            "qualifier": row.qualifier, "reported_by": row.reported_by, "official_iraq": row.iraq,
            "official_syria": row.syria, "dataset_total": dataset,
            "dataset_iraq": int(in_iraq.searchsorted(day, side="right")),
            "dataset_syria": int(in_syria.searchsorted(day, side="right")),
            "gap": None if pd.isna(row.cumulative_total) else int(row.cumulative_total) - dataset,
        })
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def cumulative_against_official(incidents: pd.DataFrame, official_counts: pd.DataFrame, start, end,
                                since: str = CAMPAIGN_START) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The daily cumulative count of attacks since ``since`` and the official totals, both within ``start..end``.

    ``incidents`` should not be cut by date: officials counted from ``since``,
    so the line must too. Returns ``(daily, comparison)``: ``daily`` has
    ``period``, ``count`` and ``cumulative``; ``comparison`` is
    :func:`compare_with_official` for the official figures dated in the range.
    """
    start, end, since = pd.Timestamp(start), pd.Timestamp(end), pd.Timestamp(since)
    attacks = incidents[attack_mask(incidents) & (incidents["date"] >= since)]
    official = official_counts[(official_counts["date_reported"] >= start) & (official_counts["date_reported"] <= end)]
    comparison = compare_with_official(attacks, official, since)
    line_end = max(end, official["date_reported"].max()) if len(official) else end
    if line_end < since:
        return pd.DataFrame(columns=["period", "count", "cumulative"]), comparison
    daily = cumulative_counts(count_by_period(attacks, "day", since, line_end))
    daily = daily[(daily["period"] >= start) & (daily["period"] <= line_end)].reset_index(drop=True)
    return daily, comparison


def headline_figures(incidents: pd.DataFrame, placements: pd.DataFrame, unmapped: pd.DataFrame) -> dict[str, int]:
    """The metrics above every page, for a selection."""
    figures = {
        "Incidents": len(incidents),
        "Attacks": int(attack_mask(incidents).sum()),
        "US strikes": int((incidents["event_type"] == "us_strike").sum()),
        "Killed": int(incidents["killed"].fillna(0).sum()),
        "Injured": int(incidents["injured"].fillna(0).sum()),
        "Sites hit": int(placements.loc[placements["place_kind"] == GAZETTEER_SITE, "site_id"].nunique()),
        "Not mapped": len(unmapped),
    }
    imported = int((incidents["confirmation"] == UNASSESSED).sum())
    if imported:
        figures["Imported events"] = imported
    return figures


def vocabulary(incidents: pd.DataFrame, sites: pd.DataFrame, today: dt.date | None = None) -> Vocabulary:
    """What share links and filters may name: the date span, countries, sites, types and statuses present."""
    today = today or dt.date.today()
    dates = incidents["date"].dropna()
    present_types, present_statuses = set(incidents["event_type"]), set(incidents["confirmation"])
    return Vocabulary(
        first=dates.min().date() if len(dates) else today,
        last=dates.max().date() if len(dates) else today,
        countries=tuple(sorted({c for values in incidents["country"] for c in values})),
        sites=tuple(sites["site_id"]),
        types=tuple(t for t in ALL_EVENT_TYPES if t in present_types),
        statuses=tuple(s for s in STATUS_LABELS if s in present_statuses or s != UNASSESSED),
    )


def site_summary(placements: pd.DataFrame, incidents: pd.DataFrame, anchors: pd.DataFrame) -> pd.DataFrame:
    """One row per placed site or place: where it is drawn, its incident count and most frequent type, busiest first.

    ``anchors`` is :func:`~dashboard.core.places.join.place_anchors` of all
    placements. Ties between event types go to the first in the schema's order;
    places with equal counts keep the order in which the placements first name them.
    """
    if placements.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    types = incidents.set_index("incident_id")["event_type"]
    frame = placements.assign(event_type=placements["incident_id"].map(types))
    where = anchors.set_index(["site_id", "place_kind"])
    order = {t: i for i, t in enumerate(ALL_EVENT_TYPES)}
    rows = []
    for (site_id, kind), group in frame.groupby(["site_id", "place_kind"], sort=False):
        counts = group["event_type"].value_counts()
        top = sorted(counts.index, key=lambda t: (-counts[t], order.get(t, 99)))[0]
        anchor = where.loc[(site_id, kind)]
        rows.append({"site_id": site_id, "place_kind": kind, "site_name": anchor["name"], "lat": anchor["lat"],
                     "lon": anchor["lon"], "coord_precision": anchor["coord_precision"],
                     "uncertainty_km": anchor["uncertainty_km"], "count": int(group["incident_id"].nunique()),
                     "top_type": top})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS).sort_values("count", ascending=False, kind="stable") \
        .reset_index(drop=True)


def grid_cells(placements: pd.DataFrame, incidents: pd.DataFrame, size: float) -> pd.DataFrame:
    """Placements counted per square cell of ``size`` degrees: ``row``, ``col`` (floor of lat / lon over size),
    ``count`` and one column per event type; an incident placed twice in a cell counts once there."""
    types = incidents.set_index("incident_id")["event_type"]
    frame = placements.assign(row=np.floor(placements["lat"] / size).astype("int64"),
                              col=np.floor(placements["lon"] / size).astype("int64"),
                              event_type=placements["incident_id"].map(types))
    frame = frame.drop_duplicates(["row", "col", "incident_id"])
    table = frame.pivot_table(index=["row", "col"], columns="event_type", values="incident_id", aggfunc="count",
                              fill_value=0)
    table = table.reindex(columns=list(ALL_EVENT_TYPES), fill_value=0).astype("int64")
    table.insert(0, "count", table.sum(axis=1))
    table.columns.name = None
    return table.reset_index().sort_values(["row", "col"]).reset_index(drop=True)
