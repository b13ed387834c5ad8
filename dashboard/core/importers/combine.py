"""Show imported events (ACLED, UCDP GED, GDELT) in the dashboard, alone or beside the bundled incidents.

Imported events carry their own coordinates, so they are placed where the
source put them, never at a site's point; an event within the import radius of
a gazetteer site is grouped with that site on the map, the others by place
(their coordinates rounded to 0.01°, about 1 km, so rows of one village share a
circle). None of these datasets says whether officials confirmed an event:
their status is ``unassessed``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.core.data.columns import UNASSESSED
from dashboard.core.data.dataset import Dataset
from dashboard.core.places.join import FILE_PLACE, GAZETTEER_SITE, PLACEMENT_COLUMNS, JoinResult, site_uncertainty_km
from dashboard.core.data.validate import split_sources

SOURCE_MODES = ("bundled", "uploaded", "both")
#: Our precision classes for imported locations; ``region`` (an admin area's centroid) is the loosest.
IMPORTED_UNCERTAINTY_KM = {"exact": 0.0, "town": 5.0, "approximate": 10.0, "region": 25.0}


def unique_ids(ids: pd.Series) -> pd.Series:
    """Ids made unique: a repeated id gets ``#2``, ``#3``, ... (the report lists the repeats)."""
    seen = ids.groupby(ids).cumcount()
    return ids.where(seen == 0, ids + "#" + (seen + 1).astype(str))


def events_as_incidents(events: pd.DataFrame) -> pd.DataFrame:
    """Imported events in the layout of the loaded incidents table (see :func:`load_dataset`)."""
    killed = pd.array(events["killed"], dtype="Int64")
    high = pd.array(events["killed_high"], dtype="Int64") if "killed_high" in events else pd.array([pd.NA] * len(events), dtype="Int64")
    frame = pd.DataFrame({
        "line": pd.array(events.get("source_line", pd.Series([pd.NA] * len(events))), dtype="Int64"),
        "incident_id": unique_ids(events["incident_id"].astype(str)).to_numpy(),
        "date": pd.to_datetime(events["date"], errors="coerce").to_numpy(),
        "date_certainty": ["reported" if p == "day" else "approximate" for p in events["date_precision"].fillna("")],
        "place": events["place"].fillna("").astype(str).to_numpy(),
        "site_id": [(s,) if isinstance(s, str) and s else () for s in events["site_id"]],
        "country": [(c,) if isinstance(c, str) and c else () for c in events["country"]],
        "event_type": events["event_type"].fillna("unknown").to_numpy(),
        "actor": events["actor1"].fillna("").astype(str).to_numpy(),
        "casualties": [f"{k} killed, as coded by {d}" if k is not pd.NA else f"no figure in {d}"
                       for k, d in zip(killed, events["source_dataset"])],
        "killed": killed,
        "killed_max": pd.array([h if h is not pd.NA and (k is pd.NA or h > k) else pd.NA for k, h in zip(killed, high)],
                               dtype="Int64"),
        "injured": pd.array([pd.NA] * len(events), dtype="Int64"),
        "injured_max": pd.array([pd.NA] * len(events), dtype="Int64"),
        "confirmation": UNASSESSED,
        "sources": [tuple(split_sources(s)) if isinstance(s, str) else () for s in events["sources"]],
        "notes": events["notes"].fillna("").astype(str).to_numpy(),
    })
    return frame.sort_values(["date", "incident_id"], kind="stable").reset_index(drop=True)


def events_placements(events: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Points of the imported events at their own coordinates, grouped by linked site or by place."""
    frame = events.assign(incident_id=unique_ids(events["incident_id"].astype(str)).to_numpy(),
                          _order=pd.to_datetime(events["date"], errors="coerce").to_numpy())
    frame = frame[frame["lat"].notna() & frame["lon"].notna()]
    frame = frame.sort_values(["_order", "incident_id"], kind="stable")  # the order of events_as_incidents
    names = dict(zip(sites["site_id"], sites["name"]))
    linked = frame["site_id"].fillna("").astype(str)
    cell = (frame["lat"].round(2).map("{:.2f}".format).astype(str) + ","
            + frame["lon"].round(2).map("{:.2f}".format).astype(str))  # astype: an empty map is float
    precision = frame["location_precision"].fillna("").astype(str)
    out = pd.DataFrame({
        "incident_id": frame["incident_id"].to_numpy(),
        "site_id": linked.where(linked != "", cell).to_numpy(),
        "place_kind": np.where(linked != "", GAZETTEER_SITE, FILE_PLACE),
        "site_name": [names.get(s) or p or c for s, p, c in zip(linked, frame["place"].fillna(""), cell)],
        "country": frame["country"].fillna("").to_numpy(),
        "lat": frame["lat"].astype(float).to_numpy(),
        "lon": frame["lon"].astype(float).to_numpy(),
        "coord_precision": precision.map(lambda p: p if p in ("exact", "town", "approximate") else "approximate").to_numpy(),
        "uncertainty_km": [IMPORTED_UNCERTAINTY_KM.get(p, site_uncertainty_km(p, None)) for p in precision],
        "sites_named": 1,
        "site_position": 0,
    }, columns=PLACEMENT_COLUMNS)
    return out


def events_unmapped(incidents: pd.DataFrame, placements: pd.DataFrame) -> pd.DataFrame:
    missing = incidents[~incidents["incident_id"].isin(set(placements["incident_id"]))]
    return pd.DataFrame({"incident_id": missing["incident_id"].to_numpy(),
                         "reason": "no coordinates in the file and no gazetteer match for its place",
                         "sites_without_coordinates": [()] * len(missing)})


def combine(dataset: Dataset, joined: JoinResult, events: pd.DataFrame, mode: str) -> tuple[Dataset, JoinResult]:
    """The dataset to show: the bundled one, the imported events, or both together.

    Parameters
    ----------
    dataset, joined : Dataset, JoinResult
        The bundled (or ``$DASHBOARD_DATA``) dataset and its join.
    events : DataFrame
        Imported events (:mod:`dashboard.core.importers.event_columns`).
    mode : {"bundled", "uploaded", "both"}
    """
    if mode not in SOURCE_MODES:
        raise ValueError(f"`mode` was {mode!r} but is expected to be in {SOURCE_MODES}")
    if mode == "bundled":
        return dataset, joined
    incidents = events_as_incidents(events)
    placements = events_placements(events, dataset.sites)
    unmapped = events_unmapped(incidents, placements)
    partly = pd.DataFrame(columns=["incident_id", "sites_without_coordinates"])
    if mode == "both":
        clash = set(incidents["incident_id"]) & set(dataset.incidents["incident_id"])
        if clash:
            raise ValueError(f"`events` reuse {len(clash)} incident id(s) of the dataset, e.g. {sorted(clash)[0]!r}")
        incidents = pd.concat([dataset.incidents, incidents], ignore_index=True)
        incidents = incidents.sort_values(["date", "incident_id"], kind="stable").reset_index(drop=True)
        placements = pd.concat([joined.placements, placements], ignore_index=True)
        unmapped = pd.concat([joined.unmapped, unmapped], ignore_index=True)
        partly = joined.partly_mapped
    shown = Dataset(sites=dataset.sites, incidents=incidents, official_counts=dataset.official_counts,
                    seeds=dataset.seeds, problems=dataset.problems, paths=dataset.paths)
    return shown, JoinResult(placements=placements, unmapped=unmapped, partly_mapped=partly)
