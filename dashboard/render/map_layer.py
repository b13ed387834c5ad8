"""The map's data as one GeoJSON layer: sites, incident markers or counted cells, with their rings, heat and legend.

A map may hold thousands of features, so none of them is a folium object of
its own (each costs ~0.2 ms to render and ~200 bytes). The query layer's
small result becomes one compact JSON payload, columns of plain values with
every text already escaped; a short script turns it into GeoJSON features and
draws them as one ``L.geoJSON`` layer (clustered in incidents mode). The same
payload feeds the heat layer and the uncertainty rings.

The layers are folium ``FeatureGroup``\\ s, so the app can hand them to
streamlit-folium as ``feature_group_to_add``: a filter change replaces them
without remounting the map.
"""
from __future__ import annotations

import folium
import pandas as pd
from branca.element import MacroElement, Template

from dashboard.core.data.columns import COORD_PRECISIONS, EVENT_TYPES, STATUS_LABELS
from dashboard.core.data.exports import html_safe_json
from dashboard.core.places.join import GAZETTEER_SITE
from dashboard.core.query.page_data import MapData

from dashboard.render.popups import casualty_summary, safe
from dashboard.render.style import EVENT_COLOURS, UNCERTAINTY_COLOUR

LAYER_NAMES = {"sites": "Sites (circle area = incidents)", "incidents": "Incidents (clustered)",
               "cells": "Incidents counted per cell"}
RINGS_NAME = "Location uncertainty (rings)"
HEAT_NAME = "Heat map"
#: Colours of cells from the fewest to the most incidents (a sequential scale, light to dark).
CELL_COLOURS = ("#fee8c8", "#fdbb84", "#fc8d59", "#e34a33", "#b30000")


def marker_radius(count: int) -> float:
    """Circle radius in pixels whose area is proportional to ``count``."""
    return 4.0 * (max(count, 0) ** 0.5) + 2.0


def layer_payload(data: MapData, sites: pd.DataFrame) -> dict:
    """The JSON the layer script draws: columns of the features, escaped texts, the legend and a summary.

    Every text that came from data is escaped here (HTML and template
    literal); the script only joins the pieces.
    """
    features = data.features
    payload = {
        "kind": data.kind, "size": data.cell_size,
        "types": [[code, safe(label), EVENT_COLOURS[code]] for code, label in EVENT_TYPES.items()],
        "cellColours": list(CELL_COLOURS),
        "ringColour": UNCERTAINTY_COLOUR,
        "summary": {"kind": data.kind, "shown": data.shown, "placed": data.placed, "features": len(features)},
        "legend": legend_html(data),
    }
    if data.kind == "cells":
        payload["columns"] = _cell_columns(features)
    elif data.kind == "sites":
        payload["columns"] = _site_columns(features, sites)
    else:
        payload["columns"] = _incident_columns(features, dict(zip(sites["site_id"], sites["name"])))
    return payload


def _rounded(values: pd.Series) -> list[float]:
    return [round(float(v), 5) for v in values]


def _type_index(values: pd.Series) -> list[int]:
    order = {code: i for i, code in enumerate(EVENT_TYPES)}
    fallback = order["unknown"]
    return [order.get(v, fallback) for v in values]


def _cell_columns(cells: pd.DataFrame) -> dict:
    return {"row": [int(v) for v in cells["row"]], "col": [int(v) for v in cells["col"]],
            "n": [int(v) for v in cells["count"]],
            "byType": [[int(v) for v in cells[code]] for code in EVENT_TYPES]}


def _site_columns(places: pd.DataFrame, sites: pd.DataFrame) -> dict:
    gazetteer = sites.set_index("site_id")
    descriptions, precisions = [], []
    for row in places.itertuples(index=False):
        if row.place_kind == GAZETTEER_SITE and row.site_id in gazetteer.index:
            site = gazetteer.loc[row.site_id]
            descriptions.append(", ".join(safe(site[c]) for c in ("site_type", "admin1", "country") if site[c]))
        else:
            descriptions.append("place named in the imported file")
        precision = row.coord_precision or ""
        precisions.append(safe(COORD_PRECISIONS.get(precision, precision)))
    gazetteer_site = [k == GAZETTEER_SITE for k in places["place_kind"]]
    return {
        "lat": _rounded(places["lat"]), "lon": _rounded(places["lon"]),
        "siteId": [str(v) for v in places["site_id"]], "placeKind": [str(v) for v in places["place_kind"]],
        "label": [safe(name) + (f" ({safe(site_id)})" if known else "")
                  for name, site_id, known in zip(places["site_name"], places["site_id"], gazetteer_site)],
        "about": descriptions, "precision": precisions,
        "uncertaintyKm": [float(v) if pd.notna(v) else 0.0 for v in places["uncertainty_km"]],
        "n": [int(v) for v in places["count"]], "type": _type_index(places["top_type"]),
        "radius": [round(marker_radius(int(v)), 1) for v in places["count"]],
    }


