"""The tables the engine queries, built from checked data: incidents, their links to sites and countries, placements.

List columns become link tables (one row per incident and site, per incident
and country) so that filters and counts are joins and group-bys any SQL engine
runs, not Python over tuples. Every link and placement row repeats the
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
    ("notes", pa.string()), ("line", pa.int64()), ("n_sites", pa.int32()), ("n_countries", pa.int32()),
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
    dates = pd.to_datetime(incidents["date"]).dt.date
    shared = {"ord": ords, "date": dates.to_numpy(), "event_type": incidents["event_type"].to_numpy(),
              "confirmation": incidents["confirmation"].to_numpy()}
    return {
        "incidents": _incident_table(incidents, ords, dates, unmapped),
        "incident_sites": _link_table(incidents["site_id"], shared, "incident_sites"),
        "incident_countries": _link_table(incidents["country"], shared, "incident_countries"),
        "placements": _placement_table(incidents, placements, sites, ords),
    }


def _check(frame: pd.DataFrame, name: str, needed: set[str]) -> None:
    missing = needed - set(frame.columns)
    if missing:
        raise ValueError(f"`{name}` lacks column(s) {sorted(missing)}")


def _lists(values: pd.Series) -> pa.Array:
    return pa.array([list(v) if isinstance(v, (tuple, list)) else [] for v in values], type=STRING_LIST)


def _ints(values: pd.Series) -> pa.Array:
    return pa.array(pd.array(values, dtype="Int64"), type=pa.int64())


def _texts(values: pd.Series) -> pa.Array:
    return pa.array(values.astype(object).where(values.notna(), None), type=pa.string())


def _incident_table(incidents: pd.DataFrame, ords: np.ndarray, dates: pd.Series, unmapped: pd.DataFrame) -> pa.Table:
    reasons = dict(zip(unmapped["incident_id"], unmapped["reason"])) if len(unmapped) else {}
    reason = incidents["incident_id"].map(reasons)
    columns = {
        "ord": pa.array(ords), "incident_id": _texts(incidents["incident_id"]),
        "date": pa.array(dates.to_numpy(), type=pa.date32(), from_pandas=True),
    }
    for name in ("date_certainty", "place"):
        columns[name] = _texts(incidents[name])
    columns["site_id"], columns["country"] = _lists(incidents["site_id"]), _lists(incidents["country"])
    for name in ("event_type", "actor", "casualties"):
        columns[name] = _texts(incidents[name])
    for name in ("killed", "killed_max", "injured", "injured_max"):
        columns[name] = _ints(incidents[name])
    columns["confirmation"] = _texts(incidents["confirmation"])
    columns["sources"] = _lists(incidents["sources"])
    columns["notes"] = _texts(incidents["notes"])
    columns["line"] = _ints(incidents["line"]) if "line" in incidents else pa.nulls(len(incidents), pa.int64())
    columns["n_sites"] = pa.array(incidents["site_id"].map(len).to_numpy(dtype="int32"))
    columns["n_countries"] = pa.array(incidents["country"].map(len).to_numpy(dtype="int32"))
    columns["mapped"] = pa.array(reason.isna().to_numpy())
    columns["unmapped_reason"] = _texts(reason)
    return pa.table(columns, schema=INCIDENT_SCHEMA)


def _link_table(values: pd.Series, shared: dict, name: str) -> pa.Table:
    lengths = values.map(len).to_numpy(dtype="int64")
    repeat = {key: np.repeat(column, lengths) for key, column in shared.items()}
    flat = list(chain.from_iterable(values))
    columns = {"ord": pa.array(repeat["ord"]), LINK_SCHEMAS[name][0][0]: pa.array(flat, type=pa.string())}
    if name == "incident_sites":
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        columns["pos"] = pa.array((np.arange(len(flat)) - starts).astype("int32"))
    columns["date"] = pa.array(repeat["date"], type=pa.date32(), from_pandas=True)
    columns["event_type"] = pa.array(repeat["event_type"], type=pa.string())
    columns["confirmation"] = pa.array(repeat["confirmation"], type=pa.string())
    schema = pa.schema([("ord", pa.int64()), *LINK_SCHEMAS[name], ("date", pa.date32()), ("event_type", pa.string()),
                        ("confirmation", pa.string())])
    return pa.table(columns, schema=schema)


def _placement_table(incidents: pd.DataFrame, placements: pd.DataFrame, sites: pd.DataFrame,
                     ords: np.ndarray) -> pa.Table:
    where = pd.Index(incidents["incident_id"]).get_indexer(placements["incident_id"])
    if (where < 0).any():
        raise ValueError("`placements` name incident(s) missing from `incidents`, e.g. "
                         f"{placements['incident_id'].iloc[int(np.flatnonzero(where < 0)[0])]!r}")
    frame = pd.DataFrame({"ord": ords[where], "incident_id": placements["incident_id"].to_numpy(),
                          "site_id": placements["site_id"].to_numpy(), "place_kind": placements["place_kind"].to_numpy(),
                          "site_name": placements["site_name"].to_numpy(), "lat": placements["lat"].to_numpy(float),
                          "lon": placements["lon"].to_numpy(float),
                          "coord_precision": placements["coord_precision"].to_numpy(),
                          "uncertainty_km": placements["uncertainty_km"].to_numpy(float),
                          "sites_named": placements["sites_named"].to_numpy(dtype="int32")})
    frame["pos"] = _position_in_incident(incidents, placements, where)
    frame = frame.sort_values(["ord", "pos"], kind="stable").reset_index(drop=True)
    anchors = place_anchors(frame, sites).set_index(["site_id", "place_kind"])
    anchor = anchors.reindex(pd.MultiIndex.from_arrays([frame["site_id"], frame["place_kind"]]))
    frame["anchor_name"] = anchor["name"].to_numpy()
    frame["anchor_lat"], frame["anchor_lon"] = anchor["lat"].to_numpy(float), anchor["lon"].to_numpy(float)
    frame["anchor_precision"] = anchor["coord_precision"].to_numpy()
    frame["anchor_uncertainty_km"] = anchor["uncertainty_km"].to_numpy(float)
    row = frame["ord"].to_numpy() - ords[0] if len(ords) else frame["ord"].to_numpy()
    frame["date"] = pd.to_datetime(incidents["date"]).dt.date.to_numpy()[row]
    frame["event_type"] = incidents["event_type"].to_numpy()[row]
    frame["confirmation"] = incidents["confirmation"].to_numpy()[row]
    return pa.Table.from_pandas(frame, schema=PLACEMENT_SCHEMA, preserve_index=False)


def _position_in_incident(incidents: pd.DataFrame, placements: pd.DataFrame, where: np.ndarray) -> np.ndarray:
    """The position of each placement's site among the sites its incident names (0 for a place of a file)."""
    named = incidents["site_id"].to_numpy()[where]
    return np.array([ids.index(site) if site in ids else 0 for ids, site in zip(named, placements["site_id"])],
                    dtype="int32")


def upload_tables(events: pd.DataFrame, sites: pd.DataFrame) -> dict[str, pa.Table]:
    """The tables of imported events (:mod:`dashboard.core.importers`), numbered from :data:`UPLOAD_ORD_OFFSET`."""
    incidents = events_as_incidents(events)
    placements = events_placements(events, sites)
    return build_tables(incidents, placements, events_unmapped(incidents, placements), sites, UPLOAD_ORD_OFFSET)
