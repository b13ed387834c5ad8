"""Decide once per file how its dates are written, then convert every date to ISO.

Real files write one date many ways (``2023-10-17``, ``17 October 2023``,
``17-Oct-23``, ``17-10-23``, ``01-January-2015``, ``20231017``, ``2023-10-17
00:00:00.000``), and a file written ``dd-mm-yy`` cannot be told from one
written ``mm-dd-yy`` by looking at a single row. So the choice is made per
file, over all of its distinct values: every candidate format is tried, the
one that reads the most rows wins (when the file has a ``year`` column, a
date only counts if its year agrees), and day-month order is settled by the
dates whose first number is over 12. When no date settles it, day-month is
assumed (ACLED's own order) and the report says so. Other spellings are then
accepted only in the order chosen; anything left is rejected by the caller.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

EARLIEST = pd.Timestamp("1900-01-01")
LATEST = pd.Timestamp("2100-12-31")
MAX_FORMATS = 4


@dataclass(frozen=True)
class DateFormat:
    """A strptime pattern and the order its day and month come in (``dmy``, ``mdy``; ``""`` when unambiguous)."""

    pattern: str
    order: str = ""
    twin: str | None = None  # the same layout with day and month swapped


CANDIDATES: tuple[DateFormat, ...] = (
    DateFormat("%Y-%m-%d"),
    DateFormat("%Y%m%d"),
    DateFormat("%Y-%m-%d %H:%M:%S"),
    DateFormat("%Y-%m-%d %H:%M:%S.%f"),
    DateFormat("%Y-%m-%dT%H:%M:%S"),
    DateFormat("%Y/%m/%d"),
    DateFormat("%d %B %Y"),
    DateFormat("%d-%B-%Y"),
    DateFormat("%d %b %Y"),
    DateFormat("%d-%b-%y"),
    DateFormat("%d-%b-%Y"),
    DateFormat("%B %d, %Y"),
    DateFormat("%d-%m-%y", "dmy", "%m-%d-%y"),
    DateFormat("%m-%d-%y", "mdy", "%d-%m-%y"),
    DateFormat("%d-%m-%Y", "dmy", "%m-%d-%Y"),
    DateFormat("%m-%d-%Y", "mdy", "%d-%m-%Y"),
    DateFormat("%d/%m/%Y", "dmy", "%m/%d/%Y"),
    DateFormat("%m/%d/%Y", "mdy", "%d/%m/%Y"),
    DateFormat("%d/%m/%y", "dmy", "%m/%d/%y"),
    DateFormat("%m/%d/%y", "mdy", "%d/%m/%y"),
    DateFormat("%d.%m.%Y", "dmy", "%m.%d.%Y"),
    DateFormat("%m.%d.%Y", "mdy", "%d.%m.%Y"),
)


@dataclass
class DateChoice:
    """The formats chosen for a file, in the order they are tried, and how the order was decided."""

    formats: tuple[str, ...] = ()
    order: str = ""
    note: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def choose_date_formats(values: pd.Series, years: pd.Series | None = None) -> DateChoice:
    """Choose the formats that read the dates of one file.

    Parameters
    ----------
    values : pandas.Series of str
        Every date of the file as written (empty strings are ignored).
    years : pandas.Series of str, optional
        The file's ``year`` column, aligned with ``values``; when given, a
        parsed date only counts for a format if its year agrees.

    Returns
    -------
    DateChoice
        ``formats`` empty when no candidate reads any value.
    """
    table = _distinct(values, years)
    if table.empty:
        return DateChoice(note="no dates")
    scores = {f.pattern: _score(table, f.pattern) for f in CANDIDATES}
    best = max(CANDIDATES, key=lambda f: (scores[f.pattern], f.order != "mdy"))
    if scores[best.pattern] == 0:
        return DateChoice(note="no candidate format reads these dates")
    chosen = [best.pattern]
    order, note = best.order, ""
    if best.twin:
        settled = scores[best.pattern] > scores[best.twin]
        word = "day-month" if best.order == "dmy" else "month-day"
        note = (f"{word} order: some dates only make sense that way" if settled
                else f"{word} order assumed: no date has a day over 12")
    left = table[_parse(table["value"], best.pattern).isna()]
    for candidate in sorted(CANDIDATES, key=lambda f: -scores[f.pattern]):
        if left.empty or len(chosen) >= MAX_FORMATS:
            break
        if candidate.pattern in chosen or (order and candidate.order and candidate.order != order):
            continue
        readable = _parse(left["value"], candidate.pattern).notna()
        if readable.any():
            chosen.append(candidate.pattern)
            order = order or candidate.order
            left = left[~readable.to_numpy()]
    return DateChoice(tuple(chosen), order, note)


def parse_dates(values: pd.Series, choice: DateChoice) -> pd.Series:
    """The dates of ``values`` as ``YYYY-MM-DD`` strings, empty where no chosen format reads them.

    ``choice.counts`` is filled with the rows each format read.
    """
    stripped = values.fillna("").astype("str").str.strip()
    distinct = pd.Series(stripped.unique())
    iso = pd.Series("", index=distinct.index, dtype="str")
    for pattern in choice.formats:
        todo = iso == ""
        parsed = _parse(distinct[todo], pattern)
        ok = parsed.notna()
        iso.loc[ok[ok].index] = parsed[ok].dt.strftime("%Y-%m-%d")
    lookup = dict(zip(distinct, iso))
    out = stripped.map(lookup).fillna("").astype("str")
    choice.counts = _counts(stripped, distinct, choice.formats)
    return out


def _counts(stripped: pd.Series, distinct: pd.Series, formats: tuple[str, ...]) -> dict[str, int]:
    frequency = stripped.value_counts()
    counts, done = {}, pd.Series(False, index=distinct.index)
    for pattern in formats:
        ok = _parse(distinct, pattern).notna() & ~done
        counts[pattern] = int(frequency.reindex(distinct[ok]).sum())
        done |= ok
    return counts


def _distinct(values: pd.Series, years: pd.Series | None) -> pd.DataFrame:
    frame = pd.DataFrame({"value": values.fillna("").astype("str").str.strip().to_numpy()})
    frame["year"] = (years.fillna("").astype("str").str.strip().str.replace(r"\.0+$", "", regex=True).to_numpy()
                     if years is not None else "")
    frame = frame[frame["value"] != ""]
    return frame.groupby(["value", "year"], sort=False).size().rename("rows").reset_index()


def _score(table: pd.DataFrame, pattern: str) -> int:
    parsed = _parse(table["value"], pattern)
    ok = parsed.notna().to_numpy().copy()
    years = table["year"].to_numpy()
    known = years != ""
    if known.any():
        agrees = parsed.dt.year.astype("Int64").astype("string").fillna("").to_numpy() == years
        ok &= ~known | agrees
    return int(table["rows"].to_numpy()[ok].sum())


def _parse(values: pd.Series, pattern: str) -> pd.Series:
    parsed = pd.to_datetime(values, format=pattern, errors="coerce")
    return parsed.where((parsed >= EARLIEST) & (parsed <= LATEST))

