"""The map's data as one GeoJSON layer: sites, incident markers or counted cells, with their rings, heat and legend.

A map may hold thousands of features, so none of them is a folium object of
its own (each costs ~0.2 ms to render and ~200 bytes). The query layer's
small result becomes one compact JSON payload, columns of plain values with
every text already escaped; a short script turns it into GeoJSON features and
draws them as one ``L.geoJSON`` layer, clustered in incidents mode and, above
:data:`CLUSTER_PLACES` places, in sites mode too. A cluster's icon shows the
incidents it holds (the sum of its features' counts) in the colour of its
most frequent type. The same payload feeds the heat layer and the
uncertainty rings.

The layers are folium ``FeatureGroup``\\ s, so the app can hand them to
streamlit-folium as ``feature_group_to_add``: a filter change replaces them
without remounting the map. Which optional layers are on (rings, heat) is
the app's choice (:func:`data_layers`); the legend explains only what is drawn.
"""
from __future__ import annotations

from typing import Iterable

import folium
import pandas as pd

from dashboard.core.data.columns import COORD_PRECISIONS, STATUS_LABELS
from dashboard.core.data.exports import html_safe_json
from dashboard.core.places.join import GAZETTEER_SITE
from dashboard.core.query.page_data import MapData

from dashboard.render.layer_scripts import DataLayer, Heat, Rings
from dashboard.render.popups import casualty_summary, safe
from dashboard.render.style import UNCERTAINTY_COLOUR, event_colour, event_label, text_colour_on, types_in_order

LAYER_NAMES = {"sites": "Sites (circle area = incidents)", "incidents": "Incidents (clustered)",
               "cells": "Incidents counted per cell"}
RINGS_NAME = "Location uncertainty (rings)"
HEAT_NAME = "Heat map"
#: The optional layers :func:`data_layers` may add, by the name the app uses for each.
OVERLAYS = {"rings": RINGS_NAME, "heat": HEAT_NAME}
#: Colours of cells from the fewest to the most incidents (a sequential scale, light to dark); the heat
#: layer uses the same scale, so "more" looks the same in both.
CELL_COLOURS = ("#fee8c8", "#fdbb84", "#fc8d59", "#e34a33", "#b30000")
#: The heat layer's gradient (share of the peak -> colour), drawn as the legend's scale too.
HEAT_GRADIENT = {0.2: CELL_COLOURS[0], 0.4: CELL_COLOURS[1], 0.6: CELL_COLOURS[2], 0.8: CELL_COLOURS[3],
                 1.0: CELL_COLOURS[4]}
#: Above this many places, sites mode clusters its circles too (an imported file has hundreds of places,
#: which overlap at the zoom that shows a country); the bundled gazetteer's few dozen sites stay apart.
CLUSTER_PLACES = 150
#: What each feature of a kind weighs in the heat layer, for its legend.
HEAT_WEIGHTS = {"sites": "each place weighted by its count", "incidents": "one per incident marker",
                "cells": "each cell weighted by its count"}


def marker_radius(count: int) -> float:
    """Circle radius in pixels whose area is proportional to ``count``."""
    return 4.0 * (max(count, 0) ** 0.5) + 2.0


def layer_payload(data: MapData, sites: pd.DataFrame) -> dict:
    """The JSON the layer script draws: columns of the features, escaped texts, the legend and a summary.

    Parameters
    ----------
    data : MapData
        What the map draws (:func:`dashboard.core.query.page_data.map_data`).
    sites : pandas.DataFrame
        The gazetteer (what each drawn site is).

    Returns
    -------
    dict
        ``types`` lists only the event types present in what is drawn (the
        sites' top types, the incidents' types, the cells' types with a
        nonzero count), in display order, as ``[code, label, colour, text
        colour]``; features name their type by its index in that list.
        Every text that came from data is escaped here (HTML and template
        literal); the script only joins the pieces.
    """
    features = data.features
    codes = drawn_types(data)
    index = {code: i for i, code in enumerate(codes)}
    payload = {
        "kind": data.kind, "size": data.cell_size,
        "types": [[safe(code), safe(event_label(code)), event_colour(code), text_colour_on(event_colour(code))]
                  for code in codes],
        "cellColours": list(CELL_COLOURS),
        "heatGradient": {str(stop): colour for stop, colour in HEAT_GRADIENT.items()},
        "ringColour": UNCERTAINTY_COLOUR,
        "cluster": clustered(data),
        "summary": {"kind": data.kind, "shown": data.shown, "placed": data.placed, "features": len(features)},
    }
    payload["legend"] = legend_html(data, codes, payload["cluster"])
    if data.kind == "cells":
        payload["columns"] = _cell_columns(features, codes)
    elif data.kind == "sites":
        payload["columns"] = _site_columns(features, sites, index)
    else:
        payload["columns"] = _incident_columns(features, index)
    return payload


