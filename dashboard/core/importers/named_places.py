"""Place events that have a place name but no coordinates, through the gazetteer's name resolver."""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.core.places.gazetteer import Gazetteer


def locate_by_name(places: pd.Series, sites: pd.DataFrame) -> pd.DataFrame:
    """Resolve each distinct place name once; rows whose name resolves to a site with coordinates get them.

    Parameters
    ----------
    places : pandas.Series of str
        Place names of the events that have no coordinates.
    sites : pandas.DataFrame
        The gazetteer (``site_id``, ``name``, ``aliases``, ``lat``, ``lon``,
        ``coord_precision``).

    Returns
    -------
    pandas.DataFrame
        Aligned with ``places``: ``site_id`` (empty when the name does not
        resolve, is ambiguous, or the site has no coordinates), ``lat``,
        ``lon`` and ``coord_precision`` of that site.
    """
    result = pd.DataFrame({"site_id": "", "lat": np.nan, "lon": np.nan, "coord_precision": ""},
                          index=places.index)
    names = [name for name in places.unique() if isinstance(name, str) and name.strip()]
    if not names or sites.empty:
        return result
    gazetteer = Gazetteer(sites)
    by_id = sites.set_index("site_id")
    found = {}
    for name in names:
        resolution = gazetteer.resolve(name)
        if resolution.ok and by_id.loc[[resolution.site_id], ["lat", "lon"]].notna().all(axis=None):
            found[name] = resolution.site_id
    hit = places.map(found)
    rows = hit.notna()
    if rows.any():
        chosen = by_id.loc[hit[rows].to_numpy()]
        result.loc[rows, "site_id"] = hit[rows].to_numpy()
        result.loc[rows, "lat"] = chosen["lat"].to_numpy(dtype="float64")
        result.loc[rows, "lon"] = chosen["lon"].to_numpy(dtype="float64")
        precision = chosen["coord_precision"].fillna("").astype(str).to_numpy() if "coord_precision" in chosen else ""
        result.loc[rows, "coord_precision"] = precision
    return result