def _incident_columns(points: pd.DataFrame, site_names: dict[str, str]) -> dict:
    statuses = {code: i for i, code in enumerate(dict.fromkeys(points["confirmation"]))}
    labels = []
    for name, site_id, kind in zip(points["site_name"], points["site_id"], points["place_kind"]):
        labels.append(safe(name) + (f" ({safe(site_id)})" if kind == GAZETTEER_SITE else ""))
    return {
        "lat": _rounded(points["lat"]), "lon": _rounded(points["lon"]),
        "siteId": [str(v) for v in points["site_id"]], "placeKind": [str(v) for v in points["place_kind"]],
        "incidentId": [safe(v) for v in points["incident_id"]],
        "label": labels, "date": [d.date().isoformat() for d in points["date"]],
        "type": _type_index(points["event_type"]),
        "place": [safe(v) for v in points["place"]],
        "casualties": [safe(casualty_summary(row)) for row in points.itertuples(index=False)],
        "status": [statuses[v] for v in points["confirmation"]],
        "statusLabels": [safe(STATUS_LABELS.get(code, code)) for code in statuses],
        "sitesNamed": [int(v) for v in points["sites_named"]],
        "uncertaintyKm": [float(v) if pd.notna(v) else 0.0 for v in points["uncertainty_km"]],
    }


def legend_html(data: MapData) -> str:
    """The legend: what colour and size mean for what is drawn, and how many incidents are (not) on the map."""
    lines = ['<details class="dashboard-legend" open><summary>Legend</summary>']
    if data.kind == "cells":
        lines.append(f"<div>Incidents per {data.cell_size:g}° cell:</div><div>")
        lines += [f'<span class="swatch" style="background:{c}"></span>' for c in CELL_COLOURS]
        lines.append(" fewest → most</div><div>Point at a cell for its count by type; click it to zoom in.</div>")
    else:
        lines += [f'<div><span class="dot" style="background:{colour}"></span>{safe(label)}</div>'
                  for label, colour in ((EVENT_TYPES[code], EVENT_COLOURS[code]) for code in EVENT_TYPES)]
        lines.append("<div>Circle area: incidents at the site (colour: most frequent type)</div>" if data.kind == "sites"
                     else "<div>Numbers: incidents clustered together</div>")
        lines.append('<div><span class="dot" style="border:1px dashed #555"></span>'
                     "possible location of an approximately placed site</div>")
    s = "" if data.unmapped == 1 else "s"
    lines.append(f'<div class="unmapped-note"><b>{data.placed:,} incidents on the map; {data.unmapped:,} '
                 f"incident{s} not mapped (no site coordinates)</b></div></details>")
    return "".join(lines)


