"""The map of a view: its data from the query layer (cached, small), the base map and the data layers built per run."""
from __future__ import annotations

import os

import folium

from dashboard.core.query.page_data import MapData
from dashboard.core.view.filters import Filters
from dashboard.core.view.map_window import MapWindow
from dashboard.render.assets import COMPONENT_BASE_URL
from dashboard.render.map_layer import data_layers
from dashboard.render.maps import base_map
from dashboard.render.tiles import basemap_from_env

from dashboard.ui import data


def map_data(loaded: data.Loaded, filters: Filters, mode: str, window: MapWindow | None) -> MapData:
    """What the map of ``filters`` in ``mode`` draws in ``window``, from the shared cache."""
    return data.ask(loaded.key, "map", filters, mode, window.as_tuple() if window is not None else None)


def frame_map(frame: tuple | None) -> folium.Map:
    """The base map fitted to ``frame``: the same for every filter, so a filter change does not remount it."""
    tiles = {k: v for k, v in os.environ.items() if k.startswith("DASHBOARD_TILES_")}
    return base_map(frame, basemap=basemap_from_env(tiles), asset_base=COMPONENT_BASE_URL)


def layers(loaded: data.Loaded, drawn: MapData) -> list[folium.FeatureGroup]:
    """The data layers of ``drawn`` (features, rings, heat), for streamlit-folium's ``feature_group_to_add``."""
    return data_layers(drawn, loaded.sites)
