"""The tables the engine queries, built from checked data: incidents, their links to sites and countries, placements.

List columns become link tables (one row per incident and site, per incident
and country; ``""`` for an incident naming none) so that filters and counts are
joins and group-bys any SQL engine runs, not Python over tuples. Every link and placement row repeats the
incident's ``ord``, date, type and status, so the common filters need no join.

``ord`` numbers the incidents in date order (then id); a data set built with
``ord_offset`` (an upload) can be stacked under another without clashes.
"""
from __future__ import annotations

from itertools import chain

import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard.core.importers.combine import events_as_incidents, events_placements, events_unmapped
from dashboard.core.places.join import place_anchors

TABLE_NAMES = ("incidents", "incident_sites", "incident_countries", "placements")
#: Columns every table shares with ``incidents`` (the ones the filters read).
FILTER_COLUMNS = ("ord", "date", "event_type", "confirmation")
#: Offset of the incidents of an upload, far above any bundled ``ord``.
UPLOAD_ORD_OFFSET = 1 << 40

STRING_LIST = pa.list_(pa.string())
INCIDENT_SCHEMA = pa.schema([
    ("ord", pa.int64()), ("incident_id", pa.string()), ("date", pa.date32()), ("date_certainty", pa.string()),
    ("place", pa.string()), ("site_id", STRING_LIST), ("country", STRING_LIST), ("event_type", pa.string()),
    ("actor", pa.string()), ("casualties", pa.string()), ("killed", pa.int64()), ("killed_max", pa.int64()),
    ("injured", pa.int64()), ("injured_max", pa.int64()), ("confirmation", pa.string()), ("sources", STRING_LIST),
    ("notes", pa.string()), ("line", pa.int64()),
    ("mapped", pa.bool_()), ("unmapped_reason", pa.string()),
])
LINK_SCHEMAS = {
    "incident_sites": [("site_id", pa.string()), ("pos", pa.int32())],
    "incident_countries": [("country", pa.string())],
}
PLACEMENT_SCHEMA = pa.schema([
    ("ord", pa.int64()), ("incident_id", pa.string()), ("site_id", pa.string()), ("place_kind", pa.string()),
    ("site_name", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()), ("coord_precision", pa.string()),
    ("uncertainty_km", pa.float64()), ("sites_named", pa.int32()), ("pos", pa.int32()),
    ("anchor_name", pa.string()), ("anchor_lat", pa.float64()), ("anchor_lon", pa.float64()),
    ("anchor_precision", pa.string()), ("anchor_uncertainty_km", pa.float64()),
    ("date", pa.date32()), ("event_type", pa.string()), ("confirmation", pa.string()),
])


def build_tables(incidents: pd.DataFrame, placements: pd.DataFrame, unmapped: pd.DataFrame, sites: pd.DataFrame,
                 ord_offset: int = 0) -> dict[str, pa.Table]:
    """The four tables of a data set, as Arrow tables.

    Parameters
    ----------
    incidents : DataFrame
        Loaded incidents (``load_dataset`` layout: ``site_id``, ``country`` and
        ``sources`` as tuples), in any order.
    placements, unmapped : DataFrame
        The join's placements and unmapped incidents for ``incidents``.
    sites : DataFrame
        The gazetteer (where gazetteer sites are drawn).
    ord_offset : int
        First ``ord``; :data:`UPLOAD_ORD_OFFSET` for an upload.
    """
    _check(incidents, "incidents", {"incident_id", "date", "site_id", "country", "event_type", "confirmation"})
    _check(placements, "placements", {"incident_id", "site_id", "place_kind", "lat", "lon"})
    incidents = incidents.sort_values(["date", "incident_id"], kind="stable").reset_index(drop=True)
    ords = np.arange(ord_offset, ord_offset + len(incidents), dtype="int64")
    shared = {"ord": pa.array(ords), "date": _dates(incidents["date"]), "event_type": _texts(incidents["event_type"]),
              "confirmation": _texts(incidents["confirmation"])}
    return {
        "incidents": _incident_table(incidents, shared, unmapped),
        "incident_sites": _link_table(incidents["site_id"], shared, "incident_sites"),
        "incident_countries": _link_table(incidents["country"], shared, "incident_countries"),
        "placements": _placement_table(incidents, placements, sites, shared),
    }


