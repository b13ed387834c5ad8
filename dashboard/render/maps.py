"""The incident map: sites sized by incident count, or individual incidents clustered, plus a heat map.

It is drawn from the query layer's small results (:class:`MapData`), never from the selection itself.
"""
from __future__ import annotations

import math

import folium
import pandas as pd
from branca.element import MacroElement, Template
from folium.plugins import FastMarkerCluster, HeatMap, MarkerCluster

from dashboard.core.data.columns import EVENT_TYPES
from dashboard.core.data.exports import html_safe_json
from dashboard.core.places.join import GAZETTEER_SITE
from dashboard.core.query.page_data import MapData, popup_limit

from dashboard.render.assets import assets_installed, localise_links
from dashboard.render.popups import incident_html, safe, site_popup_html, tooltip_text
from dashboard.render.style import EVENT_COLOURS, UNCERTAINTY_COLOUR, event_colour
from dashboard.render.tiles import Basemap

DEFAULT_CENTER = (34.0, 41.0)


def marker_radius(count: int) -> float:
    """Circle radius in pixels whose area is proportional to ``count``."""
    return 4.0 * math.sqrt(max(count, 0)) + 2.0


def build_incident_map(
    data: MapData,
    sites: pd.DataFrame,
    *,
    basemap: Basemap | None = None,
    asset_base: str | None = None,
    height: str = "100%",
) -> folium.Map:
    """Build the folium map of a selection from the query layer's :class:`MapData`.

    Parameters
    ----------
    data : MapData
        From :func:`dashboard.core.query.page_data.map_data`; its ``mode`` is
        "sites" (one circle per site, area proportional to its count, coloured
        by its most frequent type) or "incidents" (one marker per incident, clustered).
    sites : DataFrame
        The gazetteer (names, types, sources of the drawn sites).
    basemap : Basemap, optional
        Tile layer; default OpenStreetMap.
    asset_base : str, optional
        URL prefix of the vendor JS/CSS (see :mod:`dashboard.render.assets`);
        None keeps folium's CDN links.

    Every site and incident marker carries its ids as GeoJSON feature
    properties (``site_id``, ``place_kind``, ``incident_id``), which a click
    hands back to the app.
    """
    basemap = basemap or Basemap()
    fmap = folium.Map(location=DEFAULT_CENTER, zoom_start=6, tiles=None, control_scale=True, height=height)
    folium.TileLayer(tiles=basemap.url, attr=basemap.attribution, name=basemap.name, max_zoom=basemap.max_zoom).add_to(fmap)
    site_names = dict(zip(sites["site_id"], sites["name"]))
    shown = data.shown_places
    _add_uncertainty(fmap, shown)
    if data.mode == "sites":
        _add_sites(fmap, data, sites, site_names)
    else:
        _add_incidents(fmap, data, site_names)
    _add_heat(fmap, data.places)
    folium.LayerControl(collapsed=False).add_to(fmap)
    _Legend(mode=data.mode, unmapped=data.unmapped, placed=data.placed, left_out=data.left_out).add_to(fmap)
    _fit(fmap, shown)
    if asset_base is not None and assets_installed():
        localise_links(fmap, asset_base)
    return fmap


class FeatureProperties(MacroElement):
    """Give the marker it is added to a GeoJSON ``feature`` with these properties.

    Leaflet's ``toGeoJSON()`` keeps a layer's ``feature``, so a click reports
    the ids as data (streamlit-folium's ``last_active_drawing``), not as text
    to be read back out of a tooltip.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.feature = {"type": "Feature", "properties": {{ this.properties_json }}};
        {% endmacro %}
    """)

    def __init__(self, **properties):
        super().__init__()
        self._name = "FeatureProperties"
        self.properties_json = html_safe_json(properties)


def _add_uncertainty(fmap: folium.Map, places: pd.DataFrame) -> None:
    layer = folium.FeatureGroup(name="Location uncertainty (rings)", show=True)
    for row in places.itertuples(index=False):
        if row.uncertainty_km and row.uncertainty_km > 0:
            folium.Circle(
                location=(row.lat, row.lon), radius=float(row.uncertainty_km) * 1000,
                color=UNCERTAINTY_COLOUR, weight=1, dash_array="4 4", fill=False, interactive=False,
            ).add_to(layer)
    layer.add_to(fmap)


def _add_sites(fmap: folium.Map, data: MapData, sites: pd.DataFrame, site_names: dict[str, str]) -> None:
    """Draw one circle per site or place (the busiest MAX_SITE_CIRCLES)."""
    layer = folium.FeatureGroup(name="Sites (circle area = incidents)", show=True)
    site_rows = sites.set_index("site_id")
    shown = data.shown_places
    limit = popup_limit(len(shown))
    popups = {key: group for key, group in data.popups.groupby(["place_site_id", "place_kind"], sort=False)} \
        if len(data.popups) else {}
    months = {key: group.set_index("month")["count"] for key, group in data.months.groupby(["site_id", "place_kind"])} \
        if len(data.months) else {}
    empty = data.popups.iloc[:0]
    for row in shown.itertuples(index=False):
        key = (row.site_id, row.place_kind)
        known = row.place_kind == GAZETTEER_SITE and row.site_id in site_rows.index
        site = {"site_id": row.site_id, "uncertainty_km": row.uncertainty_km,
                **(site_rows.loc[row.site_id].to_dict() if known else _place_as_site(row))}
        popup_html = site_popup_html(site, popups.get(key, empty), int(row.count), months.get(key), site_names,
                                     (data.first, data.last), limit)
        marker = folium.CircleMarker(
            location=(row.lat, row.lon), radius=marker_radius(row.count), color="#222", weight=1,
            fill=True, fill_color=event_colour(row.top_type), fill_opacity=0.75,
            tooltip=folium.Tooltip(tooltip_text(row.site_name, row.count)
                                   + (f" ({safe(row.site_id)})" if row.place_kind == GAZETTEER_SITE else "")),
            popup=folium.Popup(popup_html, max_width=380, lazy=True),
        )
        marker.add_child(FeatureProperties(site_id=row.site_id, place_kind=row.place_kind))
        marker.add_to(layer)
    layer.add_to(fmap)


