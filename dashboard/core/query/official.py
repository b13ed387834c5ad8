"""The selection against the officials' running totals: the cumulative line and the comparison table.

Both come from one small query (attacks per day, :func:`counts.attack_days`);
what follows is arithmetic on at most a few thousand days.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.core.data.columns import CAMPAIGN_START
from dashboard.core.query.counts import attack_days
from dashboard.core.query.engine import Source
from dashboard.core.query.periods import cumulative_counts, fill_periods
from dashboard.core.query.reference import COMPARISON_COLUMNS
from dashboard.core.view.filters import Filters


def comparison_table(days: pd.DataFrame, official_counts: pd.DataFrame) -> pd.DataFrame:
    """For each official total, the attacks of ``days`` (from :func:`attack_days`) up to its date, and the gap."""
    dates = days["date"].to_numpy(dtype="datetime64[ns]")
    totals = {column: np.concatenate([[0], days[column].to_numpy().cumsum()]) for column in ("count", "Iraq", "Syria")}
    rows = []
    for row in official_counts.itertuples(index=False):
        upto = int(dates.searchsorted(pd.Timestamp(row.date_reported).to_datetime64(), side="right"))
        dataset = int(totals["count"][upto])
        rows.append({
            "count_id": row.count_id, "date_reported": row.date_reported, "official_total": row.cumulative_total,
            "qualifier": row.qualifier, "reported_by": row.reported_by, "official_iraq": row.iraq,
            "official_syria": row.syria, "dataset_total": dataset, "dataset_iraq": int(totals["Iraq"][upto]),
            "dataset_syria": int(totals["Syria"][upto]),
            "gap": None if pd.isna(row.cumulative_total) else int(row.cumulative_total) - dataset,
        })
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def compare_with_official(source: Source, filters: Filters, official_counts: pd.DataFrame,
                          since: str = CAMPAIGN_START) -> pd.DataFrame:
    """Each official total beside the attacks of the selection (its dates ignored) from ``since`` to that date."""
    if official_counts.empty:
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    days = attack_days(source, filters, since, official_counts["date_reported"].max())
    return comparison_table(days, official_counts)


def cumulative_against_official(source: Source, filters: Filters, official_counts: pd.DataFrame, start, end,
                                since: str = CAMPAIGN_START) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The daily running count of attacks since ``since`` and the official totals dated in ``start..end``.

    The filters' own dates are ignored (officials counted from ``since``, so
    the line does too). Returns ``(daily, comparison)`` as
    ``reference.cumulative_against_official`` does.
    """
    start, end, since = pd.Timestamp(start), pd.Timestamp(end), pd.Timestamp(since)
    official = official_counts[(official_counts["date_reported"] >= start) & (official_counts["date_reported"] <= end)]
    line_end = max(end, official["date_reported"].max()) if len(official) else end
    if line_end < since:
        return pd.DataFrame(columns=["period", "count", "cumulative"]), comparison_table(
            pd.DataFrame({"date": [], "count": [], "Iraq": [], "Syria": []}), official)
    days = attack_days(source, filters, since, line_end)
    comparison = comparison_table(days, official)
    daily = fill_periods(days.rename(columns={"date": "period"})[["period", "count"]], since, line_end, "day")
    daily = cumulative_counts(daily)
    daily = daily[(daily["period"] >= start) & (daily["period"] <= line_end)].reset_index(drop=True)
    return daily, comparison


def official_in_range(official_counts: pd.DataFrame, start, end) -> pd.DataFrame:
    """The official totals reported from ``start`` to ``end`` (inclusive), in date order."""
    dates = official_counts["date_reported"]
    return official_counts[(dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))]
