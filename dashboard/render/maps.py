"""The incident map: a base map that stays put, and the data layers drawn on it (see :mod:`map_layer`).

The app hands :func:`base_map` and :func:`map_layer.data_layers` to
streamlit-folium separately, so a filter change redraws only the layers; an
export joins them into one self-contained map with :func:`build_incident_map`.
"""
from __future__ import annotations

import folium
import pandas as pd
from branca.element import MacroElement, Template
from folium.elements import JSCSSMixin
from folium.plugins import HeatMap, MarkerCluster

from dashboard.core.query.page_data import MapData

from dashboard.render.assets import assets_installed, localise_links
from dashboard.render.map_layer import data_layers, layer_json
from dashboard.render.tiles import Basemap

DEFAULT_CENTER = (34.0, 41.0)
Frame = tuple[float, float, float, float]


def base_map(
    frame: Frame | None = None,
    *,
    basemap: Basemap | None = None,
    asset_base: str | None = None,
    height: str = "100%",
) -> folium.Map:
    """The map without data: tiles, scale, the legend's style, the plugins and helpers the data layers use.

    Parameters
    ----------
    frame : tuple, optional
        (south, west, north, east) to fit the map to; None centres it on Iraq and Syria.
    basemap : Basemap, optional
        Tile layer; default OpenStreetMap.
    asset_base : str, optional
        URL prefix of the vendor JS/CSS (see :mod:`dashboard.render.assets`);
        None keeps folium's CDN links.

    The result depends only on these arguments, so the app can keep the same
    map (and the user's zoom) while the data layers change.
    """
    basemap = basemap or Basemap()
    fmap = folium.Map(location=DEFAULT_CENTER, zoom_start=6, tiles=None, control_scale=True, height=height)
    folium.TileLayer(tiles=basemap.url, attr=basemap.attribution, name=basemap.name,
                     max_zoom=basemap.max_zoom).add_to(fmap)
    _Plugins().add_to(fmap)
    _MapSupport().add_to(fmap)
    _fit(fmap, frame)
    if asset_base is not None and assets_installed():
        localise_links(fmap, asset_base)
    return fmap


def build_incident_map(
    data: MapData,
    sites: pd.DataFrame,
    *,
    basemap: Basemap | None = None,
    asset_base: str | None = None,
    height: str = "100%",
) -> folium.Map:
    """One self-contained map of a selection: the base map fitted to the data, its layers and a layer control.

    ``data`` comes from :func:`dashboard.core.query.page_data.map_data`;
    ``sites`` is the gazetteer (what each drawn site is).
    """
    fmap = base_map(data.extent, basemap=basemap, asset_base=asset_base, height=height)
    for layer in data_layers(data.kind, layer_json(data, sites)):
        layer.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    return fmap


class _Plugins(JSCSSMixin, MacroElement):
    """Loads the clustering and heat plugins with the map, so layers added later can use them."""

    default_js = [*MarkerCluster.default_js, *HeatMap.default_js]
    default_css = list(MarkerCluster.default_css)
    _template = Template("")

    def __init__(self):
        super().__init__()
        self._name = "Plugins"


class _MapSupport(MacroElement):
    """The legend's style, and a helper that keeps each data layer shown or hidden as the user last chose.

    streamlit-folium adds every dynamic group to the map; the helper hides a
    group the user (or its default) left off, and remembers the layer control's
    choices across redraws of the layers.
    """

    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>
          .leaflet-control-layers { font: 12px/1.4 sans-serif; }
          .dashboard-legend { max-width:230px;
            background:rgba(255,255,255,0.92); padding:5px 8px; border:1px solid #999; border-radius:4px;
            font:11px/1.35 sans-serif; }
          .dashboard-legend summary { cursor:pointer; font-weight:bold; }
          .dashboard-legend .swatch { display:inline-block; width:14px; height:10px; border:1px solid #999; }
          .dashboard-legend .dot { display:inline-block; width:10px; height:10px; border-radius:5px;
            border:1px solid #222; margin-right:5px; vertical-align:-1px; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map) {
          // Leaflet focuses the map on mousedown (for its keyboard handler). Focusing an element inside the
          // component's iframe scrolls the page to the iframe when the map is not entirely on screen, so the
          // mouseup lands elsewhere and the first click on a marker was lost. Focus without scrolling.
          var keyboard = map.keyboard;
          if (keyboard && keyboard.enabled()) {
            keyboard.removeHooks();
            keyboard._onMouseDown = function () {
              if (!this._focused) { this._map.getContainer().focus({preventScroll: true}); }
            };
            keyboard.addHooks();
          }
        })({{ this._parent.get_name() }});
        window.dashboardKeepVisibility = function (map, group, name, shownByDefault) {
          var shown = window.dashboardShown = window.dashboardShown || {};
          if (!map._dashboardWatching) {
            map._dashboardWatching = true;
            map.on("overlayadd overlayremove", function (e) { shown[e.name] = e.type === "overlayadd"; });
          }
          var wanted = name in shown ? shown[name] : shownByDefault, adding = true;
          if (group._map && !wanted) { map.removeLayer(group); }
          setTimeout(function () { adding = false; }, 0);
          group.once("add", function () { if (adding && !wanted) { map.removeLayer(group); } });
        };
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "MapSupport"


def _fit(fmap: folium.Map, frame: Frame | None) -> None:
    if frame is None:
        return
    south, west, north, east = frame
    if south == north and west == east:
        fmap.location = [south, west]
        fmap.options["zoom"] = 8
        return
    # keep the data clear of the layer control (top right) and the legend (bottom right)
    fmap.fit_bounds([[south, west], [north, east]], padding_top_left=(30, 30), padding_bottom_right=(230, 40),
                    max_zoom=9)
