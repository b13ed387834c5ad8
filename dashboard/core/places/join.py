"""Join incidents to gazetteer sites: where each incident can be drawn, and which cannot."""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from dashboard.core.data.columns import DEFAULT_UNCERTAINTY_KM

PLACEMENT_COLUMNS = [
    "incident_id", "site_id", "site_name", "country", "lat", "lon",
    "coord_precision", "uncertainty_km", "sites_named",
]


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
                           lat=placed["lat"].astype(float), lon=placed["lon"].astype(float))
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