class _DataLayer(MacroElement):
    """Draws the payload into its parent group and keeps it where the rings and heat layers find it."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
          var data = {{ this.payload }};
          var group = {{ this._parent.get_name() }};
          var map = {{ this._parent._parent.get_name() }};
          var types = data.types, c = data.columns, features = [];
          function point(i, lat, lon, props) {
            features.push({type: "Feature", geometry: {type: "Point", coordinates: [lon, lat]}, properties: props});
          }
          var i, n;
          if (data.kind === "cells") {
            for (i = 0; i < c.n.length; i++) {
              point(i, (c.row[i] + 0.5) * data.size, (c.col[i] + 0.5) * data.size, {i: i, n: c.n[i]});
            }
          } else if (data.kind === "sites") {
            for (i = 0; i < c.n.length; i++) {
              point(i, c.lat[i], c.lon[i], {i: i, site_id: c.siteId[i], place_kind: c.placeKind[i], n: c.n[i]});
            }
          } else {
            for (i = 0; i < c.lat.length; i++) {
              point(i, c.lat[i], c.lon[i], {i: i, site_id: c.siteId[i], place_kind: c.placeKind[i],
                                            incident_id: c.incidentId[i], n: 1});
            }
          }
          var peak = 1, least = Infinity;
          for (i = 0; i < features.length; i++) {
            peak = Math.max(peak, features[i].properties.n);
            least = Math.min(least, features[i].properties.n);
          }
          function cellColour(count) {
            // classes of equal width on a log scale between the emptiest and the busiest cell drawn
            var span = Math.log(peak) - Math.log(least), classes = data.cellColours.length;
            var step = span > 0 ? (Math.log(count) - Math.log(least)) / span * classes : classes - 1;
            return data.cellColours[Math.max(0, Math.min(Math.floor(step), classes - 1))];
          }
          function plural(count, word) { return count.toLocaleString("en") + " " + word + (count === 1 ? "" : "s"); }
          // thousands of SVG paths are slow to draw: above a thousand circles or cells, one canvas holds them all
          var renderer = data.kind !== "incidents" && features.length > 1000 ? L.canvas({padding: 0.5}) : undefined;
          function draw(feature, latlng) {
            var k = feature.properties.i;
            if (data.kind === "cells") {
              var half = data.size / 2;
              return L.rectangle([[latlng.lat - half, latlng.lng - half], [latlng.lat + half, latlng.lng + half]],
                {color: "#7f2704", weight: 0.5, fillColor: cellColour(c.n[k]), fillOpacity: 0.7, renderer: renderer});
            }
            if (data.kind === "sites") {
              return L.circleMarker(latlng, {radius: c.radius[k], color: "#222", weight: 1, fillOpacity: 0.75,
                                             fillColor: types[c.type[k]][2], renderer: renderer});
            }
            return L.circleMarker(latlng, {radius: 7, color: "#222", weight: 1, fillOpacity: 0.85,
                                           fillColor: types[c.type[k]][2]});
          }
          function describe(feature, layer) {
            var k = feature.properties.i, text;
            if (data.kind === "cells") {
              text = "<b>" + plural(c.n[k], "incident") + "</b> in this " + data.size + "° cell";
              for (var t = 0; t < types.length; t++) {
                if (c.byType[t][k]) { text += "<br>" + types[t][1] + ": " + c.byType[t][k].toLocaleString("en"); }
              }
              layer.bindTooltip(text, {sticky: true});
              layer.on("click", function () { map.fitBounds(layer.getBounds()); });
            } else if (data.kind === "sites") {
              layer.bindTooltip(c.label[k] + ": " + plural(c.n[k], "incident"));
              text = "<b>" + c.label[k] + "</b><br>" + c.about[k] + "<br><b>" + plural(c.n[k], "incident") +
                "</b> in the current filter<br><b>Location:</b> " + c.precision[k] +
                (c.uncertaintyKm[k] ? ", within about " + c.uncertaintyKm[k] + " km" : "");
              if (c.placeKind[k] === "site") {
                text += "<br><i>Selected: its card under the map lists every incident with its sources.</i>";
              }
              layer.bindPopup(text, {maxWidth: 320});
            } else {
              layer.bindTooltip(c.date[k] + " · " + c.label[k]);
              text = "<b>" + c.date[k] + "</b> · <span style=\\"color:" + types[c.type[k]][2] + "\\">&#9679;</span> " +
                types[c.type[k]][1] + " · " + c.incidentId[k] + "<br><b>Place:</b> " + c.place[k] +
                "<br><b>Site:</b> " + c.label[k] + "<br><b>Casualties:</b> " + c.casualties[k] +
                "<br><b>Status:</b> " + c.statusLabels[c.status[k]];
              if (c.sitesNamed[k] > 1) {
                text += "<br><i>This record names " + c.sitesNamed[k] + " sites; it is drawn at each and counted once.</i>";
              }
              if (c.placeKind[k] === "site") {
                text += "<br><i>Selected: the site's card under the map lists it with its sources.</i>";
              }
              layer.bindPopup(text, {maxWidth: 320});
            }
          }
          var geo = L.geoJSON({type: "FeatureCollection", features: features}, {pointToLayer: draw, onEachFeature: describe});
          if (data.kind === "incidents") {
            var cluster = L.markerClusterGroup({spiderfyOnMaxZoom: true, showCoverageOnHover: false, chunkedLoading: true});
            cluster.addLayers(geo.getLayers());
            group.addLayer(cluster);
          } else {
            group.addLayer(geo);
          }
          if (window.dashboardLegend) { window.dashboardLegend.remove(); }
          var legend = L.control({position: "bottomright"});
          legend.onAdd = function () {
            var box = L.DomUtil.create("div", "dashboard-legend-box");
            box.innerHTML = data.legend;
            L.DomEvent.disableClickPropagation(box);
            return box;
          };
          legend.addTo(map);
          window.dashboardLegend = legend;
          window.dashboardMapData = {data: data, features: features, peak: peak};
          var stamp = map.getContainer().dataset;
          stamp.drawnKind = data.summary.kind;
          stamp.drawnShown = data.summary.shown;
          stamp.drawnFeatures = data.summary.features;
          stamp.draws = (parseInt(stamp.draws || "0", 10) + 1).toString();
        })();
        {% endmacro %}
    """)

    def __init__(self, payload_json: str):
        super().__init__()
        self._name = "DataLayer"
        self.payload = payload_json