def _check(frame: pd.DataFrame, name: str, needed: set[str]) -> None:
    missing = needed - set(frame.columns)
    if missing:
        raise ValueError(f"`{name}` lacks column(s) {sorted(missing)}")


def _lengths(values: pd.Series) -> np.ndarray:
    """Items in each cell of a list column (tuples, as loaded: an empty list is ``()``)."""
    return values.map(len).to_numpy(dtype="int64")


def _lists(values: pd.Series) -> pa.Array:
    """A list<string> array from a column of tuples, built from one flat array and its offsets."""
    offsets = np.concatenate([[0], np.cumsum(_lengths(values))]).astype("int32")
    flat = pa.array(list(chain.from_iterable(values)), type=pa.string())
    return pa.ListArray.from_arrays(pa.array(offsets), flat)


def _ints(values: pd.Series) -> pa.Array:
    return pa.array(pd.array(values, dtype="Int64"), type=pa.int64())


def _texts(values: pd.Series) -> pa.Array:
    """A string array (missing values null); Arrow-backed text is taken without a copy."""
    if hasattr(values.array, "__arrow_array__"):
        array = pa.array(values.array)
        array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
        if array.type in (pa.string(), pa.large_string()):
            return array.cast(pa.string())
    return pa.array(values.astype(object).where(values.notna(), None), type=pa.string())


def _dates(values: pd.Series) -> pa.Array:
    return pa.array(pd.to_datetime(values).dt.date.to_numpy(), type=pa.date32(), from_pandas=True)


def _incident_table(incidents: pd.DataFrame, shared: dict, unmapped: pd.DataFrame) -> pa.Table:
    reasons = dict(zip(unmapped["incident_id"], unmapped["reason"])) if len(unmapped) else {}
    reason = incidents["incident_id"].map(reasons) if reasons else pd.Series([None] * len(incidents), dtype=object)
    columns = {"ord": shared["ord"], "incident_id": _texts(incidents["incident_id"]), "date": shared["date"]}
    for name in ("date_certainty", "place"):
        columns[name] = _texts(incidents[name])
    columns["site_id"], columns["country"] = _lists(incidents["site_id"]), _lists(incidents["country"])
    columns["event_type"] = shared["event_type"]
    for name in ("actor", "casualties"):
        columns[name] = _texts(incidents[name])
    for name in ("killed", "killed_max", "injured", "injured_max"):
        columns[name] = _ints(incidents[name])
    columns["confirmation"] = shared["confirmation"]
    columns["sources"] = _lists(incidents["sources"])
    columns["notes"] = _texts(incidents["notes"])
    columns["line"] = _ints(incidents["line"]) if "line" in incidents else pa.nulls(len(incidents), pa.int64())
    columns["mapped"] = pa.array(reason.isna().to_numpy())
    columns["unmapped_reason"] = _texts(reason)
    return pa.table(columns, schema=INCIDENT_SCHEMA)


def _repeat(shared: dict, rows: np.ndarray) -> dict:
    index = pa.array(rows)
    return {key: column.take(index) for key, column in shared.items()}


