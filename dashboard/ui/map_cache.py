"""The map of a view: its data and its layers' payload cached once per distinct view for every session.

The base map depends only on its frame and the basemap, so streamlit-folium
keeps it (and the user's zoom) while the data layers are replaced.
"""
from __future__ import annotations

import folium
import streamlit as st

from dashboard.core.query.page_data import MapData
from dashboard.core.view.filters import Filters
from dashboard.core.view.map_window import MapWindow
from dashboard.render.assets import COMPONENT_BASE_URL
from dashboard.render.map_layer import data_layers, layer_json
from dashboard.render.maps import base_map

from dashboard.ui import data


def map_data(loaded: data.Loaded, filters: Filters, mode: str, window: MapWindow | None) -> MapData:
    """What the map of ``filters`` in ``mode`` draws in ``window``, from the shared cache."""
    return data.ask(loaded.key, "map", filters, mode, window.as_tuple() if window is not None else None)


def theme() -> str:
    """The theme the visitor's browser shows the app in ("light" or "dark")."""
    kind = getattr(st.context.theme, "type", None)
    return "dark" if kind == "dark" else "light"


def frame_map(frame: tuple | None, basemap: str) -> folium.Map:
    """The base map fitted to ``frame`` with ``basemap`` (a name of :data:`dashboard.render.tiles.BASEMAPS`), in the
    visitor's theme: the same for every filter, so a filter change does not remount it (a basemap or theme change
    does)."""
    return base_map(frame, basemap=basemap, asset_base=COMPONENT_BASE_URL, theme=theme())


def layers(loaded: data.Loaded, filters: Filters, mode: str, window: MapWindow | None,
           drawn: MapData, overlays: tuple[str, ...]) -> list[folium.FeatureGroup]:
    """The data layers of the view (``drawn``: its :func:`map_data`; ``overlays``: the optional layers that are on),
    for streamlit-folium's ``feature_group_to_add``."""
    payload = _payload(loaded.key, data.filters_key(filters), mode, window.as_tuple() if window is not None else None)
    return data_layers(drawn.kind, payload, overlays)


@st.cache_data(show_spinner=False, max_entries=data.RESULT_ENTRIES, ttl=data.RESULT_TTL_S)
def _payload(key: tuple, fkey: tuple, mode: str, window: tuple | None) -> str:
    """The layers' JSON for one view, built once for all sessions (at most ~1 MB: the feature budget's)."""
    filters = data.filters_from_key(fkey)
    drawn = data.ask(key, "map", filters, mode, window)
    return layer_json(drawn, data.shared_data(key[0], key[1]).stored.sites)
