"""Join incidents to gazetteer sites: where each incident can be drawn, and which cannot."""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from dashboard.core.data.columns import DEFAULT_UNCERTAINTY_KM

PLACEMENT_COLUMNS = [
    "incident_id", "site_id", "place_kind", "site_name", "country", "lat", "lon",
    "coord_precision", "uncertainty_km", "sites_named",
]
#: ``place_kind`` of a placement at a gazetteer site, and of one at a place an imported file gives
#: (its ``site_id`` is then the place's key, ``"lat,lon"`` rounded to 0.01 degrees, never a gazetteer id).
GAZETTEER_SITE, FILE_PLACE = "site", "place"


@dataclass
class JoinResult:
    """Outcome of :func:`join_incidents`.

    ``placements`` has one row per (incident, site with coordinates), as
    points in EPSG:4326: an incident naming three bases has three
    placements but stays one incident. ``unmapped`` lists the incidents with
    no placement at all and why; ``partly_mapped`` those where some named
    sites lack coordinates.
    """

    placements: gpd.GeoDataFrame
    unmapped: pd.DataFrame
    partly_mapped: pd.DataFrame

    @property
    def mapped_ids(self) -> set[str]:
        return set(self.placements["incident_id"])


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
    named = incidents[["incident_id", "site_id"]].assign(sites_named=incidents["site_id"].map(len))
    pairs = named.explode("site_id").dropna(subset=["site_id"])
    located_sites = sites[sites["lat"].notna() & sites["lon"].notna()]
    columns = ["site_id", "name", "country", "lat", "lon", "coord_precision"] + (
        ["coord_uncertainty_km"] if "coord_uncertainty_km" in sites.columns else [])
    merged = pairs.merge(located_sites[columns], on="site_id", how="left", sort=False)
    has_point = merged["lat"].notna()
    placed = merged[has_point].rename(columns={"name": "site_name"})
    uncertainty = placed["coord_uncertainty_km"] if "coord_uncertainty_km" in placed else pd.Series(None, index=placed.index)
    placed = placed.assign(uncertainty_km=[site_uncertainty_km(p, u) for p, u in zip(placed["coord_precision"], uncertainty)],
                           lat=placed["lat"].astype(float), lon=placed["lon"].astype(float), place_kind=GAZETTEER_SITE)
    without = merged[~has_point].groupby("incident_id", sort=False)["site_id"].agg(tuple)
    placed_ids = set(placed["incident_id"])
    unmapped, partly = [], []
    for incident_id, site_ids in zip(incidents["incident_id"], incidents["site_id"]):
        missing = without.get(incident_id, ())
        if incident_id not in placed_ids:
            reason = "no site named" if not site_ids else "no coordinates for " + ", ".join(missing)
            unmapped.append({"incident_id": incident_id, "reason": reason, "sites_without_coordinates": tuple(missing)})
        elif missing:
            partly.append({"incident_id": incident_id, "sites_without_coordinates": tuple(missing)})
    frame = placed[PLACEMENT_COLUMNS].reset_index(drop=True)
    geo = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326")
    return JoinResult(
        placements=geo,
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
