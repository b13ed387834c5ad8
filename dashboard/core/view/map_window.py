"""The part of the world a map shows, as the query layer sees it: a zoom level and a box snapped to a coarse grid.

The browser reports the map's exact bounds after every pan or zoom. Asking
the query layer for exactly those would make every small pan a new question
(and a cache miss), so the box is padded and snapped outward to a grid that
follows the zoom: small pans give the same :class:`MapWindow`, and the layer
drawn for it already covers a margin around what is on screen.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

#: Cell sides the map may aggregate to, in degrees, coarse to fine.
CELL_SIZES = (5.0, 2.0, 1.0, 0.5, 0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.0025, 0.001)
#: A cell is drawn about this many screen pixels wide.
CELL_PIXELS = 32
#: Zoom levels the map may report (Leaflet's usual range with OpenStreetMap tiles).
MIN_ZOOM, MAX_ZOOM = 0, 19
#: Size assumed for a map whose size is not known yet (the Map page's frame on a laptop).
DEFAULT_SIZE_PX = (900, 580)


@dataclass(frozen=True)
class MapWindow:
    """A zoom level and a box in degrees (``south`` < ``north``; ``west`` < ``east``, within -180..180)."""

    zoom: int
    south: float
    west: float
    north: float
    east: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.south, self.west, self.north, self.east

    def as_tuple(self) -> tuple:
        """A hashable, cache-friendly form (the inverse of :func:`window_from_tuple`)."""
        return (self.zoom, self.south, self.west, self.north, self.east)


def window_from_tuple(value: tuple | None) -> MapWindow | None:
    return None if not value else MapWindow(int(value[0]), *map(float, value[1:]))


def cell_size(zoom: int) -> float:
    """The cell side in degrees for ``zoom``: the largest of :data:`CELL_SIZES` at most ~32 px wide there."""
    degrees_per_pixel = 360.0 / (256 * 2 ** max(min(int(zoom), MAX_ZOOM), MIN_ZOOM))
    wanted = CELL_PIXELS * degrees_per_pixel
    return next((size for size in CELL_SIZES if size <= wanted), CELL_SIZES[-1])


def coarser(size: float) -> float | None:
    """The next larger cell size than ``size``, or None when it is already the largest."""
    larger = [s for s in CELL_SIZES if s > size]
    return larger[-1] if larger else None


def zoom_for_extent(extent: tuple[float, float, float, float] | None, size_px: tuple[int, int] = DEFAULT_SIZE_PX) -> int:
    """The zoom at which Leaflet would fit ``extent`` (south, west, north, east) in a map of ``size_px``."""
    if extent is None:
        return 6
    south, west, north, east = extent
    width_deg = max(east - west, 1e-6)
    height_merc = max(_mercator_y(north) - _mercator_y(south), 1e-9)
    zoom_x = math.log2(size_px[0] * 360.0 / (256 * width_deg))
    zoom_y = math.log2(size_px[1] * 2 * math.pi / (256 * height_merc))
    return int(max(min(math.floor(min(zoom_x, zoom_y)), 12), 2))


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def window_from_bounds(bounds: dict | None, zoom) -> MapWindow | None:
    """The window for bounds as streamlit-folium returns them (``_southWest``/``_northEast``), or None.

    None when the map has not reported real bounds yet. The box is padded by
    half its size on each side and snapped outward to a grid eight cells of
    the zoom's size wide.
    """
    try:
        south, west = float(bounds["_southWest"]["lat"]), float(bounds["_southWest"]["lng"])
        north, east = float(bounds["_northEast"]["lat"]), float(bounds["_northEast"]["lng"])
        zoom = int(zoom)
    except (TypeError, KeyError, ValueError):
        return None
    if not all(math.isfinite(v) for v in (south, west, north, east)) or north <= south or east <= west:
        return None
    zoom = max(min(zoom, MAX_ZOOM), MIN_ZOOM)
    pad_lat, pad_lon = (north - south) / 2, (east - west) / 2
    step = cell_size(zoom) * 8
    south = max(math.floor((south - pad_lat) / step) * step, -90.0)
    north = min(math.ceil((north + pad_lat) / step) * step, 90.0)
    if east - west + 2 * pad_lon >= 360:
        west, east = -180.0, 180.0
    else:
        west = max(math.floor((west - pad_lon) / step) * step, -180.0)
        east = min(math.ceil((east + pad_lon) / step) * step, 180.0)
    return MapWindow(zoom, round(south, 6), round(west, 6), round(north, 6), round(east, 6))
