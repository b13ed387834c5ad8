"""Join incidents to gazetteer sites: where each incident can be drawn, and which cannot."""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from .schema import DEFAULT_UNCERTAINTY_KM

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
    by_id = sites.set_index("site_id")
    placements, unmapped, partly = [], [], []
    for row in incidents.itertuples(index=False):
        named = tuple(row.site_id or ())
        located, without = [], []
        for site_id in named:
            site = by_id.loc[site_id] if site_id in by_id.index else None
            if site is None or pd.isna(site["lat"]) or pd.isna(site["lon"]):
                without.append(site_id)
            else:
                located.append((site_id, site))
        for site_id, site in located:
            placements.append({
                "incident_id": row.incident_id,
                "site_id": site_id,
                "site_name": site["name"],
                "country": site["country"],
                "lat": float(site["lat"]),
                "lon": float(site["lon"]),
                "coord_precision": site["coord_precision"],
                "uncertainty_km": site_uncertainty_km(site["coord_precision"], site.get("coord_uncertainty_km")),
                "sites_named": len(named),
            })
        if not located:
            reason = "no site named" if not named else "no coordinates for " + ", ".join(without)
            unmapped.append({"incident_id": row.incident_id, "reason": reason, "sites_without_coordinates": tuple(without)})
        elif without:
            partly.append({"incident_id": row.incident_id, "sites_without_coordinates": tuple(without)})
    frame = pd.DataFrame(placements, columns=PLACEMENT_COLUMNS)
    geo = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326")
    return JoinResult(
        placements=geo,
        unmapped=pd.DataFrame(unmapped, columns=["incident_id", "reason", "sites_without_coordinates"]),
        partly_mapped=pd.DataFrame(partly, columns=["incident_id", "sites_without_coordinates"]),
    )
