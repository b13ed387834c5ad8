"""The incident map: a base map that stays put, and the data layers drawn on it (see :mod:`map_layer`).

The app hands :func:`base_map` and :func:`map_layer.data_layers` to
streamlit-folium separately, so a filter change redraws only the layers; an
export joins them into one self-contained map with :func:`build_incident_map`.
The base map holds the basemap (tiles, or Natural Earth borders drawn from the
app's own files; see :mod:`dashboard.render.tiles`), a fullscreen button and a
button that saves the map as ``map.png``.
"""
from __future__ import annotations

from typing import Iterable

import folium
import pandas as pd
from branca.element import MacroElement, Template
from folium.elements import JSCSSMixin
from folium.plugins import HeatMap, MarkerCluster

from dashboard.core.query.page_data import MapData

from dashboard.render.assets import assets_installed, localise_links
from dashboard.render.map_controls import FIT_OPTIONS, BordersLayer, MapButtons, borders_url
from dashboard.render.map_layer import data_layers, layer_json
from dashboard.render.tiles import Basemap, Borders, borders_look, resolve_basemap

DEFAULT_CENTER = (34.0, 41.0)
DEFAULT_ZOOM = 6
Frame = tuple[float, float, float, float]


def base_map(
    frame: Frame | None = None,
    *,
    basemap: str | Basemap | Borders | None = None,
    asset_base: str | None = None,
    height: str = "100%",
    theme: str = "light",
) -> folium.Map:
    """The map without data: basemap, scale, fullscreen and save-as-PNG buttons, and what the data layers use.

    Parameters
    ----------
    frame : tuple, optional
        (south, west, north, east) to fit the map to; None centres it on Iraq and Syria.
    basemap : str, Basemap or Borders, optional
        A name from :data:`dashboard.render.tiles.BASEMAPS` (``"osm"``: OpenStreetMap tiles or the
        ``DASHBOARD_TILES_URL`` override; ``"borders"``: Natural Earth borders, no internet), or a
        ready :class:`~dashboard.render.tiles.Basemap` (any tile layer). None: the name in
        ``DASHBOARD_BASEMAP``, else ``"osm"``.
    asset_base : str, optional
        URL prefix of the vendor JS/CSS and the borders' data (see :mod:`dashboard.render.assets`);
        None keeps CDN links.
    height : str
        CSS height of the map.
    theme : {"light", "dark"}
        Colours of the borders basemap, the legend box, the controls, popups and tooltips.

    Returns
    -------
    folium.Map
        A map that depends only on these arguments (and, for a basemap given by name or None, the
        ``DASHBOARD_BASEMAP`` / ``DASHBOARD_TILES_*`` environment), so the app can keep the same map
        (and the user's zoom) while the data layers change.
    """
    look = borders_look(theme)  # validates the theme
    drawn = resolve_basemap(basemap)
    local = asset_base is not None and assets_installed()
    fmap = folium.Map(location=DEFAULT_CENTER, zoom_start=DEFAULT_ZOOM, tiles=None, control_scale=True, height=height)
    if isinstance(drawn, Borders):
        fmap.options.update(min_zoom=2, max_zoom=drawn.max_zoom)
        BordersLayer(drawn, look, borders_url(drawn, asset_base if local else None)).add_to(fmap)
    else:
        folium.TileLayer(tiles=drawn.url, attr=drawn.attribution, name=drawn.name,
                         max_zoom=drawn.max_zoom).add_to(fmap)
    _Plugins().add_to(fmap)
    _MapSupport(theme).add_to(fmap)
    MapButtons().add_to(fmap)
    _fit(fmap, frame)
    if local:
        localise_links(fmap, asset_base)
    return fmap


