"""The incident map: sites sized by incident count, or individual incidents clustered, plus a heat map."""
from __future__ import annotations

import math

import folium
import pandas as pd
from branca.element import MacroElement, Template
from folium.plugins import FastMarkerCluster, HeatMap, MarkerCluster

from dashboard.core.data.columns import EVENT_TYPES

from dashboard.render.assets import assets_installed, localise_links
from dashboard.render.popups import incident_html, safe, site_popup_html, tooltip_text
from dashboard.render.style import EVENT_COLOURS, UNCERTAINTY_COLOUR, event_colour
from dashboard.render.tiles import Basemap

MAP_MODES = ("sites", "incidents")
#: Above this many placements, incidents are drawn by FastMarkerCluster (no per-marker popups):
#: per-marker folium objects cost ~0.2 ms and ~200 bytes each (perf-baseline.md, section 2).
MAX_DETAILED_MARKERS = 1000
#: In sites mode, at most this many circles (the busiest places); imported files can name thousands.
MAX_SITE_CIRCLES = 1500
DEFAULT_CENTER = (34.0, 41.0)


def site_summary(placements: pd.DataFrame, incidents: pd.DataFrame) -> pd.DataFrame:
    """One row per placed site: its incident count and its most frequent event type.

    Ties between event types go to the first in the schema's order.
    """
    if placements.empty:
        return pd.DataFrame(columns=["site_id", "site_name", "lat", "lon", "coord_precision", "uncertainty_km", "count", "top_type"])
    types = incidents.set_index("incident_id")["event_type"]
    frame = placements.assign(event_type=placements["incident_id"].map(types))
    order = {t: i for i, t in enumerate(EVENT_TYPES)}
    rows = []
    for site_id, group in frame.groupby("site_id", sort=False):
        counts = group["event_type"].value_counts()
        top = sorted(counts.index, key=lambda t: (-counts[t], order.get(t, 99)))[0]
        first = group.iloc[0]
        rows.append({"site_id": site_id, "site_name": first["site_name"], "lat": first["lat"], "lon": first["lon"],
                     "coord_precision": first["coord_precision"], "uncertainty_km": first["uncertainty_km"],
                     "count": int(group["incident_id"].nunique()), "top_type": top})
    return pd.DataFrame(rows).sort_values("count", ascending=False, kind="stable").reset_index(drop=True)


def marker_radius(count: int) -> float:
    """Circle radius in pixels whose area is proportional to ``count``."""
    return 4.0 * math.sqrt(max(count, 0)) + 2.0


def build_incident_map(
    placements: pd.DataFrame,
    incidents: pd.DataFrame,
    sites: pd.DataFrame,
    *,
    mode: str = "sites",
    unmapped: int = 0,
    basemap: Basemap | None = None,
    asset_base: str | None = None,
    height: str = "100%",
) -> folium.Map:
    """Build the folium map of the filtered incidents.

    Parameters
    ----------
    placements : DataFrame
        Rows of :attr:`JoinResult.placements` for the filtered incidents.
    incidents : DataFrame
        The filtered incidents (for the popups' details).
    sites : DataFrame
        The gazetteer (names, types, sources of the placed sites).
    mode : {"sites", "incidents"}
        One circle per site (area proportional to its count, coloured by its
        most frequent type) or one marker per incident, clustered.
    unmapped : int
        How many filtered incidents cannot be placed; shown in the legend.
    basemap : Basemap, optional
        Tile layer; default OpenStreetMap.
    asset_base : str, optional
        URL prefix of the vendor JS/CSS (see :mod:`dashboard.render.assets`);
        None keeps folium's CDN links.
    """
    if mode not in MAP_MODES:
        raise ValueError(f"`mode` was {mode!r} but is expected to be in {MAP_MODES}")
    basemap = basemap or Basemap()
    fmap = folium.Map(location=DEFAULT_CENTER, zoom_start=6, tiles=None, control_scale=True, height=height)
    folium.TileLayer(tiles=basemap.url, attr=basemap.attribution, name=basemap.name, max_zoom=basemap.max_zoom).add_to(fmap)
    site_names = dict(zip(sites["site_id"], sites["name"]))
    by_site = site_summary(placements, incidents)
    span = (incidents["date"].min(), incidents["date"].max()) if len(incidents) else (None, None)

    _add_uncertainty(fmap, by_site.head(MAX_SITE_CIRCLES))
    left_out = 0
    if mode == "sites":
        left_out = _add_sites(fmap, by_site, placements, incidents, sites, site_names, span)
    else:
        _add_incidents(fmap, placements, incidents, site_names)
    _add_heat(fmap, placements)
    folium.LayerControl(collapsed=False).add_to(fmap)
    _Legend(mode=mode, unmapped=unmapped, placed=int(placements["incident_id"].nunique()) if len(placements) else 0,
            left_out=left_out).add_to(fmap)
    _fit(fmap, by_site)
    if asset_base is not None and assets_installed():
        localise_links(fmap, asset_base)
    return fmap


