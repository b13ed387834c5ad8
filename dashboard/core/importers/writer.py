"""Write imported events (CSV or GeoParquet) and reports (JSON) so that no file is ever half-written.

Every writer writes to a temporary file in the destination's own folder, then
renames it over the destination with :func:`os.replace`, which is atomic on
one file system: a reader sees the old file or the new one, never a mix, and
a crash leaves at most a stray ``.*.tmp`` file.
"""
from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.core.data.atomic import atomic_path

EVENT_SUFFIXES = {".csv": "csv", ".parquet": "geoparquet", ".geoparquet": "geoparquet"}


def write_events(events: pd.DataFrame, path: str | Path) -> Path:
    """Write ``events`` to ``path``: CSV for ``.csv``, GeoParquet for ``.parquet``/``.geoparquet``.

    Parameters
    ----------
    events : pandas.DataFrame
        The imported events (``lat``/``lon`` columns become the GeoParquet
        point geometry, in EPSG:4326; rows without coordinates get none).
    path : path
        Destination; its suffix picks the format.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    kind = EVENT_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ValueError(f"`path` was {str(path)!r} but must end in one of {sorted(EVENT_SUFFIXES)}")
    with atomic_path(path) as temporary:
        if kind == "csv":
            events.to_csv(temporary, index=False, encoding="utf-8", lineterminator="\n")
        else:
            _to_geodataframe(events).to_parquet(temporary, index=False)
    return path


def write_report(report: dict, path: str | Path) -> Path:
    """Write ``report`` as indented UTF-8 JSON to ``path``, atomically."""
    path = Path(path)
    with atomic_path(path) as temporary:
        temporary.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=_plain) + "\n",
                             encoding="utf-8")
    return path


def _to_geodataframe(events: pd.DataFrame) -> gpd.GeoDataFrame:
    lat = pd.to_numeric(events["lat"], errors="coerce").to_numpy(dtype="float64")
    lon = pd.to_numeric(events["lon"], errors="coerce").to_numpy(dtype="float64")
    points = gpd.points_from_xy(lon, lat)
    located = np.isfinite(lat) & np.isfinite(lon)
    geometry = gpd.GeoSeries(points, index=events.index, crs="EPSG:4326").where(located, None)
    return gpd.GeoDataFrame(events, geometry=geometry, crs="EPSG:4326")


def _plain(value):
    """JSON for numpy scalars and paths."""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")
