"""A sentence that says in words what a view shows ("142 incidents, 17 Oct 2023 – 23 Nov 2023, ...")."""
from __future__ import annotations

import datetime as dt
from typing import Mapping

from dashboard.core.view.filters import Filters
from dashboard.core.data.columns import STATUS_LABELS, EVENT_TYPES


def format_day(day: dt.date) -> str:
    """``17 Oct 2023`` (no leading zero)."""
    return f"{day.day} {day:%b %Y}"


def join_words(words: list[str], last: str = "and") -> str:
    """``["a"]`` -> ``a``; ``["a", "b", "c"]`` -> ``a, b and c``."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def describe_filters(
    filters: Filters,
    count: int,
    first: dt.date | None,
    last: dt.date | None,
    site_names: Mapping[str, str] | None = None,
) -> str:
    """Describe what is shown.

    Parameters
    ----------
    filters : Filters
        The active filters.
    count : int
        How many incidents pass them.
    first, last : date
        The data's first and last day, used where the filters leave a bound open.
    site_names : mapping, optional
        ``site_id`` -> display name for the site filter.
    """
    parts = [f"{count} incident" + ("" if count == 1 else "s")]
    start, end = filters.start or first, filters.end or last
    if start and end:
        parts.append(format_day(start) if start == end else f"{format_day(start)} – {format_day(end)}")
    parts.append(join_words(list(filters.countries)) if filters.countries else "all countries")
    if filters.sites:
        names = site_names or {}
        parts.append("at " + join_words([names.get(s, s) for s in filters.sites], "or"))
    if filters.types:
        parts.append(join_words([EVENT_TYPES.get(t, t).lower() for t in filters.types], "or"))
    else:
        parts.append("all types")
    if filters.statuses:
        parts.append(join_words([STATUS_LABELS.get(s, s).lower() for s in filters.statuses], "or"))
    return ", ".join(parts)
