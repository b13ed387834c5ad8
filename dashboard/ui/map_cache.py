"""The folium map of a selection, cached so that a rerun with the same filters does not rebuild it."""
from __future__ import annotations

import os

import folium
import streamlit as st

from dashboard.core.view.filters import Filters
from dashboard.render.assets import COMPONENT_BASE_URL
from dashboard.render.maps import build_incident_map
from dashboard.render.tiles import basemap_from_env

from dashboard.ui import data


@st.cache_data(show_spinner=False, max_entries=32)
def _map(source: tuple, key: tuple, mode: str, tiles: tuple) -> folium.Map:
    dataset, _ = data._load(source)
    incidents, placements, unmapped = data._select(source, key)
    return build_incident_map(placements, incidents, dataset.sites, mode=mode, unmapped=len(unmapped),
                              basemap=basemap_from_env(dict(tiles)), asset_base=COMPONENT_BASE_URL)


def incident_map(loaded: data.Loaded, filters: Filters, mode: str) -> folium.Map:
    """The map of the filtered incidents in ``mode`` ("sites" or "incidents")."""
    tiles = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("DASHBOARD_TILES_")))
    return _map(loaded.source, data.filters_key(filters), mode, tiles)
