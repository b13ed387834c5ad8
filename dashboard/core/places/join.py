"""Join incidents to gazetteer sites: where each incident can be drawn, and which cannot."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.core.data.columns import DEFAULT_UNCERTAINTY_KM

PLACEMENT_COLUMNS = [
    "incident_id", "site_id", "place_kind", "site_name", "country", "lat", "lon",
    "coord_precision", "uncertainty_km", "sites_named", "site_position",
]
#: ``place_kind`` of a placement at a gazetteer site, and of one at a place an imported file gives
#: (its ``site_id`` is then the place's key, ``"lat,lon"`` rounded to 0.01 degrees, never a gazetteer id).
GAZETTEER_SITE, FILE_PLACE = "site", "place"


@dataclass
class JoinResult:
    """Outcome of :func:`join_incidents`.

    ``placements`` has one row per (incident, site with coordinates), with
    the site's ``lat`` and ``lon`` (EPSG:4326): an incident naming three bases
    has three placements but stays one incident (``site_position`` says which
    of its named sites each is, from 0). ``unmapped`` lists the incidents with
    no placement at all and why; ``partly_mapped`` those where some named
    sites lack coordinates.
    """

    placements: pd.DataFrame
    unmapped: pd.DataFrame
    partly_mapped: pd.DataFrame

    @property
    def mapped_ids(self) -> set[str]:
        return set(self.placements["incident_id"])

    def points(self) -> gpd.GeoDataFrame:
        """The placements as point geometries in EPSG:4326 (made on demand: a million cost half a second)."""
        frame = self.placements
        return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326")


def site_uncertainty_km(precision: str, uncertainty) -> float:
    """Radius of uncertainty of a site: its own figure, else the default of its precision class."""
    if uncertainty is not None and not pd.isna(uncertainty):
        return float(uncertainty)
    return DEFAULT_UNCERTAINTY_KM.get(precision, 0.0)


def join_incidents(incidents: pd.DataFrame, sites: pd.DataFrame) -> JoinResult:
    """Place each incident at the sites it names.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Incidents with ``incident_id`` and ``site_id`` (a tuple of ids).
    sites : pandas.DataFrame
        The gazetteer with ``site_id``, ``name``, ``country``, ``lat``,
        ``lon``, ``coord_precision`` and ``coord_uncertainty_km``.

    Returns
    -------
    JoinResult
        Coordinates are taken from the gazetteer as they are: never moved,
        never spread apart. Incidents without coordinates stay listed in
        ``unmapped`` with the reason.
    """
    for frame, name, needed in ((incidents, "incidents", {"incident_id", "site_id"}),
                                (sites, "sites", {"site_id", "name", "lat", "lon", "coord_precision"})):
        missing = needed - set(frame.columns)
        if missing:
            raise ValueError(f"`{name}` lacks column(s) {sorted(missing)}")
    lengths = incidents["site_id"].map(len).to_numpy(dtype="int64")
    rows = np.repeat(np.arange(len(incidents)), lengths)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    pairs = pd.DataFrame({"row": rows, "incident_id": incidents["incident_id"].to_numpy()[rows],
                          "site_id": list(chain.from_iterable(incidents["site_id"])), "sites_named": lengths[rows],
                          "site_position": np.arange(len(rows)) - starts})
    located_sites = sites[sites["lat"].notna() & sites["lon"].notna()]
    columns = ["site_id", "name", "country", "lat", "lon", "coord_precision"] + (
        ["coord_uncertainty_km"] if "coord_uncertainty_km" in sites.columns else [])
    merged = pairs.merge(located_sites[columns], on="site_id", how="left", sort=False)
    has_point = merged["lat"].notna().to_numpy()
    placed = merged[has_point].rename(columns={"name": "site_name"})
    default = placed["coord_precision"].map(DEFAULT_UNCERTAINTY_KM).astype(float).fillna(0.0)
    own = pd.to_numeric(placed["coord_uncertainty_km"], errors="coerce") if "coord_uncertainty_km" in placed else default * np.nan
    placed = placed.assign(uncertainty_km=own.astype(float).fillna(default), lat=placed["lat"].astype(float),
                           lon=placed["lon"].astype(float), place_kind=GAZETTEER_SITE)
    unplaced = merged.loc[~has_point, ["row", "site_id"]]
    missing: dict[int, list[str]] = {}
    for row, site_id in zip(unplaced["row"].tolist(), unplaced["site_id"].tolist()):
        missing.setdefault(row, []).append(site_id)
    is_placed = np.zeros(len(incidents), dtype=bool)
    is_placed[placed["row"].to_numpy()] = True
    ids = incidents["incident_id"].to_numpy()
    unmapped = [{"incident_id": ids[row], "reason": "no coordinates for " + ", ".join(missing.get(row, ()))
                 if lengths[row] else "no site named", "sites_without_coordinates": tuple(missing.get(row, ()))}
                for row in np.flatnonzero(~is_placed).tolist()]
    partly = [{"incident_id": ids[row], "sites_without_coordinates": tuple(found)}
              for row, found in sorted(missing.items()) if is_placed[row]]
    return JoinResult(
        placements=placed[PLACEMENT_COLUMNS].reset_index(drop=True),
        unmapped=pd.DataFrame(unmapped, columns=["incident_id", "reason", "sites_without_coordinates"]),
        partly_mapped=pd.DataFrame(partly, columns=["incident_id", "sites_without_coordinates"]),
    )


ANCHOR_COLUMNS = ["site_id", "place_kind", "name", "lat", "lon", "coord_precision", "uncertainty_km"]


def place_anchors(placements: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Where each placed site or place is drawn on a map of sites, and under which name.

    A gazetteer site is drawn at its own coordinates with its own precision; a
    place of an imported file (``place_kind == "place"``) at the coordinates of
    its first event in ``placements`` (as the file gives them, never averaged or
    rounded). One row per ``(site_id, place_kind)``, computed over all
    placements, so a circle does not move when a filter hides some of its events.
    """
    if placements.empty:
        return pd.DataFrame(columns=ANCHOR_COLUMNS)
    firsts = placements.drop_duplicates(["site_id", "place_kind"])
    gazetteer = sites.set_index("site_id")
    at_site = firsts["place_kind"] == GAZETTEER_SITE
    known = at_site & firsts["site_id"].isin(gazetteer.index)
    rows = firsts[["site_id", "place_kind", "site_name", "lat", "lon", "coord_precision", "uncertainty_km"]] \
        .rename(columns={"site_name": "name"}).reset_index(drop=True)
    known = known.to_numpy()
    if known.any():
        ids = rows.loc[known, "site_id"]
        rows.loc[known, "name"] = gazetteer.loc[ids, "name"].to_numpy()
        rows.loc[known, "lat"] = gazetteer.loc[ids, "lat"].astype(float).to_numpy()
        rows.loc[known, "lon"] = gazetteer.loc[ids, "lon"].astype(float).to_numpy()
        rows.loc[known, "coord_precision"] = gazetteer.loc[ids, "coord_precision"].to_numpy()
        uncertainty = gazetteer["coord_uncertainty_km"] if "coord_uncertainty_km" in gazetteer else None
        rows.loc[known, "uncertainty_km"] = [
            site_uncertainty_km(p, None if uncertainty is None else uncertainty.get(s))
            for s, p in zip(ids, gazetteer.loc[ids, "coord_precision"])]
    rows["lat"] = rows["lat"].astype(float)
    rows["lon"] = rows["lon"].astype(float)
    rows["uncertainty_km"] = rows["uncertainty_km"].astype(float)
    return rows[ANCHOR_COLUMNS]
