"""Counts of incidents: per period (zero-filled), per site, country or type, and against official totals."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.core.data.columns import ATTACK_TYPES, CAMPAIGN_START

PERIODS = ("day", "week", "month")
LIST_COLUMNS = ("country", "site_id")
COMPARISON_COLUMNS = ["count_id", "date_reported", "official_total", "qualifier", "reported_by", "official_iraq",
                      "official_syria", "dataset_total", "dataset_iraq", "dataset_syria", "gap"]


def attack_mask(incidents: pd.DataFrame) -> pd.Series:
    """Attacks on US / coalition forces: an attack type, in the curated data (imported events,
    status ``unassessed``, do not say who was attacked)."""
    mask = incidents["event_type"].isin(ATTACK_TYPES)
    if "confirmation" in incidents:
        mask &= incidents["confirmation"] != "unassessed"
    return mask.astype(bool)


def _check_period(period: str) -> None:
    if period not in PERIODS:
        raise ValueError(f"`period` was {period!r} but is expected to be in {list(PERIODS)}")


def period_start(dates: pd.Series, period: str) -> pd.Series:
    """The first day of the day / week (Monday) / month each date falls in."""
    _check_period(period)
    dates = pd.to_datetime(dates).dt.normalize()
    if period == "day":
        return dates
    if period == "week":
        return dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
    return dates.dt.to_period("M").dt.start_time


def _period_index(start, end, period: str) -> pd.DatetimeIndex:
    first = period_start(pd.Series([pd.Timestamp(start)]), period).iloc[0]
    last = period_start(pd.Series([pd.Timestamp(end)]), period).iloc[0]
    freq = {"day": "D", "week": "7D", "month": "MS"}[period]
    return pd.date_range(first, last, freq=freq)


#: Most periods a chart over time draws; past it the period becomes coarser (day -> week -> month).
MAX_PERIODS = 500


def chart_period(period: str, start, end) -> tuple[str, str | None]:
    """The period a chart over ``start``..``end`` uses, and a note when it is coarser than ``period``.

    >>> chart_period("day", "2020-01-01", "2023-12-31")
    ('week', 'Counted per week: per day, 1,461 days would be more bars than can be read (at most 500).')
    """
    _check_period(period)
    order = list(PERIODS)
    chosen = period
    for candidate in order[order.index(period):]:
        chosen = candidate
        if len(_period_index(start, end, candidate)) <= MAX_PERIODS:
            break
    if chosen == period:
        return period, None
    count = len(_period_index(start, end, period))
    return chosen, (f"Counted per {chosen}: per {period}, {count:,} {period}s would be more bars than can be read "
                    f"(at most {MAX_PERIODS:,}).")


def explode_list(incidents: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per value of a list column (``country`` or ``site_id``); none named -> ``""``."""
    frame = incidents.copy()
    frame[column] = [tuple(v) if v else ("",) for v in frame[column]]
    return frame.explode(column)


def count_by_period(
    incidents: pd.DataFrame,
    period: str = "week",
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    by: str | None = None,
) -> pd.DataFrame:
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
    _check_period(period)
    columns = ["period"] + ([by] if by else []) + ["count"]
    if incidents.empty and (start is None or end is None):
        return pd.DataFrame(columns=columns)
    start = pd.Timestamp(start) if start is not None else incidents["date"].min()
    end = pd.Timestamp(end) if end is not None else incidents["date"].max()
    if start > end:
        raise ValueError(f"`start` ({start.date()}) is after `end` ({end.date()})")
    index = _period_index(start, end, period)
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


def cumulative_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Add ``cumulative`` to a table from :func:`count_by_period` (per group when split)."""
    group = [c for c in counts.columns if c not in ("period", "count")]
    counts = counts.sort_values(["period"] + group, kind="stable").copy()
    if group:
        counts["cumulative"] = counts.groupby(group)["count"].cumsum()
    else:
        counts["cumulative"] = counts["count"].cumsum()
    return counts


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
    counts["name"] = counts["name"].fillna("(no site named)")
    return counts


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


def compare_with_official(
    incidents: pd.DataFrame, official_counts: pd.DataFrame, since: str = CAMPAIGN_START
) -> pd.DataFrame:
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
            "count_id": row.count_id,
            "date_reported": row.date_reported,
            "official_total": row.cumulative_total,
            "qualifier": row.qualifier,
            "reported_by": row.reported_by,
            "official_iraq": row.iraq,
            "official_syria": row.syria,
            "dataset_total": dataset,
            "dataset_iraq": int(in_iraq.searchsorted(day, side="right")),
            "dataset_syria": int(in_syria.searchsorted(day, side="right")),
            "gap": None if pd.isna(row.cumulative_total) else int(row.cumulative_total) - dataset,
        })
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def cumulative_against_official(
    incidents: pd.DataFrame, official_counts: pd.DataFrame, start, end, since: str = CAMPAIGN_START
) -> tuple[pd.DataFrame, pd.DataFrame]:
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
