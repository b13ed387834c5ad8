"""The folium map of a view: its data from the query layer (cached, small), the folium objects built per run."""
from __future__ import annotations

import os

import folium

from dashboard.core.view.filters import Filters
from dashboard.render.assets import COMPONENT_BASE_URL
from dashboard.render.maps import build_incident_map
from dashboard.render.tiles import basemap_from_env

from dashboard.ui import data


def incident_map(loaded: data.Loaded, filters: Filters, mode: str) -> tuple[folium.Map, object]:
    """The map of the filtered incidents in ``mode`` ("sites" or "incidents") and the data it was drawn from."""
    tiles = {k: v for k, v in os.environ.items() if k.startswith("DASHBOARD_TILES_")}
    drawn = data.ask(loaded.key, "map", filters, mode)
    fmap = build_incident_map(drawn, loaded.sites, basemap=basemap_from_env(tiles), asset_base=COMPONENT_BASE_URL)
    return fmap, drawn
