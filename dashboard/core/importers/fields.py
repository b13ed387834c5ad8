"""Check and convert the raw text fields of a chunk of rows, collecting one rejection per problem.

Every check works on whole columns; only the rows that fail are looked at one
by one, to write their rejection. A row with any problem is marked in
:attr:`RowChecks.bad` and is not imported.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.core.data.columns import SOURCE_SEPARATOR
from dashboard.core.importers.report import Rejections

EXCERPT = 80


@dataclass
class RowChecks:
    """The rows of one chunk, the rejections found in them, and which rows are bad.

    Parameters
    ----------
    frame : pandas.DataFrame
        Raw text fields (``str``), one column per file column read, plus
        ``_line``, the file line where each record starts.
    rejections : Rejections
        Where rejections go (shared by every chunk of a file).
    order : tuple of str
        The columns read, in file order (to tell a truncated record).
    """

    frame: pd.DataFrame
    rejections: Rejections
    order: tuple[str, ...] = ()

    def __post_init__(self):
        self.bad = np.zeros(len(self.frame), dtype=bool)
        self.lines = self.frame["_line"].to_numpy()
        self._text: dict[str, pd.Series] = {}

    def text(self, column: str) -> pd.Series:
        """The column's values, stripped; empty strings when the file lacks the column."""
        if column not in self._text:
            if column in self.frame.columns:
                self._text[column] = self.frame[column].fillna("").astype("str").str.strip()
            else:
                self._text[column] = pd.Series("", index=self.frame.index, dtype="str")
        return self._text[column]

    def reject(self, mask, column: str | None, values, reason: str, kind: str) -> None:
        """Reject the rows where ``mask`` is True, each with its own value of ``values``."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        self.bad |= mask
        if isinstance(values, pd.Series):
            values = values.to_numpy()
        else:
            values = np.broadcast_to(np.asarray(values, dtype=object), mask.shape)
        for i in np.flatnonzero(mask):
            self.rejections.add(int(self.lines[i]), column, excerpt(values[i]), reason, kind)

    def required(self, columns: tuple[str, ...]) -> None:
        """Reject rows that leave any of ``columns`` empty; a record cut short is reported once, as truncated."""
        empty = {c: self.text(c) == "" for c in columns}
        missing = np.logical_or.reduce([e.to_numpy() for e in empty.values()]) if empty else np.zeros(0, bool)
        if not missing.any():
            return
        truncated = self._truncated(missing)
        for column, is_empty in empty.items():
            self.reject(is_empty.to_numpy() & ~truncated, column, "", "a value is required in this column",
                        "missing_value")

    def _truncated(self, rows: np.ndarray) -> np.ndarray:
        """Rows whose fields are all empty after some column: a record cut short. Reported here."""
        found = np.zeros(len(self.frame), dtype=bool)
        order = [c for c in self.order if c in self.frame.columns]
        if len(order) < 3:
            return found
        for i in np.flatnonzero(rows):
            values = [str(self.frame[c].iat[i] or "").strip() for c in order]
            filled = [k for k, v in enumerate(values) if v]
            if filled and len(order) - 1 - filled[-1] >= 2:
                last = order[filled[-1]]
                found[i] = True
                self.bad[i] = True
                self.rejections.add(int(self.lines[i]), last, excerpt(values[filled[-1]]),
                                    f"the record stops after column '{last}': every later field is empty "
                                    "(a truncated file?)", "truncated")
        return found

    def integer(self, column: str, minimum: int = 0) -> pd.Series:
        """The column as ``Int64``; empty stays missing, anything else not a whole number >= ``minimum`` is rejected."""
        raw = self.text(column)
        number = pd.to_numeric(raw.where(raw != ""), errors="coerce")
        given = (raw != "").to_numpy()
        values = number.to_numpy(dtype="float64", na_value=np.nan)
        not_number = given & np.isnan(values)
        not_whole = given & ~not_number & ((values % 1 != 0) | (values < minimum))
        self.reject(not_number | not_whole, column, raw, f"a whole number of at least {minimum}", "bad_number")
        return pd.array(np.where(given & ~(not_number | not_whole), values, np.nan), dtype="Float64").astype("Int64")

    def coordinates(self, lat_column: str, lon_column: str) -> tuple[np.ndarray, np.ndarray]:
        """Latitude and longitude as floats (NaN when both are empty); bad or half-given pairs are rejected."""
        result = []
        for column, limit in ((lat_column, 90.0), (lon_column, 180.0)):
            raw = self.text(column)
            values = pd.to_numeric(raw.where(raw != ""), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            given = (raw != "").to_numpy()
            self.reject(given & ~np.isfinite(values), column, raw, "a decimal number of degrees", "bad_coordinate")
            outside = given & np.isfinite(values) & (np.abs(values) > limit)
            self.reject(outside, column, raw, f"a number of degrees between -{limit:g} and {limit:g}",
                        "bad_coordinate")
            result.append((values, given))
        (lat, lat_given), (lon, lon_given) = result
        self.reject(lat_given & ~lon_given, lon_column, "", f"a longitude, since {lat_column} is given",
                    "bad_coordinate")
        self.reject(lon_given & ~lat_given, lat_column, "", f"a latitude, since {lon_column} is given",
                    "bad_coordinate")
        return lat, lon

    def placeable(self, lat: np.ndarray, place: pd.Series, place_column: str) -> None:
        """Reject rows with neither coordinates nor a place name: they cannot be put on a map."""
        self.reject(np.isnan(lat) & (place == "").to_numpy() & ~self.bad, place_column, "",
                    "coordinates or a place name (the row has neither)", "no_location")


def excerpt(value) -> str:
    """A value as text, shortened for a report."""
    text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def code_text(values: pd.Series) -> pd.Series:
    """Numeric codes as plain text: ``"2.0"`` -> ``"2"`` (HDX and R exports write integers as floats)."""
    return values.str.replace(r"^(-?\d+)\.0+$", r"\1", regex=True)


def source_list(values: pd.Series, quoted_items: bool = False) -> pd.Series:
    """A ``;``-joined list of sources rewritten with the dashboard's separator, ``" ; "``.

    With ``quoted_items`` (UCDP's ``"AFP,2014-01-25,Headline";"Reuters,..."``)
    the quotes around each item are removed first.
    """
    if quoted_items:
        values = values.str.replace(r'"[ \t]*;[ \t]*"', "\x00", regex=True).str.strip('"')
        return values.str.replace("\x00", SOURCE_SEPARATOR, regex=False)
    # [ \t] rather than \s: pandas hands this pattern to pyarrow's regex engine instead of looping in Python.
    return values.str.replace(r"[ \t]*;[ \t]*", SOURCE_SEPARATOR, regex=True).str.strip(" ;")


def prefixed(prefix: str, values: pd.Series) -> pd.Series:
    """``prefix + value`` where the value is not empty, else empty."""
    return (prefix + values).where(values != "", "")


def labelled(parts: list[tuple[str, pd.Series]], separator: str = "; ") -> pd.Series:
    """Join ``label: value`` for the non-empty values of each row."""
    out = None
    for label, values in parts:
        piece = prefixed(f"{label}: " if label else "", values)
        if out is None:
            out = piece
        else:
            both = (out != "") & (piece != "")
            out = out + np.where(both, separator, "") + piece
    return out