def _link_table(values: pd.Series, shared: dict, name: str) -> pa.Table:
    """One row per incident and value named; an incident naming none has one row with ``""`` (so that counts
    per value need no second pass; ``""`` is never a value a filter can choose)."""
    lengths = _lengths(values)
    rows = np.repeat(np.arange(len(values)), np.maximum(lengths, 1))
    repeated = _repeat(shared, rows)
    flat = pa.array(list(chain.from_iterable(v if len(v) else ("",) for v in values)), type=pa.string())
    columns = {"ord": repeated["ord"], LINK_SCHEMAS[name][0][0]: flat}
    if name == "incident_sites":
        counts = np.maximum(lengths, 1)
        starts = np.repeat(np.cumsum(counts) - counts, counts)
        columns["pos"] = pa.array((np.arange(len(flat)) - starts).astype("int32"))
    columns.update(date=repeated["date"], event_type=repeated["event_type"], confirmation=repeated["confirmation"])
    schema = pa.schema([("ord", pa.int64()), *LINK_SCHEMAS[name], ("date", pa.date32()), ("event_type", pa.string()),
                        ("confirmation", pa.string())])
    return pa.table(columns, schema=schema)


def _placement_table(incidents: pd.DataFrame, placements: pd.DataFrame, sites: pd.DataFrame, shared: dict) -> pa.Table:
    where = pd.Index(incidents["incident_id"]).get_indexer(placements["incident_id"])
    if (where < 0).any():
        raise ValueError("`placements` name incident(s) missing from `incidents`, e.g. "
                         f"{placements['incident_id'].iloc[int(np.flatnonzero(where < 0)[0])]!r}")
    frame = pd.DataFrame({"row": where, "incident_id": placements["incident_id"].to_numpy(),
                          "site_id": placements["site_id"].to_numpy(), "place_kind": placements["place_kind"].to_numpy(),
                          "site_name": placements["site_name"].to_numpy(), "lat": placements["lat"].to_numpy(float),
                          "lon": placements["lon"].to_numpy(float),
                          "coord_precision": placements["coord_precision"].to_numpy(),
                          "uncertainty_km": placements["uncertainty_km"].to_numpy(float),
                          "sites_named": placements["sites_named"].to_numpy(dtype="int32"),
                          "pos": (placements["site_position"].to_numpy(dtype="int32") if "site_position" in placements
                                  else np.zeros(len(placements), dtype="int32"))})
    frame = frame.sort_values(["row", "pos"], kind="stable").reset_index(drop=True)
    anchors = place_anchors(frame, sites).set_index(["site_id", "place_kind"])
    anchor = anchors.reindex(pd.MultiIndex.from_arrays([frame["site_id"], frame["place_kind"]]))
    repeated = _repeat(shared, frame["row"].to_numpy())
    table = pa.table({
        "ord": repeated["ord"], "incident_id": _texts(frame["incident_id"]), "site_id": _texts(frame["site_id"]),
        "place_kind": _texts(frame["place_kind"]), "site_name": _texts(frame["site_name"]),
        "lat": pa.array(frame["lat"].to_numpy()), "lon": pa.array(frame["lon"].to_numpy()),
        "coord_precision": _texts(frame["coord_precision"]), "uncertainty_km": pa.array(frame["uncertainty_km"].to_numpy()),
        "sites_named": pa.array(frame["sites_named"].to_numpy()), "pos": pa.array(frame["pos"].to_numpy()),
        "anchor_name": _texts(anchor["name"].reset_index(drop=True)),
        "anchor_lat": pa.array(anchor["lat"].to_numpy(float)), "anchor_lon": pa.array(anchor["lon"].to_numpy(float)),
        "anchor_precision": _texts(anchor["coord_precision"].reset_index(drop=True)),
        "anchor_uncertainty_km": pa.array(anchor["uncertainty_km"].to_numpy(float)),
        "date": repeated["date"], "event_type": repeated["event_type"], "confirmation": repeated["confirmation"],
    })
    return table.cast(PLACEMENT_SCHEMA)


def upload_tables(events: pd.DataFrame, sites: pd.DataFrame, first_ord: int = UPLOAD_ORD_OFFSET) -> dict[str, pa.Table]:
    """The tables of imported events (:mod:`dashboard.core.importers`), numbered from ``first_ord``."""
    incidents = events_as_incidents(events)
    placements = events_placements(events, sites)
    return build_tables(incidents, placements, events_unmapped(incidents, placements), sites, first_ord)
