"""The bodies of the data URLs: GeoJSON written piece by piece, the gazetteer and the map's cells as GeoJSON.

Every JSON text goes through :func:`~dashboard.core.data.exports.html_safe_json`
(``<``, ``>``, ``&`` escaped), as the downloads do: a newsroom page may paste
an answer into a script element.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

import pandas as pd

from dashboard.core.data.exports import (UNMAPPED_NOTE, json_value, _missing, html_safe_json, placed_features,
                                         placements_with_country)
from dashboard.core.data.columns import ALL_EVENT_TYPES

#: Columns of the gazetteer a site feature carries (coordinates are its geometry).
SITE_PROPERTIES = ("site_id", "name", "aliases", "country", "admin1", "site_type", "coord_precision",
                   "coord_uncertainty_km", "source", "notes")


def geojson_parts(pairs: Iterable[tuple[pd.DataFrame, pd.DataFrame]], sites: pd.DataFrame,
                  tail: Callable[[int, list[str]], dict]) -> Iterator[bytes]:
    """A FeatureCollection written as it is read: the opening, each chunk's features, then the closing members.

    Parameters
    ----------
    pairs : iterable of (incidents, placements)
        Chunks of incidents (the layout of loaded incidents) and their
        placements, as :func:`dashboard.core.query.stream.placed_chunks`
        gives them; each is read when the previous one is written.
    sites : DataFrame
        The gazetteer (the country of each site).
    tail : callable
        ``tail(incidents written, ids of those with no placement)`` returns
        the members written after ``features``: counts, links, the version.

    The features are those of :func:`~dashboard.core.data.exports.incidents_geojson`
    for the same incidents, in the same order; the ``unmapped`` member lists
    the incidents without coordinates.
    """
    yield b'{"type": "FeatureCollection", "features": ['
    written, unmapped, separator = 0, [], ""
    for incidents, placements in pairs:
        features, missing = placed_features(incidents, placements_with_country(placements, incidents, sites))
        written += len(incidents)
        unmapped += missing
        if features:
            yield (separator + html_safe_json(features)[1:-1]).encode("utf-8")
            separator = ", "
    members = {"unmapped": {"count": len(unmapped), "incident_ids": unmapped, "note": UNMAPPED_NOTE},
               **tail(written, unmapped)}
    yield ("], " + html_safe_json(members)[1:]).encode("utf-8")


def sites_geojson(sites: pd.DataFrame, counts: dict[str, int] | None = None) -> dict:
    """The gazetteer as a FeatureCollection: one Point per site with its precision and sources.

    A site without coordinates has a ``null`` geometry (RFC 7946 allows it)
    and stays listed. ``counts`` (site id -> selected incidents) adds an
    ``incidents`` property.
    """
    features = []
    for record in sites.to_dict("records"):
        lat, lon = record.get("lat"), record.get("lon")
        placed = not _missing(lat) and not _missing(lon)
        properties = {name: json_value(record.get(name)) for name in SITE_PROPERTIES if name in record}
        if counts is not None:
            properties["incidents"] = int(counts.get(record["site_id"], 0))
        features.append({"type": "Feature", "id": record["site_id"],
                         "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]} if placed else None,
                         "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def cells_geojson(cells: pd.DataFrame, size: float) -> dict:
    """Counts per square cell of ``size`` degrees as Polygons (``row``/``col`` as :func:`mapping.grid_cells`).

    Each feature carries ``count`` (incidents placed in the cell) and one
    count per event type that occurs there; ``leading_type`` is the most
    frequent (the first in the types' order on a tie), as the map colours it.
    """
    features = []
    types = [name for name in ALL_EVENT_TYPES if name in cells.columns]
    for record in cells.to_dict("records"):
        south, west = record["row"] * size, record["col"] * size
        north, east = south + size, west + size
        by_type = {name: int(record[name]) for name in types if record[name]}
        ring = [[_round(west), _round(south)], [_round(east), _round(south)], [_round(east), _round(north)],
                [_round(west), _round(north)], [_round(west), _round(south)]]
        features.append({
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"row": int(record["row"]), "col": int(record["col"]), "cell_size_deg": size,
                           "count": int(record["count"]),
                           "leading_type": max(by_type, key=lambda name: (by_type[name], -types.index(name)))
                           if by_type else None,
                           "by_type": by_type},
        })
    return {"type": "FeatureCollection", "features": features}


def _round(value: float) -> float:
    """A cell corner without float noise (0.1 * 3 = 0.30000000000000004)."""
    return round(value, 10)
