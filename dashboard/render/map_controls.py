"""The base map's own elements: the offline borders basemap, and the fullscreen and save-as-PNG buttons.

Each loads its library (npm's ``topojson-client``, ``leaflet.fullscreen`` and
``html-to-image``) through folium's ``default_js``/``default_css``; the links
name jsDelivr at the versions of ``package.json`` and
:func:`~dashboard.render.assets.localise_links` points them at ``static/vendor``.
"""
from __future__ import annotations

from branca.element import MacroElement, Template
from folium.elements import JSCSSMixin

from dashboard.render.tiles import Borders, BordersLook

#: Where the libraries come from when ``static/vendor`` is not used (the versions of package.json).
CDN = "https://cdn.jsdelivr.net/npm/"
#: Where the borders' TopoJSON comes from when ``static/vendor`` is not used.
WORLD_ATLAS_CDN = f"{CDN}world-atlas@2.0.2/"
#: The file the save button downloads.
PNG_NAME = "map.png"


def borders_url(borders: Borders, asset_base: str | None) -> str:
    """Where the map fetches the borders' TopoJSON: ``asset_base`` + its file, or jsDelivr when ``asset_base`` is None."""
    return (WORLD_ATLAS_CDN if asset_base is None else asset_base) + borders.topology


class BordersLayer(JSCSSMixin, MacroElement):
    """Natural Earth's countries (fill and borders) and coastlines, read from a TopoJSON file and drawn as SVG.

    Parameters
    ----------
    borders : Borders
        The data file's name and the attribution.
    look : BordersLook
        Colours of the sea (the map's background), land, borders and coastlines.
    url : str
        Where the map fetches the TopoJSON (the app's ``static/vendor`` or jsDelivr).

    The layers sit in a pane of their own under the data layers and take no
    clicks. When drawn, the map's container carries ``data-borders`` (the number
    of countries); if the file cannot be read, ``data-borders-error``.
    """

    default_js = [("topojson-client", f"{CDN}topojson-client@3.1.0/dist/topojson-client.min.js")]
    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
          var look = {{ this.look|tojson }}, box = map.getContainer();
          box.style.background = look.sea;
          map.createPane("dashboardBorders").style.zIndex = 210;
          map.getPane("dashboardBorders").style.pointerEvents = "none";
          var renderer = L.svg({pane: "dashboardBorders", padding: 0.5});
          // world-atlas is stitched for a sphere: Russia's and Fiji's rings cross the antimeridian and
          // Antarctica's coast circles the South Pole. Leaflet draws on a plane, so make each line's longitudes
          // continuous, close a ring around a pole along the pole, and drop the lines that lie on a pole.
          function unwrap(points) {
            var out = [], shift = 0;
            points.forEach(function (p, i) {
              if (i > 0) {
                var step = p[0] + shift - out[i - 1][0];
                shift += step > 180 ? -360 : step < -180 ? 360 : 0;
              }
              out.push([p[0] + shift, p[1]]);
            });
            return out;
          }
          function onPole(points) { return points.every(function (p) { return Math.abs(p[1]) > 89.9; }); }
          function ring(points) {
            var out = unwrap(points), first = out[0], last = out[out.length - 1];
            if (Math.abs(last[0] - first[0]) > 180) {
              var pole = first[1] < 0 ? -90 : 90;
              out.push([last[0], pole], [first[0], pole], first);
            }
            return out;
          }
          function polygon(rings) {
            return rings.filter(function (r) { return !onPole(r); }).map(ring);
          }
          function planar(geometry) {
            var c = geometry.coordinates;
            if (geometry.type === "Polygon") { c = polygon(c); }
            else if (geometry.type === "MultiPolygon") {
              c = c.map(polygon).filter(function (p) { return p.length; });
            } else if (geometry.type === "MultiLineString") {
              c = c.filter(function (line) { return !onPole(line); }).map(unwrap);
            }
            return {type: geometry.type, coordinates: c};
          }
          function lines(world, filter, colour, weight) {
            var mesh = planar(topojson.mesh(world, world.objects.countries, filter));
            return L.geoJSON(mesh, {pane: "dashboardBorders", renderer: renderer, interactive: false,
                                    style: {color: colour, weight: weight, fill: false}});
          }
          fetch({{ this.url|tojson }}).then(function (response) {
            if (!response.ok) { throw new Error("HTTP " + response.status + " for " + response.url); }
            return response.json();
          }).then(function (world) {
            var countries = topojson.feature(world, world.objects.countries);
            countries.features.forEach(function (f) { f.geometry = f.geometry && planar(f.geometry); });
            countries.features = countries.features.filter(function (f) { return f.geometry; });
            // land filled country by country; each border and coastline stroked once, on top
            L.geoJSON(countries, {
              pane: "dashboardBorders", renderer: renderer, interactive: false,
              attribution: {{ this.borders.attribution|tojson }},
              style: {stroke: false, fillColor: look.land, fillOpacity: 1}
            }).addTo(map);
            lines(world, function (a, b) { return a !== b; }, look.border, 0.8).addTo(map);
            lines(world, function (a, b) { return a === b; }, look.coast, 1.2).addTo(map);
            box.dataset.borders = String(countries.features.length);
          }).catch(function (error) {
            box.dataset.bordersError = String(error);
            console.error("The borders basemap could not be drawn:", error);
          });
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, borders: Borders, look: BordersLook, url: str):
        super().__init__()
        self._name = "BordersLayer"
        self.borders = borders
        self.look = {"sea": look.sea, "land": look.land, "border": look.border, "coast": look.coast}
        self.url = url


