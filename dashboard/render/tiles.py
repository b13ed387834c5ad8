"""The basemaps the incident map can be drawn on, by name: online tiles, or Natural Earth borders from the app's own files.

:data:`BASEMAPS` is the registry a selector offers (name -> label and what it draws):

``"osm"``
    OpenStreetMap's standard tiles, fetched from the internet while the map is used. Set
    ``DASHBOARD_TILES_URL`` (a Leaflet URL template such as ``https://tiles.example.org/{z}/{x}/{y}.png``)
    and ``DASHBOARD_TILES_ATTRIBUTION`` to use your own tile server instead, e.g. on an isolated network.
``"borders"``
    Country borders and coastlines from Natural Earth (1:50m, npm's ``world-atlas``), drawn by the map
    from ``static/vendor/`` (see :mod:`dashboard.render.assets`): no request leaves the app, and a
    saved PNG of the map holds the whole basemap. It has a light and a dark look (:data:`BORDERS_LOOKS`).

``DASHBOARD_BASEMAP`` names the basemap a map starts with when no name is given (one of the
registry's names; default ``"osm"``), e.g. ``DASHBOARD_BASEMAP=borders`` for a server without internet.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Mapping, Union

DEFAULT_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
URL_ENV = "DASHBOARD_TILES_URL"
ATTRIBUTION_ENV = "DASHBOARD_TILES_ATTRIBUTION"
BASEMAP_ENV = "DASHBOARD_BASEMAP"
DEFAULT_BASEMAP = "osm"
THEMES = ("light", "dark")


@dataclass(frozen=True)
class Basemap:
    """A tile layer: URL template, attribution (HTML, as Leaflet shows it) and a name."""

    url: str = DEFAULT_URL
    attribution: str = DEFAULT_ATTRIBUTION
    name: str = "Basemap"
    max_zoom: int = 18


@dataclass(frozen=True)
class BordersLook:
    """The colours of the offline basemap: sea (the map's background), land, country borders and coastlines."""

    sea: str
    land: str
    border: str
    coast: str


#: The offline basemap's looks, by theme.
BORDERS_LOOKS: dict[str, BordersLook] = {
    "light": BordersLook(sea="#dfe8ef", land="#f7f5f0", border="#9a9691", coast="#8ba3b5"),
    "dark": BordersLook(sea="#18202a", land="#2b3038", border="#6e7682", coast="#4d6a80"),
}


@dataclass(frozen=True)
class Borders:
    """Natural Earth's countries, drawn from a TopoJSON vendor file (no tiles)."""

    topology: str = "countries-50m.json"
    attribution: str = 'Borders: <a href="https://www.naturalearthdata.com/">Natural Earth</a>'
    name: str = "Country borders (Natural Earth)"
    max_zoom: int = 12


Drawn = Union[Basemap, Borders]


@dataclass(frozen=True)
class BasemapOption:
    """One entry of :data:`BASEMAPS`: the label a selector shows, and what the name draws in an environment."""

    label: str
    make: Callable[[Mapping[str, str]], Drawn]


def basemap_from_env(environ: Mapping[str, str] | None = None) -> Basemap:
    """The tile layer named by ``DASHBOARD_TILES_URL``, or OpenStreetMap's standard tiles.

    Parameters
    ----------
    environ : mapping, optional
        The environment to read; default ``os.environ``.

    Returns
    -------
    Basemap
        The tiles; raises ValueError naming the variable when its URL is not an http(s)
        (or root-relative) template with ``{z}``.
    """
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


#: The basemaps a user can choose, by name (the name is what the app passes to ``base_map``).
BASEMAPS: dict[str, BasemapOption] = {
    "osm": BasemapOption("Street map (online tiles)", basemap_from_env),
    "borders": BasemapOption("Country borders (offline)", lambda environ: Borders()),
}


def basemap_labels() -> dict[str, str]:
    """Name -> label of every basemap, in the registry's order (for a selector's options and ``format_func``)."""
    return {name: option.label for name, option in BASEMAPS.items()}


def default_basemap_name(environ: Mapping[str, str] | None = None) -> str:
    """The basemap a map starts with: ``DASHBOARD_BASEMAP`` if set, else ``"osm"``.

    Raises ValueError naming the variable and the allowed names when it names no basemap.
    """
    environ = os.environ if environ is None else environ
    name = environ.get(BASEMAP_ENV, "").strip().lower()
    if not name:
        return DEFAULT_BASEMAP
    if name not in BASEMAPS:
        raise ValueError(f"`{BASEMAP_ENV}` was {name!r} but is expected to be one of {sorted(BASEMAPS)}")
    return name


def resolve_basemap(basemap: str | Drawn | None = None, environ: Mapping[str, str] | None = None) -> Drawn:
    """What to draw for ``basemap``: a registry name, a ready :class:`Basemap`/:class:`Borders`, or None.

    Parameters
    ----------
    basemap : str, Basemap, Borders or None
        A name from :data:`BASEMAPS`; a tile layer or borders object (returned as it is); None for
        :func:`default_basemap_name`.
    environ : mapping, optional
        The environment to read (``DASHBOARD_BASEMAP``, ``DASHBOARD_TILES_*``); default ``os.environ``.

    Returns
    -------
    Basemap or Borders
    """
    if isinstance(basemap, (Basemap, Borders)):
        return basemap
    environ = os.environ if environ is None else environ
    if basemap is None:
        basemap = default_basemap_name(environ)
    if not isinstance(basemap, str) or basemap not in BASEMAPS:
        raise ValueError(f"`basemap` was {basemap!r} but is expected to be one of {sorted(BASEMAPS)}, "
                         "a Basemap, a Borders or None")
    return BASEMAPS[basemap].make(environ)


def borders_look(theme: str) -> BordersLook:
    """The offline basemap's colours for ``theme`` ("light" or "dark"); ValueError for any other."""
    if theme not in BORDERS_LOOKS:
        raise ValueError(f"`theme` was {theme!r} but is expected to be one of {list(THEMES)}")
    return BORDERS_LOOKS[theme]