def drawn_types(data: MapData) -> list[str]:
    """The event types present in what ``data`` draws, in display order (see :func:`layer_payload`)."""
    features = data.features
    if data.kind == "cells":
        return types_in_order(code for code in features.columns
                              if code not in _CELL_FIELDS and features[code].sum() > 0)
    return types_in_order(features["top_type" if data.kind == "sites" else "event_type"])


def clustered(data: MapData) -> bool:
    """Whether the features are drawn in clusters: incident markers always, site circles above :data:`CLUSTER_PLACES`."""
    return data.kind == "incidents" or (data.kind == "sites" and len(data.features) > CLUSTER_PLACES)


#: Columns of a cells frame that are not event types.
_CELL_FIELDS = frozenset({"row", "col", "lat", "lon", "count"})


def _rounded(values: pd.Series) -> list[float]:
    return [round(float(v), 5) for v in values]


def _cell_columns(cells: pd.DataFrame, codes: list[str]) -> dict:
    return {"row": [int(v) for v in cells["row"]], "col": [int(v) for v in cells["col"]],
            "n": [int(v) for v in cells["count"]],
            "byType": [[int(v) for v in cells[code]] for code in codes]}


def _site_columns(places: pd.DataFrame, sites: pd.DataFrame, index: dict[str, int]) -> dict:
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
        "n": [int(v) for v in places["count"]], "type": [index[v] for v in places["top_type"]],
        "radius": [round(marker_radius(int(v)), 1) for v in places["count"]],
    }


def _incident_columns(points: pd.DataFrame, index: dict[str, int]) -> dict:
    statuses = {code: i for i, code in enumerate(dict.fromkeys(points["confirmation"]))}
    labels = []
    for name, site_id, kind in zip(points["site_name"], points["site_id"], points["place_kind"]):
        labels.append(safe(name) + (f" ({safe(site_id)})" if kind == GAZETTEER_SITE else ""))
    return {
        "lat": _rounded(points["lat"]), "lon": _rounded(points["lon"]),
        "siteId": [str(v) for v in points["site_id"]], "placeKind": [str(v) for v in points["place_kind"]],
        "incidentId": [safe(v) for v in points["incident_id"]],
        "label": labels, "date": [d.date().isoformat() for d in points["date"]],
        "type": [index[v] for v in points["event_type"]],
        "place": [safe(v) for v in points["place"]],
        "casualties": [safe(casualty_summary(row)) for row in points.itertuples(index=False)],
        "status": [statuses[v] for v in points["confirmation"]],
        "statusLabels": [safe(STATUS_LABELS.get(code, code)) for code in statuses],
        "sitesNamed": [int(v) for v in points["sites_named"]],
        "uncertaintyKm": [float(v) if pd.notna(v) else 0.0 for v in points["uncertainty_km"]],
    }


