"""The scripts that draw a map layer's payload (see :mod:`.map_layer`): the features, the rings, the heat.

Each is a branca ``MacroElement`` placed in a folium ``FeatureGroup``; its
script draws into that group. The features' script runs first and leaves the
payload in ``window.dashboardMapData`` for the other two, and the legend in a
control on the map; the rings' and heat's scripts show their lines of that
legend while their group is on the map.
"""
from __future__ import annotations

from branca.element import MacroElement, Template


class DataLayer(MacroElement):
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
          // a cluster shows the incidents it holds (the sum of its features' counts, not how many features) in
          // the colour of the type with the most of them (ties: the first in the legend)
          function clusterIcon(cluster) {
            var children = cluster.getAllChildMarkers(), total = 0, sums = {}, best = -1, j, t;
            for (j = 0; j < children.length; j++) {
              var p = children[j].feature.properties;
              total += p.n;
              t = c.type[p.i];
              sums[t] = (sums[t] || 0) + p.n;
            }
            for (t in sums) {
              t = +t;
              if (best < 0 || sums[t] > sums[best] || (sums[t] === sums[best] && t < best)) { best = t; }
            }
            var type = types[best], digits = String(total).length, size = 22 + 5 * Math.min(digits, 5);
            var halo = type[2] + "59";  // the type's colour at 35 % opacity
            return L.divIcon({
              className: "marker-cluster dashboard-cluster", iconSize: L.point(size + 8, size + 8),
              html: '<div style="width:' + size + "px;height:" + size + "px;margin:4px;border-radius:50%;background:" +
                type[2] + ";color:" + type[3] + ";box-shadow:0 0 0 4px " + halo + ';border:1px solid #222;' +
                'box-sizing:border-box;font-weight:bold" title="' + plural(total, "incident") + '"><span style="' +
                "line-height:" + (size - 2) + 'px">' + total + "</span></div>"
            });
          }
          var geo = L.geoJSON({type: "FeatureCollection", features: features}, {pointToLayer: draw, onEachFeature: describe});
          var cluster = null;
          if (data.cluster) {
            cluster = L.markerClusterGroup({spiderfyOnMaxZoom: true, showCoverageOnHover: false, chunkedLoading: true,
                                            maxClusterRadius: data.kind === "sites" ? 40 : 80,
                                            iconCreateFunction: clusterIcon,
                                            chunkProgress: function (done, total) {
                                              if (done === total) { cluster.fire("dashboardloaded"); }
                                            }});
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
            // on a small screen the legend starts folded (its summary stays), so it does not cover the map
            var details = box.querySelector("details");
            if (details && map.getSize().x < 600) { details.open = false; }
            L.DomEvent.disableClickPropagation(box);
            return box;
          };
          legend.addTo(map);
          window.dashboardLegend = legend;
          window.dashboardMapData = {data: data, features: features, peak: peak, legend: legend.getContainer(),
                                     layers: geo.getLayers(), cluster: cluster};
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


class Rings(MacroElement):
    """Dashed circles around approximately placed sites and events (where they may lie), and their legend line.

    A ring is drawn only around a circle shown on its own (not hidden in a cluster: its ring would float beside
    the cluster's icon) and only when it is wider than that circle (inside it, it says nothing); both change
    with the zoom, so the rings are redrawn after each zoom or pan. The legend's line shows while any is drawn.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
          var shared = window.dashboardMapData, group = {{ this._parent.get_name() }};
          var map = {{ this._parent._parent.get_name() }};
          if (!shared || shared.data.kind === "cells") { return; }
          var c = shared.data.columns, cluster = shared.cluster, line = shared.legend.querySelector(".legend-rings");
          function metresPerPixel(lat) {
            return 40075016.686 * Math.cos(lat * Math.PI / 180) / Math.pow(2, map.getZoom() + 8);
          }
          function draw() {
            group.clearLayers();
            var seen = {}, drawn = 0;
            shared.layers.forEach(function (layer) {
              var i = layer.feature.properties.i, key = c.lat[i] + "," + c.lon[i];
              var marker = shared.data.kind === "sites" ? c.radius[i] : 7;
              if (!c.uncertaintyKm[i] || seen[key] || (cluster && !map.hasLayer(layer)) ||
                  c.uncertaintyKm[i] * 1000 / metresPerPixel(c.lat[i]) <= marker) { return; }
              seen[key] = true;
              drawn += 1;
              L.circle([c.lat[i], c.lon[i]], {radius: c.uncertaintyKm[i] * 1000, color: shared.data.ringColour,
                                             weight: 1, dashArray: "4 4", fill: false, interactive: false}).addTo(group);
            });
            if (line) { line.style.display = drawn && group._map ? "" : "none"; }
            if (group._map) { group.bringToBack(); }  // under the markers
          }
          function watch(on) {
            var how = on ? "on" : "off";
            map[how]("zoomend moveend", draw);
            if (cluster) { cluster[how]("animationend dashboardloaded", draw); }
          }
          group.on("add", function () { watch(true); draw(); });
          group.on("remove", function () { watch(false); if (line) { line.style.display = "none"; } });
          if (group._map) { watch(true); }
          draw();
        })();
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "Rings"


class Heat(MacroElement):
    """A heat map of the drawn features, each weighted by its count (never one point per incident), and its scale
    in the legend while it is on the map."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
          var shared = window.dashboardMapData, group = {{ this._parent.get_name() }};
          if (!shared || !L.heatLayer) { return; }
          var points = shared.features.map(function (f) {
            return [f.geometry.coordinates[1], f.geometry.coordinates[0], f.properties.n];
          });
          L.heatLayer(points, {radius: 18, blur: 14, minOpacity: 0.3, max: shared.peak,
                               gradient: shared.data.heatGradient}).addTo(group);
          var scale = shared.legend.querySelector(".legend-heat");
          function shown(on) { if (scale) { scale.style.display = on ? "" : "none"; } }
          group.on("add", function () { shown(true); });
          group.on("remove", function () { shown(false); });
          if (group._map) { shown(true); }
        })();
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "Heat"
