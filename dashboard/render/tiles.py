"""The basemap: one place for the tile URL and its attribution, overridable from the environment.

Set ``DASHBOARD_TILES_URL`` (a Leaflet URL template such as
``https://tiles.example.org/{z}/{x}/{y}.png``) and ``DASHBOARD_TILES_ATTRIBUTION`` to use your
own tile server, e.g. on an isolated network.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
URL_ENV = "DASHBOARD_TILES_URL"
ATTRIBUTION_ENV = "DASHBOARD_TILES_ATTRIBUTION"


@dataclass(frozen=True)
class Basemap:
    """A tile layer: URL template, attribution (HTML, as Leaflet shows it) and a name."""

    url: str = DEFAULT_URL
    attribution: str = DEFAULT_ATTRIBUTION
    name: str = "Basemap"
    max_zoom: int = 18


def basemap_from_env(environ=None) -> Basemap:
    """The basemap named by the environment, or OpenStreetMap's standard tiles."""
    environ = os.environ if environ is None else environ
    url = environ.get(URL_ENV, "").strip()
    if not url:
        return Basemap()
    if not url.startswith(("http://", "https://", "/")) or "{z}" not in url:
        raise ValueError(f"`{URL_ENV}` was {url!r} but is expected to be an http(s) URL template with {{z}}, {{x}} and {{y}}")
    attribution = environ.get(ATTRIBUTION_ENV, "").strip()
    if not attribution:
        attribution = "Tiles: " + url.split("/")[2] if "://" in url else "Tiles: local server"
    return Basemap(url=url, attribution=attribution, name="Basemap")