def _add_uncertainty(fmap: folium.Map, by_site: pd.DataFrame) -> None:
    layer = folium.FeatureGroup(name="Location uncertainty (rings)", show=True)
    for row in by_site.itertuples(index=False):
        if row.uncertainty_km and row.uncertainty_km > 0:
            folium.Circle(
                location=(row.lat, row.lon), radius=float(row.uncertainty_km) * 1000,
                color=UNCERTAINTY_COLOUR, weight=1, dash_array="4 4", fill=False, interactive=False,
            ).add_to(layer)
    layer.add_to(fmap)


def _add_sites(fmap, by_site, placements, incidents, sites, site_names, span) -> int:
    """Draw one circle per site (the busiest MAX_SITE_CIRCLES); return how many places were left out."""
    layer = folium.FeatureGroup(name="Sites (circle area = incidents)", show=True)
    site_rows = sites.set_index("site_id")
    shown = by_site.head(MAX_SITE_CIRCLES)
    incident_ids = placements[placements["site_id"].isin(set(shown["site_id"]))].groupby("site_id")["incident_id"].apply(set)
    limit = 40 if len(shown) <= 100 else 5
    for row in shown.itertuples(index=False):
        site = {"site_id": row.site_id, "uncertainty_km": row.uncertainty_km,
                **(site_rows.loc[row.site_id].to_dict() if row.site_id in site_rows.index else _place_as_site(row))}
        at_site = incidents[incidents["incident_id"].isin(incident_ids[row.site_id])]
        popup = folium.Popup(site_popup_html(site, at_site, site_names, span, limit), max_width=380, lazy=True)
        folium.CircleMarker(
            location=(row.lat, row.lon), radius=marker_radius(row.count), color="#222", weight=1,
            fill=True, fill_color=event_colour(row.top_type), fill_opacity=0.75,
            tooltip=folium.Tooltip(tooltip_text(row.site_name, row.count) + f" ({safe(row.site_id)})"), popup=popup,
        ).add_to(layer)
    layer.add_to(fmap)
    return len(by_site) - len(shown)


def _place_as_site(row) -> dict:
    """Stand-in gazetteer row for a place of imported events that lies near no gazetteer site."""
    return {"name": row.site_name, "site_type": "place named in the imported file", "admin1": "", "country": "",
            "coord_precision": row.coord_precision, "source": "coordinates as given by the imported file"}


def _add_incidents(fmap, placements, incidents, site_names) -> None:
    layer = folium.FeatureGroup(name="Incidents (clustered)", show=True)
    if len(placements) > MAX_DETAILED_MARKERS:
        FastMarkerCluster(placements[["lat", "lon"]].to_numpy().tolist()).add_to(layer)
        layer.add_to(fmap)
        return
    cluster = MarkerCluster(options={"spiderfyOnMaxZoom": True, "showCoverageOnHover": False}).add_to(layer)
    details = placements[["incident_id", "site_id", "site_name", "lat", "lon", "sites_named"]].merge(
        incidents, on="incident_id", how="inner", suffixes=("_placed", ""))
    for row in details.itertuples(index=False):
        note = ""
        if row.sites_named > 1:
            note = f"<p><i>This record names {row.sites_named} sites; it is drawn at each and counted once.</i></p>"
        folium.CircleMarker(
            location=(row.lat, row.lon), radius=7, color="#222", weight=1, fill=True,
            fill_color=event_colour(row.event_type), fill_opacity=0.85,
            tooltip=folium.Tooltip(f"{safe(row.date.date().isoformat())} · {safe(row.site_name)} ({safe(row.site_id_placed)})"),
            popup=folium.Popup(incident_html(row, site_names) + note, max_width=360, lazy=True),
        ).add_to(cluster)
    layer.add_to(fmap)


def _add_heat(fmap, placements) -> None:
    layer = folium.FeatureGroup(name="Heat map", show=False)
    if len(placements):
        HeatMap(placements[["lat", "lon"]].to_numpy().tolist(), radius=18, blur=14, min_opacity=0.3).add_to(layer)
    layer.add_to(fmap)


def _fit(fmap: folium.Map, by_site: pd.DataFrame) -> None:
    if by_site.empty:
        return
    south, north = float(by_site["lat"].min()), float(by_site["lat"].max())
    west, east = float(by_site["lon"].min()), float(by_site["lon"].max())
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