#: How every fit of the map to its data frames it (Leaflet's ``fitBounds`` options): clear of the buttons (top left)
#: and the legend (bottom right; the base map gives a narrow map less room there, where the legend starts folded).
FIT_OPTIONS = {"paddingTopLeft": [30, 30], "paddingBottomRight": [230, 40], "maxZoom": 9}


class MapButtons(JSCSSMixin, MacroElement):
    """A fullscreen button (npm ``leaflet.fullscreen``, under the zoom buttons), a button that fits the map to the
    data drawn and one that saves the map as PNG.

    Fullscreen uses the browser's Fullscreen API on the map's container; where
    the page does not allow it, the plugin fills the page's window instead.
    The save button draws the map's container with ``html-to-image`` (tiles,
    the borders, the data layers, the legend, scale and attribution; not the
    buttons or the layer control) and downloads it as ``map.png``. Each button
    is added only when its library has loaded. Tiles whose
    server does not allow cross-origin reads are left out rather than spoiling
    the image. After each attempt the container carries ``data-saved``
    (the PNG's size in bytes) or ``data-save-error``.
    """

    default_js = [("leaflet.fullscreen", f"{CDN}leaflet.fullscreen@5.3.3/dist/Control.FullScreen.umd.js"),
                  ("html-to-image", f"{CDN}html-to-image@1.11.13/dist/html-to-image.js")]
    default_css = [("leaflet.fullscreen_css", f"{CDN}leaflet.fullscreen@5.3.3/dist/Control.FullScreen.css")]
    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>
          .dashboard-save-image a { display:flex; align-items:center; justify-content:center; }
          .dashboard-saving a { cursor:progress; opacity:0.6; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map) {
          if (L.Control.FullScreen) {
            new L.Control.FullScreen({position: "topleft", title: "Full screen", titleCancel: "Exit full screen"})
              .addTo(map);
          }
          // left out of the image: the buttons and the layer control
          var LEFT_OUT = ["leaflet-control-zoom", "leaflet-control-layers", "dashboard-save-image"];
          var BLANK = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
          function keep(node) {
            return !(node.classList && LEFT_OUT.some(function (name) { return node.classList.contains(name); }));
          }
          function download(blob) {
            var link = document.createElement("a");
            link.href = URL.createObjectURL(blob);
            link.download = {{ this.file_name|tojson }};
            document.body.appendChild(link);
            link.click();
            setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
          }
          function save(bar) {
            var box = map.getContainer();
            if (bar.classList.contains("dashboard-saving")) { return; }
            bar.classList.add("dashboard-saving");
            delete box.dataset.saved;
            delete box.dataset.saveError;
            htmlToImage.toBlob(box, {
              filter: keep, skipFonts: true, imagePlaceholder: BLANK, pixelRatio: window.devicePixelRatio || 1,
              backgroundColor: getComputedStyle(box).backgroundColor
            }).then(function (blob) {
              if (!blob) { throw new Error("the browser made no image"); }
              download(blob);
              box.dataset.saved = String(blob.size);
            }).catch(function (error) {
              box.dataset.saveError = String(error && error.message || error);
              console.error("The map could not be saved as an image:", error);
            }).then(function () { bar.classList.remove("dashboard-saving"); });
          }
          // one button in a bar of its own at the top left; ``act`` gets the bar
          function addButton(name, title, html, act) {
            var Button = L.Control.extend({
              options: {position: "topleft"},
              onAdd: function () {
                var bar = L.DomUtil.create("div", "leaflet-bar " + name);
                var button = L.DomUtil.create("a", "", bar);
                button.href = "#";
                button.title = title;
                button.setAttribute("role", "button");
                button.setAttribute("aria-label", title);
                button.innerHTML = html;
                L.DomEvent.disableClickPropagation(bar);
                L.DomEvent.on(button, "click", L.DomEvent.stop).on(button, "click", function () { act(bar); });
                return bar;
              }
            });
            new Button().addTo(map);
          }
          // fits the map to what is drawn now (the selection may have changed since the first fit)
          addButton("dashboard-fit", "Fit the map to the data shown", '<span style="font-size:16px">&#10530;</span>',
            function () {
              var shared = window.dashboardMapData;
              if (!shared || !shared.features.length) { return; }
              var bounds = L.latLngBounds(shared.features.map(function (f) {
                return [f.geometry.coordinates[1], f.geometry.coordinates[0]];
              }));
              if (shared.data.kind === "cells") { bounds = bounds.pad(0.05); }
              map.fitBounds(bounds, {{ this.fit_options|tojson }});
            });
          if (window.htmlToImage) {
            addButton("dashboard-save-image", "Save the map as an image (PNG)",
              '<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">' +
              '<path d="M9 2v9M5 7.5 9 11.5 13 7.5M3 13v3h12v-3" fill="none" stroke="#333" stroke-width="2"/></svg>',
              save);
          }
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "MapButtons"
        self.file_name = PNG_NAME
        self.fit_options = FIT_OPTIONS