def legend_html(data: MapData, codes: list[str] | None = None, grouped: bool | None = None) -> str:
    """The legend: what colour and size mean for what is drawn, and how many incidents are (not) on the map.

    Parameters
    ----------
    data : MapData
        What the map draws.
    codes : list of str, optional
        The event types drawn (default :func:`drawn_types`); only these are listed.
    grouped : bool, optional
        Whether the features are clustered (default :func:`clustered`).

    Returns
    -------
    str
        HTML with every text escaped. The lines about the rings and the heat
        layer (``legend-rings``, ``legend-heat``) are hidden: each layer's
        script shows its line while the layer is on the map (and, for the
        rings, while any ring is drawn).
    """
    codes = drawn_types(data) if codes is None else codes
    grouped = clustered(data) if grouped is None else grouped
    lines = ['<details class="dashboard-legend" open><summary>Legend</summary>']
    if data.kind == "cells":
        lines.append(f"<div>Incidents per {data.cell_size:g}° cell:</div><div>")
        lines += [f'<span class="swatch" style="background:{c}"></span>' for c in CELL_COLOURS]
        lines.append(" fewest → most</div>")
        if codes:
            lines.append(f"<div>Types in these cells: {', '.join(safe(event_label(c)) for c in codes)}</div>")
        lines.append("<div>Point at a cell for its count by type; click it to zoom in.</div>")
    else:
        lines += [f'<div><span class="dot" style="background:{event_colour(code)}"></span>{safe(event_label(code))}</div>'
                  for code in codes]
        if data.kind == "sites":
            lines.append("<div>Circle area: incidents at the place (colour: its most frequent type)</div>")
            if grouped:
                lines.append("<div>Circles with a number: nearby places grouped together; the number is their "
                             "incidents, the colour the leading type among them</div>")
        else:
            lines.append("<div>Circles with a number: incidents grouped together; the colour is their most "
                         "frequent type</div>")
        lines.append('<div class="legend-rings" style="display:none"><span class="dot" style="border:1px dashed '
                     f'{UNCERTAINTY_COLOUR};background:none"></span>dashed ring: where an approximately placed site '
                     "or event may lie</div>")
    stops = ", ".join(f"{colour} {stop * 100:g}%" for stop, colour in HEAT_GRADIENT.items())
    lines.append('<div class="legend-heat" style="display:none">Heat map: where incidents cluster<br>few '
                 f'<span class="swatch" style="width:90px;vertical-align:-1px;background:linear-gradient(to right, '
                 f'transparent 0%, {stops})"></span> many<br><i>{HEAT_WEIGHTS[data.kind]}</i></div>')
    s = "" if data.unmapped == 1 else "s"
    lines.append(f'<div class="unmapped-note"><b>{data.placed:,} incidents on the map; {data.unmapped:,} '
                 f"incident{s} not mapped (no site coordinates)</b></div></details>")
    return "".join(lines)


def layer_json(data: MapData, sites: pd.DataFrame) -> str:
    """The payload of :func:`layer_payload` as JSON text that is safe inside a ``<script>`` element."""
    return html_safe_json(layer_payload(data, sites))


def data_layers(kind: str, payload_json: str, overlays: Iterable[str] = ("rings",)) -> list[folium.FeatureGroup]:
    """The map's data as folium groups, in the order they must be added: features, then rings, then heat.

    Parameters
    ----------
    kind : {"sites", "incidents", "cells"}
        What the payload draws.
    payload_json : str
        From :func:`layer_json` (the app caches it per view).
    overlays : iterable of str
        The optional layers that are on, from :data:`OVERLAYS` (``"rings"``,
        ``"heat"``). The features group is always returned; the rings and
        heat groups only when named, and every group returned is shown (the
        app keeps the on/off choices in its own widgets).

    Returns
    -------
    list of folium.FeatureGroup
        Named as :data:`LAYER_NAMES`, :data:`RINGS_NAME` and :data:`HEAT_NAME` say.
    """
    if kind not in LAYER_NAMES:
        raise ValueError(f"`kind` was {kind!r} but is expected to be in {tuple(LAYER_NAMES)}")
    wanted = tuple(overlays) if not isinstance(overlays, str) else (overlays,)
    unknown = [name for name in wanted if name not in OVERLAYS]
    if unknown:
        raise ValueError(f"`overlays` was {wanted!r} but is expected to hold only names from {tuple(OVERLAYS)}")
    drawings = [(LAYER_NAMES[kind], DataLayer(payload_json))]
    if "rings" in wanted:
        drawings.append((RINGS_NAME, Rings()))
    if "heat" in wanted:
        drawings.append((HEAT_NAME, Heat()))
    groups = []
    for name, drawing in drawings:
        group = folium.FeatureGroup(name=name, show=True)
        group.add_child(drawing)
        groups.append(group)
    return groups