def _place_as_site(row) -> dict:
    """Stand-in gazetteer row for a place of imported events that lies near no gazetteer site."""
    return {"name": row.site_name, "site_type": "place named in the imported file", "admin1": "", "country": "",
            "coord_precision": row.coord_precision, "source": "coordinates as given by the imported file"}


def _add_incidents(fmap: folium.Map, data: MapData, site_names: dict[str, str]) -> None:
    layer = folium.FeatureGroup(name="Incidents (clustered)", show=True)
    if data.points is not None:
        FastMarkerCluster(data.points[["lat", "lon"]].to_numpy().tolist()).add_to(layer)
        layer.add_to(fmap)
        return
    cluster = MarkerCluster(options={"spiderfyOnMaxZoom": True, "showCoverageOnHover": False}).add_to(layer)
    for row in data.markers.itertuples(index=False):
        note = ""
        if row.sites_named > 1:
            note = f"<p><i>This record names {row.sites_named} sites; it is drawn at each and counted once.</i></p>"
        label = safe(row.site_name) + (f" ({safe(row.placed_site_id)})" if row.place_kind == GAZETTEER_SITE else "")
        marker = folium.CircleMarker(
            location=(row.lat, row.lon), radius=7, color="#222", weight=1, fill=True,
            fill_color=event_colour(row.event_type), fill_opacity=0.85,
            tooltip=folium.Tooltip(f"{safe(row.date.date().isoformat())} · {label}"),
            popup=folium.Popup(incident_html(row, site_names) + note, max_width=360, lazy=True),
        )
        marker.add_child(FeatureProperties(site_id=row.placed_site_id, place_kind=row.place_kind,
                                           incident_id=row.incident_id))
        marker.add_to(cluster)
    layer.add_to(fmap)


def _add_heat(fmap: folium.Map, places: pd.DataFrame) -> None:
    """Heat of the incidents, one weighted point per site or place (not one per incident)."""
    layer = folium.FeatureGroup(name="Heat map", show=False)
    if len(places):
        HeatMap(places[["lat", "lon", "count"]].astype(float).to_numpy().tolist(), radius=18, blur=14,
                min_opacity=0.3).add_to(layer)
    layer.add_to(fmap)


def _fit(fmap: folium.Map, places: pd.DataFrame) -> None:
    if places.empty:
        return
    south, north = float(places["lat"].min()), float(places["lat"].max())
    west, east = float(places["lon"].min()), float(places["lon"].max())
    if south == north and west == east:
        fmap.location = [south, west]
        fmap.options["zoom"] = 8
        return
    # keep markers clear of the layer control (top right) and the legend (bottom right)
    fmap.fit_bounds([[south, west], [north, east]], padding_top_left=(30, 30), padding_bottom_right=(230, 40), max_zoom=9)


class _Legend(MacroElement):
    """Event-type colours, what size and rings mean, and how many incidents are not on the map."""

    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>
          .leaflet-control-layers { font: 12px/1.4 sans-serif; }
          .dashboard-legend { position:absolute; z-index:1000; bottom:28px; right:10px; max-width:230px;
            background:rgba(255,255,255,0.92); padding:5px 8px; border:1px solid #999; border-radius:4px;
            font:11px/1.35 sans-serif; }
          .dashboard-legend summary { cursor:pointer; font-weight:bold; }
          .dashboard-legend .dot { display:inline-block; width:10px; height:10px; border-radius:5px;
            border:1px solid #222; margin-right:5px; vertical-align:-1px; }
        </style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
        <details class="dashboard-legend" open>
          <summary>Legend</summary>
          {% for label, colour in this.entries %}
          <div><span class="dot" style="background:{{ colour }}"></span>{{ label }}</div>
          {% endfor %}
          <div style="margin-top:3px">{{ this.size_note }}</div>
          <div><span class="dot" style="border:1px dashed #555"></span>possible location of an approximately placed site</div>
          <div class="unmapped-note" style="margin-top:3px"><b>{{ this.unmapped_note }}</b></div>
        </details>
        {% endmacro %}
    """)

    def __init__(self, mode: str, unmapped: int, placed: int, left_out: int = 0):
        super().__init__()
        self._name = "Legend"
        self.entries = [(safe(label), EVENT_COLOURS[code]) for code, label in EVENT_TYPES.items()]
        self.size_note = ("Circle area: incidents at the site (colour: most frequent type)" if mode == "sites"
                          else "Numbers: incidents clustered together")
        if left_out:
            self.size_note += f"; the {left_out} quietest places are not drawn here (the Incidents view shows all)"
        self.unmapped_note = (f"{placed} incidents on the map; {unmapped} incident{'s' if unmapped != 1 else ''} "
                              "not mapped (no site coordinates)")
