"""Map rows of a UCDP GED event file (native releases and HDX copies) to the imported-event schema.

Layouts (``docs/formats.md`` section 2): GED 20.1+ (49 columns, ``relid``,
``code_status``, ``where_description``); GED 19.1 (42 columns); the GED Syria
file (41, no ``gwnoa``); HDX's ``conflict_data_<iso3>.csv`` (45, with
``start_year``, ``end_year``, ``iso3`` and a second row of HXL hashtags).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.core.importers.fields import RowChecks, code_text, labelled, prefixed, source_list
from dashboard.core.importers.event_columns import (UCDP_DATE_PREC, UCDP_VIOLENCE_CATEGORIES, UCDP_VIOLENCE_TYPES,
                                                    UCDP_WHERE_PREC)

#: Every column name seen in a UCDP GED layout (lower case).
UCDP_COLUMNS = frozenset({
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
    "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
    "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec",
    "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
    "start_year", "end_year", "iso3",
})
WANTED = ("id", "year", "type_of_violence", "conflict_name", "dyad_name", "side_a", "side_b", "source_article",
          "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude",
          "country", "date_prec", "date_start", "date_end", "low", "best", "high")
REQUIRED = ("id", "date_start", "country")
_EXPECTED = ("id", "type_of_violence", "side_a", "side_b", "where_prec", "where_coordinates", "adm_1",
             "latitude", "longitude", "country", "date_prec", "date_start", "date_end", "best", "low", "high")


def describe_ucdp(names: list[str], hxl: bool) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Name the layout of a UCDP GED header; return ``(name, flags, missing expected columns)``."""
    present = set(names)
    count = f"{len([n for n in names if not n.startswith('_unnamed_')])} columns"
    if "relid" in present:
        name = f"UCDP GED 20.1+ ({count})"
    elif hxl or {"start_year", "iso3"} <= present:
        name = f"UCDP GED 19.1 via HDX ({count})"
    elif "gwnoa" not in present and "side_a_new_id" in present:
        name = f"UCDP GED Syria file, GED 19.1 variables ({count})"
    else:
        name = f"UCDP GED 19.1 ({count})"
    missing = tuple(c for c in _EXPECTED if c not in present)
    return name, (), missing


def map_ucdp(checks: RowChecks, source_dataset: str = "UCDP GED") -> tuple[pd.DataFrame, set[str]]:
    """Map one chunk of UCDP GED rows to the event schema, rejecting bad rows in ``checks``.

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
        Facts about the layout seen in the data (none for UCDP).
    """
    text = checks.text
    checks.required(REQUIRED)
    lat, lon = checks.coordinates("latitude", "longitude")
    place = text("where_coordinates")
    checks.placeable(lat, place, "where_coordinates")
    best, low, high = checks.integer("best"), checks.integer("low"), checks.integer("high")
    source_id = code_text(text("id"))
    violence = code_text(text("type_of_violence"))
    precision = code_text(text("where_prec"))
    has_point = ~np.isnan(lat)
    label = violence.map(UCDP_VIOLENCE_TYPES).fillna("")
    events = pd.DataFrame({
        "incident_id": "UCDP-" + source_id,
        "date": text("date_start"),
        "date_end": text("date_end"),
        "date_precision": code_text(text("date_prec")).map(UCDP_DATE_PREC).fillna(""),
        "lat": lat,
        "lon": lon,
        "location_precision": precision.map(UCDP_WHERE_PREC).fillna("").where(has_point, ""),
        "source_location_precision": prefixed("where_prec=", precision).where(has_point, ""),
        "country": text("country"),
        "admin1": text("adm_1"),
        "admin2": text("adm_2"),
        "place": place,
        "event_type": ucdp_event_type(violence),
        "source_event_type": prefixed("type_of_violence ", violence) + prefixed(" (", label) + np.where(
            label != "", ")", ""),
        "actor1": text("side_a"),
        "actor1_type": "",
        "actor2": text("side_b"),
        "actor2_type": "",
        "killed": best,
        "killed_low": low,
        "killed_high": high,
        "source_dataset": source_dataset,
        "source_id": source_id,
        "sources": source_list(text("source_article"), quoted_items=True),
        "notes": labelled([("conflict", text("conflict_name")), ("dyad", text("dyad_name")),
                           ("where", text("where_description"))]),
        "_year": text("year"),
    })
    return events, set()


def ucdp_event_type(violence: pd.Series) -> pd.Series:
    """Our event type from UCDP's ``type_of_violence`` code (the table in :mod:`.event_columns`); else ``unknown``."""
    return code_text(violence).map(UCDP_VIOLENCE_CATEGORIES).fillna("unknown").astype("str")
