"""Map rows of a GDELT 1.0 or 2.0 events file (tab-separated, no header) to the imported-event schema.

GDELT files have no header, so columns are named by position: 61 fields in
GDELT 2.0; 58 in GDELT 1.0 daily files (no ``*_ADM2Code`` columns, 8-digit
``DATEADDED``); 57 in the 1.0 historical backfiles (no ``SOURCEURL``). One
1.0 file may mix 57- and 58-field rows. Names are lower-cased here.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.core.importers.fields import RowChecks, code_text, labelled, prefixed
from dashboard.core.importers.event_columns import CAMEO_ROOTS, GDELT_CAMEO_TYPES, GDELT_GEO_TYPE, GDELT_ROOT_TYPES

GDELT_FIELD_COUNTS = (57, 58, 61)

_ACTOR = ("code", "name", "countrycode", "knowngroupcode", "ethniccode", "religion1code", "religion2code",
          "type1code", "type2code", "type3code")
_EVENT = ("isrootevent", "eventcode", "eventbasecode", "eventrootcode", "quadclass", "goldsteinscale",
          "nummentions", "numsources", "numarticles", "avgtone")
_GEO = ("type", "fullname", "countrycode", "adm1code", "adm2code", "lat", "long", "featureid")

WANTED = ("globaleventid", "sqldate", "actor1name", "actor2name", "eventcode", "eventrootcode", "quadclass",
          "goldsteinscale", "numarticles", "avgtone", "actiongeo_type", "actiongeo_fullname", "actiongeo_lat",
          "actiongeo_long", "sourceurl")
REQUIRED = ("globaleventid", "sqldate")


def gdelt_columns(count: int) -> tuple[str, ...]:
    """Lower-cased column names of a GDELT record with ``count`` fields (57, 58 or 61)."""
    if count not in GDELT_FIELD_COUNTS:
        raise ValueError(f"`count` was {count} but GDELT records have {GDELT_FIELD_COUNTS} fields")
    geo = _GEO if count == 61 else tuple(g for g in _GEO if g != "adm2code")
    names = ["globaleventid", "sqldate", "monthyear", "year", "fractiondate"]
    names += [f"actor1{a}" for a in _ACTOR] + [f"actor2{a}" for a in _ACTOR] + list(_EVENT)
    for prefix in ("actor1geo_", "actor2geo_", "actiongeo_"):
        names += [prefix + g for g in geo]
    names.append("dateadded")
    if count != 57:
        names.append("sourceurl")
    return tuple(names)


def map_gdelt(checks: RowChecks, source_dataset: str = "GDELT 2.0") -> tuple[pd.DataFrame, set[str]]:
    """Map one chunk of GDELT rows to the event schema, rejecting bad rows in ``checks``.

    Parameters
    ----------
    checks : RowChecks
        The chunk's raw text fields and the rejection collector.
    source_dataset : str
        Written to ``source_dataset`` (``GDELT 1.0`` or ``GDELT 2.0``).

    Returns
    -------
    events : pandas.DataFrame
        One row per input row (bad ones included; ``checks.bad`` marks them),
        dates still as written (converted later, once per file), plus ``_year``.
    observed : set of str
        Facts about the layout seen in the data (none for GDELT).
    """
    text = checks.text
    checks.required(REQUIRED)
    not_id = (text("globaleventid") != "") & ~text("globaleventid").str.fullmatch(r"\d+")
    checks.reject(not_id.to_numpy(), "globaleventid", text("globaleventid"), "a whole-number event id",
                  "bad_number")
    lat, lon = checks.coordinates("actiongeo_lat", "actiongeo_long")
    place = text("actiongeo_fullname")
    checks.placeable(lat, place, "actiongeo_fullname")
    source_id = text("globaleventid")
    code = text("eventcode")
    root = text("eventrootcode").str.zfill(2).where(text("eventrootcode") != "", "")
    geo_type = code_text(text("actiongeo_type"))
    has_point = ~np.isnan(lat)
    country = place.str.extract(r"([^,]*)$", expand=False).fillna("").str.strip()
    admin1 = place.str.extract(r"([^,]+),[^,]*$", expand=False).fillna("").str.strip()
    root_name = root.map(CAMEO_ROOTS).fillna("")
    events = pd.DataFrame({
        "incident_id": "GDELT-" + source_id,
        "date": text("sqldate"),
        "date_precision": "day",
        "lat": lat,
        "lon": lon,
        "location_precision": geo_type.map(GDELT_GEO_TYPE).fillna("").where(has_point, ""),
        "source_location_precision": prefixed("ActionGeo_Type=", geo_type).where(has_point, ""),
        "country": country,
        "admin1": admin1,
        "admin2": "",
        "place": place,
        "event_type": gdelt_event_type(code, root),
        "source_event_type": prefixed("CAMEO ", code) + prefixed(" (", root_name) + np.where(root_name != "", ")", ""),
        "actor1": text("actor1name"),
        "actor1_type": "",
        "actor2": text("actor2name"),
        "actor2_type": "",
        "killed": pd.array([pd.NA] * len(lat), dtype="Int64"),
        "killed_low": pd.array([pd.NA] * len(lat), dtype="Int64"),
        "killed_high": pd.array([pd.NA] * len(lat), dtype="Int64"),
        "source_dataset": source_dataset,
        "source_id": source_id,
        "sources": text("sourceurl"),
        "notes": labelled([("QuadClass", text("quadclass")), ("Goldstein", text("goldsteinscale")),
                           ("articles", text("numarticles")), ("tone", text("avgtone"))]),
        "_year": "",
    })
    events["date_end"] = events["date"]
    return events, set()


def gdelt_event_type(code: pd.Series, root: pd.Series) -> pd.Series:
    """Our event type from a CAMEO event code and its two-digit root (the table in :mod:`.event_columns`).

    The code's first three digits are looked up first (aerial weapons, artillery, riots, bombings), then the
    root; a root left empty is read from the code. A code that is not CAMEO's gives ``unknown``.
    """
    digits = code.where(code.str.fullmatch(r"\d{3,4}"), "")
    root = root.where(root != "", digits.str[:2])
    by_root = root.map(GDELT_ROOT_TYPES)
    return digits.str[:3].map(GDELT_CAMEO_TYPES).fillna(by_root).fillna("unknown").astype("str")
