"""Select the incidents a user asked for: date range, country, site, event type, confirmation."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Filters:
    """What to show. Empty tuples mean "all"; ``start`` and ``end`` are inclusive.

    Frozen and made of tuples and dates, so it can be hashed (and cached).
    """

    start: dt.date | None = None
    end: dt.date | None = None
    countries: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def __post_init__(self):
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"`start` was {self.start} but must not be after `end` ({self.end})")
        for name in ("countries", "sites", "types", "statuses"):
            value = getattr(self, name)
            if isinstance(value, str) or not isinstance(value, tuple):
                raise TypeError(f"`{name}` was {value!r} but is expected to be a tuple of strings")

    @property
    def is_default(self) -> bool:
        return self == Filters()


def _any_in(values, wanted: set[str]) -> bool:
    return any(v in wanted for v in values)


def filter_mask(incidents: pd.DataFrame, filters: Filters) -> pd.Series:
    """Boolean mask of the incidents that pass ``filters``.

    An incident that names several sites or countries passes when any of
    them is selected.
    """
    mask = pd.Series(True, index=incidents.index)
    dates = incidents["date"]
    if filters.start:
        mask &= dates >= pd.Timestamp(filters.start)
    if filters.end:
        mask &= dates <= pd.Timestamp(filters.end)
    if filters.countries:
        wanted = set(filters.countries)
        mask &= incidents["country"].map(lambda v: _any_in(v, wanted))
    if filters.sites:
        wanted = set(filters.sites)
        mask &= incidents["site_id"].map(lambda v: _any_in(v, wanted))
    if filters.types:
        mask &= incidents["event_type"].isin(filters.types)
    if filters.statuses:
        mask &= incidents["confirmation"].isin(filters.statuses)
    return mask.astype(bool)


def apply_filters(incidents: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The incidents that pass ``filters``, in their original order."""
    return incidents.loc[filter_mask(incidents, filters)]
