"""Words for what a view shows: its title ("UCDP GED events, Iraq, 1989–2018") and the sentence of its filters.

The sentence reads "142 incidents, 17 Oct 2023 – 23 Nov 2023, ...". Both are plain text in which names from
the data (countries of an uploaded file) appear as written: escape them for where they are placed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping, Sequence

from dashboard.core.view.filters import Filters
from dashboard.core.data.columns import ALL_EVENT_TYPES, STATUS_LABELS


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
    parts = [f"{count:,} incident" + ("" if count == 1 else "s")]
    start, end = filters.start or first, filters.end or last
    if start and end:
        parts.append(format_day(start) if start == end else f"{format_day(start)} – {format_day(end)}")
    parts.append(join_words(list(filters.countries)) if filters.countries else "all countries")
    if filters.sites:
        names = site_names or {}
        parts.append("at " + join_words([names.get(s, s) for s in filters.sites], "or"))
    if filters.types:
        parts.append(join_words([ALL_EVENT_TYPES.get(t, t).lower() for t in filters.types], "or"))
    else:
        parts.append("all types")
    if filters.statuses:
        parts.append(join_words([STATUS_LABELS.get(s, s).lower() for s in filters.statuses], "or"))
    return ", ".join(parts)


#: The ``dataset`` of the curated incidents (the data folder's own file) in a :class:`DataPart`.
CURATED = "curated"
#: What the curated incidents are, whatever the filters.
CURATED_TITLE = "Attacks on US and coalition forces in Iraq, Syria and Jordan"
#: Up to this many countries are named in a title; more are counted ("12 countries").
NAMED_COUNTRIES = 3
#: Order of the imported datasets' names in a title; others follow, alphabetically.
DATASET_ORDER = ("ACLED", "UCDP GED", "GDELT")


@dataclass(frozen=True)
class DataPart:
    """One part of the data a view shows: the curated incidents, or the events of one imported dataset.

    ``dataset`` is :data:`CURATED` or the dataset's name ("ACLED", "UCDP GED",
    "GDELT"); ``countries`` the countries its rows name; ``first`` and
    ``last`` its first and last day (None when no row has a date).
    """

    dataset: str
    countries: tuple[str, ...] = ()
    first: dt.date | None = None
    last: dt.date | None = None


def dataset_title(parts: Sequence[DataPart]) -> str:
    """A title that says what the data shown is: the curated incidents, an imported dataset, or both.

    Parameters
    ----------
    parts : sequence of DataPart
        What the data holds (:func:`dashboard.core.query.datasets.data_parts`).

    Returns
    -------
    str
        :data:`CURATED_TITLE` for the curated incidents; for imported events,
        their datasets, countries (counted when more than
        :data:`NAMED_COUNTRIES`) and years: "UCDP GED events, Iraq,
        1989–2018"; both together as "<curated title>, with UCDP GED events
        (Iraq, 1989–2018)"; "No data" when ``parts`` is empty. Plain text
        (see the module's docstring).
    """
    parts = list(parts)
    if not all(isinstance(part, DataPart) for part in parts):
        raise TypeError(f"`parts` was {parts!r} but is expected to hold DataPart values")
    imported = [part for part in parts if part.dataset != CURATED]
    if not imported:
        return CURATED_TITLE if parts else "No data"
    names, details = _imported_words(imported)
    if len(imported) == len(parts):
        return ", ".join([names, *details])
    return f"{CURATED_TITLE}, with {names}" + (f" ({', '.join(details)})" if details else "")


def _imported_words(parts: list[DataPart]) -> tuple[str, list[str]]:
    """("UCDP GED events", ["Iraq", "1989–2018"]): the datasets' names, then their countries and years."""
    names = sorted({part.dataset for part in parts},
                   key=lambda name: (DATASET_ORDER.index(name) if name in DATASET_ORDER else len(DATASET_ORDER), name))
    details = []
    countries = sorted({country for part in parts for country in part.countries if country})
    if len(countries) > NAMED_COUNTRIES:
        details.append(f"{len(countries):,} countries")
    elif countries:
        details.append(join_words(countries))
    firsts = [part.first for part in parts if part.first is not None]
    lasts = [part.last for part in parts if part.last is not None]
    if firsts and lasts:
        start, end = min(firsts).year, max(lasts).year
        details.append(str(start) if start == end else f"{start}–{end}")
    return f"{join_words(names)} events", details