def build_incident_map(
    data: MapData,
    sites: pd.DataFrame,
    *,
    basemap: str | Basemap | Borders | None = None,
    asset_base: str | None = None,
    height: str = "100%",
    overlays: Iterable[str] = ("rings",),
) -> folium.Map:
    """One self-contained map of a selection: the base map fitted to the data, its layers and a layer control.

    ``data`` comes from :func:`dashboard.core.query.page_data.map_data`;
    ``sites`` is the gazetteer (what each drawn site is); ``basemap``,
    ``asset_base`` and ``height`` are passed to :func:`base_map`; ``overlays``
    are the optional layers drawn (as in the view: "rings", "heat").

    Leaflet fits the map while the page's script runs. A page shown in a frame
    that is not laid out yet (an ``<iframe srcdoc>`` in the standalone export)
    has no size then: the fit of a 0 x 0 map ends at the closest zoom, on one
    point of the data, and Leaflet keeps that view when the frame grows. So the
    map also carries a script that, when it was drawn without a size, fits it
    again (or re-centres it) as soon as its container has one.
    """
    fmap = base_map(data.extent, basemap=basemap, asset_base=asset_base, height=height)
    for layer in data_layers(data.kind, layer_json(data, sites), tuple(overlays)):
        layer.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    fit = next((child for child in fmap._children.values() if isinstance(child, folium.map.FitBounds)), None)
    refit = MacroElement()
    refit._name = "FitWhenSized"
    refit.bounds, refit.options = (fit.bounds, fit.options) if fit is not None else (None, {})
    refit._template = Template("""
        {% macro script(this, kwargs) %}
        (function (map, bounds, options) {
          var size = map.getSize();
          if ((size.x > 0 && size.y > 0) || !window.ResizeObserver) { return; }
          var center = map.getCenter(), zoom = map.getZoom();
          var watcher = new ResizeObserver(function () {
            var box = map.getContainer();
            if (!box.clientWidth || !box.clientHeight) { return; }
            watcher.disconnect();
            map.invalidateSize(false);
            if (bounds) { map.fitBounds(bounds, L.extend({animate: false}, options)); }
            else { map.setView(center, zoom, {animate: false}); }
          });
          watcher.observe(map.getContainer());
        })({{ this._parent.get_name() }}, {{ this.bounds|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
    """)
    refit.add_to(fmap)
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
    """The legend's style and the dark theme's (following Streamlit's theme toggle), the first-click fix, and fits
    that leave room for the legend only on a wide map.

    In the dark theme the map's container carries the class ``dashboard-dark``,
    which recolours the legend, the controls, popups and tooltips.
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
          .dashboard-dark .dashboard-legend, .dashboard-dark .leaflet-control-layers,
          .dashboard-dark .leaflet-popup-content-wrapper, .dashboard-dark .leaflet-popup-tip,
          .dashboard-dark .leaflet-tooltip {
            background:rgba(38,42,49,0.94); color:#e6e6e6; border-color:#5a5f68; }
          .dashboard-dark .leaflet-control-attribution, .dashboard-dark .leaflet-control-scale-line {
            background:rgba(38,42,49,0.8); color:#d0d0d0; border-color:#9aa0a8; text-shadow:none; }
          .dashboard-dark .leaflet-control-attribution a, .dashboard-dark .leaflet-popup-content a { color:#8ab4f8; }
          .dashboard-dark .leaflet-bar { border-color:rgba(255,255,255,0.25); }
          /* the buttons' glyphs and icons are dark on white: turn them light on dark grey */
          .dashboard-dark .leaflet-bar a { filter:invert(0.86) hue-rotate(180deg); }
          .dashboard-dark .leaflet-tooltip-top:before { border-top-color:rgba(38,42,49,0.94); }
          .dashboard-dark .leaflet-tooltip-bottom:before { border-bottom-color:rgba(38,42,49,0.94); }
          .dashboard-dark .leaflet-tooltip-left:before { border-left-color:rgba(38,42,49,0.94); }
          .dashboard-dark .leaflet-tooltip-right:before { border-right-color:rgba(38,42,49,0.94); }
          .dashboard-dark .dashboard-legend .dot { border-color:#ccc; }
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
          var container = map.getContainer();
          if ({{ this.dark|tojson }}) { L.DomUtil.addClass(container, "dashboard-dark"); }
          // Streamlit's theme toggle does not rerun the app; it re-renders the component with the new theme, so
          // the controls and legend follow it here at once (the basemap's colours on the app's next run)
          if (window.Streamlit && window.Streamlit.events && window.Streamlit.RENDER_EVENT) {
            window.Streamlit.events.addEventListener(window.Streamlit.RENDER_EVENT, function (event) {
              var theme = event.detail && event.detail.theme;
              if (theme && theme.base) {
                L.DomUtil[theme.base === "dark" ? "addClass" : "removeClass"](container, "dashboard-dark");
              }
            });
          }
          // every fit (the first one, a re-fit, the button's) keeps room for the legend only on a map wide enough
          // to show it open; on a phone the legend starts folded, and the data would sit in a corner
          var fitBounds = map.fitBounds;
          map.fitBounds = function (bounds, options) {
            options = L.extend({}, options);
            var width = map.getSize().x;
            if (width > 0 && width < 600) { options.paddingBottomRight = [30, 30]; }
            return fitBounds.call(map, bounds, options);
          };
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, theme: str = "light"):
        super().__init__()
        self._name = "MapSupport"
        self.dark = theme == "dark"


def _fit(fmap: folium.Map, frame: Frame | None) -> None:
    if frame is None:
        return
    south, west, north, east = frame
    if south == north and west == east:
        fmap.location = [south, west]
        fmap.options["zoom"] = 8
        return
    # keep the data clear of the layer control (top right) and the legend (bottom right)
    fmap.fit_bounds([[south, west], [north, east]], padding_top_left=FIT_OPTIONS["paddingTopLeft"],
                    padding_bottom_right=FIT_OPTIONS["paddingBottomRight"], max_zoom=FIT_OPTIONS["maxZoom"])
