"""Map rows of an ACLED export, in any of its layouts since 2015, to the imported-event schema.

Layouts (see ``docs/formats.md`` section 1): the current 31 columns (since
March 2023, ``disorder_type``, ``civilian_targeting``, ``tags``); 2019-2023
(``data_id``, ``event_id_no_cnty``, ``iso3``); the 2016-2018 API fields
(``ally_actor_1``, ``gwno``), possibly alphabetised with a pandas index
column; the pre-2018 UPPERCASE realtime files; monadic exports (no
``actor2``, ids repeat). Columns are found by lower-cased name, so order and
case do not matter.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.core.importers.fields import RowChecks, code_text, prefixed, source_list
from dashboard.core.importers.event_columns import (ACLED_ACTOR_TYPES, ACLED_BATTLE_PREFIX, ACLED_EVENT_TYPES,
                                                    ACLED_GEO_PRECISION, ACLED_SUB_EVENT_TYPES, ACLED_TIME_PRECISION)

#: Every column name seen in an ACLED layout (lower case).
ACLED_COLUMNS = frozenset({
    "data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision",
    "disorder_type", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "ally_actor_1", "inter1",
    "actor2", "assoc_actor_2", "ally_actor_2", "inter2", "interaction", "civilian_targeting", "region",
    "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp", "iso3", "gwno",
})
#: The columns the mapping reads.
WANTED = ("event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
          "inter1", "actor2", "inter2", "country", "admin1", "admin2", "location", "latitude", "longitude",
          "geo_precision", "source", "notes", "fatalities")
REQUIRED = ("event_id_cnty", "event_date", "country")
_EXPECTED = ("event_id_cnty", "event_date", "time_precision", "event_type", "actor1", "country", "admin1",
             "location", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities")


def describe_acled(raw: list[str], names: list[str]) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Name the layout of an ACLED header; return ``(name, flags, missing expected columns)``."""
    named = [n for n in names if not n.startswith("_unnamed_")]
    present = set(named)
    count = f"{len(named)} columns"
    upper = [r for r in raw if any(ch.isalpha() for ch in r)]
    if "disorder_type" in present:
        name = f"ACLED 2023+ export ({count})"
    elif "sub_event_type" in present:
        name = f"ACLED 2019-2023 export ({count})"
    elif upper and all(r == r.upper() for r in upper):
        name = f"ACLED pre-2018 realtime file, UPPERCASE header ({count})"
    elif {"ally_actor_1", "gwno"} & present:
        name = f"ACLED 2016-2018 API fields ({count})"
    else:
        name = f"ACLED, unrecognised vintage ({count})"
    flags = []
    if "actor2" not in present:
        flags.append("monadic: one row per actor, no actor2 columns (ids repeat)")
    if named == sorted(named) and len(named) > 3:
        flags.append("columns in alphabetical order")
    missing = tuple(c for c in _EXPECTED if c not in present)
    return name, tuple(flags), missing


def map_acled(checks: RowChecks, source_dataset: str = "ACLED") -> tuple[pd.DataFrame, set[str]]:
    """Map one chunk of ACLED rows to the event schema, rejecting bad rows in ``checks``.

    Parameters
    ----------
    checks : RowChecks
        The chunk's raw text fields and the rejection collector.
    source_dataset : str
        Written to ``source_dataset``.

    Returns
    -------
    events : pandas.DataFrame
        One row per input row (bad ones included; ``checks.bad`` marks them),
        dates still as written (converted later, once per file), plus ``_year``.
    observed : set of str
        Facts about the layout seen in the data, e.g. ``actor types as words``.
    """
    text = checks.text
    checks.required(REQUIRED)
    lat, lon = checks.coordinates("latitude", "longitude")
    place = text("location")
    checks.placeable(lat, place, "location")
    killed = checks.integer("fatalities")
    source_id = text("event_id_cnty")
    sub_event = text("sub_event_type")
    event_class = text("event_type")
    precision = code_text(text("geo_precision"))
    has_point = ~np.isnan(lat)
    inter1, inter2 = text("inter1"), text("inter2")
    observed = set()
    for values in (inter1, inter2):
        given = values[values != ""]
        if len(given):
            observed.add("actor types as numbers" if code_text(given).str.fullmatch(r"\d").all()
                         else "actor types as words")
    events = pd.DataFrame({
        "incident_id": "ACLED-" + source_id,
        "date": text("event_date"),
        "date_precision": code_text(text("time_precision")).map(ACLED_TIME_PRECISION).fillna(""),
        "lat": lat,
        "lon": lon,
        "location_precision": precision.map(ACLED_GEO_PRECISION).fillna("").where(has_point, ""),
        "source_location_precision": prefixed("geo_precision=", precision).where(has_point, ""),
        "country": text("country"),
        "admin1": text("admin1"),
        "admin2": text("admin2"),
        "place": place,
        "event_type": acled_event_type(event_class, sub_event, text("notes")),
        "source_event_type": event_class + np.where((event_class != "") & (sub_event != ""), ": ", "") + sub_event,
        "actor1": text("actor1"),
        "actor1_type": actor_type(inter1),
        "actor2": text("actor2"),
        "actor2_type": actor_type(inter2),
        "killed": killed,
        "killed_low": pd.array([pd.NA] * len(lat), dtype="Int64"),
        "killed_high": pd.array([pd.NA] * len(lat), dtype="Int64"),
        "source_dataset": source_dataset,
        "source_id": source_id,
        "sources": source_list(text("source")),
        "notes": text("notes"),
        "_year": text("year"),
    })
    events["date_end"] = events["date"]
    return events, observed


def acled_event_type(event_class: pd.Series, sub_event: pd.Series, notes: pd.Series) -> pd.Series:
    """Our event type from ACLED's event type and sub-event type (the table in :mod:`.event_columns`).

    A sub-event type that names the weapon (air/drone strike, shelling) wins over the event type;
    a shelling whose notes say "ballistic missile" is a missile; anything the tables do not know is ``unknown``.
    """
    key = event_class.str.lower()
    by_class = key.where(~key.str.startswith(ACLED_BATTLE_PREFIX), "battles").map(ACLED_EVENT_TYPES)
    codes = sub_event.str.lower().map(ACLED_SUB_EVENT_TYPES).fillna(by_class).fillna("unknown")
    missile = (codes == "rocket") & notes.str.contains("ballistic missile", case=False, regex=False)
    return codes.where(~missile, "missile").astype("str")


def actor_type(values: pd.Series) -> pd.Series:
    """ACLED ``inter`` codes as words; words (2024+ files) are kept as written."""
    codes = code_text(values)
    return codes.map(ACLED_ACTOR_TYPES).fillna(values).astype("str")
