"""Periods of time shared by every count: day / week / month starts, the periods of a span, running totals."""
from __future__ import annotations

import pandas as pd

PERIODS = ("day", "week", "month")
#: Most periods a chart over time draws; past it the period becomes coarser (day -> week -> month).
MAX_PERIODS = 500


def check_period(period: str) -> None:
    """Raise ValueError naming the argument when ``period`` is not one of :data:`PERIODS`."""
    if period not in PERIODS:
        raise ValueError(f"`period` was {period!r} but is expected to be in {list(PERIODS)}")


def period_start(dates: pd.Series, period: str) -> pd.Series:
    """The first day of the day / week (Monday) / month each date falls in."""
    check_period(period)
    dates = pd.to_datetime(dates).dt.normalize()
    if period == "day":
        return dates
    if period == "week":
        return dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
    return dates.dt.to_period("M").dt.start_time


def period_index(start, end, period: str) -> pd.DatetimeIndex:
    """Every period from the one holding ``start`` to the one holding ``end``, by its first day."""
    first = period_start(pd.Series([pd.Timestamp(start)]), period).iloc[0]
    last = period_start(pd.Series([pd.Timestamp(end)]), period).iloc[0]
    freq = {"day": "D", "week": "7D", "month": "MS"}[period]
    return pd.date_range(first, last, freq=freq)


def chart_period(period: str, start, end) -> tuple[str, str | None]:
    """The period a chart over ``start``..``end`` uses, and a note when it is coarser than ``period``.

    >>> chart_period("day", "2020-01-01", "2023-12-31")
    ('week', 'Counted per week: per day, 1,461 days would be more bars than can be read (at most 500).')
    """
    check_period(period)
    order = list(PERIODS)
    chosen = period
    for candidate in order[order.index(period):]:
        chosen = candidate
        if len(period_index(start, end, candidate)) <= MAX_PERIODS:
            break
    if chosen == period:
        return period, None
    count = len(period_index(start, end, period))
    return chosen, (f"Counted per {chosen}: per {period}, {count:,} {period}s would be more bars than can be read "
                    f"(at most {MAX_PERIODS:,}).")


def cumulative_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Add ``cumulative`` to a table of counts per period (per group when it has a group column)."""
    group = [c for c in counts.columns if c not in ("period", "count")]
    counts = counts.sort_values(["period"] + group, kind="stable").copy()
    if group:
        counts["cumulative"] = counts.groupby(group)["count"].cumsum()
    else:
        counts["cumulative"] = counts["count"].cumsum()
    return counts


def fill_periods(counts: pd.DataFrame, start, end, period: str, by: str | None = None,
                 values: tuple[str, ...] = ("count",)) -> pd.DataFrame:
    """Counts per period (and group) with every period of ``start..end`` present, zero where none.

    ``counts`` has ``period`` (first days), ``by`` when given, and the ``values`` columns; the groups
    are those present in ``counts``, sorted.
    """
    index = period_index(start, end, period)
    columns = ["period"] + ([by] if by else []) + list(values)
    frame = counts.assign(period=pd.to_datetime(counts["period"]).astype("datetime64[ns]")) if len(counts) else counts
    if not by:
        out = frame.set_index("period")[list(values)].reindex(index, fill_value=0) if len(frame) else \
            pd.DataFrame({v: 0 for v in values}, index=index)
        out = out.rename_axis("period").reset_index()
    else:
        groups = sorted(frame[by].dropna().unique()) if len(frame) else []
        full = pd.MultiIndex.from_product([index, groups], names=["period", by])
        out = frame.set_index(["period", by])[list(values)].reindex(full, fill_value=0).reset_index() if len(frame) else \
            pd.DataFrame(index=full, columns=list(values)).reset_index()
    for value in values:
        out[value] = out[value].astype("int64")
    return out[columns]