class _KeepVisibility(MacroElement):
    """Keeps its group shown or hidden as the user last chose it (``dashboardKeepVisibility`` of the base map)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        if (window.dashboardKeepVisibility) {
          window.dashboardKeepVisibility({{ this._parent._parent.get_name() }}, {{ this._parent.get_name() }},
                                         {{ this._parent.layer_name|tojson }}, {{ this._parent.show|tojson }});
        }
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "KeepVisibility"


class _Rings(MacroElement):
    """Dashed circles around approximately placed sites: where the facility may lie."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
          var shared = window.dashboardMapData, group = {{ this._parent.get_name() }};
          if (!shared || shared.data.kind === "cells") { return; }
          var c = shared.data.columns, seen = {};
          for (var i = 0; i < c.lat.length; i++) {
            var key = c.lat[i] + "," + c.lon[i];
            if (!c.uncertaintyKm[i] || seen[key]) { continue; }
            seen[key] = true;
            L.circle([c.lat[i], c.lon[i]], {radius: c.uncertaintyKm[i] * 1000, color: shared.data.ringColour, weight: 1,
                                           dashArray: "4 4", fill: false, interactive: false}).addTo(group);
          }
          // under the markers, whenever the group is shown
          group.on("add", function () { group.bringToBack(); });
          if (group._map) { group.bringToBack(); }
        })();
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "Rings"


class _Heat(MacroElement):
    """A heat map of the drawn features, each weighted by its count (never one point per incident)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
          var shared = window.dashboardMapData, group = {{ this._parent.get_name() }};
          if (!shared || !L.heatLayer) { return; }
          var points = shared.features.map(function (f) {
            return [f.geometry.coordinates[1], f.geometry.coordinates[0], f.properties.n];
          });
          L.heatLayer(points, {radius: 18, blur: 14, minOpacity: 0.3, max: shared.peak}).addTo(group);
        })();
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "Heat"


def layer_json(data: MapData, sites: pd.DataFrame) -> str:
    """The payload of :func:`layer_payload` as JSON text that is safe inside a ``<script>`` element."""
    return html_safe_json(layer_payload(data, sites))


def data_layers(kind: str, payload_json: str) -> list[folium.FeatureGroup]:
    """The map's data as three groups, in the order they must be added: features, rings, heat (hidden at first).

    ``kind`` is what the payload draws ("sites", "incidents" or "cells");
    ``payload_json`` comes from :func:`layer_json` (the app caches it per view).
    """
    groups = []
    for name, show, drawing in ((LAYER_NAMES[kind], True, _DataLayer(payload_json)), (RINGS_NAME, True, _Rings()),
                                (HEAT_NAME, False, _Heat())):
        group = folium.FeatureGroup(name=name, show=show)
        group.add_child(drawing)
        group.add_child(_KeepVisibility())
        groups.append(group)
    return groups
